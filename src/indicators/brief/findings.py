"""One sentence per chart that answers its question with the numbers, in Vietnamese or English.

Each function takes the rows a chart is drawn from (see :mod:`indicators.briefing`) and returns the sentence
printed under the chart, used as its caption, its alt text and its line in ``reports/index.html``. Words
come from ``labels.yml`` (``findings``).
"""

from __future__ import annotations

import pandas as pd

from indicators.brief.words import label, number, status_word, value_text, year_span
from indicators.read.catalog import Catalog

RESULT_KINDS = ("actual", "estimate")


def _value(row, catalog: Catalog, lang: str) -> str:
    """A value as its chart labels it (one implied by other figures rounded: "≈ 21,950", not "21,949.645")."""
    indicator = catalog[row["indicator_id"]]
    return value_text(row["value"], indicator.unit, lang, catalog, qualifier=row.get("qualifier", ""),
                      implied=indicator.decimals if row.get("basis") == "derived" else None,
                      tolerance=row.get("tolerance"))


def scorecard(rows: pd.DataFrame, said: dict | None, counts: dict, year: int, lang: str, names: list[str]) -> str:
    """The province's count first, then what the figures give."""
    parts = []
    if said is not None:
        parts.append(label("findings.scorecard_own", lang, year=year, done=int(said["met_or_exceeded"]),
                           n=int(said["targets"]) if pd.notna(said["targets"]) else "—"))
        if names:
            parts.append(label("findings.scorecard_named", lang, names="; ".join(names)))
    judged = counts["n"] - counts["pending"]
    if judged:
        parts.append(label("findings.scorecard_computed", lang, judged=judged, **counts))
    elif counts["pending"]:
        parts.append(label("findings.scorecard_pending", lang, year=year, n=counts["pending"]))
    return " ".join(parts)


def plan_vs_actual(rows: pd.DataFrame, year: int, lang: str, catalog: Catalog) -> str:
    """"GRDP growth: 19.3% against a target of ... (exceeded); ..." for the first three indicators."""
    items = []
    for row in rows.head(3).to_dict("records"):
        indicator = catalog[row["indicator_id"]]
        unit = indicator.unit
        actual = value_text(row["actual"], unit, lang, catalog, qualifier=row["actual_qualifier"],
                            implied=indicator.decimals if row.get("actual_basis") == "derived" else None,
                            tolerance=row.get("actual_tolerance"))
        plan = value_text(row["plan"], unit, lang, catalog, 3, row["plan_qualifier"], row["plan_high"])
        text = catalog[row["indicator_id"]].name(lang) + ": " + (actual or label("findings.no_result", lang))
        if plan:
            text += " " + label("findings.against", lang, plan=plan)
        if row["status"] not in ("no_target", ""):
            text += f" ({status_word(row['status'], lang).lower()})"
        items.append(text)
    return label("findings.pva", lang, year=year, items="; ".join(items))


def latest(frame: pd.DataFrame, indicator_ids: list[str], year: int, lang: str, catalog: Catalog) -> str:
    """The first indicator with a result up to ``year``: its latest value, the change from the year before,
    and the target after it."""
    for iid in indicator_ids:
        rows = frame[frame["indicator_id"] == iid]
        results = rows[rows["kind"].isin(RESULT_KINDS) & (rows["year"] <= year)].sort_values("year")
        if results.empty:
            continue
        last = results.iloc[-1]
        text = label("findings.latest", lang, name=catalog[iid].name(lang), year=int(last["year"]),
                     value=_value(last, catalog, lang))
        if len(results) > 1:
            before = results.iloc[-2]
            text += label("findings.before", lang, year=int(before["year"]), value=_value(before, catalog, lang))
        plans = rows[(rows["kind"] == "plan") & (rows["year"] > last["year"])].sort_values("year")
        if len(plans):
            text += label("findings.next_target", lang, year=int(plans.iloc[0]["year"]),
                          value=_value(plans.iloc[0], catalog, lang))
        return text + "."
    plans = frame[frame["kind"] == "plan"].sort_values(["year", "indicator_id"])
    if len(plans):
        first = plans.iloc[0]
        return label("findings.only_targets", lang, name=catalog[first["indicator_id"]].name(lang),
                     year=int(first["year"]), value=_value(first, catalog, lang))
    return ""


def shares(frame: pd.DataFrame, parts: list[str], lang: str, catalog: Catalog) -> str:
    """"In 2022, industry and construction made up 62.3% of GRDP, services 24.2%, ..." (latest result)."""
    results = frame[frame["indicator_id"].isin(parts) & frame["kind"].isin(RESULT_KINDS)]
    if results.empty:
        return label("findings.shares_targets", lang)
    year = int(results["year"].max())
    last = results[results["year"] == year].set_index("indicator_id")
    items = [f"{catalog[p].name(lang)} {number(last.loc[p, 'value'], lang, 1)}%" for p in parts if p in last.index]
    return label("findings.shares", lang, year=year, items=", ".join(items))


def contributions(frame: pd.DataFrame, parts: list[str], total: str, lang: str, catalog: Catalog) -> str:
    """"In 2022, industry and construction contributed 17.46 of the 19.3 points of GRDP growth."""
    results = frame[frame["indicator_id"].isin(parts) & frame["kind"].isin(RESULT_KINDS)]
    year = int(results["year"].max())
    last = results[results["year"] == year].sort_values("value", ascending=False).iloc[0]
    growth = frame[(frame["indicator_id"] == total) & (frame["year"] == year) & frame["kind"].isin(RESULT_KINDS)]
    of = number(growth["value"].iloc[0], lang, 2) if len(growth) else "—"
    return label("findings.contributions", lang, year=year, name=catalog[last["indicator_id"]].name(lang),
                 value=number(last["value"], lang, 2), total=of)


def bullets(rows: pd.DataFrame, year: int, lang: str) -> str:
    """"Of the 12 targets for 2023: 3 already at the target level in 2022, 1 moving away, 8 too few points."""
    counts = rows["judgement"].value_counts()
    items = [f"{n} {status_word(j, lang).lower()}" for j, n in counts.items()]
    return label("findings.bullets", lang, n=len(rows), year=year, items=", ".join(items))


def coverage(table: pd.DataFrame, lang: str) -> str:
    """"The sources give results for 240 indicators in 2022; the latest year with results is 2022." Before any
    result, the plans they give instead."""
    results = table[(table["actual"] + table["estimate"]) > 0]
    per_year = results.groupby("year")["indicator_id"].nunique()
    if per_year.empty:
        return label("findings.coverage_plans_only", lang, n=table["indicator_id"].nunique(),
                     years=year_span(table["year"].unique()))
    best = int(per_year.idxmax())
    return label("findings.coverage", lang, n=int(per_year.max()), year=best, last=int(per_year.index.max()))


def revisions(table: pd.DataFrame, lang: str, catalog: Catalog) -> str:
    """"11 figures were revised by a later document; the largest: state budget revenue 2021, from ... to ..."""
    groups = table.groupby(["indicator_id", "year"])
    moved = groups["revision"].apply(lambda r: r.abs().max() if len(r) else 0)
    relative = groups.apply(lambda g: (g["revision"].abs() / g["value"].abs().iloc[0]).max(), include_groups=False)
    iid, year = relative.idxmax()
    rows = table[(table["indicator_id"] == iid) & (table["year"] == year)]
    unit = catalog[iid].unit
    return label("findings.revisions", lang, n=int((moved > 0).sum()), name=catalog[iid].name(lang), year=year,
                 first=value_text(rows["value"].iloc[0], unit, lang, catalog, 3),
                 last=value_text(rows["value"].iloc[-1], unit, lang, catalog, 0))
