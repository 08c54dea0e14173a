"""Checking provenance: does a quote really occur in its raw document, at its line?

This check reads the raw text itself and does not use the text layer: it only removes Markdown
emphasis marks and normalises to NFC. A quote may run over line breaks, over whole lines the
text layer leaves out (footnotes, page numbers) and over footnote marks glued to words
(``doanh3.`` in the raw text reads ``doanh.`` in the quote).
"""

from __future__ import annotations

import re
import unicodedata

_MARKUP = re.compile(r"\\?[*#]")
_MARK = re.compile(r"\d{1,3}")
_MAX_SKIPPED_LINES = 40
_WINDOW = 60  # lines before the numeral's line where a quote may start


def raw_tokens(raw_lines: list[str]) -> list[list[str]]:
    """Tokens of each raw line (index 0 is line 1), as the check compares them."""
    return [_MARKUP.sub("", unicodedata.normalize("NFC", line)).split() for line in raw_lines]


def _token_matches(raw: str, quoted: str, first: bool, last: bool) -> bool:
    if raw == quoted:
        return True
    if first and raw.endswith(quoted):
        return True  # the quote starts inside a token: "(tăng" → "tăng"
    if last and raw.startswith(quoted):
        return True  # the quote ends inside a token: "toán;" → "toán"
    core = quoted.rstrip(".,;:)!?…")
    punct = quoted[len(core) :]
    if core and raw.startswith(core) and raw.endswith(punct):
        middle = raw[len(core) : len(raw) - len(punct)] if punct else raw[len(core) :]
        if _MARK.fullmatch(middle):
            return True  # a footnote mark glued to the word: "doanh3." → "doanh."
    return False


def _align(tokens: list[list[str]], quote: list[str], li: int, ti: int, k: int, lines: set[int]) -> bool:
    """Match quote[k:] from raw line index ``li``, token ``ti``; collect the lines used."""
    while k < len(quote):
        if ti >= len(tokens[li]):
            # end of a raw line: the quote goes on at the start of one of the next lines
            for nxt in range(li + 1, min(li + 2 + _MAX_SKIPPED_LINES, len(tokens))):
                branch: set[int] = set()
                if tokens[nxt] and _align(tokens, quote, nxt, 0, k, branch):
                    lines.update(branch)
                    return True
            return False
        raw = tokens[li][ti]
        quoted = quote[k]
        if _token_matches(raw, quoted, k == 0, k == len(quote) - 1):
            lines.add(li)
            ti += 1
            k += 1
            continue
        # a token broken over a line end: "2021-" + "2025" → "2021-2025"
        if ti == len(tokens[li]) - 1 and raw.endswith(("-", "/")) and quoted.startswith(raw) and len(quoted) > len(raw):
            rest = quote[:k] + [quoted[len(raw) :]] + quote[k + 1 :]
            for nxt in range(li + 1, min(li + 2 + _MAX_SKIPPED_LINES, len(tokens))):
                branch = set()
                if tokens[nxt] and _align(tokens, rest, nxt, 0, k, branch):
                    lines.update(branch | {li})
                    return True
        return False
    return True


def check_quote(tokens: list[list[str]], line: int, quote: str, numeral: str) -> str | None:
    """``None`` if ``quote`` occurs in the raw text and covers ``line``; else what is wrong."""
    if numeral not in quote:
        return f"the quote does not contain the numeral {numeral!r}"
    if not 1 <= line <= len(tokens):
        return f"line {line} is not in the document ({len(tokens)} lines)"
    if numeral not in " ".join(tokens[line - 1]):
        return f"line {line} does not contain the numeral {numeral!r}"
    words = _MARKUP.sub("", unicodedata.normalize("NFC", quote)).split()
    if not words:
        return "the quote is empty"
    for li in range(line - 1, max(0, line - 1 - _WINDOW) - 1, -1):  # the quote starts near its numeral, mostly
        for ti, raw in enumerate(tokens[li]):
            if _token_matches(raw, words[0], True, len(words) == 1):
                used: set[int] = set()
                if _align(tokens, words, li, ti, 0, used) and (line - 1) in used:
                    return None
    return f"the quote is not found at line {line}"
