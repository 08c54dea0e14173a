"""The reading vocabulary (``vocabulary.yml``): concepts, breakdowns, measures and markers, as data.

:func:`load_vocabulary` reads and checks the file; :meth:`Vocabulary.scan` finds every term of it in a
text at once (a multi-pattern Aho-Corasick automaton), on word boundaries, longest match first, after
normalising case, Unicode and the placement of tone marks ("thuỷ" = "thủy", "hoá" = "hóa").
:meth:`Vocabulary.compose` composes an indicator id and its names from a concept, its breakdown
members and a measure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick

from indicators import paths
from indicators.errors import IndicatorsError
from indicators.yamlfile import check_fields, read_yaml

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yml")
MEASURES = ("level", "growth", "decline", "share", "rate", "contribution", "pp_change", "change", "ratio", "multiple",
            "rank", "plan_gap", "plan_shortfall", "average")
_MARKERS = ("national", "other_provinces", "anaphora", "continuation", "partial_periods", "whole_year", "territories",
            "blockers")
_GROUPED = {"partial_periods": "period", "territories": "territory"}  # marker groups: "period:9m", "territory:xã"
_CONCEPT_FIELDS = {"vi", "en", "family", "unit", "terms"}
_CONCEPT_OPTIONAL = {"dims", "growth", "share", "rate", "direction", "generic", "yields", "context"}
DIRECTIONS = ("higher", "lower", "neutral")
_ID = re.compile(r"[a-z][a-z0-9_]*")

# Old and new placement of the tone mark in open syllables: "hoá" / "hóa", "thuỷ" / "thủy".
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_OLD_TONE = re.compile(r"([oOuU])([aeyAEY])([" + _TONES + r"])(?![^\W\d_])")


def normalise(text: str) -> str:
    """Lower case, NFC, one tone-mark placement, one kind of dash; the same length as ``text`` when
    ``text`` is NFC (so positions carry over)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    decomposed = _OLD_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    out = unicodedata.normalize("NFC", decomposed)
    return out.replace("–", "-").replace("—", "-").replace("\u00a0", " ")


@dataclass(frozen=True)
class Member:
    dim: str
    key: str
    vi: str
    en: str
    implies: str = ""  # the concept the member's words already name ("thu nội địa": budget revenue)
    default: str = ""  # the concept a figure of the member is, when nothing else names one


@dataclass(frozen=True)
class Concept:
    key: str
    vi: str
    en: str
    family: str
    unit: str
    dims: tuple[str, ...] = ()
    rate: str = ""
    direction: str = "higher"  # which way is better: higher, lower, neutral
    generic: bool = False
    yields: bool = False  # a noun that is often only what another concept counts ("35.000 lao động")
    context: tuple[str, ...] = ()  # a word shared with another concept means this one when these are named too


@dataclass(frozen=True)
class Reading:
    """What one matched term can mean: a concept (maybe naming a measure too), a breakdown member or a marker."""

    kind: str  # concept | member | marker
    key: str  # concept id, "dim:member", or marker name ("national", "period:9m", ...)
    measure: str = ""  # for a concept term that names a measure: growth, share
    members: tuple[str, ...] = ()  # for a concept term: the members its own words name ("đàn lợn": product pigs)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    term: str
    readings: tuple[Reading, ...]

    def of(self, kind: str) -> list[Reading]:
        return [r for r in self.readings if r.kind == kind]


@dataclass
class Vocabulary:
    concepts: dict[str, Concept]
    dimensions: dict[str, dict]  # dim -> {"vi", "en", "members": {key: Member}}
    measures: dict[str, dict]
    path: Path
    _automaton: ahocorasick.Automaton = field(repr=False, default=None)

    @property
    def dim_order(self) -> list[str]:
        return list(self.dimensions)

    def member(self, dim: str, key: str) -> Member:
        return self.dimensions[dim]["members"][key]

    def scan(self, text: str) -> list[Hit]:
        """Every vocabulary term in ``text``: leftmost-longest, non-overlapping, on word boundaries."""
        norm = normalise(text)
        found = []
        for end, (term, readings) in self._automaton.iter(norm):
            start = end - len(term) + 1
            if start > 0 and (norm[start - 1].isalnum() or norm[start - 1] == "_"):
                continue
            if end + 1 < len(norm) and (norm[end + 1].isalnum() or norm[end + 1] == "_"):
                continue
            found.append((start, end + 1, term, readings))
        found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        hits, last = [], 0
        for start, end, term, readings in found:
            if start >= last:
                hits.append(Hit(start, end, term, readings))
                last = end
        return hits

    def compose(self, concept: str, members: dict[str, str], measure: str, *, whole: str = "", unit_tag: str = "",
                reference: str = "") -> str:
        """The indicator id: concept (or the concept its rate is), members in dimension order, measure suffix."""
        base = concept
        c = self.concepts.get(concept)
        if measure == "rate" and c is not None and c.rate:
            base, measure = c.rate, "level"
        parts = [base, *(members[d] for d in self.dim_order if d in members)]
        suffix = self.measures[measure]["suffix"]
        if suffix:
            parts.append(suffix)
        if reference:
            parts.append(reference)
        if whole and whole != concept:
            parts.append(whole)
        if unit_tag:
            parts.append(unit_tag)
        return "_".join(parts)

    def names(self, concept: str, members: dict[str, str], measure: str, *, whole: str = "", unit_tag: str = "",
              reference: str = "") -> dict[str, str]:
        """Vietnamese and English names composed from the parts (``name_vi``, ``name_en``)."""
        c = self.concepts[concept]
        out = {}
        for lang in ("vi", "en"):
            head = getattr(c, lang)
            if measure == "rate" and c.rate and c.rate in self.concepts:
                head, measure_ = getattr(self.concepts[c.rate], lang), "level"
            else:
                measure_ = measure
            parts = [getattr(self.member(d, members[d]), lang) for d in self.dim_order if d in members]
            name = f"{head} – {', '.join(parts)}" if parts and lang == "vi" else (
                f"{head}, {', '.join(parts)}" if parts else head)
            template = self.measures[measure_][lang]
            if "{name}" in template and not template.startswith("{name}") and lang == "vi":
                name = name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name
            name = template.format(name=name)
            if whole and whole in self.concepts and whole != concept:
                other = getattr(self.concepts[whole], lang)
                name += f" trong {other[0].lower() + other[1:] if other[1:2].islower() else other}" if lang == "vi" \
                    else f" (of {other})"
            if reference == "national":
                name += " (so với cả nước)" if lang == "vi" else " (against the national figure)"
            if unit_tag:
                name += f" ({unit_tag})"
            out[f"name_{lang}"] = name
        return out


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read and check ``vocabulary.yml`` (once per process while the file is unchanged)."""
    path = Path(path) if path else VOCABULARY_PATH
    return _read(path, paths.stamp(path))


def _terms(path: Path, where: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise IndicatorsError(f"{path}: {where}: expected a list of words")
    return [normalise(re.sub(r"\s+", " ", t.strip())) for t in value]


class _Readings(dict):
    """Term → its readings, in the order the vocabulary gives them."""

    def add(self, term: str, reading: Reading) -> None:
        if reading not in self.setdefault(term, []):
            self[term].append(reading)


@lru_cache(maxsize=4)
def _read(path: Path, _stamp) -> Vocabulary:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise IndicatorsError(f"{path}: expected a mapping with measures, markers, dimensions and concepts")
    check_fields(path, "vocabulary", data, {"measures", "markers", "dimensions", "concepts"})
    readings = _Readings()
    measures = _measures(path, data["measures"])
    _markers(path, data["markers"], readings)
    dimensions = {dim: _dimension(path, dim, spec, readings) for dim, spec in data["dimensions"].items()}
    concepts = {key: _concept(path, key, c, dimensions, readings) for key, c in data["concepts"].items()}
    _check_references(path, concepts, dimensions)
    _inner_members(readings)
    automaton = ahocorasick.Automaton()
    for term, rs in readings.items():
        automaton.add_word(term, (term, tuple(rs)))
    automaton.make_automaton()
    return Vocabulary(concepts, dimensions, measures, path, automaton)


def _measures(path: Path, spec) -> dict:
    measures = dict(spec)
    unknown = sorted(set(measures) ^ set(MEASURES))
    if unknown:
        raise IndicatorsError(f"{path}: measures: expected exactly {', '.join(MEASURES)}; check {', '.join(unknown)}")
    for name, measure in measures.items():
        check_fields(path, f"measure '{name}'", measure, {"suffix", "vi", "en"}, {"unit"})
    return measures


def _markers(path: Path, markers, readings: _Readings) -> None:
    check_fields(path, "markers", markers, set(_MARKERS))
    for name in _MARKERS:
        if name in _GROUPED:
            for key, words in markers[name].items():
                for term in _terms(path, f"markers: {name}: {key}", words):
                    readings.add(term, Reading("marker", f"{_GROUPED[name]}:{key}"))
        else:
            for term in _terms(path, f"markers: {name}", markers[name]):
                readings.add(term, Reading("marker", name))


def _dimension(path: Path, dim: str, spec, readings: _Readings) -> dict:
    check_fields(path, f"dimension '{dim}'", spec, {"vi", "en", "members"})
    members = {}
    for key, m in spec["members"].items():
        check_fields(path, f"{dim}: member '{key}'", m, {"vi", "en", "terms"}, {"implies", "default"})
        if not _ID.fullmatch(str(key)):
            raise IndicatorsError(f"{path}:{m.line}: {dim}: member id '{key}' must be lower-case letters and _")
        members[key] = Member(dim, str(key), m["vi"], m["en"], str(m.get("implies", "")), str(m.get("default", "")))
        for term in _terms(path, f"{dim}: {key}: terms", m["terms"] or ["__none__"]):
            if term != "__none__":
                readings.add(term, Reading("member", f"{dim}:{key}"))
    return {"vi": spec["vi"], "en": spec["en"], "members": members}


def _concept(path: Path, key: str, c, dimensions: dict, readings: _Readings) -> Concept:
    where = f"concept '{key}'"
    check_fields(path, where, c, _CONCEPT_FIELDS, _CONCEPT_OPTIONAL)
    if not _ID.fullmatch(str(key)):
        raise IndicatorsError(f"{path}:{c.line}: concept id '{key}' must be lower-case letters, digits and _")
    dims = tuple(c.get("dims") or ())
    bad = [d for d in dims if d not in dimensions]
    if bad:
        raise IndicatorsError(f"{path}:{c.line}: {where}: unknown dimension(s) {', '.join(bad)}")
    for term in _terms(path, f"{where}: terms", c["terms"]):
        readings.add(term, Reading("concept", key))
    for measure in ("growth", "share"):
        for term in _terms(path, f"{where}: {measure}", c.get(measure) or ["__none__"]):
            if term != "__none__":
                readings.add(term, Reading("concept", key, measure))
    return Concept(key, c["vi"], c["en"], c["family"], str(c["unit"]), dims, str(c.get("rate", "")),
                   _direction(path, c), bool(c.get("generic", False)), bool(c.get("yields", False)),
                   tuple(c.get("context") or ()))


def _check_references(path: Path, concepts: dict, dimensions: dict) -> None:
    """Concepts named as context, and by members (implies, default), exist."""
    for key, c in concepts.items():
        unknown = [x for x in c.context if x not in concepts]
        if unknown:
            raise IndicatorsError(f"{path}: concept '{key}': context names unknown concept(s) {', '.join(unknown)}")
    for dim, spec in dimensions.items():
        for m in spec["members"].values():
            for name, value in (("implies", m.implies), ("default", m.default)):
                if value and value not in concepts:
                    raise IndicatorsError(f"{path}: {dim}: {m.key}: {name} unknown concept '{value}'")


def _direction(path: Path, concept) -> str:
    direction = str(concept.get("direction", "higher"))
    if direction not in DIRECTIONS:
        raise IndicatorsError(
            f"{path}:{concept.line}: direction must be one of {', '.join(DIRECTIONS)}, not '{direction}'")
    return direction


def _inner_members(readings: dict[str, list[Reading]]) -> None:
    """Give each concept term the members named inside it ("doanh nghiệp thành lập mới": status new), so that a
    longer term does not hide them."""
    members = ahocorasick.Automaton()
    for term, rs in readings.items():
        keys = tuple(r.key for r in rs if r.kind == "member")
        if keys or any(r.key == "blockers" for r in rs):  # a blocker hides the members inside it here too
            members.add_word(term, (term, keys))
    members.make_automaton()
    for term, rs in readings.items():
        found = []
        for end, (word, keys) in members.iter(term):
            start = end - len(word) + 1
            inside_word = (start and term[start - 1].isalnum()) or (end + 1 < len(term) and term[end + 1].isalnum())
            if word == term or inside_word:
                continue
            found.append((start, end + 1, keys))
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        inner, last = [], 0
        for start, end, keys in found:  # leftmost-longest, as the scan of a text
            if start >= last:
                inner += [k for k in keys if k not in inner]
                last = end
        if inner:
            readings[term] = [Reading(r.kind, r.key, r.measure, tuple(inner)) if r.kind == "concept" else r for r in rs]
