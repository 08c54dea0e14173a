"""Plan against actual, implied plans and pace to target: the second analytics layer.

Functions take the tables they need (observations, documents, indicators, and the statements of
:mod:`indicators.statements`) and return DataFrames; nothing here loads a table by itself.

Statuses know the indicator's direction (``higher``, ``lower`` or ``neutral``: spending above its
estimate is "above plan", not a success), floors and ceilings ("trên 95%", "dưới 5%"), ranges, the
rounding of the written figures, and what the province says in words; a target whose year has no result
yet is "no result yet", whatever earlier years show.
"""

from __future__ import annotations

import math
from bisect import bisect_right

import numpy as np
import pandas as pd

from indicators import lazy
from indicators.analyse.statements import (
    annual,
    as_records,
    best_plans,
    definition,
    half_unit,
    link_plans,
    records_by,
    same_definition,
    stated_attainments,
    with_tolerance,
)

sm = lazy.module("statsmodels.api")  # only where five yearly results or more are fitted a trend
STATUSES = ("exceeded", "met", "missed", "above_plan", "below_plan", "no_target", "no_result")
ASSESSMENTS = ("at target level", "on track", "moderate progress", "insufficient progress", "moving away",
               "too few points")
MIN_PACE_POINTS = 3  # yearly results needed before the pace towards a target is judged
MIN_TREND_POINTS = 5  # ... and before a linear trend with a prediction interval is fitted
FLOW_MEASURES = ("growth", "decline", "contribution", "change", "pp_change", "ratio", "multiple", "rank", "plan_gap",
                 "plan_shortfall")
_GAP_SUFFIXES = {"_below_plan": -1, "_above_plan": 1}

PLAN_COLUMNS = [
    "indicator_id", "family", "year", "unit", "direction", "plan", "plan_high", "plan_qualifier", "plan_doc",
    "plan_basis", "actual", "actual_qualifier", "actual_kind", "actual_doc", "actual_basis", "attainment_stated",
    "attainment_doc", "attainment_reading", "attainment_computed", "gap", "gap_unit", "tolerance", "status",
    "status_basis", "stated_outcome", "disagreement", "definition_note",
]


def status_from_values(actual: float, plan: float, *, direction: str, tolerance: float, qualifier: str = "",
                       plan_high: float | None = None) -> str:
    """exceeded / met / missed (or above_plan / below_plan for a neutral indicator) for a result against its
    target, allowing for rounding. A floor ("trên", "tối thiểu") is reached at or above it, a ceiling ("dưới",
    "tối đa") at or below, whatever the direction; a range target is met anywhere inside it."""
    if qualifier == "range" and plan_high is not None and not pd.isna(plan_high):
        if plan - tolerance <= actual <= plan_high + tolerance:
            return "met"
        above = actual > plan_high
    else:
        if abs(actual - plan) <= tolerance:
            return "met"
        above = actual > plan
    if qualifier in (">", ">="):
        return "exceeded" if above else "missed"
    if qualifier in ("<", "<="):
        return "missed" if above else "exceeded"
    if direction == "neutral":
        return "above_plan" if above else "below_plan"
    return "exceeded" if above == (direction == "higher") else "missed"


def status_from_attainment(attainment: float, *, direction: str, tolerance: float) -> str:
    """exceeded / met / missed from a stated percent of plan ("bằng 89,9% kế hoạch", "vượt 30% dự toán"). A
    percent of plan says how much of the plan was done, whichever way the indicator is better; for a neutral
    one (spending) above and below the plan are neither success nor failure."""
    return status_from_values(attainment, 100.0, direction="neutral" if direction == "neutral" else "higher",
                              tolerance=tolerance)


def _gap_plans(observations: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Plans a stated gap implies: "tỷ lệ đạt 94,5%, thấp hơn 0,5% so với kế hoạch" → plan 95 (points for a
    percentage)."""
    rows = []
    for suffix, sign in _GAP_SUFFIXES.items():
        gaps = observations[observations["indicator_id"].str.endswith(suffix)]
        for gap in gaps.itertuples():
            base = gap.indicator_id[: -len(suffix)]
            result = results[(results["indicator_id"] == base) & (results["year"] == gap.year)]
            if result.empty:
                continue
            rows.append({"indicator_id": base, "year": gap.year, "value": result["value"].iloc[0] - sign * gap.value,
                         "value_high": np.nan, "qualifier": "", "doc_id": gap.doc_id, "quote": gap.quote,
                         "tolerance": half_unit(gap.number_as_written, gap.value), "plan_basis": "from the stated gap"})
    return pd.DataFrame(rows, columns=["indicator_id", "year", "value", "value_high", "qualifier", "doc_id", "quote",
                                       "tolerance", "plan_basis"])


def _stated_outcomes(outcomes: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One stated outcome per indicator and year: the latest document's."""
    issued = documents.set_index("doc_id")["issued"]
    said = outcomes[outcomes["indicator_id"] != ""].assign(issued=lambda f: f["doc_id"].map(issued))
    said = said.sort_values(["indicator_id", "year", "issued", "line"])
    return said.drop_duplicates(["indicator_id", "year"], keep="last")[["indicator_id", "year", "outcome"]]


def plan_vs_actual(observations: pd.DataFrame, documents: pd.DataFrame, indicators: pd.DataFrame,
                   latest: pd.DataFrame, outcomes: pd.DataFrame, *, year: int | None = None) -> pd.DataFrame:
    """One row per indicator and year: plan, result, attainment, gap and status.

    * ``plan``: the target from the earliest document that sets it (``plan_basis`` "stated"), else the one a
      stated gap implies ("thấp hơn 0,5% so với kế hoạch"; "from the stated gap");
    * ``actual``: the latest vintage (:func:`indicators.statements.latest_results`), ``actual_kind`` "estimate"
      where it is one (stated so, or written before the year ended);
    * ``attainment_computed`` = actual / plan × 100; ``attainment_stated`` what the text says, and
      ``attainment_reading`` "percent or points" where "vượt X% kế hoạch" of a percentage can mean either;
    * ``status``: exceeded, met, missed (above_plan, below_plan for a neutral indicator), no_target,
      no_result; ``status_basis`` says from what: the figures, a stated attainment, or a ``stated_outcome``
      in words. Where the words and the figures disagree, ``disagreement`` says how;
    * ``definition_note``: the plan and the result count different things ("không tính cây ăn quả").

    Missing sides stay empty (NaN), never zero.
    """
    table = _sides(annual(link_plans(observations, indicators)), documents, indicators, latest, outcomes, year)
    table = table[table["family"].notna()].copy()
    _judged(table, indicators)
    return table[PLAN_COLUMNS].sort_values(["indicator_id", "year"], ignore_index=True)


def _sides(obs, documents, indicators, latest, outcomes, year) -> pd.DataFrame:
    """Per indicator and year: the plan, the latest result, the stated attainment and the outcome in words."""
    if year is not None:
        obs = obs[obs["year"] == year]
        latest = latest[latest["year"] == year]
    obs = with_tolerance(obs)
    plans = best_plans(obs, documents).assign(plan_basis="stated")
    plans = pd.concat([plans, _gap_plans(obs, latest)], ignore_index=True).drop_duplicates(["indicator_id", "year"])
    stated = stated_attainments(obs)
    said = _stated_outcomes(outcomes, documents)
    keys = pd.concat([obs[["indicator_id", "year"]], said[["indicator_id", "year"]], latest[["indicator_id", "year"]]])
    keys = keys[keys["indicator_id"].isin(set(obs["indicator_id"]) | set(said["indicator_id"]))].drop_duplicates()
    return (
        keys.merge(_prefixed(plans, "plan", ["value", "value_high", "qualifier", "doc_id", "tolerance", "quote",
                                             "plan_basis"]), how="left")
        .merge(_prefixed(latest, "actual", ["value", "qualifier", "is_estimate", "doc_id", "tolerance", "quote",
                                            "basis"]), how="left")
        .merge(stated[["indicator_id", "year", "value", "tolerance", "number_as_written", "doc_id"]].rename(columns={
            "value": "attainment_stated", "tolerance": "attainment_tolerance", "number_as_written": "attainment_text",
            "doc_id": "attainment_doc"}),
            how="left")
        .merge(said.rename(columns={"outcome": "stated_outcome"}), how="left")
        .merge(indicators[["indicator_id", "family", "unit", "direction"]], how="left")
    )


def _judged(table: pd.DataFrame, indicators: pd.DataFrame) -> None:
    """Attainment, gap, status and notes, added to ``table``."""
    table["attainment_computed"] = (table["actual"] / table["plan"] * 100).round(1)
    table["gap"] = (table["actual"] - table["plan"]).round(6)
    table["gap_unit"] = table["unit"].where(table["unit"] != "%", "pp").where(table["gap"].notna(), "")
    table["actual_kind"] = np.where(table["actual"].isna(), "",
                                    np.where(table["actual_is_estimate"].fillna(False).astype(bool), "estimate",
                                             "actual"))
    table["attainment_reading"] = [
        "percent or points" if unit == "%" and pd.notna(value) and _written_over(text, value) else ""
        for unit, value, text in zip(table["unit"], table["attainment_stated"], table["attainment_text"], strict=True)
    ]
    judged = pd.DataFrame([_judge(row) for row in table.itertuples()], index=table.index,
                          columns=["status", "status_basis", "tolerance", "disagreement"])
    table[judged.columns] = judged
    breakdown = table["indicator_id"].map(indicators.set_index("indicator_id")["breakdown"])
    table["definition_note"] = [_definition_note(p, a, b) for p, a, b in zip(table["plan_quote"], table["actual_quote"],
                                                                             breakdown, strict=True)]
    for column in ("plan_qualifier", "actual_qualifier", "plan_doc", "actual_doc", "plan_basis", "actual_basis",
                   "attainment_doc", "stated_outcome"):
        table[column] = table[column].fillna("").astype(str)
    table["tolerance"] = table["tolerance"].astype(float)


def _prefixed(frame: pd.DataFrame, prefix: str, columns: list[str]) -> pd.DataFrame:
    """``frame``'s columns named for one side of the comparison: value → plan, doc_id → plan_doc, ..."""
    short = {"value": "", "value_high": "_high", "doc_id": "_doc", "is_estimate": "_is_estimate"}
    renamed = {c: c if c.startswith(prefix) else prefix + short.get(c, f"_{c}") for c in columns}
    return frame[["indicator_id", "year", *columns]].rename(columns=renamed)


def _written_over(text, value: float) -> bool:
    """"vượt 9,5% kế hoạch": the number written is the part over 100 (percent of plan, or points?)."""
    try:
        return abs(float(str(text).replace(",", ".")) + 100 - value) < 1e-6
    except ValueError:
        return False


def _judge(row) -> tuple[str, str, float, str]:
    """Status, its basis, the tolerance used, and how the province's words disagree with the figures."""
    said = row.stated_outcome if isinstance(row.stated_outcome, str) else ""
    direction = row.direction
    if pd.notna(row.actual) and pd.notna(row.plan):
        tolerance = (row.plan_tolerance or 0) + (row.actual_tolerance or 0)
        status = status_from_values(row.actual, row.plan, direction=direction, tolerance=tolerance,
                                    qualifier=row.plan_qualifier or "", plan_high=row.plan_high)
        return status, "actual against plan", round(tolerance, 6), _disagreement(said, status)
    if pd.notna(row.attainment_stated):
        tolerance = row.attainment_tolerance or 0
        status = status_from_attainment(row.attainment_stated, direction=direction, tolerance=tolerance)
        return status, "stated attainment", round(tolerance, 6), _disagreement(said, status)
    if said:
        status = {"met_or_exceeded": "met"}.get(said, said)
        return status, "stated outcome", math.nan, ""
    return ("no_result" if pd.notna(row.plan) else "no_target"), "", math.nan, ""


def _disagreement(said: str, status: str) -> str:
    """"" when the province's words and the figures agree (or it says nothing)."""
    agree = {"met_or_exceeded": ("met", "exceeded"), "met": ("met", "exceeded"), "exceeded": ("exceeded",),
             "missed": ("missed",)}
    if not said or status in agree.get(said, ()):
        return ""
    return f"the document says {said}; the figures give {status}"


def _definition_note(plan_quote, actual_quote, breakdown="") -> str:
    """What the target counts and the result does not, or the other way round ("không tính cây ăn quả"); not
    what the indicator's own breakdown already says ("basis=excl_land": both are without the land revenue)."""
    if not isinstance(plan_quote, str) or not isinstance(actual_quote, str) or "basis=" in str(breakdown):
        return ""
    plan, actual = definition(plan_quote), definition(actual_quote)
    if same_definition(plan, actual):
        return ""
    return f"target: {plan or '—'}; result: {actual or '—'}"


# ------------------------------------------------------------------------------------------ implied plans

IMPLIED_COLUMNS = ["indicator_id", "year", "unit", "actual", "actual_kind", "attainment_stated", "implied_qualifier",
                   "implied_plan", "implied_low", "implied_high", "implied_plan_points", "stated_plan",
                   "stated_plan_doc", "agrees", "doc_id", "quote"]


def implied_plans(observations: pd.DataFrame, documents: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The target implied by each stated attainment with a known result: actual × 100 / attainment.

    ``implied_low``–``implied_high`` is the interval the rounding of both written figures allows (GRDP per
    capita 2021: 2.950 USD at 89,9 % of plan implies about 3.281 USD); ``implied_qualifier`` carries the
    result's ("trên 95%" at 100 % of plan: the plan was at most that); for a percentage written "vượt X% kế
    hoạch", ``implied_plan_points`` is the plan if X meant percentage points. Where the sources also state
    the target, ``agrees`` says whether it lies in the interval.
    """
    obs = with_tolerance(annual(link_plans(observations, indicators)))
    plans = {(p["indicator_id"], p["year"]): p for p in as_records(best_plans(obs, documents))}
    results = records_by(obs[obs["kind"].isin(["actual", "estimate"])], ["indicator_id", "year", "doc_id"], "line")
    units = indicators.set_index("indicator_id")["unit"]
    rows = []
    lines = {key: [r["line"] for r in group] for key, group in results.items()}  # (each group in line order)
    for att in obs[obs["kind"] == "attainment"].itertuples():
        key = (att.indicator_id, att.year, att.doc_id)
        before = bisect_right(lines.get(key, []), att.line)  # the results stated before it, or on its line
        if not before or att.value <= 0:
            continue
        rows.append(_implied_row(att, results[key][before - 1], plans.get((att.indicator_id, att.year)),
                                 units.get(att.indicator_id, "")))
    frame = pd.DataFrame(rows, columns=IMPLIED_COLUMNS)  # a percent of plan stated twice: its first statement
    frame = frame.drop_duplicates(["indicator_id", "year", "doc_id", "attainment_stated"], ignore_index=True)
    frame["agrees"] = frame["agrees"].astype("boolean")
    frame["year"] = frame["year"].astype("Int64")
    return frame.sort_values(["indicator_id", "year", "doc_id"], ignore_index=True)


def _implied_row(att, result: dict, stated: dict | None, unit: str) -> dict:
    a, da, p, dp = result["value"], result["tolerance"], att.value, att.tolerance
    low, high = (a - da) * 100 / (p + dp), (a + da) * 100 / (p - dp)
    agrees = pd.NA
    if stated is not None:
        agrees = bool(low - stated["tolerance"] <= stated["value"] <= high + stated["tolerance"])
    points = a - (p - 100) if unit == "%" and _written_over(att.number_as_written, p) else np.nan
    return {
        "indicator_id": att.indicator_id, "year": att.year, "unit": unit, "actual": a, "actual_kind": result["kind"],
        "attainment_stated": p, "implied_qualifier": result["qualifier"] or "",
        "implied_plan": round(a * 100 / p, 3), "implied_low": round(low, 3), "implied_high": round(high, 3),
        "implied_plan_points": round(points, 3) if pd.notna(points) else np.nan,
        "stated_plan": stated["value"] if stated is not None else np.nan,
        "stated_plan_doc": stated["doc_id"] if stated is not None else "", "agrees": agrees,
        "doc_id": att.doc_id, "quote": att.quote,
    }


# ------------------------------------------------------------------------------------------------- pace

PACE_COLUMNS = [
    "indicator_id", "unit", "direction", "target_year", "target", "target_qualifier", "first_year", "first_value",
    "last_year", "last_value", "last_doc", "last_is_estimate", "points", "achieved_per_year", "required_per_year",
    "pace_ratio", "assessment", "trend_slope", "projection", "projection_low", "projection_high", "trend_note",
    "definition_note",
]


def is_rate_of_change(indicator_id: str, indicators: pd.DataFrame) -> bool:
    """Growth rates, contributions and changes are yearly flows: they have no trajectory to a target."""
    return _is_flow(indicator_id, indicators.set_index("indicator_id")["measure"].get(indicator_id, ""))


def _is_flow(indicator_id: str, measure) -> bool:
    if isinstance(measure, str) and measure:
        return measure in FLOW_MEASURES
    return indicator_id.endswith(("_growth", "_decline", "_contribution", "_change", "_change_pp"))


def assess_pace(achieved: float, required: float, direction: str) -> str:
    """Eurostat's SDG assessment of the actual against the required pace (the target not yet reached)."""
    ratio = achieved / required
    if ratio >= 0.95:
        return "on track"
    if ratio >= 0.60:
        return "moderate progress"
    if ratio >= 0:
        return "insufficient progress"
    return "moving away"


def linear_trend(years, values, target_year: int) -> dict:
    """Least-squares trend projected to ``target_year`` with a 90 % prediction interval: statsmodels' OLS, and
    its prediction's interval for a new observation (``obs_ci``)."""
    x, y = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    fit = sm.OLS(y, sm.add_constant(x, has_constant="add")).fit()
    predicted = fit.get_prediction(np.array([[1.0, float(target_year)]])).summary_frame(alpha=0.10).iloc[0]
    return {"trend_slope": float(fit.params[1]), "projection": float(predicted["mean"]),
            "projection_low": float(predicted["obs_ci_lower"]), "projection_high": float(predicted["obs_ci_upper"])}


def _reached(last: float, target: float, direction: str, qualifier: str) -> bool:
    if direction == "lower" or qualifier in ("<", "<="):
        return last <= target
    return last >= target


def pace(observations: pd.DataFrame, documents: pd.DataFrame, indicators: pd.DataFrame,
         latest: pd.DataFrame) -> pd.DataFrame:
    """For each target of a year with no result yet: where the latest results stand, the change per year still
    needed against the change per year achieved.

    The series is the latest vintage of each year's result (revised figures, and values later documents
    imply). With fewer than :data:`MIN_PACE_POINTS` yearly results the assessment is "too few points"; a
    result already at the target's level is "at target level" (not "met": the year is not over); else
    Eurostat's SDG method (achieved / required pace ≥ 95 % on track, 60–95 % moderate progress, 0–60 %
    insufficient progress, < 0 moving away). A linear trend with a 90 % prediction interval needs
    :data:`MIN_TREND_POINTS` points.
    """
    obs = annual(link_plans(observations, indicators))
    units = {r["indicator_id"]: r for r in as_records(indicators)}
    series = records_by(latest, "indicator_id", "year")  # indicator -> its latest results, by year
    rows = []
    for plan in best_plans(obs, documents).itertuples():
        results, indicator = series.get(plan.indicator_id), units.get(plan.indicator_id)
        if results is None or indicator is None or any(r["year"] == plan.year for r in results):
            continue
        points = [r for r in results if r["year"] < plan.year]
        if not points or _is_flow(plan.indicator_id, indicator["measure"]):
            continue
        rows.append(_pace_row(plan, points, indicator))
    frame = pd.DataFrame(rows, columns=PACE_COLUMNS)
    for column in ("target_year", "first_year", "last_year"):
        frame[column] = frame[column].astype("Int64")
    frame["target_qualifier"] = frame["target_qualifier"].fillna("").astype(str)
    frame["last_is_estimate"] = frame["last_is_estimate"].astype(bool)
    return frame.sort_values(["indicator_id", "target_year"], ignore_index=True)


def _pace_row(plan, points: list[dict], indicator: dict) -> dict:
    first, last = points[0], points[-1]
    direction = indicator["direction"]
    required = (plan.value - last["value"]) / (plan.year - last["year"])
    row = {
        "indicator_id": plan.indicator_id, "unit": indicator["unit"], "direction": direction,
        "target_year": plan.year, "target": plan.value, "target_qualifier": plan.qualifier,
        "first_year": first["year"], "first_value": first["value"], "last_year": last["year"],
        "last_value": last["value"], "last_doc": last["doc_id"], "last_is_estimate": bool(last["is_estimate"]),
        "points": len(points), "achieved_per_year": np.nan, "required_per_year": round(required, 6),
        "pace_ratio": np.nan, "trend_slope": np.nan, "projection": np.nan, "projection_low": np.nan,
        "projection_high": np.nan, "trend_note": f"too few points for a trend ({len(points)} of {MIN_TREND_POINTS})",
        "definition_note": _definition_note(plan.quote, last["quote"], indicator["breakdown"]),
    }
    if len(points) >= 2:
        achieved = (last["value"] - first["value"]) / (last["year"] - first["year"])
        row["achieved_per_year"] = round(achieved, 6)
        if required:
            row["pace_ratio"] = round(achieved / required, 4)
    if _reached(last["value"], plan.value, direction, plan.qualifier) and direction != "neutral":
        row["assessment"] = "at target level"
    elif len(points) < MIN_PACE_POINTS or pd.isna(row["pace_ratio"]):
        row["assessment"] = "too few points"
    else:
        row["assessment"] = assess_pace(row["achieved_per_year"], required, direction)
    if len(points) >= MIN_TREND_POINTS:
        trend = linear_trend([p["year"] for p in points], [p["value"] for p in points], plan.year)
        row.update({k: round(v, 6) for k, v in trend.items()})
        row["trend_note"] = f"linear trend of {len(points)} points, 90% prediction interval"
    return row


# ------------------------------------------------------------------------------------------------- gaps

def gaps(observations: pd.DataFrame, indicators: pd.DataFrame, year: int) -> pd.DataFrame:
    """What the sources do not give for ``year``: every indicator of the curated catalog without a plan or
    without a result that year, with the latest year that has a result (whole-year figures of the province)."""
    observations = annual(observations)
    kinds = observations[observations["year"] == year].groupby("indicator_id")["kind"].agg(set)
    results = observations[observations["kind"].isin(["actual", "estimate"])].groupby("indicator_id")["year"].max()
    frame = indicators.loc[indicators["curated"], ["family", "indicator_id"]].copy()
    given = frame["indicator_id"].map(kinds).apply(lambda k: k if isinstance(k, set) else set())
    frame["plan"] = given.apply(lambda k: "plan" in k)
    frame["result"] = given.apply(lambda k: bool(k & {"actual", "estimate"}))
    frame["missing"] = np.select([~frame["plan"] & ~frame["result"], ~frame["result"], ~frame["plan"]],
                                 ["plan and result", "result", "plan"], "")
    frame["latest_result_year"] = frame["indicator_id"].map(results).astype("Int64")
    return frame[frame["missing"] != ""].sort_values(["family", "indicator_id"], ignore_index=True)


def gap_counts(gap_table: pd.DataFrame) -> pd.DataFrame:
    """:func:`gaps` counted by family and what is missing."""
    counts = pd.crosstab(gap_table["family"], gap_table["missing"])
    return counts.reindex(columns=["result", "plan", "plan and result"], fill_value=0)
