"""The indicator catalog (``catalog.yml``): indicators, their units and the rules that find them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import IndicatorsError
from .yamlfile import check_fields, read_yaml

CATALOG_PATH = Path(__file__).with_name("catalog.yml")
FAMILIES = ("growth", "structure", "budget", "investment", "fdi_enterprise", "trade", "social", "environment")
_INDICATOR_FIELDS = {
    "indicator_id", "name_vi", "name_en", "family", "unit", "higher_is_better", "decimals", "description",
    "phrases", "rules",
}
_RULE_TEXT_FIELDS = ("subject", "not_subject", "clause", "not_clause", "sentence", "not_sentence")
_RULE_FIELDS = {*_RULE_TEXT_FIELDS, "cue", "unit"}


@dataclass(frozen=True)
class Rule:
    patterns: tuple[tuple[str, re.Pattern, bool], ...]  # (field, regex, must match?)
    cues: tuple[str, ...]
    unit: str

    def matches(self, fields: dict[str, str], cue: str, unit: str) -> bool:
        if self.cues and cue not in self.cues:
            return False
        if unit != self.unit:
            return False
        return all(bool(regex.search(fields[name])) == wanted for name, regex, wanted in self.patterns)


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    name_vi: str
    name_en: str
    family: str
    unit: str
    higher_is_better: bool
    decimals: int
    description: str
    phrases: tuple[str, ...]
    rules: tuple[Rule, ...]

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    units: dict[str, dict[str, str]]
    families: dict[str, dict[str, str]]
    path: Path

    def __getitem__(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.indicator_id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    @property
    def ids(self) -> list[str]:
        return [i.indicator_id for i in self.indicators]

    def unit_label(self, unit: str, lang: str) -> str:
        return self.units.get(unit, {}).get(lang, unit)


def _compile(path: Path, where: str, pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as err:
        raise IndicatorsError(f"{path}: {where}: bad regular expression {pattern!r}: {err}") from None


def _rule(path: Path, where: str, entry: dict, unit: str) -> Rule:
    check_fields(path, where, entry, set(), _RULE_FIELDS)
    patterns = tuple(
        (name.removeprefix("not_"), _compile(path, f"{where}: {name}", str(entry[name])), not name.startswith("not_"))
        for name in _RULE_TEXT_FIELDS
        if name in entry
    )
    cues = entry.get("cue", [])
    return Rule(patterns, tuple(cues if isinstance(cues, list) else [cues]), str(entry.get("unit", unit)))


@lru_cache(maxsize=4)
def load_catalog(path: Path | None = None) -> Catalog:
    """Read and check the catalog: required fields, no unknown fields, unique ids, known units."""
    path = Path(path) if path else CATALOG_PATH
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise IndicatorsError(f"{path}: expected an 'indicators:' list")
    units = dict(data.get("units") or {})
    families = dict(data.get("families") or {})
    seen: set[str] = set()
    indicators = []
    for i, entry in enumerate(data["indicators"], 1):
        where = f"indicator {i}"
        check_fields(path, where, entry, _INDICATOR_FIELDS - {"phrases", "rules"}, {"phrases", "rules"})
        iid = str(entry["indicator_id"])
        where = f"{iid} (line {entry.line})" if getattr(entry, "line", 0) else iid
        if iid in seen:
            raise IndicatorsError(f"{path}: {where}: duplicate indicator_id '{iid}'")
        seen.add(iid)
        if entry["family"] not in FAMILIES:
            raise IndicatorsError(f"{path}: {where}: family '{entry['family']}' is not one of {', '.join(FAMILIES)}")
        if entry["unit"] not in units:
            raise IndicatorsError(f"{path}: {where}: unit '{entry['unit']}' is not declared under 'units:'")
        if not isinstance(entry["higher_is_better"], bool):
            raise IndicatorsError(f"{path}: {where}: higher_is_better must be true or false")
        rules = tuple(
            _rule(path, f"{where}: rule {j}", rule, str(entry["unit"]))
            for j, rule in enumerate(entry.get("rules") or [], 1)
        )
        indicators.append(
            Indicator(
                indicator_id=iid,
                name_vi=str(entry["name_vi"]),
                name_en=str(entry["name_en"]),
                family=str(entry["family"]),
                unit=str(entry["unit"]),
                higher_is_better=entry["higher_is_better"],
                decimals=int(entry["decimals"]),
                description=str(entry["description"]),
                phrases=tuple(entry.get("phrases") or ()),
                rules=rules,
            )
        )
    return Catalog(tuple(indicators), units, families, path)


def indicators_table(catalog: Catalog) -> pd.DataFrame:
    """The ``indicators`` table: one row per catalog indicator."""
    rows = [
        {
            "indicator_id": i.indicator_id,
            "name_vi": i.name_vi,
            "name_en": i.name_en,
            "family": i.family,
            "unit": i.unit,
            "higher_is_better": i.higher_is_better,
            "decimals": i.decimals,
            "description": i.description,
            "phrases": " | ".join(i.phrases),
        }
        for i in catalog.indicators
    ]
    return pd.DataFrame(rows).sort_values("indicator_id", ignore_index=True)
