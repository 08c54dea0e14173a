"""Briefing charts. One style for the whole suite (:data:`STYLE`); labels in Vietnamese or English.

Every chart carries a title, the unit, the year(s) and a source note naming the documents.
Missing data is written as missing ("no result yet"), never drawn as a zero bar.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .catalog import Catalog, load_catalog  # noqa: E402
from .numbers import format_number  # noqa: E402
from .tables import atomic_write, load_table  # noqa: E402

# Okabe-Ito colour-blind-safe palette.
PALETTE = {
    "actual": "#0072B2",
    "estimate": "#56B4E9",
    "plan": "#0072B2",
    "muted": "#6E6E6E",
    "text": "#1A1A1A",
}
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#9A9A9A",
    "axes.labelcolor": PALETTE["text"],
    "xtick.color": PALETTE["text"],
    "ytick.color": PALETTE["muted"],
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "hatch.linewidth": 1.0,
}
LABELS = {
    "vi": {
        "plan": "Kế hoạch",
        "actual": "Thực hiện",
        "estimate": "Ước thực hiện",
        "no_plan": "không có\nchỉ tiêu",
        "no_result": "chưa có\nsố liệu",
        "attainment": "Văn bản nêu: đạt {value}% kế hoạch",
        "source": "Nguồn",
        "title_pva": "Bắc Giang {year}: kế hoạch và thực hiện các chỉ tiêu chủ yếu",
        "no_data": "Không có số liệu cho năm {year}",
    },
    "en": {
        "plan": "Plan",
        "actual": "Actual",
        "estimate": "Estimate",
        "no_plan": "no target\nstated",
        "no_result": "no result\nyet",
        "attainment": "Stated: {value}% of plan",
        "source": "Source",
        "title_pva": "Bắc Giang {year}: plan and actual, main indicators",
        "no_data": "No data for {year}",
    },
}


def use_style() -> None:
    """Apply the suite's matplotlib style."""
    plt.rcParams.update(STYLE)


def label(key: str, lang: str, **values) -> str:
    return LABELS[lang][key].format(**values)


def source_note(doc_ids, lang: str, documents: pd.DataFrame | None = None) -> str:
    """ "Source: <short title> (<issued>); ..." for the documents a chart uses."""
    docs = load_table("documents") if documents is None else documents
    docs = docs[docs["doc_id"].isin(set(doc_ids))].sort_values(["issued", "doc_id"])
    titles = [f"{row[f'short_title_{lang}']} ({row['issued']})" for _, row in docs.iterrows()]
    return f"{label('source', lang)}: " + "; ".join(titles) + "."


_QUALIFIER_SIGNS = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "~": "~"}


def value_text(
    value: float, unit: str, lang: str, catalog: Catalog, decimals: int, qualifier: str = "", high: float | None = None
) -> str:
    """A figure as a reader sees it: "> 99,2%", "135–140 triệu đồng/ha", "15,745 bn VND"."""
    number = format_number(value, lang, _decimals(value, decimals))
    if qualifier == "range" and high is not None and pd.notna(high):
        number += "–" + format_number(high, lang, _decimals(high, decimals))
    sign = _QUALIFIER_SIGNS.get(qualifier or "", "")
    if unit == "%":
        text = f"{number}%"
    elif unit == "rank":
        text = f"{catalog.unit_label(unit, lang)} {number}"
    else:
        text = f"{number} {catalog.unit_label(unit, lang)}"
    return f"{sign} {text}" if sign else text


def _decimals(value: float, decimals: int) -> int:
    """Show as many decimals as the figure needs, up to the indicator's."""
    for d in range(decimals + 1):
        if math.isclose(round(value, d), value, abs_tol=1e-9):
            return d
    return decimals


def plan_vs_actual_bars(
    table: pd.DataFrame,
    *,
    year: int,
    lang: str = "vi",
    indicators: tuple[str, ...] | list[str] | None = None,
    catalog: Catalog | None = None,
    documents: pd.DataFrame | None = None,
) -> plt.Figure:
    """Small multiples, one panel per indicator: plan (hatched outline) beside actual (solid).

    ``table`` is :func:`indicators.analysis.plan_vs_actual`; ``indicators`` defaults to the
    catalog's headline indicators (those with data in ``year`` are drawn).
    """
    use_style()
    catalog = catalog or load_catalog()
    rows = table[table["year"] == year]
    if indicators is None:
        indicators = catalog.headline or tuple(rows["indicator_id"])
    order = {iid: i for i, iid in enumerate(indicators)}
    chosen = rows[rows["indicator_id"].isin(order)]
    if chosen.empty:  # none of the headline indicators this year: draw the year's own (at most nine)
        chosen, order = rows.head(9), {iid: i for i, iid in enumerate(rows["indicator_id"].head(9))}
    rows = chosen.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True)
    n = max(len(rows), 1)
    cols = min(n, 3)
    nrows = math.ceil(n / cols)
    fig, axes = plt.subplots(nrows, cols, figsize=(3.6 * cols, 3.3 * nrows + 1.1), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    if rows.empty:
        ax = axes.flat[0]
        ax.set_visible(True)
        ax.axis("off")
        ax.text(0.5, 0.5, label("no_data", lang, year=year), ha="center", va="center", fontsize=12)
    for ax, (_, row) in zip(axes.flat, rows.iterrows(), strict=False):
        indicator = catalog[row["indicator_id"]]
        unit_text = "%" if indicator.unit == "%" else catalog.unit_label(indicator.unit, lang)
        ax.set_title(f"{textwrap.fill(indicator.name(lang), 30)}\n({unit_text})", fontsize=9.5)
        kind = row["actual_kind"] if isinstance(row["actual_kind"], str) and row["actual_kind"] else "actual"
        bars = [
            ("plan", row["plan"], row["plan_qualifier"], row["plan_high"]),
            (kind, row["actual"], row["actual_qualifier"], None),
        ]
        present = [v for _, v, _, _ in bars if pd.notna(v)]
        top = max(present) if present else 1.0
        for x, (name, value, qualifier, high) in enumerate(bars):
            if pd.isna(value):
                missing = "no_plan" if name == "plan" else "no_result"
                ax.text(
                    x,
                    top * 0.08,
                    label(missing, lang),
                    ha="center",
                    va="bottom",
                    fontsize=8.5,
                    color=PALETTE["muted"],
                    style="italic",
                )
                continue
            if name == "plan":
                ax.bar(x, value, width=0.6, facecolor="white", edgecolor=PALETTE["plan"], hatch="///", linewidth=1.5)
            else:
                ax.bar(x, value, width=0.6, color=PALETTE[name])
            text = value_text(value, indicator.unit, lang, catalog, indicator.decimals, qualifier, high)
            ax.text(x, value + top * 0.02, text, ha="center", va="bottom", fontsize=9, color=PALETTE["text"])
        ax.set_xticks([0, 1], [label("plan", lang), label(kind, lang)])
        ax.set_xlim(-0.6, 1.6)
        ax.set_ylim(0, top * 1.25)
        ax.tick_params(axis="y", labelsize=8)
        ax.yaxis.set_major_formatter(lambda v, _pos: format_number(v, lang, _decimals(v, 1)))
        if pd.notna(row["attainment_stated"]):
            stated = row["attainment_stated"]
            ax.text(
                0.5,
                -0.2,
                label("attainment", lang, value=format_number(stated, lang, _decimals(stated, 1))),
                transform=ax.transAxes,
                ha="center",
                va="top",
                fontsize=8.5,
                color=PALETTE["text"],
            )
    fig.suptitle(label("title_pva", lang, year=year), fontsize=13, fontweight="bold", x=0.02, ha="left")
    doc_ids = set(rows["plan_doc"].dropna()) | set(rows["actual_doc"].dropna())
    if doc_ids:
        fig.text(
            0.02,
            0.01,
            source_note(doc_ids, lang, documents),
            fontsize=8,
            color=PALETTE["muted"],
            ha="left",
            va="bottom",
            wrap=True,
        )
    fig.tight_layout(rect=(0, 0.05, 1, 0.95))
    return fig


def save_png(fig: plt.Figure, path: Path) -> Path:
    """Save a figure as PNG atomically (a half-written PNG never replaces a complete one)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", bbox_inches="tight"))
    plt.close(fig)
    return path
