"""Recall of the reading, measured against figures read by hand (``tests/fixtures/handread/*.yml``).

Each hand-read file lists every figure of a passage of a document (line, numeral, value in the canonical
unit, year, kind, period, measure, category, whether it is about the province). A figure counts as read
when ``observations`` holds it with the same document, line, numeral (or value), year, kind and value.
Figures of the country or of another province must not be read as the province's; government activity
counts ("tổ chức 25 hội nghị") are left out of the measure. An observation that has the numeral of a
hand-read figure at its line but another year, kind or value contradicts the text.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from indicators import paths
from indicators.errors import IndicatorsError
from indicators.yamlfile import read_yaml

CORE = ("growth", "structure", "budget", "investment", "fdi", "enterprise", "poverty", "productivity")
FIGURE_COLUMNS = ["doc_id", "line", "text", "value", "year", "kind", "period", "measure", "category", "about", "quote"]


def handread_dir() -> Path:
    return paths.project_root() / "tests" / "fixtures" / "handread"


def handread_figures(folder: Path | None = None) -> pd.DataFrame:
    """Every hand-read figure of the files in ``folder`` (default ``tests/fixtures/handread``)."""
    folder = Path(folder) if folder else handread_dir()
    rows = []
    for path in sorted(folder.glob("*.yml")):
        data = read_yaml(path)
        if not isinstance(data, dict) or "document" not in data or not isinstance(data.get("figures"), list):
            raise IndicatorsError(f"{path}: expected 'document:' and a 'figures:' list")
        for f in data["figures"]:
            rows.append({
                "doc_id": str(data["document"]),
                "line": int(f["line"]),
                "text": str(f["text"]),
                "value": float(f["value"]),
                "year": int(f["year"]),
                "kind": str(f["kind"]),
                "period": str(f.get("period", "year")),
                "measure": str(f.get("measure", "")),
                "category": str(f.get("category", "other")),
                "about": str(f.get("about", "province")),
                "quote": str(f.get("quote", "")),
            })
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def numeral(text: str) -> str:
    """A numeral's first number as written, without spaces: 25-30 gives 25, 138/184 gives 138."""
    return text.replace(" ", "").split("/")[0].split("-")[0].split("–")[0]


def match(figures: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """``figures`` with a ``status``: read, contradicted (the numeral is observed with another year, kind or
    value), missing (no observation), wrongly_read (a figure of the country or another province observed as
    the province's), excluded (an activity count, or not the province's and not observed)."""
    obs = observations[observations.get("period", pd.Series("year", index=observations.index)) == "year"] \
        if "period" in observations else observations
    at: dict[tuple[str, int], list] = {}
    for row in obs.itertuples():
        at.setdefault((row.doc_id, int(row.line)), []).append(row)
    statuses, found = [], []
    for f in figures.itertuples():
        candidates = [o for o in at.get((f.doc_id, f.line), [])
                      if numeral(str(o.number_as_written)) == numeral(f.text) or same_value(o.value, f.value)]
        national = f.about in ("national", "other_province", "foreign")
        if national:
            statuses.append("wrongly_read" if candidates else "excluded")
            found.append(candidates[0].indicator_id if candidates else "")
            continue
        good = [o for o in candidates if int(o.year) == f.year and _kind_ok(o, f) and _value_ok(o, f)]
        if good:
            status = "read"
        elif candidates:
            status = "contradicted"
        else:
            status = "missing"
        if f.category == "activity" and status != "contradicted":
            status = "excluded"
        statuses.append(status)
        found.append((good or candidates)[0].indicator_id if (good or candidates) else "")
    return figures.assign(status=statuses, indicator_id=found)


def _kind_ok(o, f) -> bool:
    if o.kind == f.kind:
        return True
    # "vượt 0,3% kế hoạch" of a rate: read as 100.3% of plan, or by hand as 0.3 points above it
    return f.measure == "plan_gap" and o.kind == "attainment"


def _value_ok(o, f) -> bool:
    if same_value(o.value, f.value):
        return True
    return f.measure == "plan_gap" and o.kind == "attainment" and same_value(o.value, 100 + f.value)


def summary(matched: pd.DataFrame) -> pd.DataFrame:
    """Recall by category: figures about the province (activity counts aside), how many are read."""
    counted = matched[matched["status"].isin(["read", "contradicted", "missing"])]
    rows = []
    for category, group in [("all", counted), ("core", counted[counted["category"].isin(CORE)]),
                            *sorted(counted.groupby("category"))]:
        rows.append({
            "category": category,
            "figures": len(group),
            "read": int((group["status"] == "read").sum()),
            "contradicted": int((group["status"] == "contradicted").sum()),
            "missing": int((group["status"] == "missing").sum()),
            "recall": round((group["status"] == "read").mean() * 100, 1) if len(group) else float("nan"),
        })
    return pd.DataFrame(rows)


def precision(matched: pd.DataFrame, observations: pd.DataFrame) -> dict:
    """Observations on hand-read lines: how many contradict the text (wrong year, kind or value, or a
    national figure read as the province's)."""
    documents = set(matched["doc_id"])
    on_lines = observations[observations["doc_id"].isin(documents)]
    wrong = int(matched["status"].isin(["contradicted", "wrongly_read"]).sum())
    return {"observations": len(on_lines), "contradicting": wrong,
            "share": round(wrong / len(on_lines) * 100, 2) if len(on_lines) else 0.0}
