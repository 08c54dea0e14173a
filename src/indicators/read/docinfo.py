"""What a document says about itself: its type, title, date of issue and the years it covers.

``indicators add-source FILE`` needs nothing else: the opening lines of an official document name its type
("BÁO CÁO", "KẾ HOẠCH", "THÔNG CÁO BÁO CHÍ"), its title ("Về tình hình thực hiện kế hoạch phát triển kinh tế - xã
hội năm 2023; mục tiêu, nhiệm vụ năm 2024") and its place and date ("Bắc Giang, ngày 05 tháng 01 năm 2024"); a
news article gives a date line ("Cập nhật: 05/01/2025"). The years a title ties to results ("tình hình", "kết
quả") are the years it reports on, those tied to goals ("mục tiêu", "nhiệm vụ", "kế hoạch") the years it sets
targets for; a review issued early in a year reports on the year before.
"""

from __future__ import annotations

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
_PLACE_DATE = re.compile(r"^[^\n,;:]{2,40},\s*ngày\s*(\d{0,2})[\s.…_]*tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)",
                         re.IGNORECASE | re.MULTILINE)
_FULL_DATE = re.compile(r"^\W*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)",
                        re.IGNORECASE | re.MULTILINE)
# a news page's date line: "Cập nhật: 05/01/2025", "Thứ hai, 05/01/2025 09:30"
_NUMERIC_DATE = re.compile(r"^\W*(?:ngày|cập nhật|đăng|xuất bản|thời gian|thứ \w+|chủ nhật)[^0-9\n]{0,20}"
                           r"(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)", re.IGNORECASE | re.MULTILINE)
_YEAR = re.compile(r"\b(?:năm|NĂM)\s+((?:19|20)\d\d)\b(?!\s*[-–]\s*\d)")
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
        year = (self.results or self.targets or [int(self.issued[:4])] if self.issued else [0])[0]
        base = f"{_TYPE_WORDS[self.doc_type][2]}-{year}"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\\*", "*")
    return re.sub(r"\s+", " ", re.sub(r"[*#_]+", " ", line)).strip()


def _issued(head: str) -> tuple[str, str]:
    for regex in (_PLACE_DATE, _FULL_DATE, _NUMERIC_DATE):
        m = regex.search(head)
        if not m:
            continue
        day, month, year = (int(g) if g else 0 for g in m.groups())
        if not 1 <= month <= 12 or day > 31:
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
        years = [int(y) for y in _YEAR.findall(part)]
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


def read_info(text: str) -> DocumentInfo:
    """What the opening lines of ``text`` say about the document (fields left empty where they say nothing)."""
    lines = [_clean(line) for line in text.split("\n")[:_HEAD_LINES]]
    lines = [line for line in lines if line]
    head = "\n".join(lines)
    info = DocumentInfo()
    info.doc_type, info.title = _title(lines)
    if info.title:
        info.found["title"] = info.title
    info.issued, said = _issued(head)
    if said:
        info.found["issued"] = said
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
    issued_year = int(info.issued[:4]) if info.issued else None
    if not info.results and not info.targets and issued_year:
        early = len(info.issued) >= 7 and int(info.issued[5:7]) <= 2  # a review of January reports the year before
        if info.doc_type == "plan":
            info.targets = [issued_year]
        else:
            info.results = [issued_year - 1 if early else issued_year]
    if info.doc_type in ("report", "press_release") and info.results and not info.targets:
        info.targets = [max(info.results) + 1]  # a report's goals, where it sets any, are for the year after
    if not info.results and not info.targets and not issued_year:  # nothing said: the year the text names most
        years = [int(y) for y in _YEAR.findall(text)]
        if years:
            common = max(set(years), key=years.count)
            (info.targets if info.doc_type == "plan" else info.results).append(common)
    if not info.issued and (info.results or info.targets):
        info.issued = str(max(info.results) if info.results else min(info.targets))
    return info
