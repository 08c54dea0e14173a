"""Outcomes stated in words: "tốc độ tăng trưởng ngành xây dựng không đạt kế hoạch", "hoàn thành kế hoạch về
số tuyệt đối", "Một số chỉ tiêu thành phần không đạt kế hoạch đề ra (A, B…)".

A reading stage beside the numbers: the outcome words are the members of the vocabulary's ``outcome``
dimension; what they are said of is read with the same vocabulary from, in order, a bracketed list right
after them, the "Chỉ tiêu X:" head of a footnote, a figure stated before them in the clause, or the clause's
own words. Each outcome is tied to an indicator id the document gives figures for where one fits.
Outcomes of a targets section ("phấn đấu hoàn thành kế hoạch") are goals, not outcomes, and are left out;
so are counted targets ("09 chỉ tiêu đạt kế hoạch": a figure, in ``observations``).
"""

from __future__ import annotations

import re
from bisect import bisect_left

import pandas as pd

from indicators.read.mentions import section_context
from indicators.read.resolve import YEARS
from indicators.read.sources import Source
from indicators.read.text import Matches, Sentence
from indicators.read.vocabulary import Vocabulary, normalise

OUTCOME_COLUMNS = ["doc_id", "line", "year", "indicator_id", "outcome", "scope", "subject", "phrase", "quote"]
_COUNTED = re.compile(r"\d+(?:/\d+)?\s+[^\W\d][^,;\d%]{0,40}$")  # "09 chỉ tiêu đạt ...", "15/16 khoản thu đạt ..."
_NUMBER_BEFORE = re.compile(r"\d[\d.,]*\s*%?\s*$")
_GOAL = re.compile(r"\b(?:phấn đấu|phân đấu|mục tiêu là|nhằm|bảo đảm|đảm bảo)\b", re.IGNORECASE)
_PLAN_WORD = re.compile(r"kế hoạch|chỉ tiêu|mục tiêu|dự toán|\bKH\b", re.IGNORECASE)
_LIST_AFTER = re.compile(r"\s*(?:đề ra|được giao|giao|đặt ra)?\s*\(([^()]+)\)")  # (matched at the words' end)
_WORDS_AFTER = re.compile(r"[^,;.(]+")
_MEASURE_AFTER = re.compile(r"\s*về\s+(?:số\s+)?(tỷ lệ|số tuyệt đối|tốc độ tăng)")
_MAX_CLAUSE = 300  # what an outcome is said of (and its quote) is read back at most this far in its clause
_HEAD = re.compile(r"^\s*(?:Chỉ tiêu|Về)\s+([^:;]{3,120}):", re.IGNORECASE)
_MAIN = re.compile(r"chỉ tiêu chủ yếu|chỉ tiêu kinh tế - xã hội|chỉ tiêu chính", re.IGNORECASE)
_COMPONENT = re.compile(r"chỉ tiêu thành phần", re.IGNORECASE)
_MEASURE_WORDS = (("tốc độ tăng", "growth"), ("tăng trưởng", "growth"), ("tỷ lệ", "rate"), ("tỷ trọng", "share"),
                  ("cơ cấu", "share"))


class _Clauses:
    """Where the clauses of a sentence start (after ``;``, ``:`` or ``. ``), and where the words that rule an
    outcome out or in are, found once per sentence."""

    def __init__(self, text: str):
        self.text = text
        self.marks = [i for i, ch in enumerate(text) if ch in ";:"]
        self.stops = [i for i in range(len(text) - 1) if text[i] == "." and text[i + 1] == " "]
        self.goals, self.plans = Matches(_GOAL, text), Matches(_PLAN_WORD, text)

    def start(self, at: int) -> int:
        """Where the clause of ``at`` starts (the last ``;``, ``:`` or ``. `` before it)."""
        i, j = bisect_left(self.marks, at) - 1, bisect_left(self.stops, at - 1) - 1
        cut = max(self.marks[i] if i >= 0 else -1, self.stops[j] if j >= 0 else -1)
        return cut + 1

    def near(self, at: int) -> int:
        """The clause's start, or (in a long clause) a word's start at most ``_MAX_CLAUSE`` characters back."""
        start = self.start(at)
        if at - start <= _MAX_CLAUSE:
            return start
        return self.text.find(" ", at - _MAX_CLAUSE, at) + 1 or at - _MAX_CLAUSE


def read_outcomes(sentences: list[Sentence], source: Source, observations: pd.DataFrame,
                  vocab: Vocabulary) -> pd.DataFrame:
    """The outcomes one document states in words, one row per outcome and what it is said of."""
    figures = _Figures(observations[(observations["doc_id"] == source.doc_id) & (observations["kind"] != "plan")])
    rows = []
    for sentence in sentences:
        year, role = section_context(sentence.section)
        if sentence.kind == "heading" or (role or _role(source)) == "targets":
            continue
        year = year or (source.results_years[0] if source.results_years else None)
        if year is None:
            continue
        clauses = _Clauses(sentence.text)
        for outcome, start, end in _phrases(sentence.text, clauses, vocab):
            for subject, at in _subjects(sentence, clauses, start, end):
                rows.append({
                    "doc_id": source.doc_id, "line": sentence.line_at(at), "year": year,
                    "indicator_id": _indicator(subject, figures, year, vocab), "outcome": outcome,
                    "scope": _scope(sentence), "subject": subject, "phrase": sentence.text[start:end],
                    "quote": re.sub(r"\s+", " ", sentence.text[clauses.near(start):end]).strip(),
                })
    frame = pd.DataFrame(rows, columns=OUTCOME_COLUMNS).astype({"line": int, "year": "Int64"})
    frame = frame[frame["year"].between(*YEARS)]  # (an outcome of 1975 is no year the tables hold)
    return frame.drop_duplicates(["doc_id", "year", "indicator_id", "outcome", "subject"], ignore_index=True)


def _role(source: Source) -> str:
    return "targets" if source.target_years and not source.results_years else "results"


def _phrases(text: str, clauses: _Clauses, vocab: Vocabulary):
    """The outcome words of a sentence that are not a figure's ("vượt 38,9% kế hoạch", "09 chỉ tiêu đạt ...")."""
    for hit in vocab.scan(text):
        members = [r.key.split(":")[1] for r in hit.of("member") if r.key.startswith("outcome:")]
        if not members:
            continue
        start = clauses.start(hit.start)
        near = max(start, hit.start - 100)  # (the patterns that end at the words need far fewer characters)
        if (_NUMBER_BEFORE.search(text, near, hit.start) or _COUNTED.search(text, near, hit.start)
                or clauses.goals.within(start, hit.start)):
            continue
        if not (_PLAN_WORD.search(hit.term) or _PLAN_WORD.match(text[hit.end:hit.end + 12].strip())
                or clauses.plans.within(start, hit.start) or _HEAD.match(text)):
            continue  # "chưa đạt yêu cầu" is not an outcome against a plan
        yield members[0], hit.start, hit.end


def _subjects(sentence: Sentence, clauses: _Clauses, start: int, end: int) -> list[tuple[str, int]]:
    """What the outcome is said of: a bracketed list after it, else the footnote's head, else its clause."""
    text = sentence.text
    listed = _LIST_AFTER.match(text, end)
    if listed:
        offset = listed.start(1)
        items = [(m.group().strip(" .…"), offset + m.start()) for m in re.finditer(r"[^,;…]+", listed.group(1))]
        return [(item, at) for item, at in items if len(item) > 3]
    head = _HEAD.match(text)
    clause = text[clauses.near(start):start].strip(" ,")
    if head and (sentence.kind == "footnote" or not clause or start - head.end() < 40):  # "Chỉ tiêu X: ..."
        return [(head.group(1).strip() + _measure_after(text, end), head.start(1))]
    if len(re.findall(r"[^\W\d_]{2,}", clause)) < 2:  # "Dù không đạt kế hoạch song vẫn tăng trưởng kinh tế ..."
        after = _WORDS_AFTER.match(text, end)
        return [(after.group().strip(), end)] if after else []
    return [(clause, clauses.near(start))]


def _measure_after(text: str, end: int) -> str:
    """"dẫn đến không đạt về số tỷ lệ": the words after the outcome that say which measure it is of."""
    after = _MEASURE_AFTER.match(text, end)
    return f" ({after.group(1)})" if after and after.group(1) != "số tuyệt đối" else ""


def _scope(sentence: Sentence) -> str:
    """main: said of the main targets (in the footnote of their count); component: of component targets."""
    where = f"{sentence.context} {sentence.text}" if sentence.kind == "footnote" else sentence.text
    if sentence.kind == "footnote" and re.search(r"\d+\s*chỉ tiêu", sentence.context) or _MAIN.search(where):
        return "main"
    return "component" if _COMPONENT.search(where) else ""


def _concepts(hits, subject: str, vocab: Vocabulary) -> list:
    """The concepts a subject names, the one it is said of first: not a catch-all noun, not "chỉ tiêu"; a word that
    is also a breakdown member ("CCN") gives way to a concept that takes that member; of "A và B", B."""
    found = []
    for h in hits:
        for r in h.of("concept"):
            if vocab.concepts[r.key].generic or r.key == "targets":
                continue
            dims = {m.key.split(":")[0] for m in h.of("member")}
            others = [o for g in hits if g is not h for o in g.of("concept")]
            if dims and any(dims & set(vocab.concepts[o.key].dims) for o in others):
                continue
            found.append((h.start, r))
    if len(found) > 1 and " và " in subject[found[0][0]:found[-1][0]]:
        found.reverse()
    return [r for _, r in found]


class _Figures:
    """The figures (not plans) of a document by concept and year, and which of their ids a composed id is tied to."""

    def __init__(self, observations: pd.DataFrame):
        self.by_concept = dict(list(observations.groupby(["concept", "year"])))
        self.tied: dict[tuple, str] = {}

    def tie(self, concept: str, year: int, composed: str, breakdown: str, measure: str) -> str:
        """The id a document gives figures for: the composed one, else one of the same concept and breakdown
        (of the measure, where there are several)."""
        key = (concept, year, composed, breakdown, measure)
        if key not in self.tied:
            same = self.by_concept.get((concept, year))
            if same is None or composed in set(same["indicator_id"]):
                self.tied[key] = composed
            else:
                fits = same[same["breakdown"].fillna("") == breakdown]
                fits = fits[fits["measure"] == ("rate" if measure == "rate" else measure)] if len(fits) > 1 else fits
                self.tied[key] = str(fits["indicator_id"].iloc[0]) if len(fits) else composed
        return self.tied[key]


def _indicator(subject: str, figures: _Figures, year: int, vocab: Vocabulary) -> str:
    """The indicator the words name: concept, members and measure from the vocabulary, tied to an id the
    document gives figures for (the same concept and breakdown, the measure the words say)."""
    hits = vocab.scan(subject)
    members = {}
    for h in hits:
        for r in h.of("member"):
            dim, key = r.key.split(":")
            members.setdefault(dim, key)
    concepts = _concepts(hits, subject, vocab)
    norm = normalise(subject)
    measure = next((m for words, m in _MEASURE_WORDS if words in norm), "level")
    if concepts:
        reading = concepts[0]
        measure = reading.measure or measure
        concept = reading.key
    else:
        defaults = [vocab.member(d, k).default for d, k in members.items() if vocab.member(d, k).default]
        if not defaults:
            return ""
        concept = defaults[0]
    if measure == "rate" and not vocab.concepts[concept].rate:
        measure = "level"  # "tỷ lệ hộ nghèo": the concept is a rate already
    dims = vocab.concepts[concept].dims
    members = {d: k for d, k in members.items() if d in dims}
    breakdown = ";".join(f"{d}={members[d]}" for d in vocab.dim_order if d in members)
    return figures.tie(concept, year, vocab.compose(concept, members, measure), breakdown, measure)
