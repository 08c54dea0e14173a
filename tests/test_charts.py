"""The charts, drawn from what the briefing hands them: language, number format, missing data, style, PNG bytes."""

from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle
from PIL import Image

from indicators.brief import briefing, charts
from indicators.brief import words as words_module
from indicators.brief.words import STATED, value_text
from indicators.errors import IndicatorsError


@pytest.fixture(scope="module")
def tables():
    return briefing.load_tables()


def bars(fig):
    return [p for ax in fig.axes if ax.get_visible() for p in ax.patches if isinstance(p, Rectangle)]


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def all_text(fig) -> str:
    titles = [ax.get_title() for ax in fig.axes] + [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    return " ".join(texts(fig) + titles)


def draw(tables, chart: str, year, lang: str):
    plan = briefing.plan_chart(tables, chart, year, lang)
    assert isinstance(plan, briefing.ChartPlan), getattr(plan, "reason", "")
    return plan.draw(**plan.kwargs, lang=lang, catalog=tables.catalog, documents=tables.documents)


def test_numbers_are_formatted_for_the_language(tables):
    catalog = tables.catalog
    assert value_text(7.8, "%", "vi", catalog, 2) == "7,8%"
    assert value_text(7.8, "%", "en", catalog, 2) == "7.8%"
    assert value_text(15745, "bn VND", "vi", catalog, 0) == "15.745 tỷ đồng"
    assert value_text(15745, "bn VND", "en", catalog, 0) == "15,745 bn VND"
    assert value_text(1269.4, "bn VND", "vi", catalog, STATED) == "1.269,4 tỷ đồng"
    assert value_text(99.2, "%", "vi", catalog, 2, ">") == "> 99,2%"
    assert value_text(135, "mn VND/ha", "en", catalog, 0, "range", 140) == "135–140 mn VND per ha"
    assert value_text(27, "rank", "en", catalog, 0) == "rank 27"
    assert value_text(float("nan"), "%", "en", catalog) == ""  # missing is blank, never "nan" or 0


def test_every_word_exists_in_both_languages():
    def keys(node, prefix=""):
        return {k for key, value in node.items()
                for k in (keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key})}

    words = words_module.labels()
    assert keys(words["vi"]) == keys(words["en"])


def test_a_chart_is_handed_only_what_it_can_draw(tables):
    empty = briefing.series(tables, ["grdp_growth"], [1990])
    with pytest.raises(IndicatorsError, match="nothing to draw"):
        charts.growth_lines(empty, indicators=["grdp_growth"], year=1990, title="t", lang="en",
                            catalog=tables.catalog, documents=tables.documents)


def test_targets_only_year_draws_no_result_bars(tables):
    fig = draw(tables, "plan_vs_actual", 2023, "en")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    drawn = bars(fig)
    assert len(panels) >= 4 and len(drawn) == len(panels)  # one plan bar per panel, no result bar
    assert all(b.get_height() > 0 and b.get_hatch() for b in drawn)
    assert sum("no result" in t for t in texts(fig)) == len(panels)
    plt.close(fig)


def test_the_scorecard_leads_with_the_provinces_own_count(tables):
    vi, en = draw(tables, "scorecard", 2022, "vi"), draw(tables, "scorecard", 2022, "en")
    assert "17/18 chỉ tiêu chủ yếu" in vi._suptitle.get_text() and "17 of 18 main targets" in en._suptitle.get_text()
    vi_text, en_text = all_text(vi), all_text(en)
    first_row = [t for t in texts(en) if "schools" in t.lower()]
    assert first_row and "the document says: missed" in en_text  # the target it names as missed, with its words
    assert "18.525,5 tỷ đồng" in vi_text and "18,525.5 bn VND" in en_text  # budget revenue 2022 as stated
    assert "Nguồn:" in vi_text and "Source:" in en_text and "Above plan" in en_text  # spending 182 % of estimate
    plt.close("all")


def test_estimates_and_revised_figures_are_labelled_with_their_vintage(tables):
    fig = draw(tables, "budget", 2022, "en")
    text = all_text(fig)
    assert "≈ 21,950 (implied, 12/2022)" in text  # 2021 revenue as the 2022 report revises it, not 15,745
    assert "18,525.5 (est., 12/2022)" in text and "15,745" not in text
    plt.close(fig)


def test_a_year_without_results_draws_no_zero_bar(tables):
    """Sector growth: 2021 has no sector figure in the sources; 2023 has targets only."""
    fig = draw(tables, "sector_growth", 2022, "en")
    drawn = bars(fig)
    assert drawn and all(b.get_width() != 0 for b in drawn)
    words = [t.strip() for t in texts(fig)]
    assert words.count("no figure in the sources") >= 6 and "no plan in the sources" in words
    estimates = [b for b in drawn if b.get_facecolor()[:3] == plt.matplotlib.colors.to_rgb(charts.PALETTE["estimate"])]
    assert round(estimates[0].get_width(), 2) == 7.82  # GRDP growth 2021: the December 2021 estimate, drawn light
    plt.close(fig)


def test_bullets_put_the_important_targets_first(tables):
    rows = briefing.bullet_rows(tables, 2023, ("social",))
    shown = rows.head(briefing.BULLETS_SHOWN)["indicator_id"].tolist()
    assert "poverty_rate" in shown  # a headline indicator is never cut alphabetically
    assert shown != sorted(shown)
    fig = draw(tables, "social", 2023, "vi")
    text = " ".join(texts(fig))
    assert "Chỉ tiêu 2023" in text and "Đã ở mức chỉ tiêu" in text  # a result already there: not "target met"
    assert "Đã đạt chỉ tiêu" not in text and all(b.get_width() > 0 for b in bars(fig) if b.get_height() < 1)
    plt.close(fig)


PER_YEAR = ["scorecard", "plan_vs_actual", "growth", "shares", "contributions", "sector_growth", "budget",
            "budget_components", "investment_sources", "public_investment", "targets"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_chart_has_title_source_and_full_font_coverage(lang, tables):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from the font is a warning: make it fail
        figures = {c: draw(tables, c, 2022, lang) for c in PER_YEAR}
        figures.update({c: draw(tables, c, None, lang) for c in ("coverage", "revisions")})
        for name, fig in figures.items():
            assert fig._suptitle is not None and fig._suptitle.get_text(), name
            assert fig._supxlabel.get_text().count(words_module.label("source", lang) + ":") == 1, name
            fig.canvas.draw()  # every glyph laid out and drawn (the PNG's own size and pixels: tested below)
            plt.close(fig)


def test_the_png_has_the_pixels_and_resolution_of_matplotlibs_own(tables):
    """The chart's PNG (written without Pillow's row filters) is what ``savefig`` gives: the same pixels, 200 dpi."""
    ours = Image.open(io.BytesIO(charts.png_bytes(draw(tables, "plan_vs_actual", 2023, "en"))))
    figure, theirs = draw(tables, "plan_vs_actual", 2023, "en"), io.BytesIO()
    figure.savefig(theirs, format="png", dpi=charts.DPI)
    plt.close(figure)
    theirs = Image.open(theirs).convert("RGB")
    assert ours.format == "PNG" and ours.size == theirs.size == (2560, 1440)
    assert np.array_equal(np.asarray(ours), np.asarray(theirs))
    assert [round(d) for d in ours.info["dpi"]] == [charts.DPI, charts.DPI]


def test_same_data_same_png_bytes(tables, tmp_path):
    first = charts.save_png(draw(tables, "shares", 2022, "vi"), tmp_path / "a.png")
    second = charts.save_png(draw(tables, "shares", 2022, "vi"), tmp_path / "b.png")
    assert first.read_bytes() == second.read_bytes()
    assert b"Software" not in first.read_bytes() and sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png"]
