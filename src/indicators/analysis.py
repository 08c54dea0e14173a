"""Plan against actual, implied plans and pace to target: pure functions on DataFrames.

Each function takes the processed tables as keyword arguments (``observations=``, ``documents=``,
``indicators=``, ...) and reads them from ``data/processed/`` when they are not given.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .numbers import decimals_of, parse_number
from .tables import load_table
from .words import label

STATUSES = ("exceeded", "met", "missed", "no_target", "no_result")
ASSESSMENTS = ("target met", "on track", "moderate progress", "insufficient progress", "moving away", "too few points")
PLAN_COLUMNS = [
    "indicator_id",
    "family",
    "year",
    "unit",
    "higher_is_better",
    "plan",
    "plan_high",
    "plan_qualifier",
    "plan_doc",
    "actual",
    "actual_qualifier",
    "actual_kind",
    "actual_doc",
    "attainment_stated",
    "attainment_computed",
    "gap",
    "gap_unit",
    "tolerance",
    "status",
    "status_basis",
]


def _tables(observations, documents, indicators):
    obs = load_table("observations") if observations is None else observations
    docs = load_table("documents") if documents is None else documents
    inds = load_table("indicators") if indicators is None else indicators
    return link_plans(annual(obs), inds), docs, inds


def annual(observations: pd.DataFrame) -> pd.DataFrame:
    """The figures for whole years (a 9-month or quarterly figure is not a year's result)."""
    if "period" not in observations:
        return observations
    return observations[observations["period"] == "year"]


# Units in which a part of a total is never larger than the total.
_ADDITIVE_UNITS = {"bn VND", "mn USD", "USD", "count", "projects", "enterprises", "workers", "people", "visitors",
                   "products", "communes", "districts", "households", "targets", "head", "ha", "tonnes", "km", "m2",
                   "m3"}


def prominence(observations: pd.DataFrame) -> pd.Series:
    """Where one document gives several values for the same indicator, year and kind, the total comes first:
    the largest value of an amount or a count (a part of a total is never larger than it); else the first
    stated."""
    additive = observations["unit"].isin(_ADDITIVE_UNITS)
    return (-observations["value"]).where(additive, 0.0)


def link_plans(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Observations plus, for an indicator whose target is stated as another indicator
    (``plan_from``: disbursed public investment against the public investment plan), that
    indicator's plans under its own id, for the years it has no plan of its own."""
    links = (
        indicators.loc[
            indicators.get("plan_from", pd.Series(dtype=str)).fillna("") != "", ["indicator_id", "plan_from"]
        ]
        if "plan_from" in indicators
        else indicators.iloc[0:0]
    )
    extra = []
    for target, source in zip(links["indicator_id"], links["plan_from"], strict=True):
        own = set(observations.loc[(observations["indicator_id"] == target) & (observations["kind"] == "plan"), "year"])
        borrowed = observations[
            (observations["indicator_id"] == source)
            & (observations["kind"] == "plan")
            & ~observations["year"].isin(own)
        ]
        extra.append(borrowed.assign(indicator_id=target))
    return pd.concat([observations, *extra], ignore_index=True) if extra else observations


def half_unit(number_as_written: str, value: float) -> float:
    """How far a written figure may be from the truth because of rounding, in canonical units.

    ``"19,3"`` is known to ±0.05; ``"155,9"`` (nghìn tỷ đồng, 155 900 bn VND) to ±50 bn VND.
    """
    written = str(number_as_written).split("-")[0].split("–")[0].split("/")[0].strip()
    try:
        number = parse_number(written)
    except ValueError:
        return 0.0
    step = 0.5 * 10 ** -decimals_of(written)
    if number == 0 or abs(value - number) < 1e-9 or abs(value - 100 - number) < 1e-9:
        return step  # written as is, or an attainment "vượt X%" (= 100 + X)
    return step * abs(value / number)


def with_tolerance(observations: pd.DataFrame) -> pd.DataFrame:
    """Observations with a ``tolerance`` column (the rounding of the written figure)."""
    tol = [half_unit(n, v) for n, v in zip(observations["number_as_written"], observations["value"], strict=True)]
    return observations.assign(tolerance=tol)


def best_plans(observations: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One plan per indicator and year: from the earliest document that sets it (first statement)."""
    issued = documents.set_index("doc_id")["issued"]
    plans = observations[observations["kind"] == "plan"].assign(issued=lambda f: f["doc_id"].map(issued))
    plans = plans.assign(_prominence=prominence(plans))
    return plans.sort_values(["indicator_id", "year", "issued", "doc_id", "_prominence", "line"]).drop_duplicates(
        ["indicator_id", "year"]
    ).drop(columns="_prominence")


def best_results(observations: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One result per indicator and year: the final figure where one exists, else the estimate;
    among several, the latest document's."""
    issued = documents.set_index("doc_id")["issued"]
    results = observations[observations["kind"].isin(["actual", "estimate"])].assign(
        issued=lambda f: f["doc_id"].map(issued), final=lambda f: f["kind"] == "actual"
    )
    results = results.assign(_prominence=prominence(results))
    return results.sort_values(
        ["indicator_id", "year", "final", "issued", "_prominence", "line"],
        ascending=[True, True, False, False, True, True],
    ).drop_duplicates(["indicator_id", "year"]).drop(columns="_prominence")


def _goal_is_higher(qualifier: str, higher_is_better: bool) -> bool:
    if qualifier in (">", ">="):
        return True  # "trên 95%", "tối thiểu 80%": a floor to reach
    if qualifier in ("<", "<="):
        return False  # "dưới 5%": a ceiling not to pass
    return bool(higher_is_better)


def status_from_values(
    actual: float,
    plan: float,
    *,
    higher_is_better: bool,
    tolerance: float,
    qualifier: str = "",
    plan_high: float | None = None,
) -> str:
    """exceeded / met / missed for a result against its target, allowing for rounding.

    A range target (``qualifier="range"``, ``plan``–``plan_high``) is met anywhere inside it.
    """
    if qualifier == "range" and plan_high is not None and not pd.isna(plan_high):
        if actual > plan_high + tolerance:
            return "exceeded" if higher_is_better else "missed"
        if actual < plan - tolerance:
            return "missed" if higher_is_better else "exceeded"
        return "met"
    difference = actual - plan
    if abs(difference) <= tolerance:
        return "met"
    better = difference > 0 if _goal_is_higher(qualifier, higher_is_better) else difference < 0
    return "exceeded" if better else "missed"


def status_from_attainment(attainment: float, *, higher_is_better: bool, tolerance: float) -> str:
    """exceeded / met / missed from a stated percent of plan ("bằng 89,9% kế hoạch")."""
    return status_from_values(attainment, 100.0, higher_is_better=higher_is_better, tolerance=tolerance)


def plan_vs_actual(
    year: int | None = None,
    family: str | None = None,
    *,
    observations: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per indicator and year: plan, actual, attainment, gap and status.

    * ``plan`` (and ``plan_doc``): the target, from the earliest document that sets it;
    * ``actual``: the final figure where one exists, else the estimate (``actual_kind`` says which),
      from the latest document that states it;
    * ``attainment_computed`` = actual / plan × 100; ``attainment_stated`` what the text says;
    * ``gap`` = actual − plan (percentage points for rates, ``gap_unit``);
    * ``status``: exceeded, met, missed, no_target or no_result. It respects the indicator's
      direction (for a lower-is-better indicator coming in under target is a success) and the
      rounding of the written figures (``tolerance``: "met" within it). Without a stated target,
      a stated attainment decides (``status_basis`` = "stated attainment").

    Missing sides stay empty (NaN), never zero.
    """
    obs, docs, inds = _tables(observations, documents, indicators)
    if year is not None:
        obs = obs[obs["year"] == year]
    if family is not None:
        obs = obs[obs["indicator_id"].isin(inds.loc[inds["family"] == family, "indicator_id"])]
    obs = with_tolerance(obs)
    plans = best_plans(obs, docs)
    results = best_results(obs, docs)
    stated = obs[obs["kind"] == "attainment"].sort_values(["indicator_id", "year", "doc_id", "line"])
    stated = stated.drop_duplicates(["indicator_id", "year"])

    keys = obs[["indicator_id", "year"]].drop_duplicates()
    table = (
        keys.merge(
            plans[["indicator_id", "year", "value", "value_high", "qualifier", "doc_id", "tolerance"]].rename(
                columns={
                    "value": "plan",
                    "value_high": "plan_high",
                    "qualifier": "plan_qualifier",
                    "doc_id": "plan_doc",
                    "tolerance": "plan_tolerance",
                }
            ),
            how="left",
        )
        .merge(
            results[["indicator_id", "year", "value", "qualifier", "kind", "doc_id", "tolerance"]].rename(
                columns={
                    "value": "actual",
                    "qualifier": "actual_qualifier",
                    "kind": "actual_kind",
                    "doc_id": "actual_doc",
                    "tolerance": "actual_tolerance",
                }
            ),
            how="left",
        )
        .merge(
            stated[["indicator_id", "year", "value", "tolerance"]].rename(
                columns={"value": "attainment_stated", "tolerance": "attainment_tolerance"}
            ),
            how="left",
        )
        .merge(inds[["indicator_id", "family", "unit", "higher_is_better"]], how="left")
    )
    table["attainment_computed"] = (table["actual"] / table["plan"] * 100).round(1)
    table["gap"] = (table["actual"] - table["plan"]).round(6)
    table["gap_unit"] = table["unit"].where(table["unit"] != "%", "pp").where(table["gap"].notna(), "")
    statuses, bases, tolerances = [], [], []
    for row in table.itertuples():
        if pd.notna(row.actual) and pd.notna(row.plan):
            tolerance = (row.plan_tolerance or 0) + (row.actual_tolerance or 0)
            statuses.append(
                status_from_values(
                    row.actual,
                    row.plan,
                    higher_is_better=row.higher_is_better,
                    tolerance=tolerance,
                    qualifier=row.plan_qualifier or "",
                    plan_high=row.plan_high,
                )
            )
            bases.append("actual against plan")
        elif pd.notna(row.attainment_stated):
            tolerance = row.attainment_tolerance or 0
            statuses.append(
                status_from_attainment(
                    row.attainment_stated, higher_is_better=row.higher_is_better, tolerance=tolerance
                )
            )
            bases.append("stated attainment")
        else:
            tolerance = math.nan
            statuses.append("no_result" if pd.notna(row.plan) else "no_target")
            bases.append("")
        tolerances.append(tolerance)
    table["tolerance"] = [round(t, 6) if not math.isnan(t) else math.nan for t in tolerances]
    table["status"] = statuses
    table["status_basis"] = bases
    for column in ("plan_qualifier", "actual_qualifier", "plan_doc", "actual_doc", "actual_kind"):
        table[column] = table[column].fillna("").astype(str)
    return table[PLAN_COLUMNS].sort_values(["indicator_id", "year"], ignore_index=True)


IMPLIED_COLUMNS = [
    "indicator_id",
    "year",
    "unit",
    "actual",
    "actual_kind",
    "attainment_stated",
    "implied_plan",
    "implied_low",
    "implied_high",
    "stated_plan",
    "stated_plan_doc",
    "agrees",
    "doc_id",
    "quote",
]


def implied_plans(
    *,
    observations: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The target implied by each stated attainment with a known actual: actual × 100 / attainment.

    ``implied_low``–``implied_high`` is the interval the rounding of both written figures allows
    (GRDP per capita 2021: 2.950 USD at 89,9 % of plan implies about 3.281 USD). Where the sources
    also state the target, ``agrees`` says whether it lies in that interval (with its own rounding).
    """
    obs, docs, inds = _tables(observations, documents, indicators)
    obs = with_tolerance(obs)
    plans = best_plans(obs, docs).set_index(["indicator_id", "year"])
    results = obs[obs["kind"].isin(["actual", "estimate"])]
    rows = []
    for att in obs[obs["kind"] == "attainment"].itertuples():
        same = results[
            (results["indicator_id"] == att.indicator_id)
            & (results["year"] == att.year)
            & (results["doc_id"] == att.doc_id)
            & (results["line"] <= att.line)
        ]
        if same.empty or att.value <= 0:
            continue
        result = same.sort_values("line").iloc[-1]
        a, da = result["value"], result["tolerance"]
        p, dp = att.value, att.tolerance
        implied = a * 100 / p
        low, high = (a - da) * 100 / (p + dp), (a + da) * 100 / (p - dp)
        stated = plans.loc[(att.indicator_id, att.year)] if (att.indicator_id, att.year) in plans.index else None
        agrees = pd.NA
        if stated is not None:
            agrees = bool(low - stated["tolerance"] <= stated["value"] <= high + stated["tolerance"])
        rows.append(
            {
                "indicator_id": att.indicator_id,
                "year": att.year,
                "actual": a,
                "actual_kind": result["kind"],
                "attainment_stated": p,
                "implied_plan": round(implied, 3),
                "implied_low": round(low, 3),
                "implied_high": round(high, 3),
                "stated_plan": stated["value"] if stated is not None else np.nan,
                "stated_plan_doc": stated["doc_id"] if stated is not None else "",
                "agrees": agrees,
                "doc_id": att.doc_id,
                "quote": att.quote,
            }
        )
    frame = pd.DataFrame(rows, columns=[c for c in IMPLIED_COLUMNS if c != "unit"])
    frame = frame.merge(inds[["indicator_id", "unit"]], how="left")
    frame["agrees"] = frame["agrees"].astype("boolean")
    frame["year"] = frame["year"].astype("Int64")
    return frame[IMPLIED_COLUMNS].sort_values(["indicator_id", "year", "doc_id"], ignore_index=True)


PACE_COLUMNS = [
    "indicator_id",
    "unit",
    "higher_is_better",
    "target_year",
    "target",
    "target_qualifier",
    "first_year",
    "first_value",
    "last_year",
    "last_value",
    "points",
    "achieved_per_year",
    "required_per_year",
    "pace_ratio",
    "assessment",
    "trend_slope",
    "projection",
    "projection_low",
    "projection_high",
    "trend_note",
]


FLOW_MEASURES = ("growth", "decline", "contribution", "change", "pp_change", "ratio", "multiple", "rank", "plan_gap")


def is_rate_of_change(indicator_id: str, indicators: pd.DataFrame | None = None) -> bool:
    """Growth rates, contributions and changes are yearly flows: they have no trajectory to a target."""
    if indicators is not None and "measure" in indicators:
        measure = indicators.set_index("indicator_id")["measure"].get(indicator_id, "")
        if measure:
            return measure in FLOW_MEASURES
    return indicator_id.endswith(("_growth", "_decline", "_contribution", "_change", "_change_pp"))


def assess_pace(achieved: float, required: float, higher_is_better: bool) -> str:
    """Eurostat's SDG assessment of the actual against the required pace."""
    if required == 0 or (required < 0) == bool(higher_is_better):
        return "target met"
    ratio = achieved / required
    if ratio >= 0.95:
        return "on track"
    if ratio >= 0.60:
        return "moderate progress"
    if ratio >= 0:
        return "insufficient progress"
    return "moving away"


def linear_trend(years, values, target_year: int) -> dict:
    """Least-squares trend projected to ``target_year`` with a 90 % prediction interval (Student's t)."""
    from scipy.special import stdtrit

    x, y = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    n = len(x)
    slope, intercept = np.polyfit(x, y, 1)
    residual = y - (intercept + slope * x)
    s2 = float(residual @ residual) / (n - 2) if n > 2 else 0.0
    sxx = float(((x - x.mean()) ** 2).sum())
    projection = intercept + slope * target_year
    half = float(stdtrit(n - 2, 0.95)) * np.sqrt(s2 * (1 + 1 / n + (target_year - x.mean()) ** 2 / sxx)) if n > 2 \
        else float("nan")
    return {
        "trend_slope": float(slope),
        "projection": float(projection),
        "projection_low": float(projection - half),
        "projection_high": float(projection + half),
    }


def pace(
    *,
    observations: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    derived: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """For each target year later than the last result: the change per year still needed against
    the change per year achieved so far.

    The series is the best stated result of each year, completed with values the documents imply
    for earlier years (a 2022 level "tăng 15,3%" gives 2021; see :func:`indicators.audits.derived_values`).
    ``assessment`` follows Eurostat's SDG progress method (actual / required pace ≥ 95 % on track,
    60–95 % moderate progress, 0–60 % insufficient progress, < 0 moving away). With three points or
    more, a linear trend gives the projection for the target year with a 90 % prediction interval;
    with fewer, ``trend_note`` says "too few points".
    """
    from .audits import derived_values

    obs, docs, inds = _tables(observations, documents, indicators)
    ments = load_table("mentions") if mentions is None else mentions
    hib = inds.set_index("indicator_id")["higher_is_better"]
    units = inds.set_index("indicator_id")["unit"]
    stated = best_results(obs, docs)[["indicator_id", "year", "value"]]
    issued = docs.set_index("doc_id")["issued"]
    derived = (derived_values(obs, ments) if derived is None else derived).assign(
        issued=lambda f: f["doc_id"].map(issued))
    derived = derived.sort_values(["indicator_id", "year", "issued", "line"])
    derived = derived.drop_duplicates(["indicator_id", "year"], keep="last")[["indicator_id", "year", "value"]]
    series = pd.concat([stated.assign(source=0), derived.assign(source=1)]).sort_values(
        ["indicator_id", "year", "source"]
    )
    series = series.drop_duplicates(["indicator_id", "year"])
    plans = best_plans(obs, docs)
    rows = []
    for plan in plans.itertuples():
        if is_rate_of_change(plan.indicator_id, inds):
            continue
        points = series[(series["indicator_id"] == plan.indicator_id) & (series["year"] < plan.year)]
        if points.empty or results_after(obs, plan):
            continue
        points = points.sort_values("year")
        first, last = points.iloc[0], points.iloc[-1]
        row = {
            "indicator_id": plan.indicator_id,
            "unit": units[plan.indicator_id],
            "higher_is_better": bool(hib[plan.indicator_id]),
            "target_year": plan.year,
            "target": plan.value,
            "target_qualifier": plan.qualifier,
            "first_year": first["year"],
            "first_value": first["value"],
            "last_year": last["year"],
            "last_value": last["value"],
            "points": len(points),
            "achieved_per_year": np.nan,
            "required_per_year": np.nan,
            "pace_ratio": np.nan,
            "trend_slope": np.nan,
            "projection": np.nan,
            "projection_low": np.nan,
            "projection_high": np.nan,
            "trend_note": "too few points",
        }
        required = (plan.value - last["value"]) / (plan.year - last["year"])
        row["required_per_year"] = round(required, 6)
        if len(points) >= 2:
            achieved = (last["value"] - first["value"]) / (last["year"] - first["year"])
            row["achieved_per_year"] = round(achieved, 6)
            row["assessment"] = assess_pace(achieved, required, hib[plan.indicator_id])
            if required != 0:
                row["pace_ratio"] = round(achieved / required, 4)
        else:
            met = required == 0 or (required < 0) == bool(hib[plan.indicator_id])
            row["assessment"] = "target met" if met else "too few points"
        if len(points) >= 3:
            row.update({k: round(v, 6) for k, v in linear_trend(points["year"], points["value"], plan.year).items()})
            row["trend_note"] = f"linear trend of {len(points)} points, 90% prediction interval"
        rows.append(row)
    frame = pd.DataFrame(rows, columns=PACE_COLUMNS)
    for column in ("target_year", "first_year", "last_year"):
        frame[column] = frame[column].astype("Int64")
    frame["target_qualifier"] = frame["target_qualifier"].fillna("").astype(str)
    return frame.sort_values(["indicator_id", "target_year"], ignore_index=True)


def results_after(observations: pd.DataFrame, plan) -> bool:
    """Whether a result for the target year itself exists (then there is no pace left to assess)."""
    return bool(
        (
            (observations["indicator_id"] == plan.indicator_id)
            & (observations["year"] == plan.year)
            & observations["kind"].isin(["actual", "estimate"])
        ).any()
    )


def summary(table: pd.DataFrame, year: int, lang: str = "en") -> str:
    """One sentence on what the year has: targets, results, or both (Markdown)."""
    rows = table[table["year"] == year]
    n_plan = int((rows["status"] != "no_target").sum())  # a stated plan, or a stated % of plan achieved
    n_stated = int(rows["plan"].notna().sum())
    n_result = int(rows["actual"].notna().sum())
    n_estimate = int((rows["actual_kind"] == "estimate").sum())
    text = label("summary.head", lang, year=year, n=n_plan)
    if n_stated < n_plan:
        text += label("summary.stated", lang, n=n_stated)
    text += label("summary.results", lang, n=n_result)
    text += label("summary.estimates", lang, n=n_estimate) if n_estimate else "."
    if n_result == 0:
        text += label("summary.no_results", lang)
    if n_plan == 0:
        text += label("summary.no_targets", lang)
    return text


def evidence(year: int | None = None, *, observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The observations of a year with their provenance: document, line and quote."""
    obs = load_table("observations") if observations is None else observations
    if year is not None:
        obs = obs[obs["year"] == year]
    columns = ["indicator_id", "year", "kind", "value", "unit", "qualifier", "doc_id", "line", "quote"]
    return obs[columns].reset_index(drop=True)


SERIES_COLUMNS = ["indicator_id", "year", "kind", "value", "value_high", "qualifier", "doc_id", "quote"]


def series(
    indicator_ids=None,
    years=None,
    *,
    as_of: int | None = None,
    observations: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tidy series for charts and tables: per indicator and year the best result (kind actual or
    estimate), the plan (kind plan) and the stated attainment, with their document and quote.

    ``as_of``: what a review of that year shows: results up to that year, plans up to the next."""
    obs, docs, _ = _tables(observations, documents, indicators)
    if as_of is not None:
        obs = obs[(obs["year"] <= as_of) | ((obs["year"] == as_of + 1) & (obs["kind"] == "plan"))]
    if indicator_ids is not None:
        obs = obs[obs["indicator_id"].isin(list(indicator_ids))]
    if years is not None:
        obs = obs[obs["year"].isin(list(years))]
    stated = obs[obs["kind"] == "attainment"].sort_values(["indicator_id", "year", "doc_id", "line"])
    stated = stated.drop_duplicates(["indicator_id", "year"])
    frame = pd.concat([best_results(obs, docs), best_plans(obs, docs), stated])
    return frame[SERIES_COLUMNS].sort_values(["indicator_id", "year", "kind"], ignore_index=True)


def scorecard_rows(table: pd.DataFrame, year: int, *, headline=(), limit: int = 14) -> pd.DataFrame:
    """The main targets of a year for a scorecard: rows of :func:`plan_vs_actual` with a target or a
    stated attainment; the headline indicators first, then those with a result, at most ``limit``."""
    rows = table[(table["year"] == year) & (table["status"] != "no_target")].copy()
    rows["_headline"] = ~rows["indicator_id"].isin(list(headline))
    rows["_pending"] = rows["status"] == "no_result"
    order = {iid: i for i, iid in enumerate(headline)}
    rows["_order"] = rows["indicator_id"].map(order).fillna(len(order))
    rows = rows.sort_values(["_headline", "_order", "_pending", "family", "indicator_id"])
    return rows.drop(columns=["_headline", "_pending", "_order"]).head(limit).reset_index(drop=True)


BULLET_COLUMNS = [
    "indicator_id", "value", "value_year", "value_kind", "value_doc", "target", "target_high", "target_qualifier",
    "target_year", "target_kind", "target_doc", "judgement", "required_per_year",
]


def bullet_rows(
    year: int,
    *,
    families=("social", "environment"),
    limit: int = 8,
    observations: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Targets of ``year`` against the latest result up to that year, for bullet charts.

    The target is the stated plan, or the one a stated attainment implies (``target_kind`` =
    "implied"). ``judgement`` is the status where the result is of the target year, else the pace
    assessment (what the target year still requires).
    """
    obs, docs, inds = _tables(observations, documents, indicators)
    wanted = set(inds.loc[inds["family"].isin(list(families)), "indicator_id"])
    obs = obs[obs["indicator_id"].isin(wanted)]
    table = plan_vs_actual(year, observations=obs, documents=docs, indicators=inds)
    implied = implied_plans(observations=obs, documents=docs, indicators=inds)
    paced = pace(observations=obs, documents=docs, indicators=inds, mentions=mentions)
    results = best_results(obs[obs["year"] <= year], docs).sort_values("year")
    rows = []
    for row in table.itertuples():
        target, high, qualifier, kind, doc = row.plan, row.plan_high, row.plan_qualifier, "plan", row.plan_doc
        if pd.isna(target):
            match = implied[(implied["indicator_id"] == row.indicator_id) & (implied["year"] == year)]
            if match.empty:
                continue
            target, high, qualifier, kind, doc = match["implied_plan"].iloc[0], np.nan, "", "implied", match[
                "doc_id"].iloc[0]
        latest = results[results["indicator_id"] == row.indicator_id].tail(1)
        judgement, required = row.status, np.nan
        if row.status == "no_result":
            match = paced[(paced["indicator_id"] == row.indicator_id) & (paced["target_year"] == year)]
            judgement = match["assessment"].iloc[0] if len(match) else "too few points"
            required = match["required_per_year"].iloc[0] if len(match) else np.nan
        rows.append({
            "indicator_id": row.indicator_id,
            "value": latest["value"].iloc[0] if len(latest) else np.nan,
            "value_year": int(latest["year"].iloc[0]) if len(latest) else pd.NA,
            "value_kind": latest["kind"].iloc[0] if len(latest) else "",
            "value_doc": latest["doc_id"].iloc[0] if len(latest) else "",
            "target": float(target), "target_high": high, "target_qualifier": qualifier or "", "target_year": year,
            "target_kind": kind, "target_doc": doc, "judgement": judgement, "required_per_year": required,
        })
    frame = pd.DataFrame(rows, columns=BULLET_COLUMNS)
    frame = frame.assign(_missing=frame["value"].isna()).sort_values(["_missing", "indicator_id"])
    return frame.drop(columns="_missing").head(limit).reset_index(drop=True)


def headline_markdown(year: int, lang: str = "en", *, catalog=None, table: pd.DataFrame | None = None) -> str:
    """The year's headline figures as a Markdown list: result (or estimate) and target."""
    from .charts import STATED, full_catalog, value_text

    catalog = catalog or full_catalog()
    table = plan_vs_actual(year) if table is None else table[table["year"] == year]
    lines = []
    for iid in catalog.headline:
        rows = table[table["indicator_id"] == iid]
        if rows.empty:
            continue
        row, indicator = rows.iloc[0], catalog[iid]
        parts = []
        if pd.notna(row["actual"]):
            kind = label(f"summary.{row['actual_kind'] or 'actual'}", lang)
            value = value_text(row["actual"], indicator.unit, lang, catalog, STATED, row["actual_qualifier"])
            parts.append(f"{value} ({kind})")
        if pd.notna(row["plan"]):
            word = label("summary.target", lang)
            value = value_text(
                row["plan"], indicator.unit, lang, catalog, STATED, row["plan_qualifier"], row["plan_high"]
            )
            parts.append(f"{word} {value}")
        lines.append(f"- **{indicator.name(lang)}**: " + "; ".join(parts))
    if not lines:
        return f"_{label('summary.no_headline', lang, year=year)}_"
    return "\n".join(lines)


def with_names(frame: pd.DataFrame, lang: str = "en", *, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` with the indicator's name in ``lang`` (column ``name``) after ``indicator_id``."""
    inds = load_table("indicators") if indicators is None else indicators
    names = inds.set_index("indicator_id")[f"name_{lang}"]
    out = frame.copy()
    out.insert(list(out.columns).index("indicator_id") + 1, "name", out["indicator_id"].map(names))
    return out


def gaps(
    year: int, *, observations: pd.DataFrame | None = None, indicators: pd.DataFrame | None = None
) -> pd.DataFrame:
    """What the sources do not give for ``year``: every catalog indicator without a plan or without a
    result (actual or estimate) that year, with the latest year that has a result."""
    obs = load_table("observations") if observations is None else observations
    inds = load_table("indicators") if indicators is None else indicators
    kinds = obs[obs["year"] == year].groupby("indicator_id")["kind"].agg(set)
    results = obs[obs["kind"].isin(["actual", "estimate"])].groupby("indicator_id")["year"].max()
    frame = inds[["family", "indicator_id"]].copy()
    given = frame["indicator_id"].map(kinds).apply(lambda k: k if isinstance(k, set) else set())
    frame["plan"] = given.apply(lambda k: "plan" in k)
    frame["result"] = given.apply(lambda k: bool(k & {"actual", "estimate"}))
    frame["missing"] = np.select(
        [~frame["plan"] & ~frame["result"], ~frame["result"], ~frame["plan"]], ["plan and result", "result", "plan"], ""
    )
    frame["latest_result_year"] = frame["indicator_id"].map(results).astype("Int64")
    return frame[frame["missing"] != ""].sort_values(["family", "indicator_id"], ignore_index=True)


def gap_counts(gap_table: pd.DataFrame) -> pd.DataFrame:
    """:func:`gaps` counted by family and what is missing."""
    counts = pd.crosstab(gap_table["family"], gap_table["missing"])
    return counts.reindex(columns=["result", "plan", "plan and result"], fill_value=0)
