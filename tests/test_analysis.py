"""Plan against actual, implied plans and pace: logic on hand-made frames, and the real examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from frames import DOCUMENTS, indicators, observations

from indicators import analysis


def pva(obs, inds):
    return analysis.plan_vs_actual(observations=obs, documents=DOCUMENTS, indicators=inds).set_index("indicator_id")


@pytest.mark.parametrize(
    "plan, actual, higher_is_better, expected",
    [
        ("10,0", "10,5", True, "exceeded"),
        ("10,0", "9,5", True, "missed"),
        ("10,0", "10,1", True, "met"),  # 0.1 = the two roundings (±0.05 each): met
        ("10,0", "10,2", True, "exceeded"),  # beyond the rounding
        ("10,0", "9,9", True, "met"),
        ("5,0", "4,5", False, "exceeded"),  # lower is better: under target is a success
        ("5,0", "5,5", False, "missed"),
        ("5,0", "5,1", False, "met"),
        ("10", "10,4", True, "met"),  # "10" is known to ±0.5
        ("10", "10,6", True, "exceeded"),
    ],
)
def test_status_respects_direction_and_rounding(plan, actual, higher_is_better, expected):
    to_float = lambda s: float(s.replace(",", "."))  # noqa: E731
    obs = observations(("x", 2023, "plan", plan, to_float(plan)), ("x", 2023, "actual", actual, to_float(actual)))
    row = pva(obs, indicators(("x", "%", higher_is_better))).loc["x"]
    assert row["status"] == expected
    assert row["status_basis"] == "actual against plan"
    assert row["gap"] == pytest.approx(to_float(actual) - to_float(plan))
    assert row["gap_unit"] == "pp"


def test_qualified_and_range_targets_by_their_meaning():
    obs = observations(
        ("floor", 2023, "plan", "95", 95.0, ">"),
        ("floor", 2023, "actual", "98,2", 98.2),
        ("ceiling", 2023, "plan", "5", 5.0, "<"),
        ("ceiling", 2023, "actual", "3", 3.0),
        ("range", 2023, "plan", "135-140", 135.0, "range", 140.0),
        ("range", 2023, "actual", "137", 137.0),
        ("above", 2024, "plan", "135-140", 135.0, "range", 140.0),
        ("above", 2024, "actual", "142", 142.0),
        ("below", 2024, "plan", "135-140", 135.0, "range", 140.0),
        ("below", 2024, "actual", "130", 130.0),
    )
    inds = indicators(
        ("floor", "%", True), ("ceiling", "%", True), ("range", "%", True), ("above", "%", True), ("below", "%", True)
    )
    table = pva(obs, inds)
    assert table.loc["floor", "status"] == "exceeded"
    assert table.loc["ceiling", "status"] == "exceeded"  # "dưới 5%": under the ceiling is a success
    assert (table.loc["range", "status"], table.loc["above", "status"], table.loc["below", "status"]) == (
        "met",
        "exceeded",
        "missed",
    )


def test_stated_attainment_decides_without_a_target_and_missing_sides_stay_empty():
    obs = observations(
        ("a", 2021, "actual", "2.950", 2950.0),
        ("a", 2021, "attainment", "89,9", 89.9),
        ("b", 2021, "actual", "96", 96.0),
        ("b", 2021, "attainment", "100", 100.0),
        ("c", 2023, "plan", "3", 3.0),
        ("d", 2022, "estimate", "7,82", 7.82),
    )
    table = pva(obs, indicators(("a", "USD", True), ("b", "%", True), ("c", "%", False), ("d", "%", True)))
    assert (table.loc["a", "status"], table.loc["a", "status_basis"]) == ("missed", "stated attainment")
    assert table.loc["b", "status"] == "met"
    assert table.loc["c", "status"] == "no_result" and pd.isna(table.loc["c", "actual"])
    assert table.loc["d", "status"] == "no_target" and table.loc["d", "actual_kind"] == "estimate"
    assert pd.isna(table.loc["d", "plan"])


def test_final_figure_wins_over_estimate_and_earliest_plan_is_kept():
    obs = observations(
        ("x", 2022, "estimate", "18,0", 18.0, "", float("nan"), "old"),
        ("x", 2022, "actual", "19,3", 19.3, "", float("nan"), "new"),
        ("x", 2022, "plan", "14,0", 14.0, "", float("nan"), "old"),
        ("x", 2022, "plan", "15,0", 15.0, "", float("nan"), "new"),
    )
    row = pva(obs, indicators(("x", "%", True))).loc["x"]
    assert (row["actual"], row["actual_kind"], row["plan"], row["plan_doc"]) == (19.3, "actual", 14.0, "old")


def test_real_plan_vs_actual(built):
    table = built["plan_vs_actual"].set_index(["indicator_id", "year"])
    assert table.loc[("grdp_per_capita", 2021), "status"] == "missed"  # "bằng 89,9% kế hoạch"
    assert table.loc[("budget_revenue", 2022), "status"] == "exceeded"  # "vượt 30% dự toán"
    assert table.loc[("grdp_growth", 2023), "status"] == "no_result"
    implemented = table.loc[("public_investment_implemented", 2022)]  # against the public investment plan
    assert (implemented["plan"], implemented["attainment_computed"], implemented["status"]) == (12491.3, 96.7, "missed")


def test_implied_plan_example(built):
    implied = built["implied_plans"].set_index(["indicator_id", "year"])
    row = implied.loc[("grdp_per_capita", 2021)]  # 2.950 USD at 89,9 % of plan
    assert row["implied_plan"] == pytest.approx(3281, abs=1)
    assert row["implied_low"] < 3281 < row["implied_high"]
    disbursed = implied.loc[("public_investment_disbursed", 2022)]
    assert disbursed["stated_plan"] == 12491.3 and bool(disbursed["agrees"])


def test_implied_plan_disagreeing_with_the_stated_one():
    obs = observations(
        ("x", 2022, "plan", "100", 100.0), ("x", 2022, "actual", "90", 90.0), ("x", 2022, "attainment", "80", 80.0)
    )
    implied = analysis.implied_plans(observations=obs, documents=DOCUMENTS, indicators=indicators(("x", "%", True)))
    assert implied.loc[0, "implied_plan"] == 112.5 and not implied.loc[0, "agrees"]


@pytest.mark.parametrize(
    "achieved, required, higher_is_better, expected",
    [
        (2.0, 2.0, True, "on track"),
        (1.9, 2.0, True, "on track"),
        (1.5, 2.0, True, "moderate progress"),
        (1.0, 2.0, True, "insufficient progress"),
        (-0.5, 2.0, True, "moving away"),
        (0.5, -1.0, True, "target met"),
        (-1.5, -2.0, False, "moderate progress"),
        (1.0, -2.0, False, "moving away"),
        (1.2, 2.0, True, "moderate progress"),
        (1.18, 2.0, True, "insufficient progress"),
    ],
)
def test_pace_assessment_thresholds(achieved, required, higher_is_better, expected):
    assert analysis.assess_pace(achieved, required, higher_is_better) == expected


def test_pace_with_a_trend_and_with_too_few_points():
    obs = observations(
        ("x", 2020, "actual", "10", 10.0),
        ("x", 2021, "actual", "12", 12.0),
        ("x", 2022, "actual", "13", 13.0),
        ("x", 2024, "plan", "20", 20.0),
        ("y", 2022, "actual", "5", 5.0),
        ("y", 2023, "plan", "6", 6.0),
    )
    mentions = pd.DataFrame(
        columns=["doc_id", "mention_id", "head_id", "anchor_id", "cue", "unit", "quote", "text", "number", "line"]
    )
    table = analysis.pace(
        observations=obs,
        documents=DOCUMENTS,
        indicators=indicators(("x", "%", True), ("y", "%", True)),
        mentions=mentions,
    ).set_index("indicator_id")
    x = table.loc["x"]
    assert (x["points"], x["achieved_per_year"], x["required_per_year"]) == (3, 1.5, 3.5)
    assert x["assessment"] == "insufficient progress"
    assert x["projection_low"] < x["projection"] < x["projection_high"]
    assert x["projection"] == pytest.approx(10.1667 + 1.5 * 4, abs=0.01)  # OLS: 10.17 + 1.5 per year
    y = table.loc["y"]
    assert y["trend_note"] == "too few points" and pd.isna(y["projection"]) and y["assessment"] == "too few points"


def test_real_pace(built):
    pace = built["pace"].set_index(["indicator_id", "target_year"])
    assert pace.loc[("grdp_ind_con_share", 2023), "assessment"] == "on track"  # 57,8 → 62,3, target 64,4
    assert pace.loc[("forest_cover", 2023), "assessment"] == "target met"  # 38% against 37,8%
    assert not any(analysis.is_rate_of_change(i) for i, _ in pace.index)
    with_trend = built["pace"][built["pace"]["points"] >= 3]
    assert len(with_trend) and with_trend["projection"].notna().all()


def test_linear_trend_agrees_with_statsmodels_ols_prediction_interval():
    import statsmodels.api as sm

    years, values = [2019, 2020, 2021, 2022, 2023], [4.1, 3.2, 3.0, 2.1, 1.7]
    frame = sm.OLS(np.asarray(values), sm.add_constant(np.asarray(years, dtype=float))).fit() \
        .get_prediction(np.array([[1.0, 2025.0]])).summary_frame(alpha=0.10)
    trend = analysis.linear_trend(years, values, 2025)
    assert trend["projection"] == pytest.approx(frame["mean"].iloc[0])
    assert trend["projection_low"] == pytest.approx(frame["obs_ci_lower"].iloc[0])
    assert trend["projection_high"] == pytest.approx(frame["obs_ci_upper"].iloc[0])
