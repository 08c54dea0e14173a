"""Briefing charts, one function per chart type, in one style (:data:`STYLE`).

Every chart has a title that says the finding or the subject, the unit, the years and a source note
naming the documents; labels come from the catalog in the chosen language, numbers are formatted for
it (``7,8%`` / ``7.8%``). Plan is drawn hatched or as an outline, results solid, estimates lighter;
missing data is written as missing, never drawn as zero. Figures are 16:9, saved at 200 dpi, and the
same data gives the same PNG bytes.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .atomic import atomic_write  # noqa: E402
from .catalog import Catalog, load_catalog, with_indicators  # noqa: E402
from .errors import IndicatorsError  # noqa: E402
from .numbers import format_number  # noqa: E402
from .tables import load_table  # noqa: E402
from .words import label  # noqa: E402

FIGSIZE = (12.8, 7.2)  # 16:9; at 200 dpi, 2560 × 1440 pixels
DPI = 200
# Okabe-Ito, a colour-blind-safe palette.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
PALETTE = {
    "actual": "#0072B2",
    "estimate": "#9CC9E6",
    "plan": "#0072B2",
    "implied": "#6E6E6E",
    "muted": "#6E6E6E",
    "text": "#1A1A1A",
    "grid": "#E3E3E3",
}
# Status colours that also differ by symbol.
STATUS_STYLE = {
    "exceeded": ("#0072B2", "▲"),
    "met": ("#009E73", "●"),
    "missed": ("#D55E00", "▼"),
    "no_target": ("#8C8C8C", "–"),
    "no_result": ("#8C8C8C", "○"),
}
ASSESSMENT_STYLE = {
    "target met": ("#009E73", "●"),
    "on track": ("#0072B2", "▲"),
    "moderate progress": ("#E69F00", "◆"),
    "insufficient progress": ("#D55E00", "▼"),
    "moving away": ("#D55E00", "✖"),
    "too few points": ("#8C8C8C", "○"),
}
STYLE = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "font.family": "DejaVu Sans",
    "font.size": 13,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 12,
    "axes.spines.top": False,
    "axes.axisbelow": True,
    "axes.spines.right": False,
    "axes.edgecolor": "#9A9A9A",
    "axes.labelcolor": PALETTE["text"],
    "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
    "xtick.color": PALETTE["text"],
    "ytick.color": PALETTE["text"],
    "xtick.labelsize": 12,
    "ytick.labelsize": 11,
    "legend.frameon": False,
    "legend.fontsize": 11,
    "hatch.linewidth": 1.2,
    "svg.hashsalt": "bacgiang",
}
STATED = 3  # decimals up to which a figure stated in a document is written (as many as it has)
_QUALIFIER_SIGNS = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "~": "≈"}


def full_catalog() -> Catalog:
    """The curated catalog with every indicator the built tables have (names and units of composed ids)."""
    return with_indicators(load_catalog(), load_table("indicators"))


def use_style() -> None:
    """Apply the suite's matplotlib style."""
    plt.rcParams.update(STYLE)


def _decimals(value: float, decimals: int) -> int:
    """As many decimals as the figure needs, up to ``decimals``."""
    for d in range(decimals + 1):
        if math.isclose(round(value, d), value, abs_tol=1e-9):
            return d
    return decimals


def number(value: float, lang: str, decimals: int = 2) -> str:
    return format_number(value, lang, _decimals(value, decimals))


def value_text(value: float, unit: str, lang: str, catalog: Catalog, decimals: int, qualifier: str = "",
               high: float | None = None, *, with_unit: bool = True) -> str:
    """A figure as a reader sees it: "> 99,2%", "135–140 mn VND per ha", "15,745 bn VND", "rank 27"
    (without the unit, except "%", where the chart states it elsewhere)."""
    text = number(value, lang, decimals)
    if qualifier == "range" and high is not None and pd.notna(high):
        text += "–" + number(high, lang, decimals)
    sign = _QUALIFIER_SIGNS.get(qualifier or "", "")
    if unit == "%":
        text = f"{text}%"
    elif not with_unit:
        pass
    elif unit == "rank":
        text = f"{catalog.unit_label(unit, lang)} {text}"
    else:
        text = f"{text} {catalog.unit_label(unit, lang)}"
    return f"{sign} {text}" if sign else text


def unit_caption(unit: str, lang: str, catalog: Catalog) -> str:
    return "%" if unit == "%" else catalog.unit_label(unit, lang)


def _axis_numbers(ax, lang: str, axis: str = "y") -> None:
    formatter = matplotlib.ticker.FuncFormatter(lambda v, _pos: number(v, lang, 2))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def source_note(doc_ids, lang: str, documents: pd.DataFrame | None = None) -> str:
    """"Source: <short title> (<issued>); ..." for the documents a chart uses."""
    docs = load_table("documents") if documents is None else documents
    docs = docs[docs["doc_id"].isin(set(doc_ids))].sort_values(["issued", "doc_id"])
    titles = [f"{row[f'short_title_{lang}']} ({row['issued']})" for _, row in docs.iterrows()]
    return f"{label('source', lang)}: " + "; ".join(titles) + "." if titles else ""


def figure(title: str, *, nrows: int = 1, ncols: int = 1, **kwargs):
    """A 16:9 figure with the title at the top left; constrained layout keeps labels inside."""
    use_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=FIGSIZE, layout="constrained", squeeze=False, **kwargs)
    fig.suptitle(textwrap.fill(title, 92), x=0.01, ha="left", fontsize=17, fontweight="bold",
                 color=PALETTE["text"])
    return fig, axes


def finish(fig, doc_ids, lang: str, documents: pd.DataFrame | None = None, note: str = "") -> plt.Figure:
    """Add the source note (and any note) under the chart."""
    text = source_note(doc_ids, lang, documents)
    if note:
        text = f"{note}  {text}".strip()
    fig.supxlabel(textwrap.fill(text, 160), x=0.01, ha="left", fontsize=10.5, color=PALETTE["muted"])
    return fig


def year_span(years) -> str:
    """"2021–2023", or "2021" for one year."""
    years = sorted(years)
    if not years:
        return "—"
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _columns(panels: int) -> int:
    """Columns for small multiples: 1–3 in a row, 4 as 2 × 2, up to 6 as 3 × 2, more in fours."""
    return panels if panels <= 3 else 2 if panels == 4 else 3 if panels <= 6 else 4


def empty(ax, text: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=15, color=PALETTE["muted"], style="italic",
            transform=ax.transAxes, wrap=True)


def save_png(fig: plt.Figure, path: Path) -> Path:
    """Save as PNG atomically and deterministically (no software or date metadata)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=DPI, metadata={"Software": None}))
    except OSError as err:
        raise IndicatorsError(f"{path}: cannot write the chart ({err.strerror})") from None
    finally:
        plt.close(fig)
    return path


# ------------------------------------------------------------------------------------- charts


def _kind_of(row) -> str:
    kind = row.get("actual_kind", "") if hasattr(row, "get") else ""
    return kind if isinstance(kind, str) and kind else "actual"


def plan_vs_actual_bars(
    table: pd.DataFrame,
    *,
    year: int,
    lang: str = "vi",
    indicators: tuple[str, ...] | list[str] | None = None,
    implied: pd.DataFrame | None = None,
    catalog: Catalog | None = None,
    documents: pd.DataFrame | None = None,
) -> plt.Figure:
    """Small multiples, one panel per indicator: plan (hatched outline) beside the result (solid;
    light for an estimate), the status symbol in the panel title.

    ``table`` is :func:`indicators.analysis.plan_vs_actual`; ``indicators`` defaults to the
    catalog's headline indicators with data in ``year`` (else the year's first nine). Where no plan
    is stated, the plan a stated attainment implies (``implied``, :func:`indicators.analysis.implied_plans`)
    is drawn as a dashed grey outline marked ≈.
    """
    catalog = catalog or full_catalog()
    rows = table[table["year"] == year]
    order = {iid: i for i, iid in enumerate(indicators or catalog.headline)}
    chosen = rows[rows["indicator_id"].isin(order)]
    if chosen.empty:
        chosen, order = rows.head(9), {iid: i for i, iid in enumerate(rows["indicator_id"].head(9))}
    rows = chosen.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True)
    implied_at = {} if implied is None else {
        r.indicator_id: r.implied_plan for r in implied[implied["year"] == year].itertuples()
    }
    judged = rows[rows["status"].isin(["exceeded", "met", "missed"])]
    done = int(judged["status"].isin(["exceeded", "met"]).sum())
    title = (label("titles.pva", lang, year=year, done=done, total=len(judged)) if len(judged)
             else label("titles.pva_none", lang, year=year))
    n = max(len(rows), 1)
    ncols = min(n, 3 if n <= 6 else 5)
    nrows = math.ceil(n / ncols)
    fig, axes = figure(title, nrows=nrows, ncols=ncols)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    if rows.empty:
        empty(axes.flat[0], label("no_data", lang, year=year))
    for ax, (_, row) in zip(axes.flat, rows.iterrows(), strict=False):
        indicator = catalog[row["indicator_id"]]
        colour, symbol = STATUS_STYLE[row["status"]]
        name = textwrap.fill(indicator.name(lang), 30 if ncols <= 3 else 22)
        ax.set_title(f"{name}\n({unit_caption(indicator.unit, lang, catalog)})", fontsize=11.5)
        ax.text(0.98, 0.98, f"{symbol} {label('status.' + row['status'], lang)}", transform=ax.transAxes, ha="right",
                va="top", fontsize=10.5, color=colour, fontweight="bold")
        kind = _kind_of(row)
        plan = ("plan", row["plan"], row["plan_qualifier"], row["plan_high"])
        if pd.isna(row["plan"]) and row["indicator_id"] in implied_at:
            plan = ("implied", implied_at[row["indicator_id"]], "~", None)
        bars = [plan, (kind, row["actual"], row["actual_qualifier"], None)]
        present = [v for _, v, _, _ in bars if pd.notna(v)]
        top = max(present) if present else 1.0
        for x, (name_, value, qualifier, high) in enumerate(bars):
            if pd.isna(value):
                missing = "no_plan" if name_ == "plan" else "no_result"
                ax.text(x, top * 0.06, label(missing, lang), ha="center", va="bottom", fontsize=10,
                        color=PALETTE["muted"], style="italic")
                continue
            if name_ == "plan":
                ax.bar(x, value, width=0.62, facecolor="white", edgecolor=PALETTE["plan"], hatch="///",
                       linewidth=1.6)
            elif name_ == "implied":
                ax.bar(x, value, width=0.62, facecolor="white", edgecolor=PALETTE["implied"], linestyle="--",
                       linewidth=1.6)
            else:
                ax.bar(x, value, width=0.62, color=PALETTE[name_])
            decimals = indicator.decimals if name_ == "implied" else STATED
            text = value_text(value, indicator.unit, lang, catalog, decimals, qualifier, high, with_unit=False)
            ax.text(x, value + top * 0.02, text, ha="center", va="bottom", fontsize=10.5, color=PALETTE["text"])
        ax.set_xticks([0, 1], [label("plan", lang), label(kind, lang)], fontsize=11)
        ax.set_xlim(-0.6, 1.6)
        ax.set_ylim(0, top * 1.4)
        _axis_numbers(ax, lang)
        ax.tick_params(axis="y", labelsize=9.5)
        if pd.notna(row["attainment_stated"]):
            stated = number(row["attainment_stated"], lang, 1)
            ax.set_xlabel(label("stated_attainment", lang, value=stated), fontsize=10, color=PALETTE["text"])
    doc_ids = set(rows["plan_doc"]) | set(rows["actual_doc"])
    note = label("notes.estimate", lang) if (rows["actual_kind"] == "estimate").any() else ""
    if rows["plan"].isna().any() and set(rows["indicator_id"]) & set(implied_at):
        note = f"{note} {label('notes.implied_bar', lang)}".strip()
    return finish(fig, {d for d in doc_ids if d}, lang, documents, note)


def scorecard(
    table: pd.DataFrame,
    *,
    year: int,
    lang: str = "vi",
    limit: int = 14,
    implied: pd.DataFrame | None = None,
    catalog: Catalog | None = None,
    documents: pd.DataFrame | None = None,
) -> plt.Figure:
    """The targets of a year as a table: plan, result, % of plan and status (colour and symbol).

    ``table`` is :func:`indicators.analysis.plan_vs_actual`; the title counts every target of the
    year, the table shows the headline indicators first, then those missed, at most ``limit`` rows.
    Where no plan is stated, the plan a stated attainment implies is shown (≈, in grey).
    """
    from .analysis import scorecard_rows

    catalog = catalog or full_catalog()
    year_rows = table[(table["year"] == year) & (table["status"] != "no_target")]
    counts = year_rows["status"].value_counts()
    done, missed, pending = (int(counts.get("exceeded", 0) + counts.get("met", 0)), int(counts.get("missed", 0)),
                             int(counts.get("no_result", 0)))
    n = len(year_rows)
    key = "titles.scorecard_targets" if pending == n and n else "titles.scorecard"
    rows = scorecard_rows(table, year, headline=catalog.headline, limit=limit)
    fig, axes = figure(label(key, lang, year=year, n=n, done=done, missed=missed, pending=pending))
    ax = axes[0, 0]
    ax.set_axis_off()
    if rows.empty:
        empty(ax, label("no_data", lang, year=year))
        return finish(fig, set(), lang, documents)
    implied_at = {} if implied is None else {
        r.indicator_id: r.implied_plan for r in implied[implied["year"] == year].itertuples()
    }
    columns = [(0.0, "indicator", "left"), (0.52, "plan", "right"), (0.70, "actual", "right"),
               (0.80, "attainment", "right"), (0.83, "status", "left")]
    height = 1.0 / (max(len(rows), 8) + 1)
    for x, key_, ha in columns:
        ax.text(x, 1 - height / 2, label(f"columns.{key_}", lang), ha=ha, va="center", fontweight="bold",
                fontsize=12.5, transform=ax.transAxes)
    for i, row in enumerate(rows.itertuples(), 1):
        y = 1 - (i + 0.5) * height
        if i % 2:
            ax.add_patch(plt.Rectangle((0, y - height / 2), 1, height, transform=ax.transAxes,
                                       color="#F3F3F3", zorder=0))
        indicator = catalog[row.indicator_id]
        plan_colour = PALETTE["text"]
        if pd.notna(row.plan):
            plan = value_text(row.plan, indicator.unit, lang, catalog, STATED, row.plan_qualifier,
                              row.plan_high)
        elif row.indicator_id in implied_at:
            plan = "≈ " + value_text(implied_at[row.indicator_id], indicator.unit, lang, catalog, indicator.decimals)
            plan_colour = PALETTE["muted"]
        else:
            plan = "—"
        actual = "—"
        if pd.notna(row.actual):
            actual = value_text(row.actual, indicator.unit, lang, catalog, STATED, row.actual_qualifier)
            if row.actual_kind == "estimate":
                actual += f" ({label('estimate', lang).lower()})"
        attainment = row.attainment_stated if pd.notna(row.attainment_stated) else row.attainment_computed
        attainment = f"{number(attainment, lang, 1)}%" if pd.notna(attainment) else "—"
        colour, symbol = STATUS_STYLE[row.status]
        cells = [(textwrap.shorten(indicator.name(lang), 62, placeholder="…"), PALETTE["text"], "normal"),
                 (plan, plan_colour, "normal"), (actual, PALETTE["text"], "normal"),
                 (attainment, PALETTE["text"], "normal"),
                 (f"{symbol} {label('status.' + row.status, lang)}", colour, "bold")]
        for (x, _key, ha), (cell, cell_colour, weight) in zip(columns, cells, strict=True):
            ax.text(x, y, cell, ha=ha, va="center", fontsize=11.5, transform=ax.transAxes, color=cell_colour,
                    fontweight=weight)
    note = label("notes.implied", lang) if implied_at and rows["plan"].isna().any() else ""
    if len(rows) < n:
        note = label("notes.shown", lang, shown=len(rows), n=n) + " " + note
    doc_ids = {d for d in set(rows["plan_doc"]) | set(rows["actual_doc"]) if d}
    return finish(fig, doc_ids, lang, documents, note)


def bullet_chart(
    rows: pd.DataFrame,
    *,
    year: int,
    lang: str = "vi",
    title: str | None = None,
    catalog: Catalog | None = None,
    documents: pd.DataFrame | None = None,
) -> plt.Figure:
    """One bullet per target: the latest result (bar, with its year; light for an estimate) against
    the target (a black tick; dotted grey for a plan implied by a stated attainment), the status or
    the pace assessment in colour and symbol, and the change per year the target still requires.
    ``rows`` is :func:`indicators.analysis.bullet_rows`."""
    catalog = catalog or full_catalog()
    n = max(len(rows), 1)
    fig, axes = figure(title or label("titles.bullet", lang, year=year), nrows=max(n, 5), ncols=1)
    for ax in axes[n:, 0]:
        ax.set_visible(False)
    if rows.empty:
        empty(axes[0, 0], label("no_data", lang, year=year))
        return finish(fig, set(), lang, documents)
    for ax, row in zip(axes[:, 0], rows.itertuples(), strict=False):
        indicator = catalog[row.indicator_id]
        top = np.nanmax([row.value, row.target, row.target_high if pd.notna(row.target_high) else np.nan]) * 1.12
        top = top if top > 0 else 1.0
        ax.set_xlim(0, top * 2.0)  # room on the right for the labels
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([])
        ax.set_xticks([])
        for spine in ("left", "bottom"):
            ax.spines[spine].set_visible(False)
        ax.axvspan(0, top, color="#F4F4F4", zorder=0)
        name = textwrap.fill(indicator.name(lang), 38)
        ax.set_ylabel(f"{name} ({unit_caption(indicator.unit, lang, catalog)})", rotation=0, ha="right",
                      va="center", fontsize=10.5, labelpad=8)
        if pd.notna(row.value):
            colour = PALETTE["estimate"] if row.value_kind == "estimate" else PALETTE["actual"]
            ax.barh(0, row.value, height=0.42, color=colour, zorder=2)
            kind = f", {label('estimate', lang).lower()}" if row.value_kind == "estimate" else ""
            text = value_text(row.value, indicator.unit, lang, catalog, STATED)
            result = f"{text} ({row.value_year}{kind})  |  "
        else:
            result = ""
        target_colour = PALETTE["implied"] if row.target_kind == "implied" else PALETTE["text"]
        if row.target_qualifier == "range" and pd.notna(row.target_high):
            ax.axvspan(row.target, row.target_high, ymin=0.1, ymax=0.9, color=target_colour, alpha=0.25, zorder=1)
        ax.plot([row.target, row.target], [-0.36, 0.36], color=target_colour, linewidth=3, zorder=3,
                linestyle=":" if row.target_kind == "implied" else "-")
        word = label("implied_plan" if row.target_kind == "implied" else "target", lang)
        target_text = value_text(row.target, indicator.unit, lang, catalog,
                                 indicator.decimals if row.target_kind == "implied" else STATED,
                                 row.target_qualifier, row.target_high)
        styles = STATUS_STYLE if row.judgement in STATUS_STYLE else ASSESSMENT_STYLE
        colour, symbol = styles[row.judgement]
        words = label(("status." if row.judgement in STATUS_STYLE else "assessment.") + row.judgement, lang)
        x = top * 1.02
        ax.text(x, 0.18, f"{result}{word} {row.target_year}: {target_text}", va="center", ha="left",
                fontsize=10, color=PALETTE["text"])
        if pd.isna(row.value):
            (colour, symbol), words = STATUS_STYLE["no_result"], label("no_result_line", lang)
        needs = ""
        if pd.notna(row.required_per_year) and row.judgement in ASSESSMENT_STYLE and row.judgement != "target met":
            change = number(row.required_per_year, lang, 2)
            change = ("+" + change) if row.required_per_year > 0 else change
            per = label("notes.per_year", lang, change=change,
                        unit="pp" if indicator.unit == "%" and lang == "en" else
                        ("điểm %" if indicator.unit == "%" else unit_caption(indicator.unit, lang, catalog)))
            needs = f" — {per}"
        ax.text(x, -0.2, f"{symbol} {words}{needs}", va="center", ha="left", fontsize=10.5, color=colour,
                fontweight="bold")
    note = label("notes.implied", lang) if (rows["target_kind"] == "implied").any() else ""
    doc_ids = set(rows["value_doc"].dropna()) | set(rows["target_doc"].dropna())
    return finish(fig, {d for d in doc_ids if d}, lang, documents, note)


def _bar_label(ax, x, bottom, height, text) -> None:
    if height > 0:
        ax.text(x, bottom + height / 2, text, ha="center", va="center", fontsize=11, color=PALETTE["text"],
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})


def stacked_shares(
    frame: pd.DataFrame,
    *,
    parts: list[str],
    lang: str = "vi",
    title_key: str = "titles.shares",
    catalog: Catalog | None = None,
    documents: pd.DataFrame | None = None,
) -> plt.Figure:
    """Shares across years as stacked bars, plan (hatched) and result (solid) side by side.

    ``frame`` is :func:`indicators.analysis.series` of the ``parts`` (kinds actual, estimate, plan).
    """
    catalog = catalog or full_catalog()
    fig, axes = figure(label(title_key, lang))
    ax = axes[0, 0]
    data = frame[frame["indicator_id"].isin(parts)]
    if data.empty:
        empty(ax, label("no_data_any", lang))
        return finish(fig, set(), lang, documents)
    bars = data[["year", "kind"]].drop_duplicates().sort_values(["year", "kind"], key=lambda s: s.map(
        {"actual": 0, "estimate": 0, "plan": 1}) if s.name == "kind" else s).reset_index(drop=True)
    colours = dict(zip(parts, OKABE_ITO, strict=False))
    for x, bar in bars.iterrows():
        bottom = 0.0
        for part in parts:
            cell = data[(data["year"] == bar["year"]) & (data["kind"] == bar["kind"]) & (data["indicator_id"] == part)]
            if cell.empty:
                continue
            value = float(cell["value"].iloc[0])
            plan = bar["kind"] == "plan"
            ax.bar(x, value, bottom=bottom, width=0.5, color="white" if plan else colours[part],
                   edgecolor=colours[part], hatch="//" if plan else None, linewidth=1.5)
            _bar_label(ax, x, bottom, value, f"{number(value, lang, 1)}%")
            bottom += value
    ticks = [f"{int(b['year'])}\n{label(b['kind'], lang)}" for _, b in bars.iterrows()]
    ax.set_xticks(range(len(bars)), ticks)
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    handles = [matplotlib.patches.Patch(color=colours[p], label=textwrap.fill(catalog[p].name(lang), 30))
               for p in reversed(parts)]
    handles += [matplotlib.patches.Patch(facecolor="white", edgecolor="#555555", hatch="//", label=label("plan", lang))]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return finish(fig, set(data["doc_id"]), lang, documents)


def growth_lines(
    frame: pd.DataFrame,
    *,
    indicators: list[str],
    lang: str = "vi",
    year: int | None = None,
    title: str | None = None,
    catalog: Catalog | None = None,
    documents: pd.DataFrame | None = None,
) -> plt.Figure:
    """Results across years as lines (filled markers; hollow for estimates), targets as outlined
    diamonds joined by a dashed line; the focus ``year`` shaded. ``frame`` is
    :func:`indicators.analysis.series`. All ``indicators`` share one unit."""
    catalog = catalog or full_catalog()
    data = frame[frame["indicator_id"].isin(indicators)]
    years = sorted(data["year"].unique()) or [year]
    unit = catalog[indicators[0]].unit
    title = title or label("titles.growth", lang, years=year_span(years))
    fig, axes = figure(title)
    ax = axes[0, 0]
    if data.empty:
        empty(ax, label("no_data", lang, year=year) if year else label("no_data_any", lang))
        return finish(fig, set(), lang, documents)
    notes = []  # (year, value, text, colour): the value labels, placed apart below
    for colour, iid in zip(OKABE_ITO, indicators, strict=False):
        rows = data[data["indicator_id"] == iid].sort_values("year")
        results = rows[rows["kind"].isin(["actual", "estimate"])]
        plans = rows[rows["kind"] == "plan"]
        name = catalog[iid].name(lang)
        if not results.empty:
            ax.plot(results["year"], results["value"], color=colour, linewidth=2.4, label=name)
            for r in results.itertuples():
                ax.plot(r.year, r.value, "o", markersize=9, color=colour,
                        markerfacecolor="white" if r.kind == "estimate" else colour, markeredgewidth=2)
                notes.append((r.year, r.value, number(r.value, lang, STATED), colour))
        if not plans.empty:
            joined = pd.concat([results.tail(1), plans]).sort_values("year")
            ax.plot(joined["year"], joined["value"], color=colour, linestyle="--", linewidth=1.5,
                    label=None if not results.empty else name)
            ax.plot(plans["year"], plans["value"], "D", markersize=10, color=colour, markerfacecolor="white",
                    markeredgewidth=2)
            for r in plans.itertuples():
                notes.append((r.year, r.value, f"{label('plan', lang)} {number(r.value, lang, STATED)}", colour))
    if year is not None and year in years:
        ax.axvspan(year - 0.4, year + 0.4, color="#F0F0F0", zorder=0)
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(min(years) - 0.5, max(years) + 0.9)
    low = min(0.0, float(data["value"].min()))
    ax.set_ylim(low, float(data["value"].max()) * 1.15)
    gap = (float(data["value"].max()) * 1.15 - low) * 0.045
    for year_ in sorted({n[0] for n in notes}):
        placed = None
        for _, value, text, colour in sorted(n for n in notes if n[0] == year_):
            placed = value if placed is None else max(value, placed + gap)
            ax.annotate(text, (year_, value), xytext=(year_ + 0.07, placed), va="center", fontsize=10.5, color=colour)
    ax.axhline(0, color="#9A9A9A", linewidth=0.8)
    ax.set_ylabel(unit_caption(unit, lang, catalog))
    _axis_numbers(ax, lang)
    ax.grid(axis="y", color=PALETTE["grid"])
    marker_help = [
        matplotlib.lines.Line2D([], [], marker="o", color="#555555", linestyle="", label=label("actual", lang)),
        matplotlib.lines.Line2D([], [], marker="o", color="#555555", markerfacecolor="white", linestyle="",
                                label=label("estimate", lang)),
        matplotlib.lines.Line2D([], [], marker="D", color="#555555", markerfacecolor="white", linestyle="--",
                                label=label("plan", lang)),
    ]
    handles, names = ax.get_legend_handles_labels()
    ax.legend(handles + marker_help, [textwrap.fill(n, 30) for n in names] + [h.get_label() for h in marker_help],
              loc="center left", bbox_to_anchor=(1.01, 0.5))
    return finish(fig, set(data["doc_id"]), lang, documents)


def contributions(
    frame: pd.DataFrame,
    *,
    parts: list[str],
    total: str,
    lang: str = "vi",
    catalog: Catalog | None = None,
    documents: pd.DataFrame | None = None,
) -> plt.Figure:
    """Contributions of the sectors to growth (percentage points) as a horizontal waterfall per
    year, ending in total GRDP growth."""
    catalog = catalog or full_catalog()
    data = frame[frame["indicator_id"].isin(parts) & frame["kind"].isin(["actual", "estimate"])]
    years = sorted(data["year"].unique())
    fig, axes = figure(label("titles.contributions", lang), nrows=1, ncols=max(len(years), 1))
    if data.empty:
        empty(axes[0, 0], label("no_data_any", lang))
        return finish(fig, set(), lang, documents)
    pp = label("notes.pp", lang)
    for ax, year in zip(axes[0], years, strict=True):
        names, cum = [], 0.0
        for y, (colour, part) in enumerate(zip(OKABE_ITO, parts, strict=False)):
            cell = data[(data["year"] == year) & (data["indicator_id"] == part)]
            names.append(textwrap.fill(catalog[part].name(lang), 34))
            if cell.empty:
                ax.text(cum, y, " " + label("no_result_line", lang), va="center", fontsize=10, style="italic",
                        color=PALETTE["muted"])
                continue
            value = float(cell["value"].iloc[0])
            ax.barh(y, value, left=cum, height=0.55, color=colour)
            ax.text(cum + value, y, f"  {number(value, lang, 2)} {pp}", va="center", fontsize=11)
            cum += value
        growth = frame[(frame["indicator_id"] == total) & (frame["year"] == year)
                       & frame["kind"].isin(["actual", "estimate"])]
        names.append(label("notes.total_growth", lang))
        if not growth.empty:
            value = float(growth["value"].iloc[0])
            ax.barh(len(parts), value, height=0.55, color=PALETTE["text"])
            ax.text(value, len(parts), f"  {number(value, lang, 2)}%", va="center", fontsize=11, fontweight="bold")
        ax.set_yticks(range(len(names)), names)
        ax.invert_yaxis()
        ax.set_xlim(0, max(cum, float(growth["value"].max()) if not growth.empty else cum) * 1.3)
        ax.set_title(str(year))
        ax.set_xlabel(pp)
        _axis_numbers(ax, lang, "x")
    return finish(fig, set(data["doc_id"]), lang, documents)


def indicator_bars(
    frame: pd.DataFrame,
    *,
    indicators: list[str],
    title: str,
    lang: str = "vi",
    year: int | None = None,
    catalog: Catalog | None = None,
    documents: pd.DataFrame | None = None,
) -> plt.Figure:
    """Horizontal bars for several indicators of one unit in one year; the plan as an outline
    beside the result; a missing figure is written as missing. ``frame`` is
    :func:`indicators.analysis.series` for one ``year``."""
    catalog = catalog or full_catalog()
    fig, axes = figure(title)
    ax = axes[0, 0]
    unit = catalog[indicators[0]].unit
    data = frame[frame["indicator_id"].isin(indicators)]
    if year is not None:
        data = data[data["year"] == year]
    if not data["kind"].isin(["actual", "estimate", "plan"]).any():
        empty(ax, label("no_data", lang, year=year) if year else label("no_data_any", lang))
        return finish(fig, set(), lang, documents)
    top = float(data["value"].max()) if not data.empty else 1.0
    for y, iid in enumerate(indicators):
        rows = data[data["indicator_id"] == iid]
        result = rows[rows["kind"].isin(["actual", "estimate"])]
        plan = rows[rows["kind"] == "plan"]
        both = not plan.empty and not result.empty
        if not plan.empty:
            value = float(plan["value"].iloc[0])
            offset = 0.2 if both else 0.0
            ax.barh(y + offset, value, height=0.36 if both else 0.5, facecolor="white", edgecolor=PALETTE["plan"],
                    hatch="///")
            ax.text(value + top * 0.01, y + offset, f"{label('plan', lang)}: "
                    f"{value_text(value, unit, lang, catalog, STATED, plan['qualifier'].iloc[0])}",
                    va="center", fontsize=10.5)
        if not result.empty:
            value, kind = float(result["value"].iloc[0]), result["kind"].iloc[0]
            offset = -0.2 if both else 0.0
            ax.barh(y + offset, value, height=0.36 if both else 0.5, color=PALETTE[kind])
            text = value_text(value, unit, lang, catalog, STATED, result["qualifier"].iloc[0])
            if kind == "estimate":
                text += f" ({label('estimate', lang).lower()})"
            stated = rows[rows["kind"] == "attainment"]
            if not stated.empty:
                text += "  · " + label("stated_attainment", lang, value=number(float(stated["value"].iloc[0]), lang, 1))
            ax.text(value + top * 0.01, y + offset, text, va="center", fontsize=10.5)
        elif plan.empty:
            ax.text(top * 0.01, y, label("no_result_line", lang), va="center", fontsize=10.5,
                    color=PALETTE["muted"], style="italic")
    ax.set_yticks(range(len(indicators)), [textwrap.fill(catalog[i].name(lang), 34) for i in indicators])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.9)
    ax.set_xlabel(unit_caption(unit, lang, catalog))
    _axis_numbers(ax, lang, "x")
    ax.grid(axis="x", color=PALETTE["grid"])
    return finish(fig, set(data["doc_id"]), lang, documents)


def coverage_heatmap(coverage: pd.DataFrame, *, lang: str = "vi", catalog: Catalog | None = None,
                     documents: pd.DataFrame | None = None) -> plt.Figure:
    """Number of indicators with figures, by family and year."""
    catalog = catalog or full_catalog()
    counts = coverage.pivot_table(index="family", columns="year", values="indicator_id", aggfunc="nunique")
    order = [f for f in catalog.families if f in counts.index]
    counts = counts.reindex(order).fillna(0).astype(int)
    fig, axes = figure(label("titles.coverage", lang))
    ax = axes[0, 0]
    ax.imshow(counts.values, cmap="Blues", aspect="auto", vmin=0, vmax=max(int(counts.values.max()), 1) * 1.15)
    for (i, j), value in np.ndenumerate(counts.values):
        ax.text(j, i, str(value) if value else "—", ha="center", va="center", fontsize=13,
                color="white" if value > counts.values.max() * 0.55 else PALETTE["text"])
    ax.set_xticks(range(counts.shape[1]), [str(y) for y in counts.columns])
    ax.set_yticks(range(counts.shape[0]), [catalog.family_label(f, lang) for f in counts.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    doc_ids = set(" ".join(coverage["documents"]).split())
    return finish(fig, doc_ids, lang, documents)


def revisions_chart(revisions: pd.DataFrame, *, lang: str = "vi", catalog: Catalog | None = None,
                    documents: pd.DataFrame | None = None) -> plt.Figure:
    """Every figure with more than one value: each value as percent of the first (dots stated,
    diamonds derived from a later document), the values themselves listed on the right."""
    catalog = catalog or full_catalog()
    fig, axes = figure(label("titles.revisions", lang))
    ax = axes[0, 0]
    if revisions.empty:
        empty(ax, label("no_data_any", lang))
        return finish(fig, set(), lang, documents)
    groups = list(revisions.groupby(["indicator_id", "year"], sort=False))
    for y, ((iid, _year), rows) in enumerate(groups):
        ax.plot(rows["revision_pct"], [y] * len(rows), color="#BBBBBB", linewidth=2, zorder=1)
        values = []
        for r in rows.itertuples():
            derived = r.kind == "derived"
            ax.plot(r.revision_pct, y, "D" if derived else "o", markersize=9, zorder=2, color=PALETTE["plan"],
                    markerfacecolor="white" if derived else PALETTE["plan"], markeredgewidth=2)
            decimals = catalog[iid].decimals if derived else STATED
            values.append(value_text(r.value, catalog[iid].unit, lang, catalog, decimals) + ("*" if derived else ""))
        last = rows["revision_pct"].iloc[-1]
        change = ("+" if last > 0 else "") + number(last, lang, 1) + "%"
        ax.text(1.01, y, f"{' → '.join(values)}   ({change})", transform=ax.get_yaxis_transform(), va="center",
                fontsize=10)
    ax.set_yticks(range(len(groups)),
                  [textwrap.shorten(f"{catalog[i].name(lang)}, {y}", 52, placeholder="…") for (i, y), _ in groups])
    ax.invert_yaxis()
    ax.axvline(0, color="#9A9A9A", linewidth=0.8)
    ax.set_xlabel(label("notes.against_first", lang))
    lo, hi = float(revisions["revision_pct"].min()), float(revisions["revision_pct"].max())
    ax.set_xlim(min(lo, 0) - 5, max(hi, 0) + 5)
    _axis_numbers(ax, lang, "x")
    ax.grid(axis="x", color=PALETTE["grid"])
    return finish(fig, set(revisions["doc_id"]), lang, documents, label("notes.derived", lang))


def trend_panels(frame: pd.DataFrame, *, indicators: list[str], lang: str = "vi", years=None,
                 catalog: Catalog | None = None, documents: pd.DataFrame | None = None) -> plt.Figure:
    """Any indicators over time, one panel each (own unit): results as lines, plans as diamonds."""
    catalog = catalog or full_catalog()
    data = frame[frame["indicator_id"].isin(indicators) & frame["kind"].isin(["actual", "estimate", "plan"])]
    if years:
        data = data[data["year"].isin(years)]
    span = sorted(data["year"].unique()) or list(years or [])
    title = label("titles.trend", lang, years=year_span(span))
    n = max(len(indicators), 1)
    ncols = _columns(n)
    fig, axes = figure(title, nrows=math.ceil(n / ncols), ncols=ncols)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax, iid in zip(axes.flat, indicators, strict=False):
        indicator = catalog[iid]
        rows = data[data["indicator_id"] == iid].sort_values("year")
        ax.set_title(f"{textwrap.fill(indicator.name(lang), 34)}\n({unit_caption(indicator.unit, lang, catalog)})",
                     fontsize=11.5)
        if rows.empty:
            empty(ax, label("no_result_line", lang))
            continue
        results = rows[rows["kind"].isin(["actual", "estimate"])]
        plans = rows[rows["kind"] == "plan"]
        ax.plot(results["year"], results["value"], "-", color=PALETTE["actual"], linewidth=2.2)
        for r in results.itertuples():
            ax.plot(r.year, r.value, "o", markersize=8, color=PALETTE["actual"],
                    markerfacecolor="white" if r.kind == "estimate" else PALETTE["actual"], markeredgewidth=2)
        ax.plot(plans["year"], plans["value"], "D", markersize=9, color=PALETTE["plan"], markerfacecolor="white",
                markeredgewidth=2)
        for r in rows.itertuples():
            ax.annotate(number(r.value, lang, STATED), (r.year, r.value), textcoords="offset points",
                        xytext=(0, 8), ha="center", fontsize=9.5)
        ax.set_xticks(span, [str(t) for t in span])
        ax.set_xlim(min(span) - 0.6, max(span) + 0.6)
        ax.set_ylim(min(0.0, float(rows["value"].min())), float(rows["value"].max()) * 1.2)
        _axis_numbers(ax, lang)
    return finish(fig, set(data["doc_id"]), lang, documents, label("notes.estimate_points", lang))


def plan_actual_years(
    frame: pd.DataFrame,
    *,
    indicators: list[str],
    title: str,
    lang: str = "vi",
    years=None,
    catalog: Catalog | None = None,
    documents: pd.DataFrame | None = None,
) -> plt.Figure:
    """Plan against result across years, one panel per indicator (own unit): for each year the plan
    (hatched outline) above the result (solid; light for an estimate); a figure the sources do not
    give is written as missing. ``frame`` is :func:`indicators.analysis.series`."""
    catalog = catalog or full_catalog()
    data = frame[frame["indicator_id"].isin(indicators) & frame["kind"].isin(["actual", "estimate", "plan"])]
    if years is not None:
        data = data[data["year"].isin(list(years))]
    span = sorted(years) if years is not None else sorted(data["year"].unique())
    n = len(indicators)
    ncols = _columns(n)
    fig, axes = figure(title, nrows=math.ceil(n / ncols), ncols=ncols)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax, iid in zip(axes.flat, indicators, strict=False):
        indicator = catalog[iid]
        rows = data[data["indicator_id"] == iid]
        ax.set_title(f"{textwrap.fill(indicator.name(lang), 36)}\n({unit_caption(indicator.unit, lang, catalog)})",
                     fontsize=11.5)
        low = min(0.0, float(rows["value"].min())) if len(rows) else 0.0
        high = max(0.0, float(rows["value"].max())) if len(rows) else 1.0
        width = (high - low) or 1.0
        for y, year in enumerate(span):
            cells = [(offset, rows[(rows["year"] == year) & rows["kind"].isin(kinds)])
                     for offset, kinds in ((-0.2, ["plan"]), (0.2, ["actual", "estimate"]))]
            if all(cell.empty for _, cell in cells):
                ax.text(0, y, " " + label("missing.both", lang), va="center", fontsize=9.5, style="italic",
                        color=PALETTE["muted"])
                continue
            for (offset, cell), missing in zip(cells, ("missing.plan", "missing.result"), strict=True):
                if cell.empty:
                    ax.text(0, y + offset, " " + label(missing, lang), va="center", fontsize=9.5, style="italic",
                            color=PALETTE["muted"])
                    continue
                value, kind = float(cell["value"].iloc[0]), cell["kind"].iloc[0]
                if kind == "plan":
                    ax.barh(y + offset, value, height=0.36, facecolor="white", edgecolor=PALETTE["plan"],
                            hatch="///", linewidth=1.4)
                else:
                    ax.barh(y + offset, value, height=0.36, color=PALETTE[kind])
                text = value_text(value, indicator.unit, lang, catalog, STATED,
                                  cell["qualifier"].iloc[0], cell["value_high"].iloc[0], with_unit=False)
                ax.text(max(value, 0) + width * 0.02, y + offset, text, va="center", fontsize=10)
        ax.set_yticks(range(len(span)), [str(y) for y in span])
        ax.set_ylim(len(span) - 0.5, -0.5)
        ax.set_xlim(low * 1.25 if low < 0 else 0, high + width * 0.45)
        ax.axvline(0, color="#9A9A9A", linewidth=0.8)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
        _axis_numbers(ax, lang, "x")
        ax.tick_params(axis="x", labelsize=9.5)
        ax.grid(axis="x", color=PALETTE["grid"])
    return finish(fig, set(data["doc_id"]), lang, documents, label("notes.plan_actual", lang))
