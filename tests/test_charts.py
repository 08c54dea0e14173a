"""The charts, drawn from the real tables: language, number format, missing data, style, PNG bytes."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import Rectangle
from PIL import Image

from indicators import analysis, audits, charts
from indicators import words as words_module
from indicators.catalog import load_catalog
from indicators.tables import load_table

CATALOG = load_catalog()


def bars(fig):
    return [p for ax in fig.axes if ax.get_visible() for p in ax.patches if isinstance(p, Rectangle)]


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def all_text(fig) -> str:
    titles = [ax.get_title() for ax in fig.axes] + [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    return " ".join(texts(fig) + titles)


@pytest.fixture(scope="module")
def series():
    return analysis.series()


def test_numbers_are_formatted_for_the_language():
    assert charts.value_text(7.8, "%", "vi", CATALOG, 2) == "7,8%"
    assert charts.value_text(7.8, "%", "en", CATALOG, 2) == "7.8%"
    assert charts.value_text(15745, "bn VND", "vi", CATALOG, 0) == "15.745 tỷ đồng"
    assert charts.value_text(15745, "bn VND", "en", CATALOG, 0) == "15,745 bn VND"
    assert charts.value_text(1269.4, "bn VND", "vi", CATALOG, charts.STATED) == "1.269,4 tỷ đồng"
    assert charts.value_text(99.2, "%", "vi", CATALOG, 2, ">") == "> 99,2%"
    assert charts.value_text(135, "mn VND/ha", "en", CATALOG, 0, "range", 140) == "135–140 mn VND per ha"
    assert charts.value_text(27, "rank", "en", CATALOG, 0) == "rank 27"
    assert charts.value_text(12491.3, "bn VND", "en", CATALOG, 0, with_unit=False) == "12,491"
    assert charts.value_text(12491.3, "bn VND", "en", CATALOG, charts.STATED, with_unit=False) == "12,491.3"


def test_every_chart_word_exists_in_both_languages():
    def keys(node, prefix=""):
        return {k for key, value in node.items()
                for k in (keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key})}

    words = words_module.labels()
    assert keys(words["vi"]) == keys(words["en"])


def test_targets_only_year_draws_no_result_bars():
    table = analysis.plan_vs_actual(2023)
    fig = charts.plan_vs_actual_bars(table, year=2023, lang="en")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    drawn = bars(fig)
    assert len(panels) >= 4 and len(drawn) == len(panels)  # one plan bar per panel, no result bar
    assert all(b.get_height() > 0 and b.get_hatch() for b in drawn)
    assert sum("no result" in t for t in texts(fig)) == len(panels)
    plt.close(fig)


def test_labels_follow_the_language():
    table = analysis.plan_vs_actual(2022)
    vi = charts.scorecard(table, year=2022, lang="vi")
    en = charts.scorecard(table, year=2022, lang="en")
    vi_text, en_text = all_text(vi), all_text(en)
    # State budget revenue 2022 as the report states it: 18.525,5 tỷ đồng.
    assert "18.525,5 tỷ đồng" in vi_text and "18,525.5 bn VND" in en_text
    assert "Nguồn:" in vi_text and "Source:" in en_text
    assert "Tổng thu ngân sách nhà nước trên địa bàn" in vi_text and "State budget revenue" in en_text
    plt.close("all")


def test_a_year_without_results_draws_no_zero_bar(series):
    """Sector growth: 2021 has no sector figure in the sources; 2023 has targets only."""
    fig = charts.plan_actual_years(series, indicators=CATALOG.group("sector_growth"), years=[2021, 2022, 2023],
                                   lang="en", title="t")
    drawn = bars(fig)
    assert drawn and all(b.get_width() != 0 for b in drawn)
    words = texts(fig)
    assert sum(t.strip() == "no figure in the sources" for t in words) >= 6  # 2021, all sectors but the total
    assert any(t.strip() == "no plan in the sources" for t in words)
    # GRDP growth 2021: the press release's estimate 7,82%, drawn light (estimate), not as a result.
    estimates = [b for b in drawn if b.get_facecolor()[:3] == plt.matplotlib.colors.to_rgb(charts.PALETTE["estimate"])]
    assert [round(b.get_width(), 2) for b in estimates] == [7.82]
    plt.close(fig)


def test_bullet_chart_marks_targets_without_a_result(series):
    rows = analysis.bullet_rows(2024, families=("social",))
    assert rows["value_year"].dropna().lt(2024).all()  # 2024 has targets only: the latest result is older
    fig = charts.bullet_chart(rows, year=2024, lang="vi")
    text = " ".join(texts(fig))
    assert "Chỉ tiêu 2024" in text and "cần" in text  # the change per year the target still requires
    assert all(b.get_width() > 0 for b in bars(fig) if b.get_height() < 1)  # no zero-length result bar
    plt.close(fig)


def draw_every_chart(lang: str, series):
    table = analysis.plan_vs_actual()
    year = series[series["year"] == 2022]
    return {
        "plan_vs_actual": charts.plan_vs_actual_bars(table, year=2022, lang=lang, implied=analysis.implied_plans()),
        "scorecard": charts.scorecard(table, year=2022, lang=lang),
        "bullet": charts.bullet_chart(analysis.bullet_rows(2023), year=2023, lang=lang),
        "shares": charts.stacked_shares(series, parts=CATALOG.group("shares"), lang=lang),
        "growth": charts.growth_lines(series, indicators=CATALOG.group("growth_lines"), year=2022, lang=lang),
        "contributions": charts.contributions(series, parts=CATALOG.group("contributions"), total="grdp_growth",
                                              lang=lang),
        "bars": charts.indicator_bars(year, indicators=CATALOG.group("budget_components"), title="t", lang=lang),
        "years": charts.plan_actual_years(series, indicators=CATALOG.group("budget"), title="t", lang=lang),
        "coverage": charts.coverage_heatmap(load_table("coverage"), lang=lang),
        "revisions": charts.revisions_chart(audits.revisions(), lang=lang),
        "trend": charts.trend_panels(series, indicators=["poverty_rate", "pci"], lang=lang),
    }


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_chart_has_title_source_and_full_font_coverage(lang, series, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from the font is a warning: make it fail
        figures = draw_every_chart(lang, series)
        for name, fig in figures.items():
            assert fig._suptitle is not None and fig._suptitle.get_text(), name
            assert fig._supxlabel.get_text().count(charts.label("source", lang) + ":") == 1, name
            path = charts.save_png(fig, tmp_path / f"{name}.png")
            with Image.open(path) as image:
                assert image.format == "PNG" and image.size == (2560, 1440), name


def test_same_data_same_png_bytes(series, tmp_path):
    def draw():
        return charts.stacked_shares(series, parts=CATALOG.group("shares"), lang="vi")

    first, second = charts.save_png(draw(), tmp_path / "a.png"), charts.save_png(draw(), tmp_path / "b.png")
    assert first.read_bytes() == second.read_bytes()
    assert b"Software" not in first.read_bytes() and sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png"]
