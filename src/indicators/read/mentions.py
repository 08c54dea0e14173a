"""Quantity mentions: every number in every sentence, with its unit, qualifier, cue, year and subject.

This layer knows nothing of the catalog: it reads the Vietnamese wording around each number.

* ``cue`` — what the number measures: ``level`` (``đạt``, ``là``), ``target`` (a target level),
  ``growth`` / ``decline`` (``tăng/giảm X%`` on the previous year), ``pp_change`` (a change of a
  share or rate), ``change`` (an absolute change, ``tăng 20 DN``), ``share`` (``chiếm X%``),
  ``attainment`` (``bằng/đạt X% kế hoạch``, ``vượt X% dự toán`` = 100 + X), ``ratio``
  (``bằng X% năm 2021``), ``multiple`` (``gấp X lần``), ``rank`` (``đứng thứ N``), ``count``.
* ``kind`` — ``actual``, ``estimate`` (``ước``, ``dự kiến``), ``plan`` (targets) or ``attainment``.
* ``year`` — from the sentence (``năm 2022``, ``đến 31/12/2022``), else from the section heading,
  else from the document's registry entry.
* ``subject`` — the words naming what is measured; a number with no words of its own
  (``..., tăng 3,7%, bằng 89,9% kế hoạch``) takes the subject of the number before it.

Dates, document numbers, years, list numbers, ordinals and footnote marks are not mentions.
"""

from __future__ import annotations

import dataclasses
import operator
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from indicators.read.numbers import NUMERAL, decimals_of, find_qualifier, find_unit, parse_number
from indicators.read.sources import Source
from indicators.read.text import Matches, Sentence

_CANDIDATE = re.compile(
    r"(?:(?<=[(\s:])(?P<sign>[+\-−])|(?<![\w.,/\-+−]))(?P<num>" + NUMERAL + r")"
    r"(?:(?:[-–]|\s[-–]\s)(?P<high>" + NUMERAL + r"))?"  # "25-30", "25 – 30"; not "96,8 -55,1" (two numbers)
    r"(?:/(?P<den>\d+(?:,\d+)?)(?P<den2>/\d+)?)?"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_NOT_AFTER = re.compile(
    r"[.,]\d|\s?[-–]\s?[A-ZĐ]{1,5}\b|/[^\W\d]|[^\W\d_]"  # 1.123.9, 105-NQ/TU, 11/NQ-CP, 110KV
)
_GLUED_UNITS = re.compile(r"(?:ha|m2|m3|m²|m³|km|%|‰)(?![^\W\d_])")
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:ngày|tháng|quý|mũi|mức độ|cấp độ|cấp|hạng|loại|giai đoạn|kỳ|khóa|khoá|lần|"
    r"quy chuẩn|Đề án|Games|(?<!tổng )(?<!Tổng )số|thứ|Điều|khoản|Khoản|Chương|tổ|tuyến nhánh|nhóm)\s*)$"
)
_SLOGAN_AFTER = re.compile(r"\s+(?:dám|rõ|ít|cao|an|tại chỗ)\b")
_PROGRAMME = re.compile(r"(?:[Cc]hương trình|[Pp]hong trào|[Cc]uộc vận động)\s+$")
_NAME_BEFORE = re.compile(r"[^\W\d_],?\s+[A-ZĐ][^\W\d_]*\s+$|(?:Phụ lục|[Vv]ành đai|Đề án|Điều)\s+$")
_TOP_GROUP = re.compile(r"\bnhóm\s*$")
_NOUN_TAIL = re.compile(r"[^,;:()\d]{0,200}?(?=\s*(?:[,;:()]|$)|\s(?:tăng|giảm|vượt|đạt|bằng|chiếm|gấp|so với)\b)")
_RANK_BEFORE = re.compile(r"(?:đứng|xếp|xếp hạng|vị trí|cao|thấp)\s+(?:thứ\s+)?$|xếp hạng\s*$")
# "thứ 6 cả nước", "thứ 4/63", "thứ 2 vùng ...": an ordinal that ranks the province
_RANK_AFTER = re.compile(
    r"(?:/\d{2}\b|\s+(?:cả nước|toàn quốc|trong vùng|vùng|so với cả nước|trên cả nước|trong cả nước))")
_DURATION_AFTER = re.compile(
    r"\s*(?:tuổi|năm|tháng|giờ|phút|ngày|mũi|tiêu chuẩn)\b|\s*(?:đến|-|–)\s*(?:dưới\s+)?\d+\s*tuổi"
)
_REFERENCE = re.compile(
    r"\s*(?:so với|so)?\s*(?:kế hoạch|KH|dự toán(?: năm)?|chỉ tiêu|cùng kỳ(?: năm \d{4})?|năm \d{4}|"
    r"thời điểm [\d/]+|bình quân chung cả nước|cả nước)"
)
_ATTAINMENT_REF = re.compile(r"\s*(?:so với\s+)?(?:các\s+)?(?:kế hoạch|KH|dự toán|chỉ tiêu)")
_RATIO_REF = re.compile(r"\s*(?:so với|so)?\s*(?:cùng kỳ|năm \d{4}|thời điểm)")
# a result or a present fact in a text of targets: "ước đạt", "đến nay có", "hiện có"
_RESULT_ESTIMATE = re.compile(r"\b(?:(?:ước|dự kiến)(?: tính)?\s+(?:đạt|tăng|giảm|thực hiện|còn)|đến nay|hiện nay"
                              r"|(?<!thực )hiện có|(?<!thực )hiện đang|với dân số|sau (?:sắp xếp|sáp nhập|hợp nhất))\b",
                              re.IGNORECASE)
_ESTIMATE = re.compile(r"\b(?:ước|dự kiến|dự tính)\b", re.IGNORECASE)
_TARGET = re.compile(r"\b(?:phấn đấu|phân đấu|mục tiêu|chỉ tiêu giao)\b", re.IGNORECASE)
_PLAN_VALUE = re.compile(r"\b(?:kế hoạch|KH|mục tiêu|chỉ tiêu)(?:\s+(?:năm(?:\s+\d{4})?|đề ra|giao|đặt ra|là))?"
                         r"\s*(?:tăng|giảm|dưới|trên|đạt|là)?\s*[:(]?\s*$", re.IGNORECASE)
_PER_PERSON = re.compile(r"\b(?:bình quân đầu người|thu nhập bình quân|/người)\b", re.IGNORECASE)
_PLANNED_AMOUNT = re.compile(r"\b(?:kế hoạch vốn|vốn giao|dự toán (?:giao|năm|thu|chi))\b", re.IGNORECASE)
_RATE_WORDS = re.compile(r"\b(?:tỷ lệ|tỷ trọng|cơ cấu|chiếm|độ che phủ)\b", re.IGNORECASE)
_CUE_WORDS = [
    ("multiple", re.compile(r"\bgấp(?:\s+gần|\s+hơn)?\s*$")),
    ("share", re.compile(r"\bchiếm(?:\s+tỷ\s+(?:trọng|lệ))?(?:\s+tới|\s+khoảng)?\s*$")),
    ("growth", re.compile(r"\b(?:tăng(?:\s+thêm)?|tăng trưởng)\s*$")),
    ("decline", re.compile(r"\bgiảm\s*$")),
    ("attainment", re.compile(r"\b(?:bằng|đạt|vượt|hoàn thành)\s*$")),
    ("level", re.compile(r"\b(?:xuống còn|còn|lên|đạt|là|được|có|ước đạt|ước)\s*:?\s*$")),
]
_TRAILING_WORDS = re.compile(
    r"(?:[\s(,;:]|^)(?:ước đạt|ước|đạt|là|được|có|tăng(?: thêm)?|giảm|chiếm(?: tỷ (?:trọng|lệ))?|bằng|vượt|"
    r"xuống còn|còn|lên|gấp|khoảng|trên|hơn|gần|tối thiểu|ít nhất|dưới|tới|với|mức|mức tăng|"
    r"tương đương|tương ứng|đứng thứ|xếp thứ|thứ)\s*[:,]?\s*$",
    re.IGNORECASE,
)
_LEADING_WORDS = re.compile(
    r"^[\s,;:\-–+*]*(?:(?:\(\d{1,2}\)|\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\))\s+)?[\s,;:()\-–+*]*"
    r"(?:(?:trong đó|trong đó có|riêng|và|cùng với|với)(?:[\s,:]+|$))*",
    re.IGNORECASE,
)
_MAX_SUBJECT_WORDS = 20  # a longer lead loses its first comma-separated parts ...
_MAX_PART_WORDS = 30  # ... unless its last part alone is longer
_SHORT_CLAUSE = 120
_SUBJECT_NOISE = re.compile(
    r"\b(?:phấn đấu|phân đấu|tiếp tục|duy trì và phát triển|duy trì|nâng|đảm bảo|bảo đảm|đến nay|hiện nay|hiện|"
    r"(?:tính |ước |dự kiến )?đến (?:hết )?(?:năm |ngày )?[\d/]+|(?:trong |cả )?năm \d{4}|cả năm|toàn tỉnh|có|đạt|"
    r"khoảng|trên|với|là|được|của|ở)\b",
    re.IGNORECASE,
)
_SUBJECT_AFTER = re.compile(
    r"\s*+(?!so với|so |xuống|còn|bằng|vượt|tăng|giảm|đạt|kế hoạch|dự toán|cả nước|KH\b|năm \d)"
    r"([^,;:()\d]{2,120}?)\s*(?=[,;:()]|$|\s(?:tăng|giảm|chiếm|đạt|bằng|vượt)\b)"
)
_YEAR_IN_TEXT = [
    re.compile(r"\b(?:[Nn]ăm|hết năm|đến năm|trong năm)\s+((?:19|20)\d\d)\b(?!\s*[-–]\s*\d)"),
    re.compile(r"\b(?:31/12|tháng 12)/((?:19|20)\d\d)\b"),
    re.compile(r"\b(?:[Qq]uý\s+[IV]{1,3}|[Qq]uý\s+\d|[Tt]háng\s+\d{1,2}|\d{1,2}\s+tháng(?:\s+đầu\s+năm)?)/((?:19|20)\d\d)\b"),
    re.compile(r"\b[A-Z]{2,}\s+((?:19|20)\d\d)\b(?!\s*[-–]\s*\d)"),
]
_COMPARISON_BEFORE_YEAR = re.compile(
    r"(?:so với|so|bằng|gấp|lần|kỳ|từ|giai đoạn|tầm nhìn|định hướng|chuẩn)[^\d;,]{0,40}$"
)
_ROLE_TARGET = re.compile(r"MỤC TIÊU|CHỈ TIÊU|KẾ HOẠCH|NHIỆM VỤ|GIẢI PHÁP|PHƯƠNG HƯỚNG", re.IGNORECASE)
_ROLE_RESULT = re.compile(r"TÌNH HÌNH|KẾT QUẢ|ĐÁNH GIÁ|TỒN TẠI", re.IGNORECASE)
_ROLE_FORECAST = re.compile(r"DỰ BÁO", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"(?:[Tt]ính đến|[Đđ]ến hết|[Đđ]ến|[Nn]ăm|[Tt]rong năm|[Hh]ết năm|[Uu]ớc đến hết|[Dd]ự kiến đến hết)"
    r"[^,;:]{0,30}?(?:19|20)\d\d[^,;:]{0,12}[,:]"
)
_COMPARED_YEAR = re.compile(r"so với (?:cùng kỳ )?năm ((?:19|20)\d\d)\s*\([^()]*$")  # "so với năm 2020 (63,98 điểm)"
_SECTION_YEAR = re.compile(r"\b(?:NĂM|[Nn]ăm)\s+((?:19|20)\d\d)\b")
_DAY_BEFORE = re.compile(r"\bngày\s*$")
_LIST_LEAD = re.compile(r"[\s(*\-+•]*")
_OPEN_BEFORE = re.compile(r"\(\s*$")
_PLAN_WORD = re.compile(r"kế hoạch", re.IGNORECASE)
_SHARE_TAIL = re.compile(r"[^,;()]{0,200}")
_CUT = re.compile(r"[,;]")  # no year phrase, and no comparison before one, crosses a comma or a semicolon
# Reading is linear in the length of a sentence: the patterns that read the words before a numeral end at it
# ($-anchored) and need far fewer characters than these windows; those after it are anchored at its end.
_BEFORE = 64
_AFTER = 300
_SEGMENT = 1000  # a stretch of words without a comma longer than this is read for years in pieces
_MAX_QUOTE = 300  # a quote longer than this (of a long chain of figures) keeps the words nearest its figure

COLUMNS = [
    "doc_id",
    "line",
    "sentence_id",
    "mention_id",
    "text",
    "number",
    "unit_as_written",
    "value",
    "value_high",
    "unit",
    "qualifier",
    "cue",
    "kind",
    "year",
    "subject",
    "head_id",
    "anchor_id",
    "quote",
]


@dataclass(slots=True)
class Mention:
    doc_id: str
    sentence_id: int
    mention_id: int  # position in the document, 1-based
    line: int
    start: int  # character offsets of the numeral in the sentence
    end: int  # end of the numeral, unit and reference phrase
    text: str
    number: float
    number_high: float | None
    unit_as_written: str
    unit: str
    value: float
    value_high: float | None
    qualifier: str
    cue: str
    kind: str
    year: int | None
    subject: str
    span_start: int  # where the figure's words (subject, numeral, unit) start and end in the sentence
    span_end: int
    depth: int  # parenthesis depth of the numeral
    clause: int  # index of the ;-separated clause in the sentence
    head_id: int  # first mention of the chain whose subject this one shares
    anchor_id: int  # the level that an attainment or change refers to
    quote: str
    section: str = ""
    lead_start: int = 0  # where the words since the previous figure of the clause start
    subject_start: int = 0  # where its own subject words start (after cue words, "trong đó", ...)
    numeral_end: int = 0  # end of the numeral as written
    clause_start: int = 0

    @property
    def decimals(self) -> int:
        return decimals_of(self.text.split("-")[0].split("/")[0])


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        out.append(depth)
        if ch == ")" and depth:
            depth -= 1
    return out


def _clause_starts(text: str, depths: list[int]) -> list[int]:
    """Where each ``;``-separated clause starts (``;`` inside brackets does not count)."""
    return [0] + [i + 1 for i, ch in enumerate(text) if ch == ";" and depths[i] == 0]


def _is_mention(s: _Sentence, m: re.Match) -> bool:
    text, num, start, end = s.text, m.group("num"), m.start(), m.end()
    after, lo = text[end:end + _AFTER], max(0, start - _BEFORE)

    def before(regex: re.Pattern) -> re.Match | None:  # a $-anchored pattern on the words before the numeral
        return regex.search(text, lo, start)

    if m.group("den2") or (m.group("den") and _YEAR.fullmatch(m.group("den"))):
        return False  # a date: 31/12/2022, 8/2023
    if m.group("den") and before(_DAY_BEFORE):
        return False
    glued = _GLUED_UNITS.match(after)
    if not glued and _NOT_AFTER.match(after):
        return False
    if _YEAR.fullmatch(num) and not m.group("den") and (m.group("high") is None or _YEAR.fullmatch(m.group("high"))):
        if not find_unit(after) or re.match(r"\s*(?:năm|-)", after):
            return False  # a year or a period 2021-2025
    if _LIST_LEAD.fullmatch(text, 0, start) and re.match(r"[.)]", after):
        return False  # a list number: "1. ", "(3)"
    if before(_OPEN_BEFORE) and re.match(r"\)", after):
        return False
    if before(_TOP_GROUP) and re.match(r"\s+tỉnh", after):
        return True  # "nằm trong nhóm 05 tỉnh thành ...": a rank
    label = before(_LABEL_BEFORE)
    ranked = before(_RANK_BEFORE) or (label and label.group().strip() == "thứ" and _RANK_AFTER.match(after))
    if label and not ranked and not (label.group().strip() == "cấp" and len(num) > 1):
        return False
    if _DURATION_AFTER.match(after) and not find_unit(after):
        return False
    if bisect_left(s.open_quotes, start) > bisect_left(s.close_quotes, start) or _SLOGAN_AFTER.match(after):
        return False  # inside quotation marks, or a slogan: “3 dám”, “2 ít”
    if before(_PROGRAMME):
        return False  # the name of a programme: "Chương trình 01 tỷ cây xanh", "Chương trình 135"
    if not find_unit(after) and not m.group("den") and "," not in m.group("num") and before(_NAME_BEFORE):
        return False  # part of a name: "THPT Lục Ngạn 2", "SEA Games 31", "Phụ lục 2"
    return True


def _trim_subject(lead: str) -> tuple[str, int]:
    """Subject words of a lead, and the offset where they start in ``lead``."""
    subject = lead
    while True:
        stripped = _TRAILING_WORDS.sub("", subject)
        if stripped == subject:
            break
        subject = stripped
    offset = 0
    starts = [w.start() for w in re.finditer(r"\S+", subject)] if len(subject.split()) > _MAX_SUBJECT_WORDS else []
    if len(starts) > _MAX_SUBJECT_WORDS:
        # drop leading comma-separated parts until it is short enough, else keep the last part
        cuts = [c.end() for c in re.finditer(r", ", subject)]
        offset = next((c for c in cuts if len(subject[c:].split()) <= _MAX_SUBJECT_WORDS), cuts[-1] if cuts else 0)
        if len(subject[offset:].split()) > _MAX_PART_WORDS:
            offset = starts[-_MAX_PART_WORDS]
    lead_match = _LEADING_WORDS.match(subject[offset:])
    offset += lead_match.end()
    return subject[offset:].strip(" ,;:(%."), offset


def _content(subject: str) -> str:
    """The subject without time phrases and target verbs ("phấn đấu năm 2024 có")."""
    return _SUBJECT_NOISE.sub(" ", subject).strip(" ,;:")


def _cue(lead: str, after_unit: str, unit: str, sign: str = "") -> str:
    lead = lead.rstrip()
    if re.search(r"\bthấp hơn$", lead):
        return "decline"
    if re.search(r"\bcao hơn$", lead):
        return "growth"
    if re.search(r"\bthứ$", lead) and _RANK_AFTER.match(after_unit):
        return "rank"
    if unit == "%" and re.search(r"\b(?:tăng|giảm)$", lead) and _ATTAINMENT_REF.match(after_unit):
        return "attainment"  # "tăng 26,9% so với dự toán": 126,9% of the estimate
    if sign and unit == "%" and not re.search(r"\b(?:tăng|giảm)\s*$", lead):
        return "decline" if sign in "-−" else "growth"  # "(+12,7%)", "dệt may (-6,4%)"
    # a qualifier between cue word and number does not hide the cue ("tăng khoảng 3,8%")
    lead = re.sub(
        r"\b(?:khoảng trên|khoảng hơn|khoảng|trên|hơn|gần|tới|xấp xỉ|tối thiểu|ít nhất)\s*$", "", lead
    ).rstrip()
    if _RANK_BEFORE.search(lead + " "):
        return "rank"
    for cue, regex in _CUE_WORDS:
        if regex.search(lead):
            if cue == "attainment":
                if unit == "%" and _ATTAINMENT_REF.match(after_unit):
                    return "attainment"
                if unit == "%" and re.search(r"\bvượt\s*$", lead) and not _RATIO_REF.match(after_unit):
                    return "attainment"
                if unit == "%" and _RATIO_REF.match(after_unit):
                    return "ratio"
                if unit == "%" and re.search(r"\bbằng\s*$", lead):
                    return "ratio"
                return "level"
            return cue
    if unit == "%" and re.search(r"\bbằng\s*$", lead):
        return "ratio"
    return "level"


def _year_in(text: str) -> int | None:
    best = None
    for regex in _YEAR_IN_TEXT:
        for m in regex.finditer(text):
            if _COMPARISON_BEFORE_YEAR.search(text, max(0, m.start() - 60), m.start()):  # (at most 50 characters)
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), int(m.group(1)))
    return best[1] if best else None


def section_context(section: str) -> tuple[int | None, str | None]:
    """Year and role ("results" / "targets") from the innermost headings that give them."""
    year = role = None
    for heading in reversed(section.split(" › ")):
        if year is None and (m := _SECTION_YEAR.search(heading)):
            year = int(m.group(1))
        if role is None:
            if _ROLE_FORECAST.search(heading):
                role = "targets"
            elif _ROLE_RESULT.search(heading):
                role = "results"
            elif _ROLE_TARGET.search(heading):
                role = "targets"
    return year, role


@dataclass
class _Chain:
    """The mentions that share a subject: the first, whether one is a share, and the last level (and share) of it
    at each bracket depth, to which an attainment or change refers."""

    first: Mention
    has_share: bool = False
    levels: dict[int, Mention] = dataclasses.field(default_factory=dict)
    shares: dict[int, Mention] = dataclasses.field(default_factory=dict)

    def add(self, m: Mention) -> None:
        self.has_share = self.has_share or m.cue == "share"
        if m.cue in ("level", "target", "count"):
            self.levels[m.depth] = m
        elif m.cue == "share":
            self.shares[m.depth] = m

    def anchor(self, depth: int) -> Mention | None:
        return _last(self.levels, depth) or _last(self.shares, depth)


def _last(by_depth: dict[int, Mention], depth: int) -> Mention | None:
    """The last of the mentions (one per depth) at ``depth`` or less deep."""
    return max((m for d, m in by_depth.items() if d <= depth), key=lambda m: m.mention_id, default=None)


@dataclass
class _Sentence:
    """What every mention of a sentence shares: its text, bracket depths, clauses and context; and, as its figures
    are read in order, the ones read so far, indexed for what a figure asks of the ones before it."""

    sentence: Sentence
    source: Source
    first_id: int
    text: str
    depths: list[int]
    clause_starts: list[int]
    sec_year: int | None
    sec_role: str
    lead_in_year: int | None
    out: list[Mention] = dataclasses.field(default_factory=list)
    outer: dict[int, Mention] = dataclasses.field(default_factory=dict)  # the last mention at each depth
    in_clause: dict[int, Mention] = dataclasses.field(default_factory=dict)  # ... of the last mention's clause
    chains: dict[int, _Chain] = dataclasses.field(default_factory=dict)  # by head_id
    has_plan: bool = False

    @classmethod
    def of(cls, sentence: Sentence, source: Source, first_id: int) -> _Sentence:
        text = sentence.text
        depths = _depths(text)
        sec_year, sec_role = section_context(sentence.section)
        if sec_role is None:
            sec_role = "targets" if source.target_years and not source.results_years else "results"
        lead_in = _LEAD_IN.match(text)
        return cls(sentence, source, first_id, text, depths, _clause_starts(text, depths), sec_year, sec_role,
                   _year_in(lead_in.group()) if lead_in else None)

    @property
    def next_id(self) -> int:
        return self.first_id + len(self.out)

    def clause_of(self, i: int) -> int:
        return bisect_right(self.clause_starts, i) - 1

    def by_id(self, mention_id: int) -> Mention | None:
        i = mention_id - self.first_id
        return self.out[i] if 0 <= i < len(self.out) else None

    def add(self, mentions: list[Mention]) -> None:
        for m in mentions:
            if self.out and self.out[-1].clause != m.clause:
                self.in_clause = {}
            self.out.append(m)
            self.outer[m.depth] = self.in_clause[m.depth] = m
            self.chains.setdefault(m.head_id, _Chain(m)).add(m)
            self.has_plan = self.has_plan or m.kind == "plan"
            self.years.mask(m.start, m.end)

    @cached_property
    def open_quotes(self) -> list[int]:
        return [i for i, ch in enumerate(self.text) if ch == "“"]

    @cached_property
    def close_quotes(self) -> list[int]:
        return [i for i, ch in enumerate(self.text) if ch == "”"]

    @cached_property
    def years(self) -> _Years:
        return _Years(self.text, self.depths, self.clause_starts)

    @cached_property
    def matches(self) -> dict[str, Matches]:
        patterns = {"plan": _PLAN_WORD, "per_person": _PER_PERSON, "target": _TARGET, "estimate": _ESTIMATE}
        return {name: Matches(regex, self.text) for name, regex in patterns.items()}

    @cached_property
    def context_year(self) -> int | None:
        return _year_in(self.sentence.context)


@dataclass
class _Scan:
    """How far the years of a sentence at one depth are read: the pieces read (where each starts, the year it
    says), and the words since the last piece."""

    starts: list[int] = dataclasses.field(default_factory=list)
    years: list[int | None] = dataclasses.field(default_factory=list)
    last: list[int] = dataclasses.field(default_factory=list)  # index of the last piece up to this one with a year
    pending: str = ""
    pending_start: int = 0


class _Years:
    """The last year a sentence says before a point, as ``_year_in`` reads the text with the figures before the
    point (numeral, unit and tail) and what brackets deeper than a depth hold blanked out. The blanked text is
    read once per depth, piece by piece (a year phrase never crosses a comma, a semicolon or a clause's start),
    so that a year said early in a long clause is found without reading the clause again for every figure."""

    def __init__(self, text: str, depths: list[int], clause_starts: list[int]):
        self.text, self.depths, self.clause_starts = text, depths, clause_starts
        self.masked = bytearray(len(text))
        self.masked_to = 0
        self.scans: dict[int, _Scan] = {}

    def mask(self, start: int, end: int) -> None:
        lo = max(start, self.masked_to)
        if end > lo:
            self.masked[lo:end] = b"\x01" * (end - lo)
            self.masked_to = end

    def last(self, depth: int, lo: int, hi: int) -> int | None:
        """The year ``_year_in`` reads in ``text[lo:hi]`` blanked; ``lo`` is a clause's start, ``hi`` a clause's
        start or the numeral being read (everything before it is read, and blanked, for good)."""
        scan = self.scans.setdefault(depth, _Scan())
        self._read(scan, depth, hi)
        if scan.pending_start >= lo and scan.pending_start < hi:
            year = _year_in(scan.pending)
            if year is not None:
                return year
        k = bisect_left(scan.starts, hi) - 1
        j = scan.last[k] if k >= 0 else -1
        return scan.years[j] if j >= 0 and scan.starts[j] >= lo else None

    def _read(self, scan: _Scan, depth: int, hi: int) -> None:
        at = scan.pending_start + len(scan.pending)
        if hi <= at:
            return
        words, start = scan.pending + self._blanked(at, hi, depth), scan.pending_start
        clauses = self.clause_starts[bisect_left(self.clause_starts, at):bisect_left(self.clause_starts, hi)]
        cuts = sorted({c - start for c in clauses} | {m.end() for m in _CUT.finditer(words)})
        piece = 0
        for cut in [*cuts, None]:
            end = len(words) if cut is None else cut
            while end - piece > _SEGMENT:  # a long stretch without a comma: in pieces, each ending after a space
                split = words.rfind(" ", piece + _SEGMENT // 2, piece + _SEGMENT) + 1 or piece + _SEGMENT
                self._piece(scan, start + piece, words[piece:split])
                piece = split
            if cut is not None and cut > piece:
                self._piece(scan, start + piece, words[piece:cut])
                piece = cut
        scan.pending, scan.pending_start = words[piece:], start + piece

    def _blanked(self, at: int, hi: int, depth: int) -> str:
        """``text[at:hi]`` with the figures' spans, and what brackets deeper than ``depth`` hold, blanked."""
        parts, i = [], at
        while i < hi:  # the figures' spans, a run at a time
            j = self.masked.find(1, i, hi)
            j = hi if j < 0 else j
            k = self.masked.find(0, j, hi) if j < hi else hi
            k = hi if k < 0 else k
            parts += [self.text[i:j], " " * (k - j)]
            i = k
        words = "".join(parts)
        if max(self.depths[at:hi], default=0) <= depth:
            return words
        return "".join(" " if d > depth else c for c, d in zip(words, self.depths[at:hi], strict=True))

    @staticmethod
    def _piece(scan: _Scan, start: int, words: str) -> None:
        year = _year_in(words)
        scan.starts.append(start)
        scan.years.append(year)
        scan.last.append(len(scan.years) - 1 if year is not None else (scan.last[-1] if scan.last else -1))


@dataclass(slots=True)
class _Draft:
    """One mention as it is read: numeral, unit, lead, subject, cue, kind, year, quote."""

    m: re.Match
    number: float
    high: float | None
    start: int
    end: int
    clause: int
    unit_written: str = ""
    unit: str = ""
    factor: float = 1.0
    unit_len: int = 0
    after_unit: str = ""
    ref: re.Match | None = None
    tail_end: int = 0
    clause_start: int = 0
    lead_start: int = 0
    lead: str = ""
    qualifier: str = ""
    cue: str = ""
    subject: str = ""
    subject_start: int = 0
    subject_end: int = 0
    prev: Mention | None = None
    own_words: bool = False
    head_id: int = 0
    chain: _Chain | None = None
    anchor: Mention | None = None
    value: float = 0.0
    value_high: float | None = None
    kind: str = ""
    stated_plan: bool = False
    year: int | None = None
    compared: re.Match | None = None
    versus_pair: bool = False

    @property
    def fraction(self) -> bool:
        return self.m.group("den") is not None


def sentence_mentions(sentence: Sentence, source: Source, first_id: int = 1) -> list[Mention]:
    """The quantity mentions of one sentence: each numeral, then its unit, the words before it (its lead),
    its subject, cue, value, kind and year, and the quote."""
    s = _Sentence.of(sentence, source, first_id)
    prev_end = 0
    for m in _CANDIDATE.finditer(s.text):
        d = _draft(s, m)
        if d is None:
            continue
        _unit(s, d)
        _lead(s, d, prev_end)
        _first_cue(s, d)
        _subject(s, d)
        _refine_cue(s, d)
        _tail(s, d)
        _value(d)
        _kind(s, d)
        _year(s, d)
        s.add(_mentions_of(s, d))
        prev_end = s.out[-1].span_end
    return s.out


def _draft(s: _Sentence, m: re.Match) -> _Draft | None:
    if not _is_mention(s, m):
        return None
    try:
        number = parse_number(m.group("num"))
        high = parse_number(m.group("high")) if m.group("high") else None
    except ValueError:
        return None
    return _Draft(m, number, high, m.start(), m.end(), s.clause_of(m.start()))


def _unit(s: _Sentence, d: _Draft) -> None:
    found = find_unit(s.text[d.end:d.end + _AFTER])
    if found:
        u, d.unit_len = found
        d.unit_written, d.unit, d.factor = u.written, u.unit, u.factor
    if d.fraction:
        d.unit = d.unit or "count"
    d.after_unit = s.text[d.end + d.unit_len:d.end + d.unit_len + _AFTER]  # (the patterns that read it are anchored)
    d.ref = _REFERENCE.match(d.after_unit)
    d.tail_end = d.end + d.unit_len + (d.ref.end() if d.ref else 0)


def _lead(s: _Sentence, d: _Draft, prev_end: int) -> None:
    """The lead: text since the previous mention of the clause (or the clause start). What closes a bracket
    opened before it belongs to the previous mention, not to this one."""
    text, start = s.text, d.start
    d.clause_start = s.clause_starts[d.clause]
    d.lead_start = max(prev_end, d.clause_start)
    lead = text[d.lead_start:start]
    closing = _unbalanced(lead, ")")
    if closing is not None:
        d.lead_start += closing + 1
        lead = text[d.lead_start:start]
    opening = _unbalanced(lead, "(")
    if opening is not None and prev_end > d.clause_start:
        # "... 87,9% GTSX công nghiệp toàn tỉnh (tăng 1,8%)": the bracket is the lead
        d.lead_start += opening + 1
        lead = text[d.lead_start:start]
    d.lead = lead


def _first_cue(s: _Sentence, d: _Draft) -> None:
    """Qualifier and cue from the words around the numeral."""
    d.qualifier, _ = find_qualifier(d.lead)
    if d.high is not None:
        d.qualifier = "range"
    d.cue = _cue(d.lead, d.after_unit, d.unit, d.m.group("sign") or "")
    if (
        d.cue == "ratio"
        and not _RATIO_REF.match(d.after_unit)
        and (s.matches["plan"].within(d.clause_start, d.start) or s.has_plan)
    ):
        d.cue = "attainment"  # "Kế hoạch vốn ... là 10.994 tỷ đồng: ... đạt 10.691 tỷ đồng (bằng 97,2%)"
    if _TOP_GROUP.search(d.lead):
        d.cue, d.qualifier = "rank", "<="  # "duy trì thứ hạng nhóm 10 tỉnh": within the top 10


def _subject(s: _Sentence, d: _Draft) -> None:
    """What the figure is of: its own words, the words after a bare number, or the subject before it; and the
    chain of mentions sharing it, with the level (or share) a figure of the chain refers to."""
    text, depth = s.text, s.depths[d.start]
    subject, offset = _trim_subject(d.lead)
    d.subject, d.subject_start = subject, d.lead_start + offset
    d.subject_end = d.subject_start + len(subject)
    d.own_words = bool(re.search(r"[^\W\d_]{2,}", _content(_trim_subject(re.sub(r"\([^()]*\)", " ", d.lead))[0])))
    same_clause = _last(s.in_clause, depth) if s.out and s.out[-1].clause == d.clause else None
    # a clause with a cue but no subject ("; chiếm tỷ trọng 87,9%") continues the one before
    d.prev = same_clause or (_last(s.outer, depth) if not d.own_words and _has_cue_word(d.lead) else None)
    # with no words of its own, a number names what follows it ("khoảng 44% lực lượng lao động
    # ... tham gia BHXH", "370 triệu thiết bị ngoại vi"), else shares the subject before it
    after = (
        _SUBJECT_AFTER.match(text, d.end + d.unit_len)
        if not d.own_words and d.unit in ("%", "count") and d.cue != "share"  # after a share: the whole it is of
        else None
    )
    d.head_id = s.next_id
    if after and after.group(1).strip() and (d.prev is None or len(after.group(1).split()) >= 2):
        d.subject, d.subject_start, d.subject_end = after.group(1).strip(), after.start(1), after.end(1)
    elif d.prev is not None and not d.own_words:
        d.subject, d.subject_start, d.subject_end = d.prev.subject, d.prev.span_start, d.prev.span_end
        d.head_id = d.prev.head_id
    d.chain = s.chains.get(d.head_id)
    d.anchor = d.chain.anchor(depth) if d.chain else None


def _refine_cue(s: _Sentence, d: _Draft) -> None:
    """The cue and unit as the subject, the chain and the figures before it settle them."""
    start, prev, chain = d.start, d.prev, d.chain
    if d.unit == "bn VND" and d.factor == 0.001 and re.search(r"/\s*0?1?\s*ha\b", d.subject):
        d.unit, d.factor = "mn VND/ha", 1.0
    elif d.unit == "bn VND" and d.factor == 0.001 and s.matches["per_person"].within(d.clause_start, start):
        d.unit, d.factor = "mn VND/person", 1.0  # "GRDP bình quân đầu người đạt 108,6 triệu đồng"
    if d.cue == "level" and prev is not None and d.own_words and not _has_cue_word(d.lead):
        # a list of parallel items: "Lạng Giang tăng 39,4%, Yên Thế 39,5%"
        parallel = s.by_id(prev.head_id) or prev
        if parallel.cue in ("growth", "decline", "share") and parallel.unit == d.unit:
            d.cue = parallel.cue
    if d.cue in ("growth", "decline") and d.unit not in ("%", ""):
        d.cue = "change"
    after_share = prev is not None and prev.cue == "share" and s.depths[start] > prev.depth
    rate_anchor = d.anchor is not None and d.anchor.unit == "%" and d.anchor.cue in ("level", "target", "share")
    if (
        d.cue in ("growth", "decline")
        and d.unit == "%"
        and (_RATE_WORDS.search(d.subject) or (chain and chain.first.cue == "share") or after_share or rate_anchor)
    ):
        d.cue = "pp_change"  # a change of a share or rate: "chiếm tỷ trọng 9,9% (giảm 1,4%)"
    if d.cue == "change" and re.search(r"\bvốn\b[^,;]*tăng thêm\s*$", d.lead):
        d.cue = "level"  # "vốn đăng ký tăng thêm 548,8 tỷ đồng": an amount of added capital
    if d.cue == "level" and chain and re.fullmatch(r"[\s,]*(?:và)?[\s,]*", d.lead) and chain.has_share:
        d.cue = "share"  # "lần lượt chiếm 16%, tăng 2,1% và 16,8%"
    if d.cue == "level" and d.unit == "count" and not re.search(r"/\s*(?:10\.000|vạn)", d.subject):
        d.cue = "count"  # (a ratio per 10,000 people stays a level)
    if d.cue == "rank":
        d.unit = ""  # "đứng thứ 9", "xếp hạng 31/63": the rank itself


def _tail(s: _Sentence, d: _Draft) -> None:
    """Where the quote of the figure ends: the whole a share is of, what was counted."""
    if d.cue == "share":  # "chiếm 47,4% GRDP": the whole the share is of
        d.tail_end = _SHARE_TAIL.match(s.text, d.tail_end).end()
    elif d.unit in ("count", "ha", "tonnes", "km", "m2", "m3") and not d.ref:
        # what was counted: "10 nghìn ha rừng tập trung, vượt 38,9% kế hoạch"
        noun = _NOUN_TAIL.match(s.text, d.tail_end)
        d.tail_end = noun.end() if noun else d.tail_end


def _value(d: _Draft) -> None:
    d.value = round(d.number * d.factor, 6)
    d.value_high = round(d.high * d.factor, 6) if d.high is not None else None
    if d.cue == "attainment" and re.search(r"\b(?:vượt|tăng)\s+(?:khoảng\s+|trên\s+|hơn\s+)?$", d.lead):
        d.value = 100.0 + d.number
    elif d.cue == "attainment" and re.search(r"\bgiảm\s+(?:khoảng\s+|trên\s+|hơn\s+)?$", d.lead):
        d.value = 100.0 - d.number


def _kind(s: _Sentence, d: _Draft) -> None:
    """Plan, estimate, actual or attainment: from the clause, the lead and the section."""
    text, start = s.text, d.start
    targeted = s.matches["target"].within(d.clause_start, start) or (
        s.sec_role == "targets" and not _RESULT_ESTIMATE.search(text, d.clause_start, start)) or (  # "ước đạt"
        _listed_target(s, d))
    if d.cue == "attainment" and targeted and re.search(r"hoàn thành\s*$", d.lead):
        d.cue = "level"  # "hoàn thành 100% chỉ tiêu" in a plan is a target
    if d.cue == "attainment":
        d.kind = "attainment"
    elif targeted or _PLANNED_AMOUNT.search(d.lead):
        d.kind = "plan"
    elif _PLAN_VALUE.search(text[max(0, start - 40):start]):
        d.kind = "plan"  # "(kế hoạch 10,5%)", "bằng 86% kế hoạch năm (36.500 tỷ đồng)": this year's plan
        d.stated_plan = True
    elif s.matches["estimate"].within(0, start):
        d.kind = "estimate"
    else:
        d.kind = "actual"
    if targeted and d.kind == "plan":
        if d.cue in ("level", "count"):
            d.cue = "target"
        if d.cue == "target" and re.match(r"(?:tốc độ tăng|tăng trưởng)", d.subject, re.IGNORECASE):
            d.cue = "growth"  # a target rate of growth: "Tốc độ tăng năng suất lao động 11,9%"


def _listed_target(s: _Sentence, d: _Draft) -> bool:
    """An item of a list of targets: "phấn đấu tốc độ tăng trưởng GRDP từ 14,5% trở lên; GRDP bình quân đầu người
    đạt 5.800 USD; thu ngân sách 12.800 tỷ đồng; ..." (the items after the target word's, each after a ";")."""
    starts = s.matches["target"].starts
    i = bisect_left(starts, d.clause_start) - 1
    if i < 0:
        return False
    between = s.text[starts[i]:d.clause_start]
    if between[:6].lower() == "chỉ ti":  # "chỉ tiêu giao thu 80%; thu nợ phát sinh ... là 3.188,7": a plan value
        return False
    return ";" in between and not _RESULT_ESTIMATE.search(s.text, starts[i], d.start) and not (
        s.matches["estimate"].within(d.clause_start, d.start))


def _year(s: _Sentence, d: _Draft) -> None:
    """Said in the lead, else the chain's, else said earlier in the clause (not inside another number's
    comparison, "bằng 84,4% năm 2021"), else the sentence's opening ("Năm 2022, ..."), else the section's,
    else the registry's."""
    text, start, depth = s.text, d.start, s.depths[d.start]
    d.compared = compared = _COMPARED_YEAR.search(text[max(0, start - 40):start])
    # "so với cùng kỳ năm 2021 (494/520 vụ)": this year's figure over the compared year's, not X of Y
    d.versus_pair = (compared is not None and d.fraction and d.m.group("den2") is None
                     and not re.search(r"[^\W\d_]", text[text.rfind("(", 0, start) + 1:start]))
    year = (
        (int(compared.group(1)) if compared and not d.versus_pair else None)
        or _year_in(d.lead)
        or (d.chain.first.year if d.chain else None)
        or s.years.last(depth, d.clause_start, start)  # the clause before it, blanked (other figures, brackets)
        or s.years.last(0, 0, d.clause_start)  # the clauses before it
        or s.lead_in_year
        or s.context_year
    )
    if year is None:
        year = s.sec_year
    if year is None:
        source = s.source
        years = source.target_years if d.kind == "plan" and not d.stated_plan else source.results_years
        year = (years or source.target_years or source.results_years or (None,))[0]
    d.year = year


def _mentions_of(s: _Sentence, d: _Draft) -> list[Mention]:
    """The mention, with its quote (a short clause whole); two for "X/Y" compared with the year before."""
    text, start, mention_id = s.text, d.start, s.next_id
    span_start, span_end = min(d.subject_start, start), max(d.subject_end, d.tail_end)
    quote_start = d.chain.first.span_start if d.chain else span_start
    if span_end - d.clause_start <= _SHORT_CLAUSE:  # quote a short clause whole
        quote_start = min(quote_start, d.clause_start)
    if span_end - quote_start > _MAX_QUOTE:  # a long chain of figures: the words nearest this one
        cut = min(start, span_end - _MAX_QUOTE)
        quote_start = text.find(" ", cut, start) + 1 or cut
    quote = re.sub(r"\s+", " ", text[quote_start:span_end]).strip(" ,;:").lstrip("-+• ")
    mention = Mention(
        doc_id=s.sentence.doc_id, sentence_id=s.sentence.sentence_id, mention_id=mention_id,
        line=s.sentence.line_at(start), start=start, end=d.tail_end, text=text[start:d.end], number=d.number,
        number_high=d.high, unit_as_written=d.unit_written, unit=d.unit, value=d.value, value_high=d.value_high,
        qualifier=d.qualifier, cue=d.cue, kind=d.kind, year=d.year, subject=d.subject, span_start=span_start,
        span_end=span_end, depth=s.depths[start], clause=d.clause, head_id=d.head_id,
        anchor_id=d.anchor.mention_id if d.anchor else mention_id, quote=quote,
        section=s.sentence.section, lead_start=d.lead_start, subject_start=d.subject_start, numeral_end=d.end,
        clause_start=d.clause_start,
    )
    if not d.versus_pair:
        return [mention]
    den = parse_number(d.m.group("den"))
    mention = dataclasses.replace(mention, text=d.m.group("num"))
    return [mention, dataclasses.replace(
        mention, mention_id=mention_id + 1, start=d.m.start("den"), text=d.m.group("den"), number=den,
        value=round(den * d.factor, 6), year=int(d.compared.group(1)), head_id=mention_id + 1,
        anchor_id=mention_id + 1)]


def _unbalanced(text: str, bracket: str) -> int | None:
    """Index of the last ``)`` closing a bracket opened before ``text`` (``bracket=")"``), or of
    the last ``(`` left open at the end of ``text`` (``bracket="("``)."""
    if bracket not in text:
        return None
    _depth, last_close, opened = 0, None, []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
        elif ch == ")":
            if opened:
                opened.pop()
            else:
                last_close = i
    if bracket == ")":
        return last_close
    return opened[-1] if opened else None


def _has_cue_word(lead: str) -> bool:
    return any(regex.search(lead.rstrip()) for _, regex in _CUE_WORDS) or bool(_RANK_BEFORE.search(lead))


def document_mentions(sentences: list[Sentence], source: Source) -> list[Mention]:
    out: list[Mention] = []
    for sentence in sentences:
        out.extend(sentence_mentions(sentence, source, first_id=len(out) + 1))
    return out


def mentions_table(mentions: list[Mention]) -> pd.DataFrame:
    row = operator.attrgetter(*COLUMNS)  # (a row as a tuple: a list of dicts would take several times the memory)
    return pd.DataFrame([row(m) for m in mentions], columns=COLUMNS).astype(
        {"number": float, "value": float, "value_high": float, "year": "Int64"}
    )
