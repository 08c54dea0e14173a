"""The reading measured on whole texts it has never been fitted to (``tests/fixtures/readset``).

Each text there is written for the tests in the shape of a real published one (press-conference coverage,
statistics office releases of a month, a quarter, a half-year, nine months and the year, People's Council
resolutions, scenarios, a district's report, texts of the merged province), with invented figures, and a
YAML file beside it that lists every figure read by hand: value, year, kind, period and territory. The texts
are added as a user adds them (``add-source FILE``, nothing else) to an empty project, built, and the tables
compared with the hand reading:

* recall: the full-year figures of the province (or of its districts and communes) found with the same
  year, kind, value and territory;
* partial filed as annual: figures of a quarter, a half-year, some months, one month, a stock at a date or
  an average over several years that the tables give as one whole year's (there must be none);
* wrongly read: figures of the country or another province (the former Bắc Ninh among them) given as the
  province's.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from indicators import build, paths
from indicators.errors import IndicatorsError
from indicators.read import sources
from indicators.read.recall import numeral, same_value
from indicators.yamlfile import read_yaml

ABOUT_ELSEWHERE = ("national", "other_province", "former_bac_ninh")
FIGURE_COLUMNS = ["doc_id", "line", "text", "value", "year", "kind", "period", "measure", "category", "territory",
                  "quote", "annual"]


def readset_dir() -> Path:
    return paths.project_root() / "tests" / "fixtures" / "readset"


def figures(folder: Path | None = None) -> pd.DataFrame:
    """Every hand-read figure of the texts in ``folder`` (``doc_id`` is the text's file name)."""
    folder = Path(folder) if folder else readset_dir()
    rows = []
    for path in sorted(folder.glob("*.yml")):
        data = read_yaml(path)
        if not isinstance(data, dict) or "file" not in data or not isinstance(data.get("figures"), list):
            raise IndicatorsError(f"{path}: expected 'file:' and a 'figures:' list")
        whole_year = (data.get("reports") or {}).get("period", "year") == "year"
        for f in data["figures"]:
            period = "multi_year" if f.get("span") else str(f.get("period", "year"))  # an average over years
            rows.append({"doc_id": str(data["file"]), "line": int(f["line"]), "text": str(f["text"]),
                         "value": float(f["value"]), "year": int(f["year"]), "kind": str(f["kind"]),
                         "period": period, "measure": str(f.get("measure", "")),
                         "category": str(f.get("category", "other")), "territory": str(f.get("territory", "")),
                         "quote": str(f.get("quote", "")),
                         # a stock at the end of the year a report on the whole year gives is the year's figure
                         # ("year: the whole year, or a stock at its end"): read by hand as a stock, at the date
                         "annual": period == "year" or (period == "stock" and whole_year
                                                        and str(f.get("date", "-12"))[5:7] in ("11", "12", ""))})
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def build_readset(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """The texts of ``folder`` added one by one to an empty project (as ``add-source FILE`` does) and built;
    the tables, with ``doc_id`` replaced by the text's file name."""
    folder = Path(folder) if folder else readset_dir()
    with tempfile.TemporaryDirectory(prefix="indicators-readset-") as tmp:
        raw = Path(tmp) / "data" / "raw"
        origin = {sources.add_to(raw, text).doc_id: text.name for text in sorted(folder.glob("*.txt"))}
        built = build.build_tables(raw)
    for name in ("observations", "unresolved", "documents"):
        built[name] = built[name].assign(doc_id=built[name]["doc_id"].map(origin).fillna(built[name]["doc_id"]))
    return built


def _numeral(text: str) -> str:
    return numeral(text).lstrip("+-−")


def _value_ok(o, f) -> bool:
    # a fall is written "giảm 2%": a growth of -2 by hand, a decline of 2 in the tables
    return same_value(o.value, f.value) or same_value(o.value, -f.value) or (
        o.kind == "attainment" and same_value(o.value, 100 + f.value))


def _kind_ok(o, f) -> bool:
    return o.kind == f.kind or (f.measure == "attainment" and o.kind == "attainment")


def match(hand: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """``hand`` with a ``status``: read, contradicted (observed at its line with another year, kind, value,
    period or territory), missing, partial_as_annual (a part of a year filed as the year's), wrongly_read (a
    figure of elsewhere filed as the province's), excluded (of elsewhere, not observed)."""
    at: dict[tuple[str, int], list] = {}
    for row in observations.itertuples():
        at.setdefault((row.doc_id, int(row.line)), []).append(row)
    statuses = []
    for f in hand.itertuples():
        found = [o for o in at.get((f.doc_id, f.line), [])
                 if _numeral(str(o.number_as_written)) == _numeral(f.text) or _value_ok(o, f)]
        if f.territory in ABOUT_ELSEWHERE:
            statuses.append("wrongly_read" if found else "excluded")
            continue
        if not f.annual and any(o.period == "year" for o in found):
            statuses.append("partial_as_annual")
            continue
        good = [o for o in found if int(o.year) == f.year and _kind_ok(o, f) and _value_ok(o, f)
                and (o.period == f.period or (f.annual and o.period == "year")) and o.territory == f.territory]
        statuses.append("read" if good else "contradicted" if found else "missing")
    return hand.assign(status=statuses)


def summary(matched: pd.DataFrame, unresolved: pd.DataFrame) -> dict:
    """The three figures of the README: recall of full-year figures, partial figures filed as annual, and
    figures of elsewhere read as the province's; and the unresolved mentions by reason."""
    annual = matched[matched["annual"] & ~matched["territory"].isin(ABOUT_ELSEWHERE)
                     & (matched["category"] != "activity")]
    partial = matched[~matched["annual"]]
    return {
        "texts": int(matched["doc_id"].nunique()),
        "figures": len(matched),
        "annual_figures": len(annual),
        "annual_read": int((annual["status"] == "read").sum()),
        "recall": round(float((annual["status"] == "read").mean() * 100), 1) if len(annual) else float("nan"),
        "partial_figures": len(partial),
        "partial_read": int((partial["status"] == "read").sum()),
        "partial_as_annual": int((matched["status"] == "partial_as_annual").sum()),
        "wrongly_read": int((matched["status"] == "wrongly_read").sum()),
        "unresolved": unresolved["reason"].value_counts().to_dict(),
    }


def measure(folder: Path | None = None) -> tuple[dict, pd.DataFrame]:
    """Build the read set and compare it with its hand reading: (summary, every figure with its status)."""
    built = build_readset(folder)
    matched = match(figures(folder), built["observations"])
    return summary(matched, built["unresolved"]), matched
