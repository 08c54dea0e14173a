"""Resolution: each quantity mention → concept × breakdown members × measure, or a reason why not.

The words that say what a number measures are looked for in widening circles, nearest first:

1. its own words: the subject before it (``lead``) and the noun after it ("403 DN", "10 nghìn ha rừng
   tập trung"); a concept whose unit fits the number's unit wins, a catch-all noun ("vụ việc") gives way;
2. the figure whose subject it shares ("3.400 USD, tăng 15,3%": the growth of GRDP per capita);
3. its clause, then the sentence before its clause;
4. the sentence before (or, for a footnote, the sentence its mark is in) when the sentence continues it
   ("Trong đó, ...", "Riêng ...") or refers back to it ("khu vực này", "ngành này");
5. the section headings, innermost first.

Breakdown members (sector, ownership, source, component, area, ...) are taken from the same circles,
nearest first for each dimension, for the dimensions the concept accepts; "lần lượt" (respectively)
gives the k-th member to the k-th figure. The measure comes from the mention's cue, refined by the
words of the concept (a term that names growth, "đóng góp", a percentage of a count is a rate). A
figure of the country or of another province, or of a part of the year, is marked so; a number no
concept claims is left unresolved with its reason. Nothing here knows an indicator id: ids are
composed from the parts (:meth:`indicators.vocabulary.Vocabulary.compose`).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from indicators.read.docinfo import period_of
from indicators.read.mentions import Mention
from indicators.read.numbers import find_unit
from indicators.read.sources import Source
from indicators.read.text import Matches, Sentence
from indicators.read.vocabulary import Hit, Reading, Vocabulary, normalise

# Units that count things: a count concept's level can be written with any of them.
COUNT_UNITS = {"count", "projects", "enterprises", "workers", "people", "visitors", "products", "communes", "districts",
               "households", "targets", "head", "criteria per commune", "per 10,000 people"}
_UNIT_TAGS = {"bn VND": "vnd", "mn USD": "usd", "USD": "usd", "%": "pct", "count": "count", "ha": "ha",
              "tonnes": "tonnes", "km": "km", "m2": "m2", "m3": "m3", "times": "times", "points": "points", "pp": "pp",
              "ranks": "ranks"}
_CUE_MEASURE = {"level": "level", "target": "level", "count": "level", "attainment": "level", "growth": "growth",
                "decline": "decline", "share": "share", "pp_change": "pp_change", "change": "change", "ratio": "ratio",
                "multiple": "multiple", "rank": "rank"}
_RESPECTIVELY = re.compile(r"\blần lượt\b", re.IGNORECASE)
_CONTRIBUTION = re.compile(r"\bđóng góp\b", re.IGNORECASE)
_PLAN_GAP = re.compile(r"\b(?:cao|thấp)\s+hơn\s*$", re.IGNORECASE)
_PLAN_REF = re.compile(r"^\s*(?:%\s*)?(?:so với\s+)?(?:kế hoạch|kh\b|chỉ tiêu|mục tiêu)", re.IGNORECASE)
_SEGMENT = re.compile(r"[,;:(]")
_BREAKDOWN = re.compile(r"\b(?:trong đó|bao gồm|gồm)\b", re.IGNORECASE)
_OPENER = re.compile(r"\b(?:đảm bảo|bảo đảm|phấn đấu|phân đấu|duy trì|nâng|tăng cường|đẩy mạnh|tỷ lệ|tỷ trọng)\s",
                     re.IGNORECASE)
_NATIONAL_REFERENCE = re.compile(r"\s*(?:lần|%)?\s*(?:so với\s+)?(?:mức\s+)?(?:bình quân (?:chung )?)?(?:của )?cả nước")
_LOCAL_DIMS = {"flow", "outcome", "quality"}  # said of one figure only, never carried over to the next
_ADDED = re.compile(r"\btăng thêm\s*$", re.IGNORECASE)
_WITH = re.compile(r"\b(?:với|có)\s")
_SAID = re.compile(r"[^,;.()]{0,40}")
# year: the whole year (or a stock at its end); q1-q4: a quarter alone; h2: the second half; 1m-11m: the first
# months; month: one month (``as_of`` says which); ytd: the year so far; stock: at a date (``as_of``)
PERIODS = ("year", "q1", "q2", "q3", "q4", "h2", *(f"{n}m" for n in range(1, 12)), "month", "ytd", "stock",
           "multi_year")  # multi_year: an average over several years (``as_of``: the span, "2021-2025")
TERRITORIES = ("bac_giang", "bac_ninh", "district", "commune")
YEARS = (1990, 2100)  # the years a figure can be for (the tables' schema holds no other)
MERGER = "2025-07-01"  # Bắc Giang and Bắc Ninh one province named Bắc Ninh (README "Territory")
_DATE_AFTER = re.compile(r"\s*(?:hết\s+)?(?:ngày\s*)?(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*((?:19|20)\d\d))?")
_MONTH_NUMBER = re.compile(r"\d{1,2}")
# an average over years: "bình quân 13,2%/năm", "tăng bình quân ... giai đoạn 2021-2025", "bình quân mỗi năm"
_AVERAGE = re.compile(r"\bbình quân\b|\btrung bình\b", re.IGNORECASE)
_PER_YEAR = re.compile(r"\s*(?:%|điểm phần trăm)?\s*(?:/\s*năm|mỗi năm|một năm|hằng năm|hàng năm)\b", re.IGNORECASE)
_ONE_YEAR = re.compile(r"\bnăm\s+(?:19|20)\d\d\b(?!\s*[-–])", re.IGNORECASE)
_SPAN = re.compile(r"(?:giai đoạn|thời kỳ|thời gian|trong)\s+((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)", re.IGNORECASE)
_HEADER_CELL = re.compile(r"(?:stt|tt|chỉ tiêu|đơn vị(?: tính)?|đvt|nội dung|ghi chú|thực hiện|so với|so cùng kỳ"
                          r"|kế hoạch|ước thực hiện|ước)\b")
# a group the province is in, by another measure than its subject's: "nhóm 05 tỉnh thành có tỷ lệ ... cao nhất"
_GROUP_OF = re.compile(r"\s*(?:tỉnh|địa phương)[^,;.()\d]{0,25}?\s(?:có|với)\s", re.IGNORECASE)
_ALONE = re.compile(r"[\s%|+\-]*")
_CELL_GAP = re.compile(r"[\s|%]*")
_DISTRICT_ISSUER = re.compile(r"^UBND (?:huyện|thị xã|thành phố) (.+)$")
_LABEL_WORDS = re.compile(r"[^\W\d_]{2,}|\d")  # words between a header row's column names
_NAME = re.compile(r"\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ]"
                   r"[^\W\d_]*\s?){1,3})")
REASONS = {
    "no_concept": "no concept of the vocabulary names what the number measures",
    "national": "a figure of the whole country (or a region), not of the province",
    "other_province": "a figure of another province",
    "no_year": "no year for the figure (or one before 1990 or after 2100)",
    "ambiguous": "the words leave the indicator in doubt (a table row whose label names no concept of its own)",
}


@dataclass(slots=True)
class Resolution:
    mention: Mention
    concept: str = ""
    members: dict[str, str] = field(default_factory=dict)
    measure: str = "level"
    whole: str = ""  # for a share: the concept it is a share of, when another
    reference: str = ""  # for a multiple or ratio: "national" when against the country's figure
    unit_tag: str = ""
    period: str = "year"
    as_of: str = ""  # for a month, which (YYYY-MM); for a stock, its date
    territory: str = "bac_giang"
    place: str = ""  # the district's or commune's name
    scope: str = "province"
    kind: str = ""  # actual, estimate, plan, attainment: the mention's, or its total's for a part of it
    reason: str = ""
    source: str = ""  # where the concept was read: own, chain, clause, sentence, previous, section
    indicator_id: str = ""

    @property
    def resolved(self) -> bool:
        return not self.reason

    @property
    def breakdown(self) -> str:
        return ";".join(f"{d}={m}" for d, m in self.members.items())


@dataclass
class _Context:
    """What one mention's resolution works with."""

    m: Mention
    cur: _Sentence
    prev: _Sentence | None
    by_id: dict
    measure: str
    members: dict = field(default_factory=dict)  # dim -> (distance, member, where)
    whole: str = ""
    earlier: Resolution | None = None

    @property
    def level_measure(self) -> bool:
        return self.measure == "level" and self.m.cue != "attainment"

    @property
    def lead(self) -> str:
        return self.cur.sentence.text[self.m.lead_start:self.m.start]


class _Sentence:
    """A sentence's vocabulary hits (scanned once) and what its figures resolved to, both indexed for what a figure
    asks of the words and figures before it (so that a long sentence is not read again for each of its figures)."""

    def __init__(self, sentence: Sentence, vocab: Vocabulary):
        self.sentence = sentence
        self.hits = vocab.scan(sentence.text)
        self.starts = [h.start for h in self.hits]
        self.named = {r.key for h in self.hits for r in h.of("concept")}  # the concepts the sentence names
        self.resolutions: list[Resolution] = []
        self.with_concept: dict[int, dict[int, Resolution]] = {}  # clause -> depth -> the last with a concept
        self.with_dim: dict[str, Resolution] = {}  # dimension -> the last with a concept and a member of it
        self.of_concept: dict[str, Resolution] = {}  # concept -> the last of it
        self.after_respectively: Counter = Counter()  # (clause, unit, cue group) after the clause's "lần lượt"
        self.listed: dict[tuple[int, int], dict[str, list[str]]] = {}  # the members listed before a "lần lượt"
        self.rows: dict[int, list[int]] = {}  # line -> the figures on it, in order (the cells of a table row)
        self._by_id: dict[int, Mention] = {}
        self.carry = ""  # the part of the year it passes on to the next sentence (Resolver.carry)
        self.wholes: dict[tuple[str, str], str] = {}  # the wholes (no breakdown) of its paragraph so far, and kinds

    def within(self, lo: int, hi: int) -> list[Hit]:
        """The hits that start in ``[lo, hi)``."""
        return self.hits[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]

    def add(self, res: Resolution) -> None:
        m = res.mention
        self.resolutions.append(res)
        if res.concept:
            self.with_concept.setdefault(m.clause, {})[m.depth] = res
            self.with_dim.update(dict.fromkeys(res.members, res))
            self.of_concept[res.concept] = res
        at = self.respectively.first(m.clause_start)
        if at is not None and m.start > at:
            self.after_respectively[(m.clause, m.unit, _cue_group(m.cue))] += 1

    def collected(self, lo: int, hi: int) -> dict[str, tuple[str, int]]:
        """``Resolver._collected(self.within(lo, hi), reverse=True)``: for each dimension the member of the last hit
        in ``[lo, hi)`` that names one, nearest first."""
        a, b = bisect_left(self.starts, lo), bisect_left(self.starts, hi)
        found = []
        for dim, (indices, entries) in self._members.items():
            j = bisect_left(indices, b) - 1
            if j >= 0 and indices[j] >= a:
                key, order = entries[j]
                found.append((-indices[j], order, dim, key))
        return {dim: (key, self.hits[-i].start) for i, _, dim, key in sorted(found)}

    @cached_property
    def _members(self) -> dict[str, tuple[list[int], list[tuple[str, int]]]]:
        """dimension -> the hits that name a member of it (their index) and the member (the first they name)."""
        out: dict[str, tuple[list[int], list[tuple[str, int]]]] = {}
        for i, hit in enumerate(self.hits):
            for order, reading in enumerate(hit.of("member")):
                dim, key = reading.key.split(":")
                indices, entries = out.setdefault(dim, ([], []))
                if not indices or indices[-1] != i:
                    indices.append(i)
                    entries.append((key, order))
        return out

    @cached_property
    def member_hits(self) -> list[int]:
        return [i for i, h in enumerate(self.hits) if h.of("member")]

    @cached_property
    def anaphora(self) -> list[int]:
        return [h.start for h in self.hits if h.of("marker") and h.of("marker")[0].key == "anaphora"]

    @cached_property
    def periods(self) -> tuple[list[int], list[Hit], list[str]]:
        """Where the periods the sentence names are (parts of a year, and the whole year), their hits and keys."""
        found = []
        for hit in self.hits:
            for r in hit.of("marker"):
                if r.key.startswith("period:") or r.key == "whole_year":
                    found.append((hit.start, hit, r.key.split(":", 1)[1] if ":" in r.key else "year"))
                    break
        return [a for a, _, _ in found], [h for _, h, _ in found], [k for _, _, k in found]

    @cached_property
    def header(self) -> tuple[int, list[tuple[Hit, str]]] | None:
        """A table's header row in the sentence: the first line that names two periods or two territories or more
        ("Quý I  Quý II  Quý III  Quý IV  Cả năm"; "Bắc Ninh (mới)  Bắc Giang (cũ)  Bắc Ninh (cũ)"), its line and
        its columns (hit, "period:q1" / "territory:bac_giang" / "period:year")."""
        lines: dict[int, list[tuple[Hit, str]]] = {}
        for hit in self.hits:
            for r in hit.of("marker"):
                if r.key.startswith(("period:", "territory:")) or r.key == "whole_year":
                    key = "period:year" if r.key == "whole_year" else r.key
                    lines.setdefault(self.sentence.line_at(hit.start), []).append((hit, key))
                    break
        for line, columns in sorted(lines.items()):
            kinds = {k.split(":")[0] for _, k in columns}
            if len(columns) < 2 or len(kinds) > 1 or len({k for _, k in columns}) < len(columns):
                continue
            text, line_map = self.sentence.text, self.sentence.line_map
            words = text[bisect_left(line_map, line):bisect_left(line_map, line + 1)]
            for hit, _ in columns:
                words = words.replace(text[hit.start:hit.end], " ")
            if len(_LABEL_WORDS.findall(words)) <= 4:
                return line, columns  # (a row of labels: the columns' names, "STT", "Chỉ tiêu", "Đơn vị")
        return None

    def column(self, m: Mention, kind: str) -> tuple[Hit, str] | None:
        """The header column of a figure in a table row (numbers counted from the right: a row's first may be its
        number in the list), of the kind asked for."""
        if not self.header or m.line <= self.header[0] or not self.header[1][0][1].startswith(kind):
            return None
        row, columns = self.rows.get(m.line, []), self.header[1]
        if len(row) < 2 or len(row) > len(columns) + 1:
            return None
        k = len(columns) - (len(row) - row.index(m.mention_id))
        return columns[k] if 0 <= k < len(columns) else None

    def row_of(self, m: Mention) -> list[int] | None:
        """The figures of a table row a figure is a cell of (under a header row), else None."""
        if not self.header or m.line <= self.header[0]:
            return None
        row = self.rows.get(m.line, [])
        if not 2 <= len(row) <= len(self.header[1]) + 1:
            return None
        if row != self._spaced.get(m.line, row):
            return None
        return row

    @cached_property
    def _spaced(self) -> dict[int, list[int]]:
        """line -> its figures if they stand apart as cells (nothing but spaces or bars between them), else []."""
        out = {}
        for line, ids in self.rows.items():
            ms = [self._by_id[i] for i in ids]
            gaps = [self.sentence.text[a.numeral_end:b.start] for a, b in zip(ms, ms[1:], strict=False)]
            out[line] = ids if all(_CELL_GAP.fullmatch(g) for g in gaps) else []
        return out

    def alone(self, m: Mention) -> bool:
        """Whether the figure stands alone on its line (a cell of a table flattened one cell per line)."""
        line_map = self.sentence.line_map
        words = self.sentence.text[bisect_left(line_map, m.line):bisect_left(line_map, m.line + 1)]
        return bool(_ALONE.fullmatch(words.replace(m.text, "", 1)))

    def label_line(self, m: Mention) -> int:
        """Where the label of a flattened table's cell starts: after the figure before it in the sentence (the row
        above), else after the header's last line ("Chỉ tiêu", "Đơn vị", "So với cùng kỳ (%)")."""
        line_map, text = self.sentence.line_map, self.sentence.text
        before = [r.mention for r in self.resolutions if r.mention.line < m.line]
        if before:
            return bisect_left(line_map, before[-1].line + 1)
        start = bisect_left(line_map, self.sentence.line_start)
        for line in range(self.sentence.line_start, m.line):
            words = normalise(text[bisect_left(line_map, line):bisect_left(line_map, line + 1)].strip())
            if _HEADER_CELL.match(words):
                start = bisect_left(line_map, line + 1)
        return start

    def row_number(self, m: Mention) -> bool:
        """A small whole number before any word of its line: the row's number in a list ("1  Tốc độ tăng GRDP")."""
        line_start = bisect_left(self.sentence.line_map, m.line)
        return m.text.isdigit() and len(m.text) <= 2 and not self.sentence.text[line_start:m.start].strip()

    def own_wholes(self) -> dict[tuple[str, str], str]:
        """(concept, measure) -> kind of the figures of the sentence so far that are of no breakdown."""
        return {(r.concept, r.measure): r.kind for r in self.resolutions if r.resolved and not r.members
                and r.mention.cue != "attainment"}

    @cached_property
    def territories(self) -> list[Hit]:
        return [h for h in self.hits if any(r.key.startswith("territory:") for r in h.of("marker"))]

    @cached_property
    def semicolons(self) -> list[int]:
        return [i for i, ch in enumerate(self.sentence.text) if ch == ";"]

    @cached_property
    def respectively(self) -> Matches:
        return Matches(_RESPECTIVELY, self.sentence.text)

    @cached_property
    def with_words(self) -> Matches:
        return Matches(_WITH, self.sentence.text)

    @cached_property
    def breakdown(self) -> re.Match | None:
        return _BREAKDOWN.search(self.sentence.text)

    @cached_property
    def total_before_breakdown(self) -> Resolution | None:
        """The first level before "trong đó" (asked once every figure before it is resolved)."""
        marker = self.breakdown
        return next((r for r in self.resolutions if r.mention.start < marker.start() and r.measure == "level"
                     and r.mention.cue != "attainment"), None)

    @cached_property
    def first_level(self) -> Resolution | None:
        """(Of a sentence resolved whole, as the one before the one being resolved.)"""
        return next((r for r in self.resolutions if r.measure == "level" and r.mention.cue != "attainment"), None)

    @cached_property
    def first_resolved(self) -> Resolution | None:
        return next((r for r in self.resolutions if r.concept and r.resolved), None)


def _cue_group(cue: str) -> str:
    return "change" if cue in ("growth", "decline", "pp_change", "change") else "level"


def _latest(resolutions) -> Resolution | None:
    return max(resolutions, key=lambda r: r.mention.mention_id, default=None)


def _unit_fit(concept_unit: str, unit: str) -> int:
    """2: the number is written in the concept's unit; 1: as a rate of a count; 0: not."""
    if concept_unit == unit or (concept_unit in COUNT_UNITS and (unit in COUNT_UNITS or not unit)):
        return 2
    if unit == "%" and concept_unit in COUNT_UNITS:
        return 1
    if {concept_unit, unit} <= {"mn USD", "USD"} or {concept_unit, unit} == {"bn VND", "mn USD"}:
        return 1
    return 0


class Resolver:
    def __init__(self, vocab: Vocabulary, source: Source | None = None):
        self.vocab = vocab
        period = source.period if source is not None else "year"
        self.doc_month = int(period[6:]) if period.startswith("month-") else 0
        self.doc_period = "month" if self.doc_month else period
        self.issued = source.issued if source is not None else ""
        self.merged = self.issued >= MERGER  # (ISO dates compare as text)
        self.targets_only = source is not None and not source.results_years
        district = _DISTRICT_ISSUER.search(source.issuer) if source is not None else None
        self.district = district.group(1) if district else ""  # a district's document: its figures are its own
        self._section_periods: dict[str, tuple[str, str] | None] = {}
        self._said = False  # whether the period of the figure being resolved is said in its sentence
        self._sections: dict[str, list[tuple[str, list[Hit]]]] = {}
        self._named: set[str] | None = None  # the concepts the current sentence names

    # ------------------------------------------------------------------ finding concepts
    def _fit(self, reading: Reading, m: Mention, level_measure: bool) -> int:
        if not level_measure:
            return 2
        if reading.measure:
            return 2 if m.unit == self.vocab.measures[reading.measure].get("unit", m.unit) else 0
        return _unit_fit(self.vocab.concepts[reading.key].unit, m.unit)

    def _candidates(self, hits: list[Hit], m: Mention, level_measure: bool, *, pure_first: bool = True):
        """(hit, reading, fit) for every concept reading in ``hits``, left to right; words that also name a
        breakdown member ("KCN": industrial parks, or the zone of a figure) after those that only name a concept."""
        out = [(hit, reading, self._fit(reading, m, level_measure)) for hit in hits for reading in self._readings(hit)]
        return sorted(out, key=lambda c: bool(c[0].of("member"))) if pure_first else out

    def _readings(self, hit: Hit) -> list[Reading]:
        """The concept readings of a word, the one whose context is named in the sentence first and one whose
        context is not named last ("tổng vốn đầu tư": of the projects the sentence counts, else of the province)."""
        readings = hit.of("concept")
        if len(readings) < 2 or self._named is None:
            return readings

        def rank(reading):
            context = self.vocab.concepts[reading.key].context
            return 1 if not context else (0 if set(context) & self._named else 2)

        return sorted(readings, key=rank)

    def _pick(self, candidates, *, generic=False, yields=None, unfit=False):
        for hit, reading, fit in candidates:
            concept = self.vocab.concepts[reading.key]
            if (fit == 0) != unfit or concept.generic != generic:
                continue
            if yields is not None and concept.yields != yields:
                continue
            return hit, reading
        return None

    def _best(self, hits, m, *, level_measure, unfit=False):
        """The leftmost concept that fits the number (the head of a Vietnamese noun phrase is its first word);
        a noun that is usually only counted gives way to any other."""
        candidates = self._candidates(hits, m, level_measure)
        if level_measure:
            candidates = sorted(candidates, key=lambda c: -c[2])
        return self._pick(candidates, yields=False, unfit=unfit) or self._pick(candidates, yields=True, unfit=unfit)

    def _section_hits(self, section: str) -> list[tuple[str, list[Hit]]]:
        if section not in self._sections:
            headings = [h for h in section.split(" › ") if h]
            self._sections[section] = [(h, self.vocab.scan(h)) for h in reversed(headings)]
        return self._sections[section]

    @staticmethod
    def _own_start(cur: _Sentence, m: Mention) -> int:
        """Where a figure's own words start: its subject, after any lead-in ending with a colon."""
        lead = cur.sentence.text[m.lead_start:m.start]
        return max(m.subject_start, m.lead_start + lead.rfind(":") + 1, m.lead_start)

    def _own_hits(self, cur: _Sentence, m: Mention, is_share: bool) -> tuple[list[Hit], list[Hit]]:
        text = cur.sentence.text
        lead_hits = cur.within(self._own_start(cur, m), m.start)
        # the subject of the verb before the number starts after the last verb of the lead that opens a new
        # noun phrase: "... hồ sơ giải quyết trực tuyến đảm bảo | tỷ lệ dịch vụ công trực tuyến ... đạt 95%"
        for opener in reversed(list(_OPENER.finditer(text, self._own_start(cur, m), m.start))):
            after = [h for h in lead_hits if h.start >= opener.start()]
            if any(h.of("concept") for h in after):
                lead_hits = after
                break
        tail_hits = [] if is_share else cur.within(m.numeral_end, _tail_end(text, m))
        return lead_hits, tail_hits

    def _own(self, cur: _Sentence, m: Mention, level_measure: bool, is_share: bool, *, unfit: bool = False):
        """The concept of a figure's own words: a specific noun after it, else its subject, else what a member
        of its subject implies ("thu nội địa"), else a noun that is usually only counted ("lao động")."""
        lead_hits, tail_hits = self._own_hits(cur, m, is_share)
        tail = self._candidates(tail_hits, m, level_measure, pure_first=False)
        head = self._candidates(lead_hits, m, level_measure)
        for choice in (
            self._pick(tail, yields=False, unfit=unfit),
            self._pick(head, yields=False, unfit=unfit),
            None if unfit else self._implied(lead_hits + tail_hits),
            self._pick(head, yields=True, unfit=unfit),
            self._pick(tail, yields=True, unfit=unfit),
        ):
            if choice:
                return choice
        return None

    def _generic(self, cur: _Sentence, m: Mention, level_measure: bool):
        text = cur.sentence.text
        hits = cur.within(m.numeral_end, _tail_end(text, m)) + cur.within(m.subject_start, m.start)
        return self._pick(self._candidates(hits, m, level_measure), generic=True)

    # ------------------------------------------------------------------ one mention
    def resolve(self, m: Mention, cur: _Sentence, prev: _Sentence | None, by_id: dict[int, Resolution]) -> Resolution:
        res = Resolution(m, kind=m.kind)
        text = cur.sentence.text
        self._named = cur.named
        lead_hits = cur.within(m.lead_start, m.start)
        self._when_and_where(res, cur, prev, by_id, lead_hits)
        m = res.mention
        if m.year is None or not YEARS[0] <= int(m.year) <= YEARS[1]:
            res.reason = "no_year"  # "Năm 1975, sản lượng lương thực ...": no year the tables hold
            return res
        label_cell, done = self._table_cell(res, cur, by_id)
        if done is not None:
            return done
        if label_cell:
            m, lead_hits = res.mention, cur.within(res.mention.lead_start, res.mention.start)
        measure = _CUE_MEASURE.get(m.cue, "level")
        if m.cue in ("decline", "growth") and _PLAN_GAP.search(text[m.lead_start:m.start]) \
                and _PLAN_REF.match(text[m.numeral_end:m.end + 1]):
            measure = "plan_gap" if m.cue == "growth" else "plan_shortfall"
        ctx = _Context(m, cur, prev, by_id, measure)
        tail_hits = cur.within(m.numeral_end, _tail_end(text, m))
        said = _SAID.match(text, m.numeral_end)  # "08 chỉ tiêu vượt kế hoạch": what the count is of
        self._collect(ctx.members, [h for h in cur.within(m.numeral_end, said.end())
                                    if any(r.key.startswith("outcome:") for r in h.of("member"))], 0)
        self._collect(ctx.members, lead_hits, 0, reverse=True)  # "09 chỉ tiêu đạt kế hoạch và 08 chỉ tiêu vượt ..."
        self._collect(ctx.members, tail_hits, 0)
        if measure == "share":
            whole_hit = self._best(cur.within(m.numeral_end, m.end), m, level_measure=False)
            ctx.whole = whole_hit[1].key if whole_hit else ""
        reading, res.source = self._concept(ctx)
        labelled = res.source == "own" or any(v[0] == 0 for v in ctx.members.values())  # the row's own words
        if reading is None or (label_cell and not labelled):
            res.reason = "ambiguous" if reading is not None else "no_concept"  # (a row's label names no concept)
            return res
        res.concept = reading.key
        concept = self.vocab.concepts[res.concept]
        for inner in reading.members:  # the members the concept's own words name ("đàn lợn")
            dim, key = inner.split(":")
            ctx.members.setdefault(dim, (0, key, None))
        if reading.measure and ctx.measure == "level" and m.cue != "attainment" and (
                reading.measure != "share" or m.unit == "%"):
            ctx.measure = reading.measure  # "tăng trưởng kinh tế đạt 19,3%", "cơ cấu kinh tế: ..."
        self._more_members(ctx, concept)
        res.members = self._members(ctx.members, concept)
        res.measure, res.unit_tag = self._measure(ctx, concept, res.members)
        if res.measure in ("multiple", "ratio") and self._national_reference(text, m):
            res.reference = "national"
        res.whole = ctx.whole if ctx.whole and ctx.whole != res.concept else ""
        if "area" in res.members and res.territory in ("bac_giang", "bac_ninh"):  # a district's figure
            area = res.members["area"]
            res.territory, res.place = "district", self.vocab.member("area", area).vi
        res.kind = self._kind(cur, prev, m, res)
        self._period_by_kind(res)
        if res.measure == "rank" and _GROUP_OF.match(text, m.numeral_end):
            res.reason = "ambiguous"  # "trong nhóm 05 tỉnh có tỷ lệ DN FDI mở rộng cao nhất": a rank in something else
            return res
        if res.scope != "province":
            res.reason = res.scope if res.scope in REASONS else "national"
        return res

    def _when_and_where(self, res: Resolution, cur: _Sentence, prev: _Sentence | None, by_id: dict,
                        lead_hits: list[Hit]) -> None:
        """The figure's period and territory (and whether it is the country's or another province's)."""
        m = res.mention
        res.period, res.as_of = self._period(cur, prev, m, by_id)
        if res.period == "multi_year" and res.as_of:  # the average's year is its span's last
            res.mention = m = dataclasses.replace(m, year=int(res.as_of[-4:]))
        res.scope = self._scope(cur.sentence.text, m, lead_hits)
        if res.scope == "province":
            res.territory, res.place = self._territory(cur, m, by_id)
            if res.territory == "other_province":
                res.scope, res.territory = "other_province", "bac_giang"

    def _period_by_kind(self, res: Resolution) -> None:
        """Where the period was not said in the sentence: a target stated in a report on part of the year is the
        year's; a fact of today in a text of targets ("với dân số ...") a stock at its date."""
        if res.kind == "plan" and res.period != "year" and not self._said:
            res.period, res.as_of = "year", ""
        elif (res.kind in ("actual", "estimate") and res.period == "year" and not self._said and self.targets_only
              and self._before_year_end(res.mention)):
            res.period, res.as_of = "stock", self.issued

    def _table_cell(self, res: Resolution, cur: _Sentence, by_id: dict) -> tuple[bool, Resolution | None]:
        """A cell of a table: (whether its words are only its row's label, the resolution if already done). A row
        under a header row is read by :meth:`_row_cell`; a cell of a table flattened one cell per line reads the
        label between the row above and it."""
        m = res.mention
        row = cur.row_of(m)
        if row is not None:
            return True, self._row_cell(res, cur, row, by_id)
        if not cur.alone(m):
            return False, None
        start = cur.label_line(m)
        res.mention = dataclasses.replace(m, lead_start=start, subject_start=start, head_id=m.mention_id,
                                          clause=-m.mention_id)
        return True, None

    def _row_cell(self, res: Resolution, cur: _Sentence, row: list[int], by_id: dict) -> Resolution | None:
        """A cell of a table row: the row's number is no figure; the cell after the row's label is read from the
        label alone (its mention narrowed to the label, in ``res``; None returned); the others take its reading."""
        m = res.mention = _row_unit(cur, res.mention)
        numbered = len(row) > len(cur.header[1])
        if numbered and row[0] == m.mention_id or cur.row_number(m):
            res.reason = "no_concept"  # the row's number in the list ("1", "a")
            return res
        head = by_id.get(row[0])
        label = row[1] if numbered or (head is not None and cur.row_number(head.mention)) else row[0]
        first = by_id.get(label)
        if first is not None and not first.resolved:
            res.reason = first.reason if first.reason == "ambiguous" else "no_concept"
            return res
        if label == m.mention_id or first is None:
            line_start = bisect_left(cur.sentence.line_map, m.line)  # its words: the row's label only
            res.mention = dataclasses.replace(m, lead_start=line_start, subject_start=line_start,
                                              head_id=m.mention_id, clause=-m.mention_id)  # (nothing to chain to)
            return None
        res.concept, res.members, res.measure, res.unit_tag = (first.concept, dict(first.members), first.measure,
                                                               first.unit_tag)
        res.kind, res.source = first.kind if m.cue != "attainment" else m.kind, "row"
        if cur.column(m, "territory") is None:
            res.territory, res.place = first.territory, first.place
        if res.scope != "province":
            res.reason = res.scope if res.scope in REASONS else "national"
        return res

    def _concept(self, ctx: _Context) -> tuple[Reading | None, str]:
        """The concept, from the nearest circle of words that names one, and where it was read."""
        for step in (self._from_own, self._from_neighbours, self._from_clause, self._from_counted_noun,
                     self._from_previous, self._from_later, self._from_section, self._from_other_unit,
                     self._from_member_default):
            found = step(ctx)
            if found is not None:
                return found
        return None, ""

    def _from_own(self, ctx: _Context):
        chosen = self._own(ctx.cur, ctx.m, ctx.level_measure, ctx.measure == "share")
        return (chosen[1], "own") if chosen else None

    def _from_neighbours(self, ctx: _Context):
        """The figure before it in its clause (or whose subject it shares), the whole a share is of, or the
        item before it in a list of parallel items."""
        m, cur = ctx.m, ctx.cur
        earlier = _latest(r for depth, r in cur.with_concept.get(m.clause, {}).items() if depth <= m.depth)
        if earlier is None and m.head_id != m.mention_id:
            earlier = ctx.by_id.get(m.head_id)
        ctx.earlier = earlier
        if (earlier is not None and earlier.mention.clause == m.clause and earlier.measure != "share"
                and cur.with_words.within(earlier.mention.numeral_end, m.lead_start)):
            # the words after the figure before it: "điều chỉnh 48 dự án FDI với tổng vốn | tăng thêm 879,15"
            between = cur.within(earlier.mention.numeral_end, m.lead_start)[::-1]
            chosen = self._pick(self._candidates(between, m, ctx.level_measure, pure_first=False), yields=False)
            if chosen:
                return chosen[1], "own"
        if earlier is not None and earlier.concept:
            return Reading("concept", earlier.concept), "chain"
        if ctx.whole:  # "chiếm 75% GTSX toàn tỉnh": a share of the whole its words name
            return Reading("concept", ctx.whole), "own"
        own = {d for d, v in ctx.members.items() if v[0] == 0}
        parallel = _latest(cur.with_dim[d] for d in own if d in cur.with_dim)
        if parallel is not None:  # "Lạng Giang tăng 39,4%, Yên Thế 39,5%"
            if ctx.measure == "level" and m.unit == "%" and parallel.measure in ("share", "growth"):
                ctx.measure = parallel.measure
            return Reading("concept", parallel.concept), "parallel"
        return None

    def _from_clause(self, ctx: _Context):
        m, cur = ctx.m, ctx.cur
        clause_hits = cur.within(m.clause_start, self._own_start(cur, m))
        self._merge(ctx.members, cur.collected(m.clause_start, self._own_start(cur, m)), 3)
        chosen = self._best(clause_hits, m, level_measure=ctx.level_measure) or self._implied(clause_hits)
        if chosen:
            return chosen[1], "clause"
        text = cur.sentence.text
        after = bisect_left(cur.semicolons, m.end)
        clause_end = cur.semicolons[after] if after < len(cur.semicolons) else len(text)
        rest = cur.within(m.end, clause_end)  # "nhóm 10 tỉnh ... về chỉ số DTI"
        chosen = self._best(rest, m, level_measure=ctx.level_measure)
        if chosen:
            return chosen[1], "clause"
        before = cur.within(0, m.clause_start)
        chosen = self._best(before, m, level_measure=ctx.level_measure) or self._implied(before)
        if chosen:
            self._merge(ctx.members, cur.collected(0, m.clause_start), 4)
            return chosen[1], "sentence"
        return None

    def _from_previous(self, ctx: _Context):
        """The sentence before (for a footnote: the one its mark is in) when this one continues it ("Trong đó,
        ...") or refers back to it ("khu vực này")."""
        m, cur, prev = ctx.m, ctx.cur, ctx.prev
        if prev is None:
            return None
        anaphora = self._anaphora(cur, m)
        if not (anaphora or cur.sentence.kind == "footnote" or self._continues(cur)):
            return None
        first = prev.first_resolved
        if first is not None:
            return Reading("concept", first.concept), "previous"
        chosen = self._best(prev.hits, m, level_measure=ctx.level_measure)
        return (chosen[1], "previous") if chosen else None

    def _from_later(self, ctx: _Context):
        """Words later in the sentence: "X chiếm 64,5%; ...; Z chiếm 8,2% trong cơ cấu kinh tế"."""
        hits = ctx.cur.within(ctx.m.end, len(ctx.cur.sentence.text))
        chosen = self._best(hits, ctx.m, level_measure=ctx.level_measure)
        return (chosen[1], "sentence") if chosen else None

    def _from_member_default(self, ctx: _Context):
        """A breakdown member says the concept when nothing else does: a sector growing, contributing or
        holding a share is the sector's value added in GRDP ("khu vực dịch vụ tăng 7,9%")."""
        for dim, (_distance, key, *_rest) in sorted(ctx.members.items(), key=lambda item: item[1][0]):
            default = self.vocab.member(dim, key).default
            if default:
                return Reading("concept", default), "member"
        return None

    def _from_counted_noun(self, ctx: _Context):
        if ctx.m.unit not in COUNT_UNITS:
            return None
        chosen = self._generic(ctx.cur, ctx.m, ctx.level_measure)  # "52 vụ việc"
        return (chosen[1], "own") if chosen else None

    def _from_section(self, ctx: _Context):
        for _heading, hits in self._section_hits(ctx.cur.sentence.section):
            chosen = self._best(hits, ctx.m, level_measure=ctx.level_measure)
            if chosen:
                return chosen[1], "section"
        return None

    def _from_other_unit(self, ctx: _Context):
        """Words that name a concept measured in another unit ("khai thác 1 triệu m3 gỗ"), else a catch-all noun."""
        m, cur = ctx.m, ctx.cur
        chosen = self._own(cur, m, ctx.level_measure, ctx.measure == "share", unfit=True) or self._best(
            cur.within(0, m.start), m, level_measure=ctx.level_measure, unfit=True) or self._generic(
            cur, m, ctx.level_measure)
        return (chosen[1], "own") if chosen else None

    def _more_members(self, ctx: _Context, concept) -> None:
        """Members said elsewhere: what the sentence said of the same concept before ("cấp mới 28 dự án trong
        nước ...; 38 dự án FDI"), the figure before it, the section ("2.2. Xây dựng"), and "lần lượt" lists."""
        clause = {d: v for d, v in ctx.cur.collected(ctx.m.clause_start, self._own_start(ctx.cur, ctx.m)).items()
                  if d not in _LOCAL_DIMS | {"level"}}
        for dim, (key, at) in clause.items():
            ctx.members.setdefault(dim, (3, key, at))
        if ctx.earlier is not None and ctx.earlier.concept == concept.key:
            for dim, member in ctx.earlier.members.items():
                if dim not in _LOCAL_DIMS:
                    ctx.members.setdefault(dim, (2, member, None))
        same = ctx.cur.of_concept.get(concept.key)
        for dim, member in same.members.items() if same else ():
            if dim not in _LOCAL_DIMS | {"level"}:
                ctx.members.setdefault(dim, (5, member, None))
        if concept.key in self._section_dims and "sector" not in ctx.members:
            for _heading, hits in self._section_hits(ctx.cur.sentence.section):
                self._collect(ctx.members, hits, 9, reverse=True)
                if "sector" in ctx.members:
                    break
        if ctx.measure == "change" and "status" in concept.dims and _ADDED.search(ctx.lead):
            ctx.measure = "level"  # "vốn đăng ký tăng thêm 548,8 tỷ đồng": added capital is an amount
            ctx.members.setdefault("status", (0, "adjusted", None))
        if ctx.prev is not None and self._anaphora(ctx.cur, ctx.m):  # "khu vực này": the member named before
            self._collect(ctx.members, self._last_members(ctx.cur, ctx.m, ctx.prev), 1)
        self._respectively(ctx.cur, ctx.m, ctx.members)

    def _measure(self, ctx: _Context, concept, members: dict[str, str]) -> tuple[str, str]:
        """The measure, refined by the concept: a contribution, a share of an amount, a rate of a count; and a
        unit tag when a level is written in a unit other than the concept's."""
        m, measure = ctx.m, ctx.measure
        if _CONTRIBUTION.search(ctx.lead) and measure in ("level", "share") and "đóng góp" not in concept.vi.lower():
            return "contribution", ""
        if measure == "level" and m.unit == "%" and m.cue != "attainment" and concept.unit in ("bn VND", "mn USD"):
            return "share", ""  # a percentage of an amount is its share
        if measure == "share" and not ctx.whole and concept.unit in COUNT_UNITS and m.unit == "%" and not members:
            return "rate", ""
        if measure == "level" and m.cue != "attainment":
            fit = _unit_fit(concept.unit, m.unit)
            if fit == 1 and m.unit == "%":
                return "rate", ""
            if fit < 2 and m.unit and m.unit != concept.unit:
                return measure, _UNIT_TAGS.get(m.unit, re.sub(r"\W+", "_", m.unit.lower()).strip("_"))
        return measure, ""

    _section_dims = {"grdp", "gross_output", "iip", "labour_productivity"}

    # ------------------------------------------------------------------ helpers
    def _implied(self, hits: list[Hit]):
        for hit in reversed(hits):
            for reading in hit.of("member"):
                dim, key = reading.key.split(":")
                implies = self.vocab.member(dim, key).implies
                if implies:
                    return hit, Reading("concept", implies)
        return None

    @staticmethod
    def _collected(hits: list[Hit], *, reverse: bool = False) -> dict[str, tuple[str, int]]:
        seen: dict[str, tuple[str, int]] = {}
        for hit in reversed(hits) if reverse else hits:
            for reading in hit.of("member"):
                dim, key = reading.key.split(":")
                seen.setdefault(dim, (key, hit.start))
        return seen

    def _collect(self, members: dict, hits: list[Hit], distance: int, *, reverse: bool = False) -> None:
        """Add the members of ``hits`` for the dimensions not set yet (nearest first when ``reverse``)."""
        self._merge(members, self._collected(hits, reverse=reverse), distance)

    @staticmethod
    def _merge(members: dict, collected: dict[str, tuple[str, int]], distance: int) -> None:
        for dim, (key, at) in collected.items():
            if dim not in members or members[dim][0] > distance:
                members[dim] = (distance, key, at)

    def _kind(self, cur: _Sentence, prev: _Sentence | None, m: Mention, res: Resolution) -> str:
        """A part of a planned or estimated total is planned or estimated too: "Tổng kế hoạch vốn ... là
        12.491,3 tỷ đồng, trong đó: ... vốn bổ sung 257,2 tỷ đồng", "ước ... 3.546 tỷ đồng. Trong đó, ... 357,8"."""
        if m.kind == "actual" and res.members and m.cue != "attainment":
            # a part of an estimated whole (its sector's growth, share or contribution) is estimated too:
            # "GRDP ước tăng 13,21%. Trong mức tăng chung, khu vực công nghiệp - xây dựng tăng 17,96%"
            wanted = [(res.concept, res.measure), (res.concept, "growth" if res.measure == "contribution" else
                                                   "level" if res.measure == "share" else res.measure)]
            wholes = {**(prev.wholes if prev is not None and _adjacent(prev, cur) else {}), **cur.own_wholes()}
            if any(wholes.get(key) == "estimate" for key in wanted):
                return "estimate"
        if m.kind != "actual" or m.cue not in ("level", "count"):
            return m.kind
        marker = cur.breakdown
        total = None
        if marker and marker.end() <= m.start:  # (every figure before the marker is resolved)
            total = cur.total_before_breakdown
        if total is None and self._continues(cur) and prev is not None:
            total = prev.first_level
        if total is not None and total.kind in ("plan", "estimate") and total.mention.unit == m.unit \
                and total.concept == res.concept:
            return total.kind
        return m.kind

    def _members(self, members: dict, concept) -> dict[str, str]:
        """The members of the dimensions the concept accepts, one dimension per matched word (the first the
        concept lists: "thủy sản" is a sector of gross output before it is a product)."""
        out, used = {}, set()
        for dim in concept.dims:
            if dim in members:
                at = members[dim][2] if len(members[dim]) > 2 else None
                if at is not None and at in used:
                    continue
                out[dim] = members[dim][1]
                used.add(at)
        return {d: out[d] for d in self.vocab.dim_order if d in out}

    def _respectively(self, cur: _Sentence, m: Mention, members: dict) -> None:
        """"A và B ... lần lượt chiếm X% và Y%": the k-th figure after "lần lượt" gets the k-th member named
        before it (in its clause, else earlier in the sentence)."""
        at = cur.respectively.first(m.clause_start, m.start)
        if at is None:
            return
        if (m.clause_start, at) not in cur.listed:
            cur.listed[(m.clause_start, at)] = self._listed(cur, m.clause_start, at)
        k = cur.after_respectively[(m.clause, m.unit, _cue_group(m.cue))]  # the figures of the list before it
        for dim, keys in cur.listed[(m.clause_start, at)].items():
            if len(keys) > 1 and k < len(keys):
                members[dim] = (0, keys[k], None)

    @staticmethod
    def _listed(cur: _Sentence, clause_start: int, at: int) -> dict[str, list[str]]:
        """The members named before "lần lượt" (in its clause, else earlier in the sentence)."""
        listed: dict[str, list[str]] = {}
        for lo in (clause_start, 0):
            for hit in cur.within(lo, at):
                for reading in hit.of("member"):
                    dim, key = reading.key.split(":")
                    if key not in listed.setdefault(dim, []):
                        listed[dim].append(key)
            if any(len(keys) > 1 for keys in listed.values()):
                return listed
            listed = {}
        return listed

    def _anaphora(self, cur: _Sentence, m: Mention) -> bool:
        i = bisect_left(cur.anaphora, m.clause_start)
        return i < len(cur.anaphora) and cur.anaphora[i] < m.end

    def _continues(self, cur: _Sentence) -> bool:
        first = cur.hits[0] if cur.hits else None
        opening = normalise(cur.sentence.text[:20]).lstrip(" -+*•")
        return bool(first and first.start <= 2 and any(r.key == "continuation" for r in first.of("marker"))) or \
            opening.startswith(("trong đó", "riêng", "cụ thể"))

    def _last_members(self, cur: _Sentence, m: Mention, prev: _Sentence) -> list[Hit]:
        """The member an anaphor refers to: the last one named before it in the sentence, else in the one before."""
        before = bisect_left(cur.member_hits, bisect_left(cur.starts, m.lead_start))
        if before:
            return [cur.hits[cur.member_hits[before - 1]]]
        return [prev.hits[prev.member_hits[-1]]] if prev.member_hits else []

    # ------------------------------------------------------------------ period and territory
    def _period(self, cur: _Sentence, prev: _Sentence | None, m: Mention, by_id: dict[int, Resolution]
                ) -> tuple[str, str]:
        """The part of the year a figure is for: a percent of plan, its figure's; else the last period the
        sentence names before it (or the first after it in its clause), else its section's, else the document's
        (a target in a report on part of the year is the year's: see :meth:`_period_by_kind`)."""
        span = self._span(cur, m)
        whole = next((r for r in reversed(cur.resolutions) if r.period == "multi_year"), None)
        if span is None and whole is not None and cur.breakdown and (
                whole.mention.end <= cur.breakdown.start() < m.start):
            span = whole.as_of  # "vốn đầu tư giai đoạn 2021-2030 khoảng 1.050 nghìn tỷ đồng, trong đó ... 12%"
        if span is not None:
            self._said = True
            return "multi_year", span
        self._said = m.cue == "attainment" and m.anchor_id != m.mention_id and m.anchor_id in by_id
        if self._said:
            anchor = by_id[m.anchor_id]
            return anchor.period, anchor.as_of
        named = self._named_period(cur, m) or self._carried(cur, prev, m)
        if named:
            self._said = True
            return named
        for heading in reversed([h for h in m.section.split(" › ") if h]):
            if heading not in self._section_periods:
                found = period_of(heading)
                self._section_periods[heading] = None if found is None else (
                    found[0], self._month(found[1], m.year) if found[0] == "month" else "")
            if self._section_periods[heading] is not None:
                return self._section_periods[heading]
        if self.doc_period == "month":
            return "month", self._month(self.doc_month, m.year)
        return self.doc_period, ""

    @staticmethod
    def _span(cur: _Sentence, m: Mention) -> str | None:
        """An average over several years ("tăng bình quân 13,2%/năm", "bình quân giai đoạn 2021-2025 đạt 14,5%"):
        its span, "" where the text gives none; None for a figure of one year."""
        text = cur.sentence.text
        if m.cue == "attainment":
            return None
        # a span in the figure's clause, or right after it ("thu hút 18-20 tỷ USD vốn FDI trong giai đoạn 2021-2030")
        opening = _SPAN.match(text)  # "Giai đoạn 2021-2024, GRDP tăng bình quân 13,6%/năm"
        spans = [f for f in _SPAN.finditer(text, m.clause_start, min(len(text), m.end + 40))
                 if (f.start() < m.start or (f.start() <= m.end + 30 and "," not in text[m.end:f.start()]))
                 and "chuẩn" not in text[max(0, f.start() - 20):f.start()]  # a standard's: "theo chuẩn giai đoạn"
                 and text.count("(", 0, f.start()) <= text.count(")", 0, f.start())]  # (nor one in brackets)
        if spans and spans[-1].end() < m.start and (_ONE_YEAR.search(text, spans[-1].end(), m.start)
                                                    or "," in text[spans[-1].end():m.start]):
            spans = []  # "giai đoạn 2023-2025, trong đó năm 2024 phấn đấu đạt 30,2%": one year's
        if not spans and opening and not _ONE_YEAR.search(text, opening.end(), m.start):
            spans = [opening]
        span = f"{spans[-1].group(1)}-{spans[-1].group(2)}" if spans else None
        per_year = _PER_YEAR.match(text, m.numeral_end) is not None
        if span is None and not (per_year and (_AVERAGE.search(text, m.clause_start, m.start)
                                               or "giai đoạn" in text[m.clause_start:m.start])):
            return None
        return span or ""

    def _named_period(self, cur: _Sentence, m: Mention) -> tuple[str, str] | None:
        column = cur.column(m, "period")
        if column is not None:
            return self._period_of(cur, column[0], column[1].split(":")[1], m)
        starts, hits, keys = cur.periods
        i = bisect_left(starts, m.start) - 1  # the last named before it
        if i < 0:
            text = cur.sentence.text
            end = min(len(text), m.end + 60, *(j for j in (text.find(";", m.end), text.find(".", m.end)) if j >= 0))
            i = bisect_left(starts, m.numeral_end)  # else the first after it, in its clause
            if i >= len(starts) or starts[i] >= end:
                return None
        return self._period_of(cur, hits[i], keys[i], m)

    def _carried(self, cur: _Sentence, prev: _Sentence | None, m: Mention) -> tuple[str, str] | None:
        """A part of the year the sentences before named last, in the same paragraph: "6 tháng đầu năm, GRDP tăng
        10,9%. Trong đó, Bắc Giang (cũ) tăng 12,4%" (a sentence that names no period of its own)."""
        return (cur.carry, "") if cur.carry and not cur.periods[0] else None

    def carry(self, cur: _Sentence, prev: _Sentence | None) -> str:
        """The span of months (not a month, a date or the whole year) a sentence passes on to the next one in its
        paragraph: the last it names, else the one it was passed."""
        if cur.header and cur.header[1][0][1].startswith("period"):
            return ""  # (a table's header names its columns, not what follows)
        if cur.periods[0]:
            if "year" in cur.periods[2]:
                return ""  # a sentence that names the whole year passes on no part of it ("từ quý III, ... cả năm")
            key = cur.periods[2][0]  # (its topic: "6 tháng ..., trong đó riêng quý II ...": the half-year)
            if key == "ytd" and self.doc_period != "year":
                return self._cumulative()
            return key if key not in ("year", "month", "stock", "ytd", "as_at") else ""
        return prev.carry if prev is not None and _adjacent(prev, cur) else ""

    def _period_of(self, cur: _Sentence, hit: Hit, key: str, m: Mention) -> tuple[str, str] | None:
        text, partial = cur.sentence.text, self.doc_period != "year"
        if key == "month":
            number = _MONTH_NUMBER.search(text, hit.start, hit.end)
            month = int(number.group(0)) if number else self.doc_month
            return "month", self._month(month, m.year)
        if key == "as_at":
            date = _DATE_AFTER.match(text, hit.end)
            if date and 1 <= int(date.group(2)) <= 12 and 1 <= int(date.group(1)) <= 31:
                day, month = int(date.group(1)), int(date.group(2))
                if month == 12 or (date.group(3) and m.year and int(date.group(3)) > int(m.year)):
                    return "year", ""  # at the end of the year (or of the year's plan: "giải ngân đến 31/01/2023")
                said = normalise(text[max(0, hit.start - 30):hit.start])
                if partial and month == self._months() and day >= 28 and ("đầu năm" in said or "kế" in said):
                    return self._cumulative(), ""  # "lũy kế đến ngày 31/3" in a report on the first quarter
                return "stock", f"{int(date.group(3) or m.year or 0):04d}-{month:02d}-{day:02d}"
            return None
        if key == "stock":  # "đến nay", "hiện có": at the document's date, unless it reports the whole year
            return ("stock", self.issued) if partial or self.targets_only else None
        if key == "ytd":
            # in a report on the year, "từ đầu năm" is the year's figure (as good as the year's at its date)
            return (self._cumulative(), "") if partial else None
        return key, ""

    def _before_year_end(self, m: Mention) -> bool:
        """Whether the document is dated before November of the figure's year (its facts are not the year's)."""
        return len(self.issued) >= 7 and self.issued[:4] == str(m.year) and int(self.issued[5:7]) <= 10

    def _months(self) -> int:
        """How many months of the year the document reports (its last month)."""
        return self.doc_month or {"q1": 3, "q2": 6, "q3": 9, "q4": 12, "h2": 12}.get(self.doc_period) or (
            int(self.doc_period[:-1]) if self.doc_period.endswith("m") else 12)

    def _cumulative(self) -> str:
        """The year so far in a report on part of it: its months."""
        months = self._months()
        return "q1" if months == 3 else "year" if months >= 12 else f"{months}m"

    @staticmethod
    def _month(month: int, year) -> str:
        return f"{int(year or 0):04d}-{month:02d}" if month else ""

    def _territory(self, cur: _Sentence, m: Mention, by_id: dict[int, Resolution]) -> tuple[str, str]:
        """Whose figure it is: the place its own words name (in its segment of the sentence), else its chain's,
        else the province of the document's date."""
        text = cur.sentence.text
        column = cur.column(m, "territory")
        hits = [column[0]] if column is not None else []
        segment_start = m.lead_start
        for match in _SEGMENT.finditer(text, m.lead_start, m.start):
            segment_start = match.end()
        for hit in hits or reversed(cur.territories):
            if not hits and (hit.start >= m.start or hit.end <= segment_start):  # ("Bắc Giang (cũ)": a bracket)
                continue
            key = next(r.key for r in hit.of("marker") if r.key.startswith("territory:")).split(":")[1]
            if key in ("district", "commune"):
                name = _NAME.match(text, hit.end)  # "huyện Lục Ngạn", not "184 xã đạt chuẩn"
                if "bắc giang" in normalise(hit.term):
                    return "district", "Bắc Giang"
                if name:
                    return key, name.group(1).strip()
                continue
            if key == "province":  # "toàn tỉnh", "của tỉnh": the province, in a district's document too
                return ("bac_ninh" if self.merged else "bac_giang"), ""
            if key == "former_bac_ninh" or (key == "bac_ninh" and not self.merged):
                return "other_province", ""
            return ("bac_ninh", "") if key in ("merged", "bac_ninh") else ("bac_giang", "")
        head = by_id.get(m.head_id) if m.head_id != m.mention_id else None
        if head is not None and head.mention.sentence_id == m.sentence_id:
            return head.territory, head.place
        if self.district:
            return "district", self.district
        return ("bac_ninh" if self.merged else "bac_giang"), ""

    def _scope(self, text: str, m: Mention, lead_hits: list[Hit]) -> str:
        segment_start = m.lead_start
        for match in _SEGMENT.finditer(text, m.lead_start, m.start):
            segment_start = match.end()
        for hit in lead_hits:
            if hit.start < segment_start:
                continue
            for reading in hit.of("marker"):
                if reading.key == "national":
                    return "national"
                if reading.key == "other_provinces":
                    return "other_province"  # "như Thanh Hóa ước tăng 11,9%"
        # "chỉ sau Quảng Ninh (tăng 11,9%)": the figure in brackets after another province's name is that province's
        before = text[max(0, segment_start - 30):segment_start].rstrip(" (")
        bracketed = text[max(0, segment_start - 2):segment_start].strip().endswith("(")
        for hit in self.vocab.scan(before):
            if hit.end >= len(before) - 1 and any(r.key == "other_provinces" for r in hit.of("marker")):
                return "other_province"
            if bracketed and hit.end >= len(before) - 1 and any(r.key == "national" for r in hit.of("marker")):
                return "national"  # "cao hơn mức tăng chung của cả nước (7,4%)"
        return "province"

    def _national_reference(self, text: str, m: Mention) -> bool:
        after = normalise(text[m.numeral_end:m.end + 40])
        return bool(_NATIONAL_REFERENCE.match(after))


_TAIL_STOP = re.compile(r"[,;()]|\s(?:tăng|giảm|bằng|chiếm|gấp|vượt|so với)\s|\d")


def _tail_end(text: str, m: Mention) -> int:
    """Where the words after a number stop: the next punctuation, comparison or number (at most 80 characters)."""
    stop = _TAIL_STOP.search(text, m.numeral_end, m.numeral_end + 80)
    return max(stop.start() if stop else min(len(text), m.numeral_end + 80), m.end if m.cue != "share" else 0)


_BRACKETED = re.compile(r"\(([^()]{1,25})\)")


def _row_unit(cur: _Sentence, m: Mention) -> Mention:
    """A table cell written without a unit takes its row label's ("Giá trị xuất khẩu (tỷ USD)  52,3")."""
    if m.unit:
        return m
    line_start = bisect_left(cur.sentence.line_map, m.line)
    brackets = list(_BRACKETED.finditer(cur.sentence.text, line_start, m.start))
    inner = brackets[-1].group(1).strip() if brackets else ""
    found = find_unit(inner) if inner else None
    if found is None or found[1] != len(inner):
        return m
    unit = found[0]
    high = round(m.number_high * unit.factor, 6) if m.number_high is not None else None
    return dataclasses.replace(m, unit=unit.unit, unit_as_written=unit.written, value=round(m.number * unit.factor, 6),
                               value_high=high)


def _adjacent(prev: _Sentence, cur: _Sentence) -> bool:
    """Whether two sentences are of one paragraph (no blank line between them)."""
    return prev.sentence.kind == cur.sentence.kind and cur.sentence.line_start <= prev.sentence.line_end + 1


def resolve_document(sentences: list[Sentence], mentions: list[Mention], vocab: Vocabulary,
                     source: Source | None = None) -> list[Resolution]:
    """Resolve every mention of one document (``source``: its period and date), in order."""
    resolver = Resolver(vocab, source)
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence_id, []).append(m)
    states: dict[int, _Sentence] = {}
    body_text: dict[str, _Sentence] = {}
    footnote_state: dict[tuple, _Sentence] = {}  # (number, marked sentence): numbers may start again at 1
    previous: _Sentence | None = None
    out: list[Resolution] = []
    by_id: dict[int, Resolution] = {}
    for sentence in sentences:
        state = _Sentence(sentence, vocab)
        states[sentence.sentence_id] = state
        prev = previous
        if sentence.kind == "footnote":  # a footnote's first sentence goes on from the sentence its mark is in
            last = footnote_state.get((sentence.footnote, sentence.context))
            prev = last if last is not None else body_text.get(sentence.context, previous)
            footnote_state[(sentence.footnote, sentence.context)] = state
        for m in by_sentence.get(sentence.sentence_id, []):
            state.rows.setdefault(m.line, []).append(m.mention_id)
            state._by_id[m.mention_id] = m
        if state.header is None and prev is not None and prev.header and _adjacent(prev, state):
            state.header = prev.header  # a table's rows go on after a full stop
        state.carry = resolver.carry(state, prev)
        state.wholes = prev.wholes if prev is not None and _adjacent(prev, state) else {}
        for m in by_sentence.get(sentence.sentence_id, []):
            res = resolver.resolve(m, state, prev, by_id)
            state.add(res)
            by_id[m.mention_id] = res
            out.append(res)
        state.wholes = {**state.wholes, **state.own_wholes()}
        if sentence.kind != "footnote":
            body_text[sentence.text] = state
            previous = state
    return out
