"""The indicator catalog (``catalog.yml``) and the rules that find each indicator (``rules.yml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import IndicatorsError
from .yamlfile import check_fields, read_yaml

CATALOG_PATH = Path(__file__).with_name("catalog.yml")
RULES_NAME = "rules.yml"
FAMILIES = (
    "growth",
    "structure",
    "budget",
    "investment",
    "fdi_enterprise",
    "trade",
    "finance",
    "social",
    "environment",
    "admin",
)
_INDICATOR_FIELDS = {
    "indicator_id",
    "name_vi",
    "name_en",
    "family",
    "unit",
    "higher_is_better",
    "decimals",
    "description",
    "phrases",
}
_TEXT_FIELDS = ("subject", "clause", "sentence", "section")
_RULE_TEXT_FIELDS = (*_TEXT_FIELDS, *(f"not_{name}" for name in _TEXT_FIELDS))
_RULE_FIELDS = {*_RULE_TEXT_FIELDS, "cue", "unit", "kind", "nth"}


@dataclass(frozen=True)
class Rule:
    """How a quantity mention is recognised as a figure of one indicator (see rules.yml)."""

    patterns: tuple[tuple[str, re.Pattern, bool], ...]  # (field, regex, must match?)
    cues: tuple[str, ...]
    unit: str
    kinds: tuple[str, ...] = ()
    nth: int | None = None  # position among the clause's mentions with the same cue (1-based)
    line: int = 0  # where the rule is written in rules.yml

    def matches(self, fields: dict[str, str], cue: str, unit: str, kind: str, nth: int) -> bool:
        if self.cues and cue not in self.cues:
            return False
        if unit != self.unit or (self.kinds and kind not in self.kinds):
            return False
        if self.nth is not None and nth != self.nth:
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
    headline: tuple[str, ...] = ()
    sums: tuple[dict, ...] = ()  # {"name", "parts": [...], "total": indicator_id or number}
    plan_from: dict[str, str] | None = None  # indicator -> the indicator its target is stated as
    groups: dict[str, tuple[str, ...]] | None = None  # name -> indicators a chart shows together

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

    def group(self, name: str) -> list[str]:
        """The indicators of a chart group (``groups:`` in catalog.yml)."""
        if name not in (self.groups or {}):
            known = ", ".join(self.groups or {})
            raise IndicatorsError(f"{self.path}: groups: no group '{name}'; the groups are {known}")
        return list(self.groups[name])

    def family_label(self, family: str, lang: str) -> str:
        return self.families.get(family, {}).get(lang, family)


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

    def as_tuple(value):
        return tuple(value if isinstance(value, list) else [value]) if value is not None else ()

    return Rule(
        patterns,
        as_tuple(entry.get("cue")),
        str(entry.get("unit", unit)),
        as_tuple(entry.get("kind")),
        int(entry["nth"]) if "nth" in entry else None,
        getattr(entry, "line", 0),
    )


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and check the catalog and its rules: required fields, no unknown fields, unique ids,
    known families and units, rules only for catalog indicators. Read once per process while the
    two files are unchanged."""
    path = Path(path) if path else CATALOG_PATH
    stamps = []
    for file in (path, path.with_name(RULES_NAME)):
        try:
            stat = file.stat()
            stamps.append((str(file.resolve()), stat.st_size, stat.st_mtime_ns))
        except FileNotFoundError:
            stamps.append((str(file), None, None))  # reading it names the missing file
    return _read_catalog(path, tuple(stamps))


@lru_cache(maxsize=8)
def _read_catalog(path: Path, _stamps: tuple) -> Catalog:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise IndicatorsError(f"{path}: expected an 'indicators:' list")
    units = dict(data.get("units") or {})
    families = dict(data.get("families") or {})
    for name, labels in units.items():
        check_fields(path, f"unit '{name}'", labels, {"vi", "en", "mention"})
    rules_path = path.with_name(RULES_NAME)
    rules_data = read_yaml(rules_path)
    if not isinstance(rules_data, dict) or not isinstance(rules_data.get("rules"), dict):
        raise IndicatorsError(f"{rules_path}: expected a 'rules:' mapping of indicator_id to a list of rules")
    entries = []
    seen: set[str] = set()
    for i, entry in enumerate(data["indicators"], 1):
        check_fields(path, f"indicator {i}", entry, _INDICATOR_FIELDS - {"phrases"}, {"phrases"})
        iid = str(entry["indicator_id"])
        where = f"{iid}"
        if iid in seen:
            raise IndicatorsError(f"{path}:{entry.line}: duplicate indicator_id '{iid}'")
        seen.add(iid)
        if entry["family"] not in FAMILIES:
            raise IndicatorsError(
                f"{path}:{entry.line}: {where}: family '{entry['family']}' is not one of {', '.join(FAMILIES)}"
            )
        if entry["unit"] not in units:
            raise IndicatorsError(
                f"{path}:{entry.line}: {where}: unit '{entry['unit']}' is not declared under 'units:'"
            )
        if not isinstance(entry["higher_is_better"], bool):
            raise IndicatorsError(f"{path}:{entry.line}: {where}: higher_is_better must be true or false")
        entries.append(entry)
    unknown = [k for k in rules_data["rules"] if k not in seen]
    if unknown:
        raise IndicatorsError(f"{rules_path}: rules for unknown indicator_id(s): {', '.join(map(str, unknown))}")
    indicators = []
    for entry in entries:
        iid = str(entry["indicator_id"])
        mention_unit = units[entry["unit"]]["mention"]
        rule_list = rules_data["rules"].get(iid) or []
        if not isinstance(rule_list, list):
            raise IndicatorsError(f"{rules_path}: {iid}: expected a list of rules")
        rules = tuple(_rule(rules_path, f"{iid}: rule {j}", rule, mention_unit) for j, rule in enumerate(rule_list, 1))
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
    headline = tuple(data.get("headline") or ())
    unknown = [h for h in headline if h not in seen]
    if unknown:
        raise IndicatorsError(f"{path}: headline: unknown indicator_id(s): {', '.join(map(str, unknown))}")
    sums = []
    for i, entry in enumerate(data.get("sums") or [], 1):
        check_fields(path, f"sum {i}", entry, {"name", "parts", "total"})
        names = [*entry["parts"], *([] if isinstance(entry["total"], int | float) else [entry["total"]])]
        unknown = [n for n in names if n not in seen]
        if unknown:
            raise IndicatorsError(f"{path}:{entry.line}: sum '{entry['name']}': unknown indicator_id(s) {unknown}")
        sums.append({"name": str(entry["name"]), "parts": list(entry["parts"]), "total": entry["total"]})
    plan_from = {str(k): str(v) for k, v in (data.get("plan_from") or {}).items()}
    unknown = [n for pair in plan_from.items() for n in pair if n not in seen]
    if unknown:
        raise IndicatorsError(f"{path}: plan_from: unknown indicator_id(s): {', '.join(unknown)}")
    groups = {}
    for name, members in (data.get("groups") or {}).items():
        unknown = [m for m in members or () if m not in seen]
        if unknown or not members:
            raise IndicatorsError(f"{path}: groups: {name}: unknown or no indicator_id(s): {', '.join(unknown)}")
        groups[str(name)] = tuple(members)
    return Catalog(tuple(indicators), units, families, path, headline, tuple(sums), plan_from, groups)


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
            "plan_from": (catalog.plan_from or {}).get(i.indicator_id, ""),
        }
        for i in catalog.indicators
    ]
    return pd.DataFrame(rows).sort_values("indicator_id", ignore_index=True)
