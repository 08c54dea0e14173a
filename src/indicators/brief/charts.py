"""Briefing charts, one function per chart type, in one style (:data:`STYLE`).

Every chart has a title that says the finding or the subject, the unit, the years and a source note
naming the documents; labels come from the catalog in the chosen language, numbers are formatted for
it (``7,8%`` / ``7.8%``). Plan is drawn hatched or as an outline, results solid, estimates lighter;
missing data is written as missing, never drawn as zero. Figures are 16:9, saved at 200 dpi, and the
same data gives the same PNG bytes.
"""

from __future__ import annotations

import math
import struct
import textwrap
import zlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from indicators.atomic import atomic_write  # noqa: E402
from indicators.brief.words import (  # noqa: E402
    STATED,
    document_names,
    label,
    number,
    status_word,
    value_text,
    vintage_label,
    year_span,
)
from indicators.errors import IndicatorsError  # noqa: E402
from indicators.read.catalog import Catalog  # noqa: E402

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
    "above_plan": ("#6E6E6E", "△"),
    "below_plan": ("#6E6E6E", "▽"),
    "no_target": ("#8C8C8C", "–"),
    "no_result": ("#8C8C8C", "○"),
}
ASSESSMENT_STYLE = {
    "at target level": ("#009E73", "●"),
    "on track": ("#0072B2", "▲"),
    "moderate progress": ("#E69F00", "◆"),
    "insufficient progress": ("#D55E00", "▼"),
    "moving away": ("#D55E00", "✖"),
    "too few points": ("#8C8C8C", "○"),
}
# Behind a value label placed among lines: the lines never cut through its text.
LABEL_BOX = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
STYLE = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": 100,
    "figure.facecolor": "white",  # opaque: the PNG is RGB
    "savefig.dpi": DPI,
    "font.family": "DejaVu Sans",
    "font.size": 13,
    "text.hinting": "no_hinting",  # at 200 dpi hinting changes nothing a reader sees; drawing text is 15 % faster
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
def use_style() -> None:
    """Apply the suite's matplotlib style."""
    plt.rcParams.update(STYLE)


def unit_caption(unit: str, lang: str, catalog: Catalog) -> str:
    """The unit under a name or on an axis ("tỷ đồng", "%"); a plain count is "số lượng" / "number"."""
    return "%" if unit == "%" else catalog.unit_label(unit, lang) or label("count_caption", lang)


def _axis_numbers(ax, lang: str, axis: str = "y") -> None:
    formatter = matplotlib.ticker.FuncFormatter(lambda v, _pos: number(v, lang, 2))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def source_note(doc_ids, lang: str, documents: pd.DataFrame) -> str:
    """"Source: <short title> (<issued>); ..." for the documents a chart uses."""
    docs = documents[documents["doc_id"].isin(set(doc_ids))].sort_values(["issued", "doc_id"])
    titles = list(document_names(docs, lang).values())
    return f"{label('source', lang)}: " + "; ".join(titles) + "." if titles else ""


def figure(title: str, *, nrows: int = 1, ncols: int = 1, **kwargs):
    """A 16:9 figure with the title at the top left; constrained layout keeps labels inside."""
    use_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=FIGSIZE, layout="constrained", squeeze=False, **kwargs)
    fig.suptitle(textwrap.fill(title, 92), x=0.01, ha="left", fontsize=17, fontweight="bold",
                 color=PALETTE["text"])
    return fig, axes


def finish(fig, doc_ids, lang: str, documents: pd.DataFrame, note: str = "") -> plt.Figure:
    """Add the source note (and any note) under the chart."""
    text = source_note(doc_ids, lang, documents)
    if note:
        text = f"{note}  {text}".strip()
    fig.supxlabel(textwrap.fill(text, 160), x=0.01, ha="left", fontsize=10.5, color=PALETTE["muted"])
    return fig


def _columns(panels: int) -> int:
    """Columns for small multiples: 1–3 in a row, 4 as 2 × 2, up to 6 as 3 × 2, more in fours."""
    return panels if panels <= 3 else 2 if panels == 4 else 3 if panels <= 6 else 4


def nothing_to_draw(what: str) -> None:
    """A chart is handed only what it can draw: :mod:`indicators.briefing` decides, and says why not."""
    raise IndicatorsError(f"{what}: nothing to draw (the briefing should not have asked for this chart)")


def result_text(row: dict, indicator, lang: str, catalog: Catalog, *, with_unit: bool = True) -> str:
    """A result as a chart labels it: its value ("≈" and the indicator's decimals for one implied by a later
    document) and its vintage where it is not a final figure: "15.745 (ước, 12/2021)", "≈ 21.950 (suy ra,
    12/2022)"."""
    text = value_text(row["value"], indicator.unit, lang, catalog, STATED, row.get("qualifier", ""),
                      row.get("value_high"), with_unit=with_unit, tolerance=row.get("tolerance"),
                      implied=indicator.decimals if row.get("basis") == "derived" else None)
    vintage = vintage_label(row.get("issued", ""), row.get("basis", ""), row.get("kind") == "estimate", lang)
    return f"{text} ({vintage})" if vintage else text


def mark_focus(ax, years, focus, axis: str = "x") -> None:
    """The review's year in bold on a chart across years."""
    if focus is None:
        return
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    for tick, year in zip(ticks, years, strict=False):
        if year == focus:
            tick.set_fontweight("bold")
            tick.set_text(f"{year} ◂" if axis == "y" else f"▸ {year} ◂")


def save_png(fig: plt.Figure, path: Path) -> Path:
    """Save as PNG atomically and deterministically (no software or date metadata)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = png_bytes(fig)
        atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))
    except OSError as err:
        raise IndicatorsError(f"{path}: cannot write the chart ({err.strerror})") from None
    finally:
        plt.close(fig)
    return path


def png_bytes(fig: plt.Figure, dpi: int = DPI) -> bytes:
    """The figure drawn once at ``dpi`` (laid out in the same draw) as an RGB PNG (the figure is opaque) whose
    rows are stored unfiltered and deflated fast. Pillow, which ``savefig`` uses, tries five filters on every
    row: for flat-coloured charts that takes three times as long and gives no smaller a file."""
    fig.set_dpi(dpi)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    height, width, _ = rgba.shape
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # each row: filter type 0 (none), then R, G, B, ...
    pixels = rows[:, 1:].reshape(height, width, 3)  # a view into rows
    for channel in range(3):  # one channel at a time: six times as fast as copying rgba[:, :, :3] at once
        pixels[:, :, channel] = rgba[:, :, channel]
    per_metre = round(dpi / 0.0254)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


# ------------------------------------------------------------------------------------- charts
# Each chart draws what it is handed (rows chosen and ordered by indicators.briefing) and nothing else.


def _status_text(status: str, lang: str) -> tuple[str, str]:
    colour, symbol = STATUS_STYLE.get(status, ASSESSMENT_STYLE.get(status, ("#8C8C8C", "○")))
    return f"{symbol} {status_word(status, lang)}", colour


def _implied_at(implied: pd.DataFrame) -> dict[str, tuple[float, str]]:
    return {r.indicator_id: (r.implied_plan, r.implied_qualifier) for r in implied.itertuples()}


def plan_vs_actual_bars(rows: pd.DataFrame, *, year: int, implied: pd.DataFrame, lang: str, catalog: Catalog,
                        documents: pd.DataFrame) -> plt.Figure:
    """Small multiples, one panel per indicator: plan (hatched outline) beside the result (solid; light for an
    estimate), the status in the panel's corner. Where no plan is stated, the plan a stated attainment implies
    is drawn as a dashed grey outline marked ≈. ``rows`` are rows of ``plan_vs_actual``."""
    if rows.empty:
        nothing_to_draw("plan_vs_actual_bars")
    implied_at = _implied_at(implied)
    n = len(rows)
    ncols = min(n, 3 if n <= 6 else 5)
    fig, axes = figure(label("titles.pva", lang, year=year), nrows=math.ceil(n / ncols), ncols=ncols)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax, row in zip(axes.flat, rows.to_dict("records"), strict=False):
        _pva_panel(ax, row, implied_at, ncols, lang, catalog)
    note = label("notes.estimate", lang) if (rows["actual_kind"] == "estimate").any() else ""
    if rows["plan"].isna().any() and set(rows["indicator_id"]) & set(implied_at):
        note = f"{note} {label('notes.implied_bar', lang)}".strip()
    return finish(fig, {d for d in set(rows["plan_doc"]) | set(rows["actual_doc"]) if d}, lang, documents, note)


def _pva_panel(ax, row: dict, implied_at: dict, ncols: int, lang: str, catalog: Catalog) -> None:
    indicator = catalog[row["indicator_id"]]
    name = textwrap.fill(indicator.name(lang), 30 if ncols <= 3 else 22)
    ax.set_title(f"{name}\n({unit_caption(indicator.unit, lang, catalog)})", fontsize=11.5)
    text, colour = _status_text(row["status"], lang)
    ax.text(0.98, 0.98, text, transform=ax.transAxes, ha="right", va="top", fontsize=10.5, color=colour,
            fontweight="bold")
    kind = row["actual_kind"] or "actual"
    derived = row["actual_basis"] == "derived"
    plan = ("plan", row["plan"], row["plan_qualifier"], row["plan_high"])
    if pd.isna(row["plan"]) and row["indicator_id"] in implied_at:
        plan = ("implied", implied_at[row["indicator_id"]][0], implied_at[row["indicator_id"]][1] or "~", None)
    bars = [plan, (kind, row["actual"], "~" if derived else row["actual_qualifier"], None)]
    present = [v for _, v, _, _ in bars if pd.notna(v)]
    top = max(present) if present else 1.0
    for x, (what, value, qualifier, high) in enumerate(bars):
        if pd.isna(value):
            ax.text(x, top * 0.06, label("no_plan" if what == "plan" else "no_result", lang), ha="center",
                    va="bottom", fontsize=10, color=PALETTE["muted"], style="italic")
            continue
        style = {"plan": {"facecolor": "white", "edgecolor": PALETTE["plan"], "hatch": "///", "linewidth": 1.6},
                 "implied": {"facecolor": "white", "edgecolor": PALETTE["implied"], "linestyle": "--",
                             "linewidth": 1.6}}.get(what, {"color": PALETTE.get(what, PALETTE["actual"])})
        ax.bar(x, value, width=0.62, **style)
        decimals = indicator.decimals if what == "implied" or (derived and what != "plan") else STATED
        text = value_text(value, indicator.unit, lang, catalog, decimals, qualifier, high, with_unit=False)
        ax.text(x, value + top * 0.02, text, ha="center", va="bottom", fontsize=10.5, color=PALETTE["text"])
    result_word = label("estimate_short", lang).capitalize() if kind == "estimate" else label("actual", lang)
    ax.set_xticks([0, 1], [label("plan", lang), result_word], fontsize=11)
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(0, top * 1.4)
    _axis_numbers(ax, lang)
    ax.tick_params(axis="y", labelsize=9.5)
    if pd.notna(row["attainment_stated"]):
        stated = number(row["attainment_stated"], lang, 1)
        ax.set_xlabel(label("stated_attainment", lang, value=stated), fontsize=10, color=PALETTE["text"])


SCORECARD_COLUMNS = [(0.0, "indicator", "left"), (0.56, "plan", "right"), (0.71, "actual", "right"),
                     (0.815, "attainment", "right"), (0.835, "status", "left")]


def scorecard(rows: pd.DataFrame, *, year: int, counts: dict, verdict: dict | None, implied: pd.DataFrame, lang: str,
              catalog: Catalog, documents: pd.DataFrame) -> plt.Figure:
    """The targets of a year as a table: plan, result, % of plan and status (colour and symbol), each with a
    grey line of notes (the vintage of an estimate, a plan implied, the province's own words).

    The title gives the province's own count where it states one ("17/18 chỉ tiêu chủ yếu đạt và vượt kế
    hoạch"), else the count of the rows; the note under the chart the project's computation. ``rows`` are
    ordered by :func:`indicators.briefing.year_targets`."""
    if rows.empty:
        nothing_to_draw("scorecard")
    fig, axes = figure(_scorecard_title(year, counts, verdict, lang))
    ax = axes[0, 0]
    ax.set_axis_off()
    height = 1.0 / (max(len(rows), 8) + 1)
    for x, key, ha in SCORECARD_COLUMNS:
        ax.text(x, 1 - height / 2, label(f"columns.{key}", lang), ha=ha, va="center", fontweight="bold",
                fontsize=12.5, transform=ax.transAxes)
    implied_at = _implied_at(implied)
    for i, row in enumerate(rows.to_dict("records"), 1):
        y = 1 - (i + 0.5) * height
        if i % 2:
            ax.add_patch(plt.Rectangle((0, y - height / 2), 1, height, transform=ax.transAxes, color="#F3F3F3",
                                       zorder=0))
        _scorecard_row(ax, y, height, row, implied_at, lang, catalog)
    note = label("notes.computed", lang, **counts) if verdict is not None else ""
    if len(rows) < counts["n"]:
        note = f"{note} {label('notes.shown', lang, shown=len(rows), n=counts['n'])}".strip()
    doc_ids = {d for d in set(rows["plan_doc"]) | set(rows["actual_doc"]) if d}
    if verdict is not None:
        doc_ids.add(verdict["doc_id"])
    return finish(fig, doc_ids, lang, documents, note)


def _actual_text(row: dict, indicator, lang: str, catalog: Catalog) -> str:
    """A result as the scorecard writes it: "94,5% (ước)"; a value implied by a later document "≈ 21.950"."""
    if pd.isna(row["actual"]):
        return "—"
    if row["actual_basis"] == "derived":
        return value_text(row["actual"], indicator.unit, lang, catalog, implied=indicator.decimals,
                          tolerance=row.get("actual_tolerance"))
    text = value_text(row["actual"], indicator.unit, lang, catalog, STATED, row["actual_qualifier"])
    return f"{text} ({label('estimate_short', lang)})" if row["actual_kind"] == "estimate" else text


def _scorecard_title(year: int, counts: dict, verdict: dict | None, lang: str) -> str:
    if verdict is not None and pd.notna(verdict["targets"]):
        return label("titles.scorecard_own", lang, year=year, done=int(verdict["met_or_exceeded"]),
                     n=int(verdict["targets"]), missed=int(verdict["missed"]) if pd.notna(verdict["missed"]) else 0)
    if counts["pending"] == counts["n"]:
        return label("titles.scorecard_targets", lang, year=year, n=counts["n"])
    return label("titles.scorecard", lang, year=year, **counts)


def _scorecard_row(ax, y: float, height: float, row: dict, implied_at: dict, lang: str, catalog: Catalog) -> None:
    indicator = catalog[row["indicator_id"]]
    notes, plan_colour = [], PALETTE["text"]
    if pd.notna(row["plan"]):
        plan = value_text(row["plan"], indicator.unit, lang, catalog, STATED, row["plan_qualifier"], row["plan_high"])
        if row["plan_basis"] == "from the stated gap":
            notes.append(label("notes.plan_from_gap", lang))
    elif row["indicator_id"] in implied_at:
        value, qualifier = implied_at[row["indicator_id"]]
        plan = value_text(value, indicator.unit, lang, catalog, indicator.decimals, qualifier or "~")
        plan_colour = PALETTE["muted"]
    else:
        plan = "—"
    actual = _actual_text(row, indicator, lang, catalog)
    if row["attainment_doc"] and row["actual_doc"] and row["attainment_doc"] != row["actual_doc"] \
            and pd.notna(row["attainment_stated"]):
        notes.append(label("notes.attainment_earlier", lang))
    if row["stated_outcome"]:
        notes.append(label("notes.stated_outcome", lang, outcome=status_word(
            {"met_or_exceeded": "met"}.get(row["stated_outcome"], row["stated_outcome"]), lang).lower()))
    if row["attainment_reading"]:
        notes.append(label("notes.percent_or_points", lang))
    if row["definition_note"]:
        notes.append(label("notes.definition", lang))
    attainment = row["attainment_stated"] if pd.notna(row["attainment_stated"]) else row["attainment_computed"]
    status, colour = _status_text(row["status"], lang)
    cells = [(textwrap.shorten(indicator.name(lang), 60, placeholder="…"), PALETTE["text"], "normal"),
             (plan, plan_colour, "normal"), (actual, PALETTE["text"], "normal"),
             (f"{number(attainment, lang, 1)}%" if pd.notna(attainment) else "—", PALETTE["text"], "normal"),
             (status, colour, "bold")]
    offset = height * 0.17 if notes else 0.0
    for (x, _key, ha), (text, cell_colour, weight) in zip(SCORECARD_COLUMNS, cells, strict=True):
        ax.text(x, y + offset, text, ha=ha, va="center", fontsize=11, transform=ax.transAxes, color=cell_colour,
                fontweight=weight)
    if notes:
        ax.text(0.0, y - height * 0.25, " · ".join(notes), ha="left", va="center", fontsize=9.5,
                transform=ax.transAxes, color=PALETTE["muted"], style="italic")


def bullet_chart(rows: pd.DataFrame, *, year: int, total: int, title: str, lang: str, catalog: Catalog,
                 documents: pd.DataFrame) -> plt.Figure:
    """One bullet per target: the latest result (bar, with its year and vintage; light for an estimate)
    against the target (a black tick), the status or the pace assessment in colour and symbol, and the change
    per year the target still requires. ``rows`` are :func:`indicators.briefing.bullet_rows`, in order."""
    if rows.empty:
        nothing_to_draw("bullet_chart")
    n = len(rows)
    fig, axes = figure(title, nrows=max(n, 5), ncols=1)
    for ax in axes[n:, 0]:
        ax.set_visible(False)
    for ax, row in zip(axes[:, 0], rows.to_dict("records"), strict=False):
        _bullet(ax, row, lang, catalog)
    notes = [label("notes.shown_targets", lang, shown=n, n=total)] if n < total else []
    if (rows["target_kind"] == "implied").any():
        notes.append(label("notes.implied", lang))
    if (rows["definition_note"] != "").any():
        notes.append(label("notes.definition_mark", lang))
    doc_ids = set(rows["value_doc"].dropna()) | set(rows["target_doc"].dropna())
    return finish(fig, {d for d in doc_ids if d}, lang, documents, " ".join(notes))


def _bullet(ax, row: dict, lang: str, catalog: Catalog) -> None:
    indicator = catalog[row["indicator_id"]]
    high = row["target_high"] if pd.notna(row["target_high"]) else np.nan
    top = np.nanmax([row["value"], row["target"], high]) * 1.12
    top = top if top > 0 else 1.0
    ax.set_xlim(0, top * 2.3)  # room on the right for the labels
    ax.set_ylim(-0.5, 0.5)
    ax.set_yticks([])
    ax.set_xticks([])
    for spine in ("left", "bottom"):
        ax.spines[spine].set_visible(False)
    ax.axvspan(0, top, color="#F4F4F4", zorder=0)
    mark = " ≠" if row["definition_note"] else ""
    ax.set_ylabel(f"{textwrap.fill(indicator.name(lang), 38)} ({unit_caption(indicator.unit, lang, catalog)}){mark}",
                  rotation=0, ha="right", va="center", fontsize=10.5, labelpad=8)
    result = ""
    if pd.notna(row["value"]):
        colour = PALETTE["estimate"] if row["value_kind"] == "estimate" else PALETTE["actual"]
        ax.barh(0, row["value"], height=0.42, color=colour, zorder=2)
        vintage = vintage_label(row["value_issued"], row["value_basis"], row["value_kind"] == "estimate", lang)
        text = value_text(row["value"], indicator.unit, lang, catalog,
                          implied=indicator.decimals if row["value_basis"] == "derived" else None)
        result = f"{text} ({row['value_year']}{'; ' + vintage if vintage else ''})"
    if row["target_qualifier"] == "range" and pd.notna(row["target_high"]):
        ax.axvspan(row["target"], row["target_high"], ymin=0.1, ymax=0.9, color=PALETTE["text"], alpha=0.25,
                   zorder=1)
    implied = row["target_kind"] == "implied"
    ax.plot([row["target"], row["target"]], [-0.36, 0.36], color=PALETTE["implied" if implied else "text"],
            linewidth=3, zorder=3, linestyle=":" if implied else "-")
    target = value_text(row["target"], indicator.unit, lang, catalog, indicator.decimals if implied else STATED,
                        row["target_qualifier"] or ("~" if implied else ""), row["target_high"])
    word = label("implied_plan" if implied else "target", lang)
    for y, line in ((0.27, result), (0, f"{word} {row['target_year']}: {target}")):  # one line each: they fit
        ax.text(top * 1.02, y, textwrap.shorten(line, 60, placeholder="…"), va="center", ha="left", fontsize=10,
                color=PALETTE["text"])
    words, colour = _status_text(row["judgement"], lang)
    if pd.isna(row["value"]):
        words, colour = f"○ {label('no_result_line', lang)}", STATUS_STYLE["no_result"][0]
    needs = ""
    if pd.notna(row["required_per_year"]) and row["judgement"] in ASSESSMENT_STYLE \
            and row["judgement"] != "at target level":
        change = number(row["required_per_year"], lang, 2)
        change = ("+" + change) if row["required_per_year"] > 0 else change
        unit = label("notes.pp", lang) if indicator.unit == "%" else unit_caption(indicator.unit, lang, catalog)
        needs = " — " + label("notes.per_year", lang, change=change, unit=unit)
    ax.text(top * 1.02, -0.27, f"{words}{needs}", va="center", ha="left", fontsize=10.5, color=colour,
            fontweight="bold")


def _bar_label(ax, x, bottom, height, text) -> None:
    if height > 0:
        ax.text(x, bottom + height / 2, text, ha="center", va="center", fontsize=11, color=PALETTE["text"],
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})


def stacked_shares(frame: pd.DataFrame, *, parts: list[str], focus: int | None, title: str, lang: str,
                   catalog: Catalog, documents: pd.DataFrame) -> plt.Figure:
    """Shares across years as stacked bars, plan (hatched) and result (solid) side by side; the review's year
    in bold. ``frame`` is :func:`indicators.briefing.series` of the ``parts``."""
    data = frame[frame["indicator_id"].isin(parts) & frame["kind"].isin(["actual", "estimate", "plan"])]
    if data.empty:
        nothing_to_draw("stacked_shares")
    fig, axes = figure(title)
    ax = axes[0, 0]
    bars = data[["year", "kind"]].drop_duplicates()
    bars = bars.assign(_plan=bars["kind"] == "plan").sort_values(["year", "_plan"]).reset_index(drop=True)
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
    ax.set_xticks(range(len(bars)), [f"{int(b['year'])}\n{label(b['kind'], lang)}" for _, b in bars.iterrows()])
    mark_focus(ax, list(bars["year"]), focus)
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    handles = [matplotlib.patches.Patch(color=colours[p], label=textwrap.fill(catalog[p].name(lang), 30))
               for p in reversed(parts)]
    handles += [matplotlib.patches.Patch(facecolor="white", edgecolor="#555555", hatch="//", label=label("plan", lang))]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5))
    note = label("notes.estimate", lang) if (data["kind"] == "estimate").any() else ""
    return finish(fig, set(data["doc_id"]), lang, documents, note)


def growth_lines(frame: pd.DataFrame, *, indicators: list[str], year: int | None, title: str, lang: str,
                 catalog: Catalog, documents: pd.DataFrame) -> plt.Figure:
    """Results across years as lines (filled markers; hollow for estimates, labelled with their vintage),
    targets as outlined diamonds joined by a dashed line; the review's ``year`` shaded. All ``indicators``
    share one unit. ``frame`` is :func:`indicators.briefing.series`."""
    data = frame[frame["indicator_id"].isin(indicators)]
    if data.empty:
        nothing_to_draw("growth_lines")
    years = sorted(data["year"].unique())
    fig, axes = figure(title)
    ax = axes[0, 0]
    notes = []  # (year, value, text, colour): the value labels, placed apart below
    for colour, iid in zip(OKABE_ITO, indicators, strict=False):
        notes += _growth_line(ax, data[data["indicator_id"] == iid].sort_values("year"), colour, catalog[iid], lang,
                              catalog)
    if year is not None and year in years:
        ax.axvspan(year - 0.4, year + 0.4, color="#F0F0F0", zorder=0)
    ax.set_xticks(years, [str(y) for y in years])
    mark_focus(ax, years, year)
    ax.set_xlim(min(years) - 0.5, max(years) + 0.9)
    low = min(0.0, float(data["value"].min()))
    ax.set_ylim(low, float(data["value"].max()) * 1.15)
    gap = (float(data["value"].max()) * 1.15 - low) * 0.06
    for year_ in sorted({n[0] for n in notes}):
        placed = None
        for _, value, text, colour in sorted(n for n in notes if n[0] == year_):
            placed = value if placed is None else max(value, placed + gap)
            ax.annotate(text, (year_, value), xytext=(year_ + 0.07, placed), va="center", fontsize=10, color=colour,
                        zorder=5, bbox=LABEL_BOX)  # above the lines, which never cross it
    ax.axhline(0, color="#9A9A9A", linewidth=0.8)
    ax.set_ylabel(unit_caption(catalog[indicators[0]].unit, lang, catalog))
    _axis_numbers(ax, lang)
    ax.grid(axis="y", color=PALETTE["grid"])
    _marker_legend(ax, lang)
    return finish(fig, set(data["doc_id"]), lang, documents)


def _growth_line(ax, rows: pd.DataFrame, colour: str, indicator, lang: str, catalog: Catalog) -> list:
    name = indicator.name(lang)
    results = rows[rows["kind"].isin(["actual", "estimate"])]
    plans = rows[rows["kind"] == "plan"]
    notes = []
    if not results.empty:
        ax.plot(results["year"], results["value"], color=colour, linewidth=2.4, label=name)
        for r in results.to_dict("records"):
            ax.plot(r["year"], r["value"], "o", markersize=9, color=colour,
                    markerfacecolor="white" if r["kind"] == "estimate" else colour, markeredgewidth=2)
            notes.append((r["year"], r["value"], result_text(r, indicator, lang, catalog, with_unit=False), colour))
    if not plans.empty:
        joined = pd.concat([results.tail(1), plans]).sort_values("year")
        ax.plot(joined["year"], joined["value"], color=colour, linestyle="--", linewidth=1.5,
                label=None if not results.empty else name)
        ax.plot(plans["year"], plans["value"], "D", markersize=10, color=colour, markerfacecolor="white",
                markeredgewidth=2)
        for r in plans.itertuples():
            notes.append((r.year, r.value, f"{label('plan', lang)} {number(r.value, lang, STATED)}", colour))
    return notes


def _marker_legend(ax, lang: str) -> None:
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


def contributions(frame: pd.DataFrame, *, parts: list[str], total: str, lang: str, catalog: Catalog,
                  documents: pd.DataFrame) -> plt.Figure:
    """Contributions of the sectors to growth (percentage points) as a horizontal waterfall per year, ending
    in total GRDP growth. Only years with a contribution are drawn."""
    data = frame[frame["indicator_id"].isin(parts) & frame["kind"].isin(["actual", "estimate"])]
    if data.empty:
        nothing_to_draw("contributions")
    years = sorted(data["year"].unique())
    title = label("titles.contributions", lang, years="–".join(str(y) for y in (years[0], years[-1]) if y) if len(
        years) > 1 else years[0])
    fig, axes = figure(title, nrows=1, ncols=len(years))
    pp = label("notes.pp", lang)
    for ax, year in zip(axes[0], years, strict=True):
        growth = frame[(frame["indicator_id"] == total) & (frame["year"] == year)]
        _waterfall(ax, data[data["year"] == year], growth, parts, lang, catalog)
        ax.set_title(str(year))
        ax.set_xlabel(pp)
        _axis_numbers(ax, lang, "x")
    note = label("notes.estimate", lang) if (data["kind"] == "estimate").any() else ""
    return finish(fig, set(data["doc_id"]), lang, documents, note)


def _waterfall(ax, data: pd.DataFrame, growth: pd.DataFrame, parts: list[str], lang: str, catalog: Catalog) -> None:
    pp = label("notes.pp", lang)
    names, cum = [], 0.0
    for y, (colour, part) in enumerate(zip(OKABE_ITO, parts, strict=False)):
        cell = data[data["indicator_id"] == part]
        names.append(textwrap.fill(catalog[part].name(lang), 34))
        if cell.empty:
            ax.text(cum, y, " " + label("no_result_line", lang), va="center", fontsize=10, style="italic",
                    color=PALETTE["muted"])
            continue
        value = float(cell["value"].iloc[0])
        ax.barh(y, value, left=cum, height=0.55, color=colour)
        ax.text(cum + value, y, f"  {number(value, lang, 2)} {pp}", va="center", fontsize=11)
        cum += value
    names.append(label("notes.total_growth", lang))
    if not growth.empty:
        value = float(growth["value"].iloc[0])
        ax.barh(len(parts), value, height=0.55, color=PALETTE["text"])
        ax.text(value, len(parts), f"  {number(value, lang, 2)}%", va="center", fontsize=11, fontweight="bold")
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, max(cum, float(growth["value"].max()) if not growth.empty else cum) * 1.3)


def indicator_bars(frame: pd.DataFrame, *, indicators: list[str], year: int, title: str, lang: str,
                   catalog: Catalog, documents: pd.DataFrame) -> plt.Figure:
    """Horizontal bars for several indicators of one unit in one year; the plan as an outline beside the result;
    a missing figure is written as missing. ``frame`` is :func:`indicators.briefing.series` for ``year``."""
    data = frame[frame["indicator_id"].isin(indicators) & (frame["year"] == year)]
    if not data["kind"].isin(["actual", "estimate", "plan"]).any():
        nothing_to_draw("indicator_bars")
    fig, axes = figure(title)
    ax = axes[0, 0]
    unit = catalog[indicators[0]].unit
    top = float(data["value"].max())
    for y, iid in enumerate(indicators):
        _indicator_bar(ax, y, data[data["indicator_id"] == iid], unit, top, lang, catalog)
    ax.set_yticks(range(len(indicators)), [textwrap.fill(catalog[i].name(lang), 34) for i in indicators])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 2.5)
    ax.set_xlabel(unit_caption(unit, lang, catalog))
    _axis_numbers(ax, lang, "x")
    ax.grid(axis="x", color=PALETTE["grid"])
    return finish(fig, set(data["doc_id"]) - {""}, lang, documents)


def _indicator_bar(ax, y: int, rows: pd.DataFrame, unit: str, top: float, lang: str, catalog: Catalog) -> None:
    result = rows[rows["kind"].isin(["actual", "estimate"])]
    plan = rows[rows["kind"] == "plan"]
    both = not plan.empty and not result.empty
    if not plan.empty:
        value = float(plan["value"].iloc[0])
        ax.barh(y + (0.2 if both else 0.0), value, height=0.36 if both else 0.5, facecolor="white",
                edgecolor=PALETTE["plan"], hatch="///")
        text = f"{label('plan', lang)}: {value_text(value, unit, lang, catalog, STATED, plan['qualifier'].iloc[0])}"
        ax.text(value + top * 0.01, y + (0.2 if both else 0.0), text, va="center", fontsize=10.5)
    if not result.empty:
        r = result.iloc[0].to_dict()
        ax.barh(y - (0.2 if both else 0.0), r["value"], height=0.36 if both else 0.5, color=PALETTE[r["kind"]])
        text = result_text(r, catalog[r["indicator_id"]], lang, catalog)
        stated = rows[rows["kind"] == "attainment"]
        if not stated.empty:
            text += "  · " + label("stated_attainment", lang, value=number(float(stated["value"].iloc[0]), lang, 1))
        ax.text(r["value"] + top * 0.01, y - (0.2 if both else 0.0), text, va="center", fontsize=10.5)
    elif plan.empty:
        ax.text(top * 0.01, y, label("no_result_line", lang), va="center", fontsize=10.5, color=PALETTE["muted"],
                style="italic")


def coverage_heatmap(coverage: pd.DataFrame, *, lang: str, catalog: Catalog, documents: pd.DataFrame) -> plt.Figure:
    """Number of indicators with figures, by family and year."""
    if coverage.empty:
        nothing_to_draw("coverage_heatmap")
    counts = coverage.pivot_table(index="family", columns="year", values="indicator_id", aggfunc="nunique")
    order = [f for f in catalog.families if f in counts.index]
    counts = counts.reindex(order).fillna(0).astype(int)
    years = [int(y) for y in counts.columns]
    fig, axes = figure(label("titles.coverage", lang, years=year_span(years)))
    ax = axes[0, 0]
    ax.imshow(counts.values, cmap="Blues", aspect="auto", vmin=0, vmax=max(int(counts.values.max()), 1) * 1.15)
    for (i, j), value in np.ndenumerate(counts.values):
        ax.text(j, i, str(value) if value else "—", ha="center", va="center", fontsize=13,
                color="white" if value > counts.values.max() * 0.55 else PALETTE["text"])
    ax.set_xticks(range(counts.shape[1]), [str(y) for y in years])
    ax.set_yticks(range(counts.shape[0]), [catalog.family_label(f, lang) for f in counts.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return finish(fig, set(" ".join(coverage["documents"]).split()), lang, documents, label("notes.coverage", lang))


def revisions_chart(revisions: pd.DataFrame, *, lang: str, catalog: Catalog, documents: pd.DataFrame) -> plt.Figure:
    """Every figure with more than one value: each value's change against the first, in percent for amounts and
    counts (dots stated, diamonds derived from a later document), in points written beside for percentages;
    the values themselves listed on the right."""
    if revisions.empty:
        nothing_to_draw("revisions_chart")
    fig, axes = figure(label("titles.revisions", lang))
    ax = axes[0, 0]
    groups = list(revisions.groupby(["indicator_id", "year"], sort=False))
    for y, ((iid, _year), rows) in enumerate(groups):
        _revision_row(ax, y, iid, rows, lang, catalog)
    ax.set_yticks(range(len(groups)),
                  [textwrap.shorten(f"{catalog[i].name(lang)}, {y}", 52, placeholder="…") for (i, y), _ in groups])
    ax.invert_yaxis()
    ax.axvline(0, color="#9A9A9A", linewidth=0.8)
    ax.set_xlabel(label("notes.against_first", lang))
    relative = revisions["revision_pct"].dropna()
    lo, hi = (float(relative.min()), float(relative.max())) if len(relative) else (0.0, 0.0)
    ax.set_xlim(min(lo, 0) - 5, max(hi, 0) + 5)
    _axis_numbers(ax, lang, "x")
    ax.grid(axis="x", color=PALETTE["grid"])
    return finish(fig, set(revisions["doc_id"]), lang, documents, label("notes.derived", lang))


def _revision_row(ax, y: int, iid: str, rows: pd.DataFrame, lang: str, catalog: Catalog) -> None:
    unit = catalog[iid].unit
    values = []
    for r in rows.to_dict("records"):
        derived = r["basis"] == "derived"
        if pd.notna(r["revision_pct"]):
            ax.plot(r["revision_pct"], y, "D" if derived else "o", markersize=9, zorder=2, color=PALETTE["plan"],
                    markerfacecolor="white" if derived else PALETTE["plan"], markeredgewidth=2)
        text = value_text(r["value"], unit, lang, catalog, catalog[iid].decimals if derived else STATED)
        values.append(("≈ " if derived else "") + text + (" *" if derived else ""))
    if rows["revision_pct"].notna().sum() > 1:
        ax.plot(rows["revision_pct"], [y] * len(rows), color="#BBBBBB", linewidth=2, zorder=1)
    last = rows.iloc[-1]
    moved = round(float(last["revision"] if unit == "%" else last["revision_pct"]), 1)
    change = ("+" if moved > 0 else "") + number(moved, lang, 1) + (f" {label('notes.pp', lang)}" if unit == "%"
                                                                     else "%")
    ax.text(1.01, y, f"{' → '.join(values)}   ({change})", transform=ax.get_yaxis_transform(), va="center",
            fontsize=10)


def trend_panels(frame: pd.DataFrame, *, indicators: list[str], years, lang: str, catalog: Catalog,
                 documents: pd.DataFrame) -> plt.Figure:
    """Any indicators over time, one panel each (own unit): results as lines (hollow points for estimates,
    labelled with their vintage), plans as diamonds."""
    data = frame[frame["indicator_id"].isin(indicators) & frame["kind"].isin(["actual", "estimate", "plan"])]
    if data.empty:
        nothing_to_draw("trend_panels")
    span = sorted(data["year"].unique())
    n = len(indicators)
    ncols = _columns(n)
    fig, axes = figure(label("titles.trend", lang, years=year_span(span)), nrows=math.ceil(n / ncols), ncols=ncols)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax, iid in zip(axes.flat, indicators, strict=False):
        _trend_panel(ax, data[data["indicator_id"] == iid].sort_values("year"), iid, span, lang, catalog)
    return finish(fig, set(data["doc_id"]) - {""}, lang, documents, label("notes.estimate_points", lang))


def _trend_panel(ax, rows: pd.DataFrame, iid: str, span: list, lang: str, catalog: Catalog) -> None:
    indicator = catalog[iid]
    ax.set_title(f"{textwrap.fill(indicator.name(lang), 34)}\n({unit_caption(indicator.unit, lang, catalog)})",
                 fontsize=11.5)
    results = rows[rows["kind"].isin(["actual", "estimate"])]
    plans = rows[rows["kind"] == "plan"]
    ax.plot(results["year"], results["value"], "-", color=PALETTE["actual"], linewidth=2.2)
    for r in results.to_dict("records"):
        ax.plot(r["year"], r["value"], "o", markersize=8, color=PALETTE["actual"],
                markerfacecolor="white" if r["kind"] == "estimate" else PALETTE["actual"], markeredgewidth=2)
    ax.plot(plans["year"], plans["value"], "D", markersize=9, color=PALETTE["plan"], markerfacecolor="white",
            markeredgewidth=2)
    for r in rows.to_dict("records"):
        text = result_text(r, indicator, lang, catalog, with_unit=False) if r["kind"] != "plan" else \
            number(r["value"], lang, STATED)
        ax.annotate(text, (r["year"], r["value"]), textcoords="offset points", xytext=(0, 8), ha="center",
                    fontsize=9)
    ax.set_xticks(span, [str(t) for t in span])
    ax.set_xlim(min(span) - 0.6, max(span) + 0.6)
    ax.set_ylim(min(0.0, float(rows["value"].min())), float(rows["value"].max()) * 1.25)
    _axis_numbers(ax, lang)


def plan_actual_years(frame: pd.DataFrame, *, indicators: list[str], years, focus: int | None, title: str, lang: str,
                      catalog: Catalog, documents: pd.DataFrame) -> plt.Figure:
    """Plan against result across years, one panel per indicator (own unit): for each year the plan (hatched
    outline) above the result (solid; light for an estimate, labelled with its vintage); a figure the sources
    do not give is written as missing; the review's year in bold. ``frame`` is
    :func:`indicators.briefing.series`."""
    data = frame[frame["indicator_id"].isin(indicators) & frame["kind"].isin(["actual", "estimate", "plan"])]
    if data.empty:
        nothing_to_draw("plan_actual_years")
    span = sorted(years)
    n = len(indicators)
    ncols = _columns(n)
    fig, axes = figure(title, nrows=math.ceil(n / ncols), ncols=ncols)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax, iid in zip(axes.flat, indicators, strict=False):
        _plan_actual_panel(ax, data[data["indicator_id"] == iid], iid, span, focus, lang, catalog)
    return finish(fig, set(data["doc_id"]) - {""}, lang, documents, label("notes.plan_actual", lang))


def _plan_actual_panel(ax, rows: pd.DataFrame, iid: str, span: list, focus, lang: str, catalog: Catalog) -> None:
    indicator = catalog[iid]
    ax.set_title(f"{textwrap.fill(indicator.name(lang), 36)}\n({unit_caption(indicator.unit, lang, catalog)})",
                 fontsize=11.5)
    low = min(0.0, float(rows["value"].min()))
    high = max(0.0, float(rows["value"].max()))
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
            r = cell.iloc[0].to_dict()
            if r["kind"] == "plan":
                ax.barh(y + offset, r["value"], height=0.36, facecolor="white", edgecolor=PALETTE["plan"],
                        hatch="///", linewidth=1.4)
            else:
                ax.barh(y + offset, r["value"], height=0.36, color=PALETTE[r["kind"]])
            text = result_text(r, indicator, lang, catalog, with_unit=False) if r["kind"] != "plan" else value_text(
                r["value"], indicator.unit, lang, catalog, STATED, r["qualifier"], r["value_high"], with_unit=False)
            ax.text(max(r["value"], 0) + width * 0.02, y + offset, text, va="center", fontsize=9.5)
    ax.set_yticks(range(len(span)), [str(y) for y in span])
    mark_focus(ax, span, focus, axis="y")
    ax.set_ylim(len(span) - 0.5, -0.5)
    ax.set_xlim(low * 1.25 if low < 0 else 0, high + width * 0.6)
    ax.axvline(0, color="#9A9A9A", linewidth=0.8)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
    _axis_numbers(ax, lang, "x")
    ax.tick_params(axis="x", labelsize=9.5)
    ax.grid(axis="x", color=PALETTE["grid"])
