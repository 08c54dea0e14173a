"""The briefing: the province's own verdict first, the latest vintages in every trend, important targets first,
no chart without data, one sentence with the numbers under every chart."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest

from indicators.brief import briefing, charts, findings
from indicators.brief.words import label
from indicators.read.resolve import REASONS
from indicators.run import runner


@pytest.fixture(scope="module")
def tables():
    return briefing.load_tables()


_PLANS: dict = {}


def plans(tables, lang="vi"):
    """Every chart of every notebook for every year: (notebook, chart, year, plan), planned once per module."""
    if (id(tables), lang) not in _PLANS:
        _PLANS[id(tables), lang] = list(_plans(tables, lang))
    return _PLANS[id(tables), lang]


def _plans(tables, lang):
    notebook_charts = {"annual_review": ["scorecard", "plan_vs_actual", "growth", "shares", "targets"],
                       "growth_and_structure": ["growth", "sector_growth", "contributions", "shares", "labour_shares",
                                                "productivity"],
                       "budget_and_investment": ["budget", "budget_components", "investment", "investment_sources",
                                                 "investment_shares", "public_investment"],
                       "fdi_and_enterprise": ["fdi", "domestic", "attraction", "enterprise"],
                       "social_targets": ["social", "environment"], "data_quality": ["coverage", "revisions"]}
    for notebook, names in notebook_charts.items():
        years = tables.years if runner.per_year(notebook) else [None]
        for chart in names:
            for year in years:
                yield notebook, chart, year, briefing.plan_chart(tables, chart, year, lang)


@pytest.mark.parametrize("lang, own, named", [
    ("vi", "17/18 chỉ tiêu chủ yếu hoàn thành và hoàn thành vượt mức kế hoạch", "Tỷ lệ trường chuẩn quốc gia mức độ 1"),
    ("en", "17 of 18 main targets met or exceeded", "National-standard schools, level 1"),
])
def test_the_provinces_own_verdict_comes_first_and_names_its_miss(tables, lang, own, named):
    text = briefing.verdict_markdown(tables, 2022, lang)
    first = text.split("\n\n")[0]
    assert own in first and named in text.split("\n\n")[1]
    assert re.search(r"\b\d+\b", text.split("\n\n")[2])  # then the project's own computation, beside it


def test_trends_show_the_latest_vintage(tables):
    """The December 2021 estimate of 2021 revenue (15.745) was revised by the 2022 report (≈21.950): revenue fell."""
    revenue = briefing.series(tables, ["budget_revenue"]).query("kind in ['actual', 'estimate']").set_index("year")
    assert revenue.loc[2021, "value"] == pytest.approx(21950, abs=1) and revenue.loc[2021, "basis"] == "derived"
    assert revenue.loc[2022, "value"] < revenue.loc[2021, "value"]
    for notebook, chart, year, plan in plans(tables):
        if isinstance(plan, briefing.ChartPlan) and "frame" in plan.kwargs:
            data = plan.kwargs["frame"].query("indicator_id == 'budget_revenue' and year == 2021")
            assert (data["value"] != 15745).all(), (notebook, chart, year)


def test_targets_in_order_of_importance(tables):
    rows = briefing.year_targets(tables, 2022)
    assert rows["indicator_id"].iloc[0] == "schools_standard_rate_l1"  # the miss the province names comes first
    missed = rows["status"].eq("missed").tolist()
    assert missed[: sum(missed)] == [True] * sum(missed)  # then the other misses


def test_no_chart_without_data_and_a_reason_when_there_is_none(tables):
    drawn = 0
    for notebook, chart, year, plan in plans(tables):
        if isinstance(plan, briefing.NoChart):
            assert plan.reason.startswith("Không vẽ biểu đồ"), (notebook, chart, year)
            continue
        drawn += 1
        assert len(plan.data) and plan.data["value" if "value" in plan.data else plan.data.columns[0]].notna().any()
        assert re.search(r"\d", plan.finding) and "nan" not in plan.finding.lower(), (notebook, chart, year)
    assert drawn >= 60


def test_charts_of_different_years_differ_unless_their_data_are_the_same(tables, tmp_path):
    """2023 and 2024 both have targets only; their charts still differ where their data do."""
    for chart in ("shares", "growth", "contributions", "budget", "investment_shares", "scorecard"):
        pngs, data = [], []
        for year in (2023, 2024):
            plan = briefing.plan_chart(tables, chart, year, "en")
            fig = plan.draw(**plan.kwargs, lang="en", catalog=tables.catalog, documents=tables.documents)
            pngs.append(charts.save_png(fig, tmp_path / f"{chart}_{year}.png").read_bytes())
            data.append(plan.data.reset_index(drop=True))
        if not data[0].equals(data[1]):
            assert pngs[0] != pngs[1], chart
    plt.close("all")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_sentence_rounds_an_implied_value_as_its_chart_labels_it(tables, lang):
    """A value implied by a later document is written "≈ 21,950" under the chart as on it, never "≈ 21,949.645"."""
    approximate = 0
    for notebook, chart, year, plan in plans(tables, lang):
        if not isinstance(plan, briefing.ChartPlan) or "≈" not in plan.finding:
            continue
        fig = plan.draw(**plan.kwargs, lang=lang, catalog=tables.catalog, documents=tables.documents)
        labels = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
        plt.close(fig)
        for value in re.findall(r"≈ ([\d.,]*\d)", plan.finding):
            approximate += 1
            assert value in labels, (notebook, chart, year, value, plan.finding)
    assert approximate


def test_a_reader_table_rounds_an_implied_value_as_the_chart_labels_it(tables):
    """The table of series under the budget chart writes the 2021 revenue implied by the 2022 report as the chart
    does ("≈ 21.950"), not with the false precision of the computation."""
    from indicators.brief.page import READER_TABLES, Page

    page = Page("budget_and_investment", 2022, "vi", None, tables)
    table = READER_TABLES["series"](page, groups=["budget"]).to_csv()
    plan = briefing.plan_chart(tables, "budget", 2022, "vi")
    fig = plan.draw(**plan.kwargs, lang="vi", catalog=tables.catalog, documents=tables.documents)
    labels = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
    plt.close(fig)
    implied = re.findall(r"≈ ([\d.,]*\d)", table)
    assert implied and all(value in labels for value in implied), (implied, labels)


@pytest.mark.parametrize("lang, words", [("en", "no result yet, only plans, for {n} indicators (2023–2024)"),
                                         ("vi", "chưa có kết quả nào, mới có kế hoạch của {n} chỉ tiêu (2023–2024)")])
def test_sources_with_plans_only_are_said_to_give_no_result_yet(tables, lang, words):
    """A project whose documents set targets and report nothing yet (a plan alone) still has its coverage said."""
    plans = tables.coverage[(tables.coverage["actual"] + tables.coverage["estimate"] == 0)
                            & tables.coverage["year"].isin([2023, 2024])]
    assert words.format(n=plans["indicator_id"].nunique()) in findings.coverage(plans, lang)


def test_every_reason_a_mention_is_left_unresolved_has_its_words_in_both_languages():
    """The data_quality page names each reason of `unresolved` (a new one, such as `ambiguous`, broke it)."""
    for reason in REASONS:
        for lang in ("vi", "en"):
            assert label(f"reasons.{reason}", lang)
