"""The briefing: what a report says and shows, in which order: the third analytics layer.

From the built tables (statements, comparisons, audits) to what a reader takes away: the province's own
verdict first and the project's computation beside it; which chart a notebook draws on which rows, ordered by
importance (headline and missed targets first, never alphabetically cut); one sentence per chart that answers
its question with the numbers; and why a chart is not drawn when it has nothing to show. Charts
(:mod:`indicators.charts`) only draw what they are handed.

Functions take a :class:`Tables` (the built tables, read once with :func:`load_tables`) and return
DataFrames or text; nothing here loads a table by itself.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.analyse.comparisons import gaps as gaps_of
from indicators.analyse.statements import annual
from indicators.brief import charts, findings
from indicators.brief.words import document_names, label, status_word, year_span
from indicators.read.catalog import Catalog, load_catalog, with_indicators
from indicators.tables import load_table

TABLE_NAMES = ("documents", "indicators", "observations", "latest_results", "plan_vs_actual", "implied_plans",
               "pace", "revisions", "audits", "verdicts", "outcomes", "coverage", "unresolved")
SERIES_COLUMNS = ["indicator_id", "year", "kind", "value", "value_high", "qualifier", "doc_id", "issued", "basis",
                  "tolerance", "quote"]
JUDGED = ("exceeded", "met", "missed", "above_plan", "below_plan")


@dataclass(frozen=True)
class Tables:
    """The built tables a briefing reads, and the catalog knowing every indicator id they use."""

    documents: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    latest_results: pd.DataFrame
    plan_vs_actual: pd.DataFrame
    implied_plans: pd.DataFrame
    pace: pd.DataFrame
    revisions: pd.DataFrame
    audits: pd.DataFrame
    verdicts: pd.DataFrame
    outcomes: pd.DataFrame
    coverage: pd.DataFrame
    unresolved: pd.DataFrame
    catalog: Catalog

    @property
    def years(self) -> list[int]:
        """The years the documents report results or set targets for."""
        docs = self.documents
        return sorted({int(y) for y in " ".join([*docs["results_years"], *docs["target_years"]]).split()})

    @cached_property
    def all_series(self) -> pd.DataFrame:
        """Per indicator and year: results, plans and stated attainments (what :func:`series` selects from)."""
        latest = self.latest_results
        results = latest.assign(kind=np.where(latest["is_estimate"], "estimate", "actual"))
        pva = self.plan_vs_actual
        plans = pva[pva["plan"].notna()].rename(columns={"plan": "value", "plan_high": "value_high",
                                                         "plan_qualifier": "qualifier", "plan_doc": "doc_id",
                                                         "plan_basis": "basis"}).assign(kind="plan", quote="")
        stated = pva[pva["attainment_stated"].notna()].rename(columns={"attainment_stated": "value"})
        stated = stated.assign(kind="attainment", value_high=np.nan, qualifier="", doc_id="", basis="stated",
                               quote="")
        frame = pd.concat([results, plans, stated], ignore_index=True)
        frame["issued"] = frame["doc_id"].map(self.documents.set_index("doc_id")["issued"]).fillna("")
        return frame[SERIES_COLUMNS]


def load_tables(processed: Path | None = None) -> Tables:
    """Read the built tables (``data/processed/``, or ``processed``) for a briefing."""
    frames = {name: load_table(name, processed) for name in TABLE_NAMES}
    return Tables(**frames, catalog=with_indicators(load_catalog(), frames["indicators"]))


def plan_vs_actual(year: int | None = None, processed: Path | None = None) -> pd.DataFrame:
    """The built plan-against-actual table (of ``year``), read from ``data/processed/``."""
    table = load_table("plan_vs_actual", processed)
    return table if year is None else table[table["year"] == year].reset_index(drop=True)


def window(tables: Tables, year: int) -> list[int]:
    """The years a chart across years shows for a review of ``year``: three before it, and the next (targets)."""
    return [y for y in tables.years if year - 3 <= y <= year + 1]


def name(tables: Tables, indicator_id: str, lang: str) -> str:
    return tables.catalog[indicator_id].name(lang)


# ---------------------------------------------------------------------------------------------- series

def series(tables: Tables, indicator_ids=None, years=None, *, as_of: int | None = None) -> pd.DataFrame:
    """Per indicator and year: the result (its latest vintage: kind ``estimate`` where it is one), the plan
    and the stated attainment, with their document. ``as_of``: what a review of that year shows (results up
    to that year, plans up to the next)."""
    frame = tables.all_series
    if as_of is not None:
        frame = frame[(frame["year"] <= as_of) | ((frame["year"] == as_of + 1) & (frame["kind"] == "plan"))]
    if indicator_ids is not None:
        frame = frame[frame["indicator_id"].isin(list(indicator_ids))]
    if years is not None:
        frame = frame[frame["year"].isin(list(years))]
    return frame.sort_values(["indicator_id", "year", "kind"], ignore_index=True)


def evidence(tables: Tables, indicator_ids=None, years=None) -> pd.DataFrame:
    """The observations of the indicators and years with their provenance: document, line and full quote (the
    province's whole-year figures, which the charts draw)."""
    obs = annual(tables.observations)
    if indicator_ids is not None:
        obs = obs[obs["indicator_id"].isin(list(indicator_ids))]
    if years is not None:
        obs = obs[obs["year"].isin(list(years))]
    columns = ["indicator_id", "year", "kind", "value", "unit", "qualifier", "doc_id", "line", "quote"]
    return obs[columns].sort_values(["indicator_id", "year", "kind", "doc_id", "line"], ignore_index=True)


# ------------------------------------------------------------------------------------ verdict and scorecard

def verdict(tables: Tables, year: int) -> dict | None:
    """The province's own count of its targets for ``year`` (the latest document's), or None."""
    rows = tables.verdicts[tables.verdicts["year"] == year]
    if rows.empty:
        return None
    issued = tables.documents.set_index("doc_id")["issued"]
    return rows.assign(issued=rows["doc_id"].map(issued)).sort_values("issued").iloc[-1].to_dict()


def year_targets(tables: Tables, year: int) -> pd.DataFrame:
    """The year's targets that the sources let us judge or that wait for a result: rows of plan_vs_actual of
    curated indicators and of those the province names, in order of importance."""
    pva = tables.plan_vs_actual
    named = set(" ".join(tables.verdicts["missed_ids"]).split())
    curated = set(tables.indicators.loc[tables.indicators["curated"], "indicator_id"])
    rows = pva[(pva["year"] == year) & (pva["status"] != "no_target")
               & (pva["indicator_id"].isin(curated | named) | (pva["stated_outcome"] != ""))]
    tolerance = tables.latest_results.set_index(["indicator_id", "year"])["tolerance"]
    rows = rows.assign(actual_tolerance=[tolerance.get((i, y)) for i, y in zip(rows["indicator_id"], rows["year"],
                                                                                strict=True)])
    return importance(rows, tables, named=named)


def importance(rows: pd.DataFrame, tables: Tables, *, named=(), status: str = "status") -> pd.DataFrame:
    """Rows ordered for a briefing: what the province names as missed, then misses, the headline indicators
    (in the catalog's order), results before targets still waiting for one, and the rest by family."""
    headline = {iid: i for i, iid in enumerate(tables.catalog.headline)}
    rank = {"missed": 0, "moving away": 0, "insufficient progress": 1}
    keys = pd.DataFrame({
        "named": ~rows["indicator_id"].isin(list(named)),
        "missed": rows[status].map(rank).fillna(2),
        "headline": rows["indicator_id"].map(headline).fillna(len(headline)),
        "pending": rows[status].isin(["no_result", "too few points"]),
        "family": rows["indicator_id"].map(tables.indicators.set_index("indicator_id")["family"]).fillna(""),
        "id": rows["indicator_id"],
    }, index=rows.index)
    order = keys.sort_values(["named", "missed", "headline", "pending", "family", "id"]).index
    return rows.loc[order].reset_index(drop=True)


def status_counts(rows: pd.DataFrame) -> dict[str, int]:
    counts = rows["status"].value_counts()
    return {
        "n": len(rows), "done": int(counts.get("exceeded", 0) + counts.get("met", 0)),
        "missed": int(counts.get("missed", 0)), "pending": int(counts.get("no_result", 0)),
        "neutral": int(counts.get("above_plan", 0) + counts.get("below_plan", 0)),
    }


def verdict_markdown(tables: Tables, year: int, lang: str) -> str:
    """The province's verdict on the year in its own words and counts, then the project's computation, and
    every disagreement between the two, as Markdown."""
    said = verdict(tables, year)
    rows = year_targets(tables, year)
    counts = status_counts(rows)
    lines = []
    if said is not None:
        names = [html.escape(name(tables, i, lang)) for i in str(said["missed_ids"]).split()]  # Markdown: no markup
        lines.append(label("verdict.own", lang, year=year, done=_int(said["met_or_exceeded"]),
                           n=_int(said["targets"]), met=_int(said["met"]), exceeded=_int(said["exceeded"]),
                           missed=_int(said["missed"]), doc=document_names(tables.documents, lang)[said["doc_id"]]))
        if names:
            lines.append(label("verdict.named", lang, names="; ".join(names)))
    elif counts["n"] == counts["pending"] and counts["n"]:
        lines.append(label("verdict.targets_only", lang, year=year, n=counts["n"]))
    else:
        lines.append(label("verdict.none", lang, year=year))
    if counts["n"] > counts["pending"]:
        lines.append(label("verdict.computed", lang, judged=counts["n"] - counts["pending"], **counts))
    for row in rows[rows["disagreement"] != ""].itertuples():
        lines.append(label("verdict.disagreement", lang, name=html.escape(name(tables, row.indicator_id, lang)),
                           said=status_word({"met_or_exceeded": "met"}.get(row.stated_outcome, row.stated_outcome),
                                            lang), status=status_word(row.status, lang)))
    return "\n\n".join(lines)


def _int(value) -> str:
    return "—" if value is None or pd.isna(value) else str(int(value))


# ---------------------------------------------------------------------------------------------- bullets

BULLET_COLUMNS = ["indicator_id", "value", "value_year", "value_kind", "value_doc", "value_issued", "value_basis",
                  "target", "target_high", "target_qualifier", "target_year", "target_kind", "target_doc",
                  "judgement", "required_per_year", "definition_note"]


def bullet_rows(tables: Tables, year: int, families=("social", "environment")) -> pd.DataFrame:
    """Every target of ``year`` in the families against the latest result up to that year, in order of
    importance. ``judgement`` is the status where the year has a result, else the pace assessment."""
    wanted = set(tables.indicators.loc[tables.indicators["family"].isin(list(families)), "indicator_id"])
    pva = tables.plan_vs_actual
    implied = implied_for(tables, year).set_index("indicator_id")
    pva = pva[(pva["year"] == year) & pva["indicator_id"].isin(wanted)
              & (pva["plan"].notna() | pva["indicator_id"].isin(implied.index))]
    latest = tables.latest_results[tables.latest_results["year"] <= year].sort_values("year")
    paced = tables.pace.set_index(["indicator_id", "target_year"])
    rows = []
    for row in pva.itertuples():
        target, high, qualifier, kind = row.plan, row.plan_high, row.plan_qualifier, "plan"
        if pd.isna(target):  # the plan a stated attainment implies ("đạt 105% kế hoạch")
            found = implied.loc[row.indicator_id]
            target, high, qualifier, kind = found["implied_plan"], np.nan, found["implied_qualifier"], "implied"
        last = latest[latest["indicator_id"] == row.indicator_id].tail(1)
        pace_row = paced.loc[(row.indicator_id, year)] if (row.indicator_id, year) in paced.index else None
        judgement = row.status if row.status != "no_result" else (
            pace_row["assessment"] if pace_row is not None else "too few points")
        rows.append({
            "indicator_id": row.indicator_id, "value": last["value"].iloc[0] if len(last) else np.nan,
            "value_year": int(last["year"].iloc[0]) if len(last) else pd.NA,
            "value_kind": ("estimate" if last["is_estimate"].iloc[0] else "actual") if len(last) else "",
            "value_doc": last["doc_id"].iloc[0] if len(last) else "",
            "value_issued": last["issued"].iloc[0] if len(last) else "",
            "value_basis": last["basis"].iloc[0] if len(last) else "",
            "target": target, "target_high": high, "target_qualifier": qualifier,
            "target_year": year, "target_kind": kind, "target_doc": row.plan_doc, "judgement": judgement,
            "required_per_year": pace_row["required_per_year"] if pace_row is not None else np.nan,
            "definition_note": (pace_row["definition_note"] if pace_row is not None else row.definition_note) or "",
        })
    frame = pd.DataFrame(rows, columns=BULLET_COLUMNS)
    return importance(frame, tables, status="judgement")


# ------------------------------------------------------------------------------------------------ gaps

def gaps(tables: Tables, year: int) -> pd.DataFrame:
    """What the sources do not give for ``year``: curated indicators without a plan or without a result."""
    return gaps_of(tables.observations, tables.indicators, year)


# ------------------------------------------------------------------------------------------ chart plans

@dataclass
class ChartPlan:
    """A chart a notebook draws: the chart function, what it is handed, and the sentence under it."""

    draw: object  # a function of indicators.charts
    kwargs: dict
    finding: str
    data: pd.DataFrame  # the rows drawn


@dataclass
class NoChart:
    """A chart a notebook does not draw, and why (said in the notebook, in the reader's language)."""

    reason: str


def _years(tables: Tables, year: int | None) -> list[int]:
    return window(tables, year) if year is not None else tables.years


def _drawn(tables: Tables, ids, years, year: int | None) -> tuple[pd.DataFrame, list[str]]:
    """The results and plans of ``ids`` a chart across ``years`` shows, and the ids that have any."""
    data = series(tables, ids, years, as_of=year)
    data = data[data["kind"] != "attainment"]
    return data, [i for i in ids if i in set(data["indicator_id"])]


def implied_for(tables: Tables, year: int) -> pd.DataFrame:
    """The plans stated attainments imply for ``year`` (where no plan is stated), one per indicator."""
    implied = tables.implied_plans
    return implied[implied["year"] == year].drop_duplicates("indicator_id")


def scorecard_plan(tables: Tables, year: int, lang: str):
    rows = year_targets(tables, year)
    if rows.empty:
        return NoChart(label("why.no_targets", lang, year=year))
    said, counts = verdict(tables, year), status_counts(rows)
    names = [name(tables, i, lang) for i in str(said["missed_ids"]).split()] if said else []
    finding = findings.scorecard(rows, said, counts, year, lang, names)
    return ChartPlan(charts.scorecard, {"rows": rows.head(14), "year": year, "counts": counts, "verdict": said,
                                        "implied": implied_for(tables, year)}, finding, rows)


def plan_vs_actual_plan(tables: Tables, year: int, lang: str):
    pva = tables.plan_vs_actual
    headline = list(tables.catalog.headline)
    rows = pva[(pva["year"] == year) & pva["indicator_id"].isin(headline)
               & (pva["plan"].notna() | pva["actual"].notna() | pva["attainment_stated"].notna())]
    if rows.empty:
        return NoChart(label("why.no_headline", lang, year=year))
    rows = rows.sort_values("indicator_id", key=lambda s: s.map(headline.index)).reset_index(drop=True)
    return ChartPlan(charts.plan_vs_actual_bars, {"rows": rows, "year": year, "implied": implied_for(tables, year)},
                     findings.plan_vs_actual(rows, year, lang, tables.catalog), rows)


def growth_plan(tables: Tables, year: int | None, lang: str):
    years = _years(tables, year)
    data, shown = _drawn(tables, tables.catalog.group("growth_lines"), years, year)
    if not shown:
        return NoChart(label("why.no_figures", lang, years=year_span(years)))
    return ChartPlan(charts.growth_lines, {"frame": data, "indicators": shown, "year": year,
                                           "title": label("titles.growth", lang, years=year_span(years))},
                     findings.latest(data, shown, year or max(years), lang, tables.catalog), data)


def _shares_plan(group: str, title_key: str):
    def plan(tables: Tables, year: int | None, lang: str):
        years = _years(tables, year)
        parts = list(tables.catalog.group(group))
        data, shown = _drawn(tables, parts, years, year)
        if not shown:
            return NoChart(label("why.no_figures", lang, years=year_span(years)))
        return ChartPlan(charts.stacked_shares, {"frame": data, "parts": parts, "focus": year,
                                                 "title": label(title_key, lang, years=year_span(years))},
                         findings.shares(data, parts, lang, tables.catalog), data)
    return plan


def contributions_plan(tables: Tables, year: int | None, lang: str):
    years = [y for y in _years(tables, year) if year is None or y <= year]
    parts = list(tables.catalog.group("contributions"))
    data = series(tables, [*parts, "grdp_growth"], years, as_of=year)
    data = data[data["kind"].isin(["actual", "estimate"])]
    if data[data["indicator_id"].isin(parts)].empty:
        return NoChart(label("why.no_figures", lang, years=year_span(years)))
    return ChartPlan(charts.contributions, {"frame": data, "parts": parts, "total": "grdp_growth"},
                     findings.contributions(data, parts, "grdp_growth", lang, tables.catalog), data)


def _across_years_plan(group: str, title_key: str):
    def plan(tables: Tables, year: int | None, lang: str):
        years = _years(tables, year)
        data, shown = _drawn(tables, tables.catalog.group(group), years, year)
        if not shown:
            return NoChart(label("why.no_figures", lang, years=year_span(years)))
        title = label(title_key, lang, years=year_span(years))
        return ChartPlan(charts.plan_actual_years, {"frame": data, "indicators": shown, "years": years,
                                                    "focus": year, "title": title},
                         findings.latest(data, shown, year or max(years), lang, tables.catalog), data)
    return plan


def _year_bars_plan(group: str, title_key: str):
    def plan(tables: Tables, year: int, lang: str):
        ids = list(tables.catalog.group(group))
        data = series(tables, ids, [year])
        if data[data["kind"] != "attainment"].empty:
            return NoChart(label("why.no_figures", lang, years=year))
        return ChartPlan(charts.indicator_bars, {"frame": data, "indicators": ids, "year": year,
                                                 "title": label(title_key, lang, year=year)},
                         findings.latest(data, ids, year, lang, tables.catalog), data)
    return plan


BULLETS_SHOWN = 8


def _bullets_plan(families: tuple[str, ...], title_key: str):
    def plan(tables: Tables, year: int, lang: str):
        rows = bullet_rows(tables, year, families)
        if rows.empty:
            return NoChart(label("why.no_targets", lang, year=year))
        shown = rows.head(BULLETS_SHOWN)
        return ChartPlan(charts.bullet_chart, {"rows": shown, "year": year, "total": len(rows),
                                               "title": label(title_key, lang, year=year)},
                         findings.bullets(rows, year, lang), shown)
    return plan


def coverage_plan(tables: Tables, year: int | None, lang: str):
    if tables.coverage.empty:
        return NoChart(label("why.no_figures", lang, years=year_span(tables.years)))
    return ChartPlan(charts.coverage_heatmap, {"coverage": tables.coverage},
                     findings.coverage(tables.coverage, lang), tables.coverage)


def revisions_plan(tables: Tables, year: int | None, lang: str):
    if tables.revisions.empty:
        return NoChart(label("why.no_revisions", lang))
    return ChartPlan(charts.revisions_chart, {"revisions": tables.revisions},
                     findings.revisions(tables.revisions, lang, tables.catalog), tables.revisions)


def trend_plan(tables: Tables, indicator_ids: list[str], years: list[int] | None, lang: str):
    data, shown = _drawn(tables, indicator_ids, years or tables.years, None)
    if not shown:
        return NoChart(label("why.no_figures", lang, years=year_span(years or tables.years)))
    return ChartPlan(charts.trend_panels, {"frame": data, "indicators": shown, "years": years or None},
                     findings.latest(data, shown, max(years or tables.years), lang, tables.catalog), data)


CHARTS = {
    "scorecard": scorecard_plan,
    "plan_vs_actual": plan_vs_actual_plan,
    "growth": growth_plan,
    "shares": _shares_plan("shares", "titles.shares"),
    "labour_shares": _shares_plan("labour_shares", "titles.labour_shares"),
    "investment_shares": _shares_plan("investment_shares", "titles.investment_shares"),
    "contributions": contributions_plan,
    "sector_growth": _across_years_plan("sector_growth", "titles.sector_growth"),
    "productivity": _across_years_plan("productivity", "titles.productivity"),
    "budget": _across_years_plan("budget", "titles.budget_years"),
    "investment": _across_years_plan("investment_total", "titles.investment_total"),
    "fdi": _across_years_plan("fdi", "titles.fdi"),
    "domestic": _across_years_plan("domestic", "titles.domestic"),
    "attraction": _across_years_plan("attraction", "titles.attraction"),
    "enterprise": _across_years_plan("enterprise", "titles.enterprise"),
    "budget_components": _year_bars_plan("budget_components", "titles.budget"),
    "investment_sources": _year_bars_plan("investment_sources", "titles.investment_sources"),
    "public_investment": _year_bars_plan("public_investment", "titles.public_investment"),
    "targets": _bullets_plan(("social", "environment"), "titles.bullet"),
    "social": _bullets_plan(("social",), "titles.bullet_social"),
    "environment": _bullets_plan(("environment",), "titles.bullet_environment"),
    "coverage": coverage_plan,
    "revisions": revisions_plan,
}


def plan_chart(tables: Tables, chart: str, year: int | None, lang: str):
    """What chart ``chart`` of a review of ``year`` shows (a :class:`ChartPlan`), or why it is not drawn."""
    return CHARTS[chart](tables, year, lang)
