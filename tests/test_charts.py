"""The plan-against-actual chart: missing data is missing, never a zero bar."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from indicators import charts
from indicators.analysis import plan_vs_actual


def bars(fig):
    return [p for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle)]


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_targets_only_year_draws_no_result_bars():
    table = plan_vs_actual(2023)
    fig = charts.plan_vs_actual_bars(table, year=2023, lang="en")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    drawn = bars(fig)
    assert len(panels) >= 4 and len(drawn) == len(panels)  # one plan bar per panel, no result bar
    assert all(b.get_height() > 0 and b.get_hatch() for b in drawn)
    assert sum("no result" in t for t in texts(fig)) == len(panels)
    plt.close(fig)


def test_qualifiers_and_ranges_are_written():
    cat = charts.load_catalog()
    assert charts.value_text(99.2, "%", "vi", cat, 2, ">") == "> 99,2%"
    assert charts.value_text(135, "mn VND/ha", "en", cat, 0, "range", 140) == "135–140 mn VND per ha"
    assert charts.value_text(27, "rank", "en", cat, 0) == "rank 27"


def test_labels_follow_the_language():
    table = plan_vs_actual(2022)
    vi = charts.plan_vs_actual_bars(table, year=2022, lang="vi")
    en = charts.plan_vs_actual_bars(table, year=2022, lang="en")
    vi_text, en_text = " ".join(texts(vi)), " ".join(texts(en))
    assert "18.525,5 tỷ đồng" in vi_text and "18,525.5 bn VND" in en_text
    assert "Nguồn:" in vi_text and "Source:" in en_text
    assert "Tỷ lệ hộ nghèo" in " ".join(ax.get_title() for ax in vi.axes)
    assert all(b.get_height() > 0 for b in bars(vi))
    plt.close("all")
