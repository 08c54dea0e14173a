"""What a document says about itself: its type, title, date of issue and the years it covers.

``indicators add-source FILE`` needs nothing else: the opening lines of an official document name its type
("BÁO CÁO", "KẾ HOẠCH", "THÔNG CÁO BÁO CHÍ"), its title ("Về tình hình thực hiện kế hoạch phát triển kinh tế - xã
hội năm 2023; mục tiêu, nhiệm vụ năm 2024") and its place and date ("Bắc Giang, ngày 05 tháng 01 năm 2024"); a
news article gives a date line ("Cập nhật: 05/01/2025"). The years a title ties to results ("tình hình", "kết
quả") are the years it reports on, those tied to goals ("mục tiêu", "nhiệm vụ", "kế hoạch") the years it sets
targets for; a review issued early in a year reports on the year before. The part of the year a text reports
("6 tháng đầu năm 2024", "quý I/2025", "tháng 11 và 11 tháng") is read from its title, else its opening lines; a
plan's horizon ("đến năm 2030", "tầm nhìn 2050") is never a year of the text, and a date is taken only if it can
be the document's (not before the years it reports, not after today).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

_HEAD_LINES = 60
_TYPES = [  # (document type, the words of its title line), most specific first
    ("press_release", re.compile(r"^\W*THÔNG\s+CÁO\s+BÁO\s+CHÍ\b")),
    ("report", re.compile(r"^\W*BÁO\s+CÁO\b")),
    ("plan", re.compile(r"^\W*(?:KẾ\s+HOẠCH|CHƯƠNG\s+TRÌNH\s+HÀNH\s+ĐỘNG|NGHỊ\s+QUYẾT)\b")),
]
_TYPE_WORDS = {
    "press_release": ("Thông cáo báo chí", "Press release", "press"),
    "report": ("Báo cáo", "Report", "report"),
    "plan": ("Kế hoạch", "Plan", "plan"),
    "article": ("Bài viết", "Article", "article"),
}
# "Bắc Giang, ngày 02 tháng 12 năm 2021" (the day may be left blank: "ngày    tháng 01 năm 2024")
_PLACE_DATE = re.compile(r"^[^\n,;]{2,60},\s*ngày\s*(\d{0,2})[\s.…_]*tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)",
                         re.IGNORECASE | re.MULTILINE)
_FULL_DATE = re.compile(r"^\W*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)",
                        re.IGNORECASE | re.MULTILINE)
# a news page's date line: "Cập nhật: 05/01/2025", "Thứ hai, 05/01/2025 09:30"
_NUMERIC_DATE = re.compile(r"^\W*(?:ngày|cập nhật|đăng|xuất bản|thời gian|thứ \w+|chủ nhật)[^0-9\n]{0,20}"
                           r"(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)", re.IGNORECASE | re.MULTILINE)
# "năm 2024", "quý I/2025", "6 tháng/2024", "tháng 11/2023" (never a plan's horizon: "đến năm 2030", "giai đoạn
# 2021-2030", "tầm nhìn 2050")
_YEAR = re.compile(r"(?<!đến )(?<!ĐẾN )(?<!nhìn )(?<!NHÌN )\b(?:năm|NĂM)\s+((?:19|20)\d\d)\b(?!\s*[-–]\s*\d)"
                   r"|(?:\b(?:quý|QUÝ)\s+[IV1-4]{1,3}|\btháng\s*\d{0,2}|\bTHÁNG\s*\d{0,2})\s*/\s*((?:19|20)\d\d)\b")
# the part of a year a text reports: "6 tháng đầu năm", "quý I", "9 tháng", "nửa đầu năm", "tháng 11"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PART = re.compile(r"\b(?:(?P<n>\d{1,2}|sáu|chín)\s+tháng(?:\s+đầu\s+năm|\s+năm|\s*/|\s*$|(?=[\s,.;:]))(?!\s+cuối)"
                   r"|(?P<half>nửa đầu năm)|quý\s+(?P<q>iv|iii|ii|i|[1-4])\b|tháng\s+(?P<m>\d{1,2})\b(?!\s*tháng)"
                   r"(?:\s+năm|\s*/\s*(?:19|20)\d\d|\s*$|(?=[\s,.;:]))(?!\s*(?:đầu|cuối)))", re.IGNORECASE)
_WHOLE = re.compile(r"\b(?:cả năm|năm\s+(?:19|20)\d\d|tổng kết năm)", re.IGNORECASE)
_RESULT_WORDS = re.compile(r"tình hình|kết quả|thực hiện (?:kế hoạch|nhiệm vụ)|đánh giá|tổng kết", re.IGNORECASE)
_TARGET_WORDS = re.compile(r"mục tiêu|nhiệm vụ|giải pháp|phương hướng|kế hoạch phát triển|chỉ tiêu|dự toán",
                           re.IGNORECASE)
_TEXT_STARTS = re.compile(r"^\W*(?:Kính gửi|Căn cứ|(?:[IVX]{1,4}|\d{1,2})\.\s)")  # the first words after a title
_ABOUT = re.compile(r"^\W*(?:Về|V/v|Về việc|Thực hiện|Triển khai|Tình hình|Kết quả|Tổng kết|Đánh giá|Mục tiêu)\b",
                    re.IGNORECASE)


@dataclass
class DocumentInfo:
    doc_type: str = "article"
    title: str = ""
    issued: str = ""
    results: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    issuer: str = ""  # a district's People's Committee when its heading names one ("UBND HUYỆN LỤC NAM")
    period: str = "year"  # the part of the year it reports: year, q1-q4, 1m-11m, month
    month: int = 0  # for a month's report, which month
    found: dict[str, str] = field(default_factory=dict)  # field -> the words it was read from

    def titles(self) -> dict[str, str]:
        """Vietnamese and English titles and short titles (for chart source notes)."""
        vi_word, en_word, _ = _TYPE_WORDS[self.doc_type]
        years = sorted({*self.results, *self.targets})
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else self.issued[:4])
        title_vi = self.title or f"{vi_word} {span}"
        parts_en = []
        if self.results:
            parts_en.append("results " + ", ".join(map(str, self.results)))
        if self.targets:
            parts_en.append("targets " + ", ".join(map(str, self.targets)))
        title_en = f"{en_word} of Bắc Giang province" + (f" ({'; '.join(parts_en)})" if parts_en else "")
        return {"title_vi": title_vi, "title_en": title_en, "short_title_vi": f"{vi_word} {span}",
                "short_title_en": f"{en_word} {span}"}

    def doc_id(self, taken: set[str]) -> str:
        """A new id from the type and the main year: report-2023, plan-2024, press-2023 (-2, -3, ... if taken)."""
        year = (self.results or self.targets or ([int(self.issued[:4])] if self.issued else [0]))[0]
        base = f"{_TYPE_WORDS[self.doc_type][2]}-{year}" + period_suffix(self.period, self.month)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate


def period_suffix(period: str, month: int = 0) -> str:
    """The part of a doc id that says the period: "" (a year), "-h1", "-q1", "-9m", "-m11"."""
    if period == "year":
        return ""
    if period == "month":
        return f"-m{month:02d}" if month else "-month"
    return "-h1" if period == "6m" else f"-{period}"


def years_in(text: str) -> list[int]:
    """The years ``text`` names as what it is about (a plan's horizon and a span's years left out)."""
    return [int(a or b) for a, b in _YEAR.findall(text)]


def period_of(text: str) -> tuple[str, int, str] | None:
    """The part of the year ``text`` names first, before any whole year: (period, month, the words), or None
    when it names the whole year first, or nothing."""
    whole = _WHOLE.search(text)
    part = _PART.search(text)
    while part is not None:  # "tháng 6 và 6 tháng đầu năm", "quý IV và năm 2024": the longer period named after
        joined = re.compile(r"\s*(?:và|,)\s*", re.IGNORECASE).match(text, part.end())
        if joined is None:
            break
        if whole is not None and whole.start() == joined.end():
            return "year", 0, whole.group(0)
        after = _PART.match(text, joined.end())
        if after is None:
            break
        part = after
    if part is None or (whole is not None and whole.start() < part.start()):
        return ("year", 0, whole.group(0)) if whole else None
    if part.group("half"):
        return "6m", 0, part.group(0)
    if part.group("q"):
        return f"q{_ROMAN[part.group('q').lower()]}", 0, part.group(0)
    if part.group("m"):
        month = int(part.group("m"))
        return ("month", month, part.group(0)) if 1 <= month <= 12 else None
    n = {"sáu": 6, "chín": 9}.get(part.group("n").lower()) or int(part.group("n"))
    if n == 3:
        return "q1", 0, part.group(0)
    return (f"{n}m", 0, part.group(0)) if 1 <= n <= 11 else ("year", 0, part.group(0)) if n == 12 else None


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\\*", "*")
    return re.sub(r"\s+", " ", re.sub(r"[*#_]+", " ", line)).strip()


def _issued(head: str, earliest: int, latest: int) -> tuple[str, str]:
    """The first date line of a kind (place and date, "ngày ... tháng ... năm ...", a news date line) whose year
    can be the document's: not before the years it reports (a law it cites is older), not after today."""
    for regex in (_PLACE_DATE, _FULL_DATE, _NUMERIC_DATE):
        for m in regex.finditer(head):
            day, month, year = (int(g) if g else 0 for g in m.groups())
            if not 1 <= month <= 12 or day > 31 or not earliest <= year <= latest:
                continue
            return (f"{year:04d}-{month:02d}-{day:02d}" if day else f"{year:04d}-{month:02d}"), m.group(0).strip()
    return "", ""


def _title(lines: list[str]) -> tuple[str, str]:
    """The document type and its title: the type line and the lines after it up to the first sentence of text."""
    for i, line in enumerate(lines):
        for doc_type, regex in _TYPES:
            if regex.match(line):
                words = [line]
                for nxt in lines[i + 1:i + 6]:
                    if not nxt or len(nxt) > 400 or _TEXT_STARTS.match(nxt):
                        break
                    if len(words) > 1 and nxt.rstrip().endswith(":"):
                        break  # the first sentence of the text ("..., cụ thể như sau:")
                    # the title goes on in capitals, with "Về ..."/"Thực hiện ...", then in lines that start in lower
                    # case (a PDF line break); a line starting with a capital after that starts the text
                    if nxt.isupper() or nxt[0].islower() or (len(words) == 1 and _ABOUT.match(nxt)):
                        words.append(nxt)
                    else:
                        break
                return doc_type, " ".join(words)
    return "article", next((line for line in lines if len(line) > 20), "")


def _years(title: str) -> tuple[list[int], list[int]]:
    results, targets = [], []
    for part in re.split(r";|,\s*(?=mục tiêu|nhiệm vụ|phương hướng|kế hoạch)", title):
        years = years_in(part)
        if not years:
            continue
        result = _RESULT_WORDS.search(part)
        target = _TARGET_WORDS.search(part) or re.search(r"kế hoạch|nghị quyết", part, re.IGNORECASE)
        if result and (not target or result.start() < target.start()):  # the first words say what the part is
            results += [y for y in years if y not in results]
        elif target:
            targets += [y for y in years if y not in targets]
    return results, targets


def _headings(text: str) -> str:
    """The document's headings in capitals, consecutive lines joined ("MỤC TIÊU ... KẾ HOẠCH" + "... NĂM 2023")."""
    out, current = [], []
    for raw in text.split("\n"):
        line = _clean(raw)
        if not line:
            continue
        letters = [c for c in line if c.isalpha()]
        if len(letters) >= 8 and all(c.isupper() for c in letters):
            current.append(line)
        elif current:
            out.append(" ".join(current))
            current = []
    return ";".join(out + ([" ".join(current)] if current else []))


# the heading of a district's document: "ỦY BAN NHÂN DÂN / HUYỆN LỤC NAM", "UBND THỊ XÃ VIỆT YÊN"
_CAPITALS = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
_DISTRICT = re.compile(r"^(?:(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HUYỆN ỦY)\s+)?(HUYỆN|THỊ XÃ|THÀNH PHỐ)\s+"
                       rf"([{_CAPITALS} ]{{2,30}}?)\s*(?:$|\s{{2}})")


def _district(lines: list[str]) -> str:
    for line in lines[:4]:
        m = _DISTRICT.match(line)
        if m and "HỒ CHÍ MINH" not in m.group(2):
            return f"UBND {m.group(1).lower()} {m.group(2).strip().title()}"
    return ""


def _lead(lines: list[str], title: str) -> str:
    """The first lines of text after the title (a news page's headline and sapo, a release's opening)."""
    after = lines[next((i + 1 for i, line in enumerate(lines) if line and line in title), 0):]
    return "\n".join(line for line in after[:8] if not _NUMERIC_DATE.match(line))


def read_info(text: str, today: datetime.date | None = None) -> DocumentInfo:
    """What the opening lines of ``text`` say about the document (fields left empty where they say nothing)."""
    today = today or datetime.date.today()
    lines = [_clean(line) for line in text.split("\n")[:_HEAD_LINES]]
    lines = [line for line in lines if line]
    head = "\n".join(lines)
    info = DocumentInfo()
    info.doc_type, info.title = _title(lines)
    info.issuer = _district(lines)
    if info.title:
        info.found["title"] = info.title
    info.results, info.targets = _years(info.title)
    if info.doc_type == "article" or not (info.results or info.targets):  # no title: what its parts say
        headings = _headings(text)
        results, targets = _years(headings)
        if info.doc_type == "article" and re.search(r"TÌNH HÌNH KINH TẾ|KẾT QUẢ THỰC HIỆN KẾ HOẠCH", headings):
            info.doc_type = "report"  # a report's part one without the report's title page
        info.results = sorted({*info.results, *results})
        info.targets = sorted({*info.targets, *targets})
        if info.doc_type == "article" and info.results and info.targets:
            info.doc_type = "report"
    if info.doc_type == "plan" and info.results and not info.targets:
        info.results, info.targets = [], info.results
    _read_period(info, info.title, _lead(lines, info.title), today)
    earliest = max(info.results) if info.results else 1990
    info.issued, said = _issued(head, earliest, today.year)
    if said:
        info.found["issued"] = said
    issued_year = int(info.issued[:4]) if info.issued else None
    if not info.results and not info.targets and issued_year:
        early = len(info.issued) >= 7 and int(info.issued[5:7]) <= 2  # a review of January reports the year before
        if info.doc_type == "plan":
            info.targets = [issued_year]
        else:
            info.results = [issued_year - 1 if early else issued_year]
    if info.period != "year" and info.results and not info.targets:
        info.targets = [max(info.results)]  # a part of the year: the year's targets
    if info.doc_type != "plan" and info.results and not info.targets:
        info.targets = [max(info.results) + 1]  # a report's goals, where it sets any, are for the year after
    if not info.results and not info.targets and not issued_year:  # nothing said: the year its opening names most
        years = [y for y in years_in(head) or years_in(text) if y <= today.year]
        if years:
            common = max(set(years), key=lambda y: (years.count(y), y))
            (info.targets if info.doc_type == "plan" else info.results).append(common)
    if not info.issued and info.results:
        info.issued = str(min(max(info.results), today.year))
    elif not info.issued and info.targets:
        info.issued = str(min(min(info.targets), today.year))
    return info


def _read_period(info: DocumentInfo, title: str, lead: str, today: datetime.date) -> None:
    """The part of the year the document reports, from its title, else its opening lines; its year where the
    title gave none."""
    for words in (title, lead):
        found = period_of(words)
        if found is None:
            continue
        info.period, info.month, said = found
        if info.period != "year":
            info.found["period"] = said
            if not info.results and info.doc_type != "plan":
                at = words.find(said)
                years = [y for y in years_in(words[at:at + len(said) + 12]) or years_in(words) if y <= today.year]
                if years:
                    info.results = [years[0]]
        return
