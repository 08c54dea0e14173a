"""Checking user-supplied names (a year, a language, a document, an indicator) against what exists."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from indicators.errors import IndicatorsError


def choice(parameter: str, value, allowed: Iterable) -> object:
    """``value`` if it is one of ``allowed``; else a one-line error listing them and the closest."""
    allowed = list(allowed)
    if value in allowed:
        return value
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    shown = ", ".join(map(str, allowed[:12])) + (", ..." if len(allowed) > 12 else "")
    given = str(value).replace("\r", "\\r").replace("\n", "\\n")  # one line, whatever was given
    raise IndicatorsError(f"{parameter}: '{given}' does not exist (choose from {shown}){hint}")
