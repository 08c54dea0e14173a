"""Text layer: a raw document → sentences, keeping for every character the line it came from.

Handles the two shapes of the source documents:

* word-processor text: long paragraphs on one line, Markdown-like ``**bold**``, ``*italic*`` and
  ``#`` headings;
* PDF text: hard line breaks mid-sentence, blank lines between lines, page numbers, and page
  footnotes interleaved with the running text. A footnote block starts after a line of spaces;
  each footnote starts with its number (``2 Ngành Công nghiệp ...``) and the block ends where the
  next page's text resumes (a line starting with a space). The numbering may start again at 1 (a
  plan followed by its annex, two parts in one file). The footnote mark in the running text
  is a number glued to a word or number (``thuế sản phẩm tăng 8,4%2.``); it is removed.

Footnotes become sentences of their own (``kind="footnote"``, with their number) and do not split
the sentence they interrupt. Text is normalised to Unicode NFC.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field

_SEPARATOR = re.compile(r"[ \t\u00a0]{10,}")  # the line of spaces above a page's footnotes
_PAGE_NUMBER = re.compile(r"\s*\d{1,3}\s*")
_FOOTNOTE_START = re.compile(r"(\d{1,3})(?:\s+|(?=[^\W\d_]))")
_NUMBERING = re.compile(r"(?:\(\d{1,2}\)|\d{1,2}(?:\.\d{1,2})*\.|[IVX]{1,4}\.|[A-ZĐ]\.|[a-zđ]\))(?=\s|$)")
_LIST_MARK = re.compile(r"[-+*•–]\s")
# a numbered section heading ("2. Thu, chi ngân sách", "III. NHIỆM VỤ"): the running text is back after footnotes
_SECTION_START = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*\.|[IVX]{1,4}\.)\s+[A-ZĐÀ-Ỹ]")
_TABLE_ROW = re.compile(r"(?:\d{1,2}\.|[IVX]{1,4}\.?)(?:\s|$)")  # "1. ", "II", "I Cắt giảm ..."
_TERMINAL = ".!?…"
_LIST_LEVEL = 9  # section level of list-item headings ("- Công nghiệp - xây dựng:")
_INLINE_HEADING = re.compile(r"\s*(?:-\s*)?\*\*(-?[^*]{2,120}?)\*\*")
_TITLE_AFTER_NUMBER = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*\.|[IVX]{1,4}\.)\s+([^\W\d_])([^\W\d_])")
_CONTINUES = re.compile(r"(?:[,(/\-–]|\b(?:và|của|các|với|cho|tại|trong|theo|về|từ|đến|là|có|được|những|hoặc|số))$")
_ABBREVIATIONS = {"TP", "Tp", "TT", "ThS", "TS", "PGS", "GS", "KT", "TL", "TM", "v.v", "St", "ĐT"}
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)\]]*\s+")


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    sentence_id: int
    text: str
    line_map: tuple[int, ...] = field(repr=False)  # 1-based line of the raw file, per character
    kind: str = "body"  # body | heading | footnote
    footnote: int | None = None
    section: str = ""
    context: str = ""  # for a footnote: the sentence its mark is in

    @property
    def line_start(self) -> int:
        return self.line_map[0]

    @property
    def line_end(self) -> int:
        return self.line_map[-1]

    def line_at(self, index: int) -> int:
        """The raw line of character ``index`` of ``text``."""
        return self.line_map[index]


class Matches:
    """Where a pattern matches in a sentence, found once, to ask whether it matches between two points (as
    ``regex.search(text, lo, hi)`` finds) without searching that stretch again for every figure of the sentence.
    For the short word patterns it serves the two agree: their matches never overlap, never look past their end,
    and (from a clause's start to a numeral) never cross a ``;`` nor end where a numeral starts."""

    def __init__(self, regex: re.Pattern, text: str):
        spans = [(m.start(), m.end()) for m in regex.finditer(text)]
        self.starts, self.ends = [a for a, _ in spans], [b for _, b in spans]

    def first(self, lo: int, hi: int | None = None) -> int | None:
        """Where the first match in ``text[lo:hi]`` starts (that starts at ``lo`` or later, when ``hi`` is None)."""
        i = bisect_left(self.starts, lo)
        return self.starts[i] if i < len(self.starts) and (hi is None or self.ends[i] <= hi) else None

    def within(self, lo: int, hi: int) -> bool:
        return self.first(lo, hi) is not None


@dataclass
class _Line:
    number: int  # 1-based line in the raw file
    text: str  # cleaned text (NFC, markup removed, stripped)
    heading: bool = False  # Markdown heading, whole line bold, all capitals, "Phần thứ ..."
    numbered: bool = False  # starts with a number/letter list mark: "1.", "2.1.", "(3)", "I.", "a)"
    listed: bool = False  # starts with "-", "+", "*"
    table: bool = False  # inside a table flattened into lines (after a "STT" header)
    inline: str = ""  # a bold lead-in heading the paragraph starts with: "**- Dịch vụ** từng bước ..."


@dataclass
class _Footnote:
    number: int
    lines: list[_Line]
    block: int  # index of its footnote block (one per page)
    mark_line: int = 0  # raw line of its mark in the running text


@dataclass
class TextDiagnostics:
    """What the text layer could not place: footnotes whose mark was not found in the text."""

    unmatched_marks: list[int] = field(default_factory=list)


def clean_line(raw: str) -> tuple[str, bool, bool]:
    """``(text, heading, listed)``: a raw line without Markdown markup, NFC, stripped."""
    line = unicodedata.normalize("NFC", raw).strip()
    heading = False
    if line.startswith("#"):
        line = line.lstrip("#").strip()
        heading = True
    bare = line.replace("\\*", "")
    if bare.startswith("**") and bare.rstrip().endswith("**") and len(bare) > 4:
        heading = True
    listed = bool(_LIST_MARK.match(line)) and not line.startswith("**")
    line = line.replace("\\*", "*").replace("*", "")
    line = re.sub(r"\s+", " ", line).strip()
    if heading and _LIST_MARK.match(line):
        listed = True
    return line, heading, listed


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _classify(raw_lines: list[str]) -> tuple[list[_Line], list[_Footnote], list[tuple[int, int]]]:
    """Split raw lines into body lines and footnotes; also return each footnote block's line span."""
    body: list[_Line] = []
    footnotes: list[_Footnote] = []
    blocks: list[tuple[int, int]] = []  # (first raw line, last raw line) of each footnote block
    in_block = in_table = False
    expected = 1
    for number, raw in enumerate(raw_lines, 1):
        if _SEPARATOR.fullmatch(raw):
            in_block = True
            blocks.append((number, number))
            continue
        if not raw.strip():
            continue
        if in_block and not raw[0].isspace() and not _SECTION_START.match(raw):
            text, _, _ = clean_line(raw)
            m = _FOOTNOTE_START.match(text)
            first_of_block = not footnotes or footnotes[-1].block != len(blocks) - 1
            if m and int(m.group(1)) == 1 and first_of_block and expected > 1:
                expected = 1  # the numbering starts again: an annex, or a second part in the same file
            if m and int(m.group(1)) == expected:
                footnotes.append(_Footnote(expected, [_Line(number, text[m.end() :].strip())], len(blocks) - 1))
                expected += 1
            elif footnotes:
                footnotes[-1].lines.append(_Line(number, text))
            blocks[-1] = (blocks[-1][0], number)
            continue
        in_block = False
        if _PAGE_NUMBER.fullmatch(raw):
            continue
        text, heading, listed = clean_line(raw)
        if not text.strip("*-_=~#.•· "):
            continue  # a decoration line such as "*****"
        lead_in = _INLINE_HEADING.match(unicodedata.normalize("NFC", raw))
        inline = re.sub(r"\s+", " ", lead_in.group(1).replace("*", "")).strip(" -:") if lead_in and not heading else ""
        heading = heading or _is_caps(text) or text.startswith("Phần thứ")
        in_table = in_table or text == "STT" or text.startswith("STT ")
        body.append(
            _Line(number, text, heading and not in_table, bool(_NUMBERING.match(text)), listed, in_table, inline)
        )
    return body, footnotes, blocks


def _remove_marks(
    body: list[_Line], footnotes: list[_Footnote], blocks: list[tuple[int, int]], diagnostics: TextDiagnostics
) -> None:
    """Remove each footnote's mark from the running text of the page above its block."""
    last = (0, 0)  # (index in body, column) just after the previous mark
    for note in footnotes:
        block_start = blocks[note.block][0]
        page_start = blocks[note.block - 1][1] if note.block else 0
        n = str(note.number)
        glued = re.compile(r"(?<=[^\s\d,./])" + n + r"(?!\d|[.,]\d)")
        after_year = re.compile(r"(?<![\d,.])(?:19|20)\d\d(" + n + r")(?!\d|[.,]\d)")
        found = None
        for regex, group in ((glued, 0), (after_year, 1)):
            for i, line in enumerate(body):
                if line.number <= page_start or line.number >= block_start or (i, 0) < (last[0], 0):
                    continue
                for m in regex.finditer(line.text):
                    if (i, m.start(group)) >= last:
                        found = (i, m.start(group), m.end(group))
                        break
                if found:
                    break
            if found:
                break
        if not found:
            diagnostics.unmatched_marks.append(note.number)
            continue
        i, start, end = found
        line = body[i]
        line.text = line.text[:start] + line.text[end:]
        note.mark_line = line.number
        last = (i, start)


def _chunks(body: list[_Line]) -> list[tuple[list[_Line], bool]]:
    """Group body lines into runs that no sentence crosses; flag the runs that are headings."""
    chunks: list[tuple[list[_Line], bool]] = []
    current: list[_Line] = []

    def is_title(lines: list[_Line]) -> bool:
        if lines[0].table:
            return False
        text = " ".join(x.text for x in lines)
        return lines[0].heading or (lines[0].numbered and len(text) <= 200 and text[-1] not in _TERMINAL + ";:")

    for line in body:
        if current and line.table:
            if _TABLE_ROW.match(line.text) or not current[-1].table:
                chunks.append((current, is_title(current)))
                current = []
        elif current:
            prev = current[-1]
            text = prev.text
            ends_terminal = text[-1] in _TERMINAL and not _NUMBERING.fullmatch(text)
            continues = bool(_CONTINUES.search(text))
            starts_title_word = bool(re.match(r"[^\W\d_][^\W\d_]*", line.text)) and line.text[0].isupper()
            if (
                prev.heading
                and line.heading
                and not ends_terminal
                and not line.numbered
                and (_is_caps(line.text) == _is_caps(text) or text.startswith("Phần thứ"))
            ):
                boundary = False  # a heading written over several lines
            elif prev.heading or line.heading:
                boundary = True
            elif (line.numbered or line.listed) and (ends_terminal or text[-1] in ";:"):
                boundary = True
            elif _NUMBERING.fullmatch(line.text):
                boundary = True  # a row number alone on its line (flattened table)
            elif line.numbered and not continues and _title_after_number(line.text):
                boundary = True  # "7. Nâng cao chất lượng ..." after a line without a full stop
            elif ends_terminal and _starts_sentence(line.text):
                boundary = True
            elif is_title(current) and current[0].numbered and not continues and (starts_title_word or line.numbered):
                boundary = True
            else:
                boundary = False
            if boundary:
                chunks.append((current, is_title(current)))
                current = []
        current.append(line)
    if current:
        chunks.append((current, is_title(current)))
    return chunks


def _title_after_number(text: str) -> bool:
    """ "7. Nâng cao ...": a number, then a word starting with a capital."""
    m = _TITLE_AFTER_NUMBER.match(text)
    return bool(m) and m.group(1).isupper() and m.group(2).islower()


def _starts_sentence(text: str) -> bool:
    return text[0].isupper() or text[0].isdigit() or text[0] in '(“"-+•'


def _join(lines: list[_Line]) -> tuple[str, list[int]]:
    """Join lines into one text, keeping the raw line of every character."""
    parts: list[str] = []
    line_map: list[int] = []
    for line in lines:
        if not line.text:
            continue
        if parts:
            prev = parts[-1]
            if not (prev.endswith(("-", "/")) and len(prev) > 1 and not prev[-2].isspace()):
                parts.append(" ")
                line_map.append(line_map[-1])
        parts.append(line.text)
        line_map.extend([line.number] * len(line.text))
    return "".join(parts), line_map


def _split(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in a chunk of text."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if end >= len(text):
            break
        if not _starts_sentence(text[end]):
            continue
        before = text[max(start, text.rfind(" ", start, m.start()) + 1) : m.start()]  # the last word before it
        if before in _ABBREVIATIONS or (start == m.start() - len(before) and _NUMBERING.fullmatch(before + ".")):
            continue
        spans.append((start, m.start() + len(m.group().rstrip())))
        start = end
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _level(heading: str) -> int:
    if heading.startswith("Phần thứ"):
        return 0
    if _LIST_MARK.match(heading) or re.match(r"\(\d{1,2}\)|[a-zđ]\)", heading):
        return _LIST_LEVEL
    m = re.match(r"(?:([IVX]{1,4})|([A-ZĐ])|(\d{1,2}(?:\.\d{1,2})*))\.", heading)
    if not m:
        return 0
    if m.group(1):
        return 2
    if m.group(2):
        return 1
    return 2 + m.group(3).count(".") + 1


def split_sentences(text: str, doc_id: str, diagnostics: TextDiagnostics | None = None) -> list[Sentence]:
    """The sentences of a document, in the order they start in the file."""
    diagnostics = diagnostics if diagnostics is not None else TextDiagnostics()
    body, footnotes, blocks = _classify(text.split("\n"))
    _remove_marks(body, footnotes, blocks, diagnostics)

    items: list[tuple] = []  # (first line, kind, text, line map, footnote, section, context)
    stack: list[tuple[int, str]] = []
    section_at: list[tuple[int, str]] = []  # (raw line, section) after each heading
    for lines, title in _chunks(body):
        joined, line_map = _join(lines)
        if title:
            level = _level(joined)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, joined[:160]))
        if lines[0].inline:  # a paragraph with its own bold lead-in ends the previous list heading
            while stack and stack[-1][0] >= _LIST_LEVEL:
                stack.pop()
        section = " › ".join([t for _, t in stack] + ([lines[0].inline] if lines[0].inline else []))
        section_at.append((lines[0].number, section))
        spans = [(0, len(joined))] if lines[0].table else _split(joined)
        for s, e in spans:
            items.append((line_map[s], "heading" if title else "body", joined[s:e], line_map[s:e], None, section, ""))
    marked = {}  # raw line -> text of the body sentence covering it
    for _, _, txt, mp, _, _, _ in items:
        for line in range(mp[0], mp[-1] + 1):
            marked.setdefault(line, txt)
    for note in footnotes:
        joined, line_map = _join(note.lines)
        first = note.lines[0].number
        section = next((sec for ln, sec in reversed(section_at) if ln < first), "")
        context = marked.get(note.mark_line, "")
        for s, e in _split(joined):
            items.append((line_map[s], "footnote", joined[s:e], line_map[s:e], note.number, section, context))
    items.sort(key=lambda item: (item[3][0], item[3][-1]))
    return [
        Sentence(
            doc_id, i, txt.strip(), tuple(mp[len(txt) - len(txt.lstrip()) : len(txt.rstrip())]), kind, fn, sec, ctx
        )
        for i, (_, kind, txt, mp, fn, sec, ctx) in enumerate(items, 1)
    ]
