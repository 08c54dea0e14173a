"""Checking provenance: does a quote really occur in its raw document, at its line?

This check reads the raw text itself and does not use the text layer: it only removes Markdown
emphasis marks and normalises to NFC. A quote may run over line breaks, over whole lines the
text layer leaves out (footnotes, page numbers) and over footnote marks glued to words
(``doanh3.`` in the raw text reads ``doanh.`` in the quote).

On a long line (a document of one line) a quote is first looked for where its first word occurs nearest the
place the last quote checked on that line was found (quotes are checked in the order their figures are
written), and only if not found there token by token: the check is the same, and its cost does not grow with
the length of the line.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

_MARKUP = re.compile(r"\\?[*#]")
_MARK = re.compile(r"\d{1,3}")
_MAX_SKIPPED_LINES = 40
_WINDOW = 60  # lines before the numeral's line where a quote may start
_LONG_LINE = 200  # tokens: a longer line is searched through an index of its words ...
_NEAREST = 32  # ... at the occurrences of the quote's first word nearest the last quote found, before token by token
_PUNCTUATION = "()[]\"“”'.,;:!?…"


class RawTokens(list):
    """Tokens of each raw line (index 0 is line 1), as the check compares them; for a long line, also the line
    joined, an index of its words, and where the last quote checked on it was found."""

    def __init__(self, lines: list[list[str]]):
        super().__init__(lines)
        self._joined: dict[int, str] = {}
        self._words: dict[int, dict[str, list[int]]] = {}
        self.found: dict[int, int] = {}  # line index -> token where the last quote checked was found
        self._numeral_at: dict[int, int] = {}  # line index -> where in the line the last numeral was found

    def has(self, li: int, numeral: str) -> bool:
        """Whether the line (its tokens joined) contains ``numeral``: on a long line, looked for from where the last
        numeral was found, then before."""
        if len(self[li]) <= _LONG_LINE:
            return numeral in " ".join(self[li])
        if li not in self._joined:
            self._joined[li] = " ".join(self[li])
        joined = self._joined[li]
        at = joined.find(numeral, self._numeral_at.get(li, 0))
        at = at if at >= 0 else joined.find(numeral)
        if at >= 0:
            self._numeral_at[li] = at
        return at >= 0

    def where(self, li: int, word: str) -> list[int]:
        """The tokens of a long line that are ``word`` but for brackets, quotation marks and punctuation."""
        if li not in self._words:
            index: dict[str, list[int]] = {}
            for ti, raw in enumerate(self[li]):
                index.setdefault(raw.strip(_PUNCTUATION), []).append(ti)
            self._words[li] = index
        return self._words[li].get(word.strip(_PUNCTUATION), [])


def raw_tokens(raw_lines: list[str]) -> RawTokens:
    """Tokens of each raw line (index 0 is line 1), as the check compares them (a word repeated is one string)."""
    words: dict[str, str] = {}
    return RawTokens([[words.setdefault(t, t) for t in _MARKUP.sub("", unicodedata.normalize("NFC", line)).split()]
                      for line in raw_lines])


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
        if raw == quoted or _token_matches(raw, quoted, k == 0, k == len(quote) - 1):
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


def _starts_at(tokens: list[list[str]], words: list[str], li: int, ti: int, line: int) -> bool:
    row, n = tokens[li], len(words)
    if not _token_matches(row[ti], words[0], True, n == 1):
        return False
    if li == line - 1 and 1 < n and ti + n <= len(row) and row[ti + 1:ti + n - 1] == words[1:-1] and _token_matches(
            row[ti + n - 1], words[-1], False, True):
        return True  # the whole quote on the numeral's line, word for word
    used: set[int] = set()
    return _align(tokens, words, li, ti, 0, used) and (line - 1) in used


def _found_near(tokens: RawTokens, words: list[str], line: int) -> bool:
    """Whether the quote starts at a token of a long line that is its first word, tried from where the last quote
    on the line was found on, then back from it."""
    for li in range(line - 1, max(0, line - 1 - _WINDOW) - 1, -1):
        if len(tokens[li]) <= _LONG_LINE:
            continue
        where, last = tokens.where(li, words[0]), tokens.found.get(li, 0)
        i = bisect_left(where, last)
        for ti in where[i:i + _NEAREST] + where[max(0, i - _NEAREST):i][::-1]:
            if _starts_at(tokens, words, li, ti, line):
                tokens.found[li] = ti
                return True
    return False


def check_quote(tokens: list[list[str]], line: int, quote: str, numeral: str) -> str | None:
    """``None`` if ``quote`` occurs in the raw text and covers ``line``; else what is wrong."""
    if numeral not in quote:
        return f"the quote does not contain the numeral {numeral!r}"
    if not 1 <= line <= len(tokens):
        return f"line {line} is not in the document ({len(tokens)} lines)"
    tokens = tokens if isinstance(tokens, RawTokens) else RawTokens(tokens)
    if not tokens.has(line - 1, numeral):
        return f"line {line} does not contain the numeral {numeral!r}"
    words = _MARKUP.sub("", unicodedata.normalize("NFC", quote)).split()
    if not words:
        return "the quote is empty"
    if _found_near(tokens, words, line):
        return None
    for li in range(line - 1, max(0, line - 1 - _WINDOW) - 1, -1):  # the quote starts near its numeral, mostly
        for ti, raw in enumerate(tokens[li]):
            if _token_matches(raw, words[0], True, len(words) == 1):
                used: set[int] = set()
                if _align(tokens, words, li, ti, 0, used) and (line - 1) in used:
                    tokens.found[li] = ti
                    return None
    return f"the quote is not found at line {line}"
