"""Plan against actual, implied plans and pace: the status logic on hand-made tables, and the real cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from frames import DOCUMENTS, compare, indicators, latest, observations, outcomes

from indicators.analyse import comparisons


def to_float(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


@pytest.mark.parametrize(
    "plan, actual, direction, expected",
    [
        ("10,0", "10,5", "higher", "exceeded"),
        ("10,0", "9,5", "higher", "missed"),
        ("10,0", "10,1", "higher", "met"),  # 0.1 = the two roundings (±0.05 each): met
        ("10,0", "10,2", "higher", "exceeded"),  # beyond the rounding
        ("5,0", "4,5", "lower", "exceeded"),  # lower is better: under target is a success
        ("5,0", "5,5", "lower", "missed"),
        ("10", "10,4", "higher", "met"),  # "10" is known to ±0.5
        ("21.128", "38.495", "neutral", "above_plan"),  # spending far above its estimate is no success
        ("21.128", "18.000", "neutral", "below_plan"),
    ],
)
def test_status_respects_direction_and_rounding(plan, actual, direction, expected):
    obs = observations(("x", 2022, "plan", plan, to_float(plan)), ("x", 2022, "actual", actual, to_float(actual)))
    row = compare(obs, indicators(("x", "%", direction))).loc["x"]
    assert (row["status"], row["status_basis"]) == (expected, "actual against plan")
    assert row["gap"] == pytest.approx(to_float(actual) - to_float(plan)) and row["gap_unit"] == "pp"


def test_floors_ceilings_and_ranges_by_their_meaning():
    obs = observations(
        ("floor", 2022, "plan", "95", 95.0, ">"), ("floor", 2022, "actual", "93", 93.0),
        ("ceiling", 2022, "plan", "5", 5.0, "<"), ("ceiling", 2022, "actual", "3", 3.0),
        ("range", 2022, "plan", "135-140", 135.0, "range", 140.0), ("range", 2022, "actual", "137", 137.0),
        ("above", 2022, "plan", "135-140", 135.0, "range", 140.0), ("above", 2022, "actual", "142", 142.0),
    )
    table = compare(obs, indicators(*[(i, "%", "higher") for i in ("floor", "ceiling", "range", "above")]))
    assert table.loc["floor", "status"] == "missed"  # "trên 95%" and 93%: below the floor
    assert table.loc["ceiling", "status"] == "exceeded"  # "dưới 5%": under the ceiling is a success
    assert (table.loc["range", "status"], table.loc["above", "status"]) == ("met", "exceeded")


def test_a_stated_percent_of_plan_reads_the_same_whatever_the_direction():
    """"đạt 70,7% chỉ tiêu giao thu" of tax arrears (lower is better) is a shortfall, not a success."""
    obs = observations(("arrears", 2022, "actual", "3.546", 3546.0), ("arrears", 2022, "attainment", "70,7", 70.7),
                       ("spend", 2022, "actual", "38.495", 38495.0), ("spend", 2022, "attainment", "182,2", 182.2))
    table = compare(obs, indicators(("arrears", "bn VND", "lower"), ("spend", "bn VND", "neutral")))
    assert (table.loc["arrears", "status"], table.loc["arrears", "status_basis"]) == ("missed", "stated attainment")
    assert table.loc["spend", "status"] == "above_plan"


def test_the_documents_words_decide_without_figures_and_disagreements_are_said():
    obs = observations(("construction", 2022, "actual", "0,5", 0.5), ("rate", 2022, "plan", "95", 95.0),
                       ("rate", 2022, "actual", "95,2", 95.2))
    said = outcomes(("construction", 2022, "missed"), ("rate", 2022, "missed"))
    table = compare(obs, indicators(("construction", "%", "higher", "growth"), ("rate", "%", "higher")), said)
    assert table.loc["construction", ["status", "status_basis", "stated_outcome"]].tolist() == [
        "missed", "stated outcome", "missed"]
    assert table.loc["rate", "status"] == "met"
    assert table.loc["rate", "disagreement"] == "the document says missed; the figures give met"


def test_a_stated_gap_to_plan_gives_the_plan():
    """"tỷ lệ đạt 94,5%, thấp hơn 0,5% so với kế hoạch": the plan was 95% (points, for a percentage)."""
    obs = observations(("rate", 2022, "actual", "94,5", 94.5), ("rate_below_plan", 2022, "actual", "0,5", 0.5))
    row = compare(obs, indicators(("rate", "%", "higher"), ("rate_below_plan", "%", "lower"))).loc["rate"]
    assert (row["plan"], row["plan_basis"], row["status"]) == (95.0, "from the stated gap", "missed")


def test_the_latest_vintage_is_the_result_and_a_december_figure_is_an_estimate():
    obs = observations(
        ("x", 2021, "actual", "15.745", 15745.0, "", np.nan, "old"),  # issued 2021-12: an estimate of 2021
        ("x", 2021, "actual", "21.950", 21950.0, "", np.nan, "new"),  # issued 2023-01: the revised figure
        ("x", 2021, "plan", "14.000", 14000.0, "", np.nan, "old"),
        ("y", 2021, "actual", "7,8", 7.8, "", np.nan, "old"),
    )
    table = compare(obs, indicators(("x", "bn VND", "higher"), ("y", "%", "higher")))
    assert table.loc["x", ["actual", "actual_doc", "actual_kind", "plan_doc"]].tolist() == [21950, "new", "actual",
                                                                                           "old"]
    assert table.loc["y", "actual_kind"] == "estimate"  # no "ước" in the words, but written before the year ended


def test_vượt_x_percent_of_plan_for_a_percentage_can_mean_points():
    obs = observations(("rate", 2022, "actual", "32", 32.0), ("rate", 2022, "attainment", "9,5", 109.5))
    row = compare(obs, indicators(("rate", "%", "higher"))).loc["rate"]
    assert row["attainment_reading"] == "percent or points"
    implied = comparisons.implied_plans(obs, DOCUMENTS, indicators(("rate", "%", "higher"))).iloc[0]
    assert implied["implied_plan"] == pytest.approx(29.224, abs=0.001)  # 32 / 1.095
    assert implied["implied_plan_points"] == pytest.approx(22.5)  # 32 − 9.5


def test_implied_plans_keep_the_results_qualifier_and_say_when_a_stated_plan_disagrees():
    obs = observations(("bhyt", 2022, "actual", "99,2", 99.2, ">"), ("bhyt", 2022, "attainment", "100", 100.0),
                       ("x", 2022, "plan", "100", 100.0), ("x", 2022, "actual", "90", 90.0),
                       ("x", 2022, "attainment", "80", 80.0))
    implied = comparisons.implied_plans(obs, DOCUMENTS, indicators(("bhyt", "%", "higher"), ("x", "%", "higher")))
    implied = implied.set_index("indicator_id")
    assert implied.loc["bhyt", "implied_qualifier"] == ">"  # "trên 99,2%" at 100 % of plan
    assert implied.loc["x", "implied_plan"] == 112.5 and not implied.loc["x", "agrees"]


@pytest.mark.parametrize(
    "achieved, required, expected",
    [(2.0, 2.0, "on track"), (1.9, 2.0, "on track"), (1.5, 2.0, "moderate progress"),
     (1.0, 2.0, "insufficient progress"), (-0.5, 2.0, "moving away"), (-1.5, -2.0, "moderate progress"),
     (1.0, -2.0, "moving away"), (1.2, 2.0, "moderate progress"), (1.18, 2.0, "insufficient progress")],
)
def test_pace_assessment_thresholds(achieved, required, expected):
    assert comparisons.assess_pace(achieved, required, "higher") == expected


def pace_of(*rows, direction="higher"):
    obs = observations(*rows)
    inds = indicators(*[(i, "%", direction) for i in dict.fromkeys(r[0] for r in rows)])
    return comparisons.pace(obs, DOCUMENTS, inds, latest(obs)).set_index("indicator_id")


def test_pace_needs_three_results_and_a_trend_five():
    few = pace_of(("x", 2021, "actual", "10", 10.0, "", np.nan, "new"), ("x", 2022, "actual", "12", 12.0),
                  ("x", 2024, "plan", "20", 20.0)).loc["x"]
    assert (few["points"], few["assessment"]) == (2, "too few points") and pd.isna(few["projection"])
    rows = [("x", y, "actual", str(v), float(v)) for y, v in ((2018, 8), (2019, 9), (2020, 10), (2021, 12),
                                                              (2022, 13))]
    many = pace_of(*rows, ("x", 2024, "plan", "20", 20.0)).loc["x"]
    assert many["assessment"] == "insufficient progress"  # 1,25 a year achieved, 3,5 needed
    assert many["projection_low"] < many["projection"] < many["projection_high"]


def test_a_result_already_at_a_future_target_is_not_a_met_target():
    row = pace_of(("forest", 2022, "actual", "38", 38.0), ("forest", 2023, "plan", "37,8", 37.8)).loc["forest"]
    assert row["assessment"] == "at target level"


def test_a_target_and_a_result_defined_differently_are_flagged():
    row = pace_of(("f", 2022, "actual", "38", 38.0, "", np.nan, "new", 1, "tỷ lệ che phủ rừng đạt 38%"),
                  ("f", 2024, "plan", "37,7", 37.7, "", np.nan, "new", 2,
                   "duy trì tỷ lệ che phủ rừng (không tính cây ăn quả) đạt 37,7%")).loc["f"]
    assert row["definition_note"] == "target: không tính cây ăn quả; result: —"
    same = pace_of(("p", 2022, "actual", "3,81", 3.81, "", np.nan, "new", 1, "theo chuẩn mới 2021-2025 còn 3,81%"),
                   ("p", 2023, "plan", "3", 3.0, "", np.nan, "new", 2, "theo chuẩn giai đoạn 2021-2026 còn 3%"),
                   direction="lower").loc["p"]
    assert same["definition_note"] == ""  # the same standard, written twice


def test_linear_trend_is_the_least_squares_line_with_its_90_percent_prediction_interval():
    """What statsmodels' OLS prediction gives the build, against the closed form worked by hand: the least-squares
    line, and t(0.95; n − 2) · s · √(1 + 1/n + (x₀ − x̄)² / Sxx) about it (t(0.95; 3) = 2.353363, from the
    table of Student's t)."""
    years, values = [2019, 2020, 2021, 2022, 2023], [4.1, 3.2, 3.0, 2.1, 1.7]
    x, y = np.asarray(years, dtype=float), np.asarray(values)
    sxx = ((x - x.mean()) ** 2).sum()
    slope = ((x - x.mean()) * (y - y.mean())).sum() / sxx
    projection = y.mean() + slope * (2025 - x.mean())
    residual = y - (y.mean() + slope * (x - x.mean()))
    half = 2.3533634 * np.sqrt(residual @ residual / 3) * np.sqrt(1 + 1 / 5 + (2025 - x.mean()) ** 2 / sxx)
    trend = comparisons.linear_trend(years, values, 2025)
    assert trend["trend_slope"] == pytest.approx(slope) == pytest.approx(-0.59)
    assert trend["projection"] == pytest.approx(projection) == pytest.approx(0.46)
    assert trend["projection_low"] == pytest.approx(projection - half, rel=1e-6)
    assert trend["projection_high"] == pytest.approx(projection + half, rel=1e-6)


def test_real_plan_vs_actual(built):
    table = built["plan_vs_actual"].set_index(["indicator_id", "year"])
    assert table.loc[("grdp_per_capita", 2021), "status"] == "missed"  # "bằng 89,9% kế hoạch"
    assert table.loc[("budget_revenue", 2022), "status"] == "exceeded"  # "vượt 30% dự toán"
    assert table.loc[("budget_expenditure", 2022), "status"] == "above_plan"  # 182,2 % of the estimate
    assert table.loc[("grdp_growth", 2023), "status"] == "no_result"
    assert table.loc[("grdp_construction_growth", 2022), ["status", "status_basis"]].tolist() == [
        "missed", "stated outcome"]  # "không đạt kế hoạch đề ra (tốc độ tăng trưởng ngành xây dựng, ...)"
    schools = table.loc[("schools_standard_rate_l1", 2022)]  # 94,5%, "thấp hơn 0,5% so với kế hoạch"
    assert (schools["plan"], schools["status"], schools["stated_outcome"]) == (95.0, "missed", "missed")
    assert schools["disagreement"] == ""  # the one target judged in words and by figures: they agree
    assert table.loc[("trained_labour_rate_certified", 2022), "attainment_reading"] == "percent or points"
    implemented = table.loc[("public_investment_implemented", 2022)]  # against the public investment plan
    assert (implemented["plan"], implemented["attainment_computed"], implemented["status"]) == (12491.3, 96.7, "missed")


def test_real_pace_uses_the_latest_vintages(built):
    pace = built["pace"].set_index(["indicator_id", "target_year"])
    assert pace.loc[("forest_cover", 2023), "assessment"] == "at target level"  # 38% against 37,8%
    assert "không tính cây ăn quả" in pace.loc[("forest_cover", 2024), "definition_note"]
    assert "hoàn thành nhiệm vụ" in pace.loc[("ntm_districts", 2023), "definition_note"]
    few = built["pace"][built["pace"]["points"] < comparisons.MIN_PACE_POINTS]
    assert len(few) and few["assessment"].isin(["too few points", "at target level"]).all()
    assert built["pace"]["projection"].isna().all()  # no indicator has five yearly results in these documents
    assert not any(comparisons.is_rate_of_change(i, built["indicators"]) for i, _ in pace.index)
