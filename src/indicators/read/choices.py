"""What a user can choose, checked before any work starts: the years the documents cover, the languages
of the reports, the indicators the build produced. Read without pandas, so that the command line's checks
and a batch's planning stay light."""

from __future__ import annotations

import csv
from functools import lru_cache

from indicators import paths
from indicators.errors import IndicatorsError
from indicators.read.sources import REGISTRY, load_registry
from indicators.validate import choice

LANGS = ("vi", "en")


def available_years() -> list[int]:
    """The years the documents report results or set targets for (``covers`` in sources.yml)."""
    return list(_years(paths.stamp(paths.raw_dir() / REGISTRY)))


@lru_cache(maxsize=8)
def _years(_stamp: tuple) -> tuple[int, ...]:  # the registry read once while it is unchanged
    return tuple(sorted({y for s in load_registry() for y in (*s.results_years, *s.target_years)}))


def known_indicators() -> list[str]:
    """The indicator ids of the built tables (read without pandas: the command line checks a parameter with
    it before any run)."""
    path = paths.processed_dir() / "indicators.csv"
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return [row["indicator_id"] for row in csv.DictReader(f)]
    except (OSError, KeyError) as err:
        raise IndicatorsError(f"{path}: cannot read the indicator ids ({err}); run `indicators build`") from None


def check_parameters(year, lang: str, *, yearless: bool = False) -> None:
    """Refuse a year without data or an unknown language, naming what exists (no year for a notebook about
    every year)."""
    choice("parameter lang", lang, LANGS)
    if yearless:
        return
    if not isinstance(year, int) or isinstance(year, bool):
        raise IndicatorsError(f"parameter year: expected an integer (like 2022), got {year!r}")
    choice("parameter year", year, available_years())


def check_indicators(indicator_ids) -> list[str]:
    """Refuse an unknown indicator id (parameter ``indicators``), naming the closest one."""
    known = known_indicators()
    if isinstance(indicator_ids, str) or not list(indicator_ids):
        raise IndicatorsError(f"parameter indicators: expected a non-empty list of ids, got {indicator_ids!r}")
    return [choice("parameter indicators", i, known) for i in indicator_ids]
