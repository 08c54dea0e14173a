"""The curated catalog (``catalog.yml``): names, units, direction and decimals of the indicators the
briefings use, the groups charts show together, the sums the audits check, and the ids of earlier
versions (``renamed``). Indicator ids themselves are composed by the reading (:mod:`indicators.vocabulary`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

from indicators import paths
from indicators.errors import IndicatorsError
from indicators.read.vocabulary import DIRECTIONS
from indicators.yamlfile import check_fields, read_yaml

CATALOG_PATH = Path(__file__).with_name("catalog.yml")
FAMILIES = (
    "growth",
    "structure",
    "budget",
    "investment",
    "fdi_enterprise",
    "trade",
    "finance",
    "industry",
    "agriculture",
    "services",
    "social",
    "health",
    "education",
    "culture",
    "environment",
    "urban",
    "security",
    "admin",
)
_INDICATOR_FIELDS = {
    "indicator_id",
    "name_vi",
    "name_en",
    "family",
    "unit",
    "direction",
    "decimals",
    "description",
    "phrases",
}


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    name_vi: str
    name_en: str
    family: str
    unit: str
    direction: str  # higher, lower or neutral: which way is better
    decimals: int
    description: str
    phrases: tuple[str, ...]

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
    renamed: dict[str, str] | None = None  # id of an earlier version -> today's id
    composed: dict[str, Indicator] | None = None  # every other indicator of the built tables (see with_indicators)

    @cached_property
    def _by_id(self) -> dict[str, Indicator]:
        return {**(self.composed or {}), **{i.indicator_id: i for i in self.indicators}}

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    def __contains__(self, indicator_id) -> bool:
        try:
            self[indicator_id]
        except KeyError:
            return False
        return True

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


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and check the catalog: required fields, no unknown fields, unique ids, known families and
    units, groups, sums and headline of known ids. Read once per process while the file is unchanged."""
    path = Path(path) if path else CATALOG_PATH
    return _read_catalog(path, paths.stamp(path))  # a missing file: reading it names it


def _check_ids(path: Path, where: str, names, seen: set[str]) -> None:
    unknown = [str(n) for n in names if n not in seen]
    if unknown:
        raise IndicatorsError(f"{path}: {where}: unknown indicator_id(s): {', '.join(unknown)}")


@lru_cache(maxsize=8)
def _read_catalog(path: Path, _stamp: tuple) -> Catalog:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise IndicatorsError(f"{path}: expected an 'indicators:' list")
    units = dict(data.get("units") or {})
    families = dict(data.get("families") or {})
    for name, labels in units.items():
        check_fields(path, f"unit '{name}'", labels, {"vi", "en"})
    indicators = []
    seen: set[str] = set()
    for i, entry in enumerate(data["indicators"], 1):
        check_fields(path, f"indicator {i}", entry, _INDICATOR_FIELDS - {"phrases"}, {"phrases"})
        iid = str(entry["indicator_id"])
        if iid in seen:
            raise IndicatorsError(f"{path}:{entry.line}: duplicate indicator_id '{iid}'")
        seen.add(iid)
        if entry["family"] not in FAMILIES:
            raise IndicatorsError(
                f"{path}:{entry.line}: {iid}: family '{entry['family']}' is not one of {', '.join(FAMILIES)}"
            )
        if entry["unit"] not in units:
            raise IndicatorsError(f"{path}:{entry.line}: {iid}: unit '{entry['unit']}' is not declared under 'units:'")
        if entry["direction"] not in DIRECTIONS:
            raise IndicatorsError(f"{path}:{entry.line}: {iid}: direction must be one of {', '.join(DIRECTIONS)}")
        indicators.append(
            Indicator(
                indicator_id=iid,
                name_vi=str(entry["name_vi"]),
                name_en=str(entry["name_en"]),
                family=str(entry["family"]),
                unit=str(entry["unit"]),
                direction=entry["direction"],
                decimals=int(entry["decimals"]),
                description=str(entry["description"]),
                phrases=tuple(entry.get("phrases") or ()),
            )
        )
    headline = tuple(data.get("headline") or ())
    _check_ids(path, "headline", headline, seen)
    sums = []
    for i, entry in enumerate(data.get("sums") or [], 1):
        check_fields(path, f"sum {i}", entry, {"name", "parts", "total"})
        names = [*entry["parts"], *([] if isinstance(entry["total"], int | float) else [entry["total"]])]
        _check_ids(path, f"sum '{entry['name']}'", names, seen)
        sums.append({"name": str(entry["name"]), "parts": list(entry["parts"]), "total": entry["total"]})
    plan_from = {str(k): str(v) for k, v in (data.get("plan_from") or {}).items()}
    _check_ids(path, "plan_from", [n for pair in plan_from.items() for n in pair], seen)
    groups = {}
    for name, members in (data.get("groups") or {}).items():
        if not members:
            raise IndicatorsError(f"{path}: groups: {name}: no indicator_id")
        _check_ids(path, f"groups: {name}", members, seen)
        groups[str(name)] = tuple(members)
    renamed = {str(k): str(v) for k, v in (data.get("renamed") or {}).items()}
    return Catalog(tuple(indicators), units, families, path, headline, tuple(sums), plan_from, groups, renamed)


def with_indicators(catalog: Catalog, indicators) -> Catalog:
    """The catalog, knowing besides its curated entries every indicator of the ``indicators`` table (the ids the
    reading composed, with their composed names, units and decimals)."""
    composed = {
        row.indicator_id: Indicator(row.indicator_id, row.name_vi, row.name_en, row.family, row.unit,
                                    row.direction, int(row.decimals), row.description, ())
        for row in indicators.itertuples()
    }
    return replace(catalog, composed=composed)
