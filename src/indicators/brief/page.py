"""A notebook page: the briefing as a reader sees it in one language.

:class:`Page` reads the built tables once, then shows, on request of a notebook's cells, the province's
verdict, each chart (saved as PNG, shown with its alt text and the one sentence that answers its question,
or the reason it is not drawn) and reader tables (names not ids, numbers in the language's format, a blank
for what is missing, full quotes, no index). Column headers and words come from ``labels.yml``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

from indicators import paths
from indicators.brief import briefing, charts
from indicators.brief.briefing import ChartPlan, Tables
from indicators.brief.words import STATED, document_names, label, number, status_word, value_text, vintage_label
from indicators.errors import IndicatorsError
from indicators.read.choices import check_parameters
from indicators.read.extract import reason_counts, worst_sentences
from indicators.tables import load_table
from indicators.validate import choice

_TABLE_CSS = [
    {"selector": "", "props": "border-collapse: collapse; width: 100%; font-size: 0.92em;"},
    {"selector": "th", "props": "text-align: left; border-bottom: 1px solid #999; padding: 4px 8px;"},
    {"selector": "td", "props": "text-align: left; vertical-align: top; padding: 3px 8px; white-space: normal;"},
    {"selector": "td:first-child", "props": "min-width: 16em;"},
    {"selector": "td:last-child", "props": "min-width: 22em;"},
    {"selector": "tr:nth-child(even)", "props": "background: #f5f5f5;"},
]


class Page:
    """The page of one notebook for one year (``None`` for the notebooks about every year) and language."""

    def __init__(self, notebook: str, year: int | None, lang: str, output_dir, tables: Tables):
        check_parameters(year, lang, yearless=year is None)
        self.notebook, self.year, self.lang, self.output_dir, self.tables = notebook, year, lang, output_dir, tables

    @classmethod
    def load(cls, notebook: str, year: int | None, lang: str, output_dir=None) -> Page:
        """The page of a notebook, with the built tables read from ``data/processed/``."""
        check_parameters(year, lang, yearless=year is None)
        return cls(notebook, year, lang, output_dir, briefing.load_tables())

    # ------------------------------------------------------------------------------------------ text
    def verdict(self) -> None:
        """The province's own verdict on the year, then the project's computation and any disagreement."""
        _markdown(briefing.verdict_markdown(self.tables, self.year, self.lang))

    def indicators(self, indicator_ids) -> list[str]:
        """The ``indicators`` parameter, checked: a non-empty list of ids that exist (the closest one named)."""
        if isinstance(indicator_ids, str) or not list(indicator_ids):
            raise IndicatorsError(f"parameter indicators: expected a non-empty list of ids, got {indicator_ids!r}")
        known = list(self.tables.indicators["indicator_id"])
        return [choice("parameter indicators", i, known) for i in indicator_ids]

    # ---------------------------------------------------------------------------------------- charts
    def chart(self, chart: str) -> None:
        """Draw, save and show chart ``chart`` with its finding, or say why there is none."""
        self.show(briefing.plan_chart(self.tables, chart, self.year, self.lang), chart)

    def trend(self, indicator_ids: list[str], years: list[int] | None = None) -> None:
        """The explore notebook's chart: any indicators over the years."""
        self.show(briefing.trend_plan(self.tables, indicator_ids, years, self.lang), "trend")

    def show(self, plan, chart: str) -> None:
        if not isinstance(plan, ChartPlan):
            _markdown(f"*{plan.reason}*")
            return
        figure = plan.draw(**plan.kwargs, lang=self.lang, catalog=self.tables.catalog,
                           documents=self.tables.documents)
        title = figure._suptitle.get_text().replace("\n", " ") if figure._suptitle else chart
        path = paths.figure_path(self.output_dir, self.year, self.lang, f"{self.notebook}_{chart}.png")
        charts.save_png(figure, path)
        _figure(path, title, plan.finding, chart, self.output_dir)

    # ---------------------------------------------------------------------------------------- tables
    def table(self, name: str, **options) -> None:
        """A reader table: ``targets``, ``evidence``, ``series``, ``bullets``, ``pace``, ``audits``, ``implied``,
        ``gaps``, ``unresolved``, ``worst_sentences``."""
        frame = READER_TABLES[name](self, **options)
        if frame.empty:
            _markdown(f"*{label('why.empty_table', self.lang)}*")
            return
        _show_table(frame)

    def cell(self, value, unit: str, qualifier: str = "", high=None, *, derived_of: str | None = None,
             tolerance=None) -> str:
        """A value in a reader table; one implied by other figures (``derived_of``: its indicator) rounded as its
        chart labels it ("≈ 21.950", not "21.949,645")."""
        implied = self.tables.catalog[derived_of].decimals if derived_of else None
        return value_text(value, unit, self.lang, self.tables.catalog, STATED, qualifier or "", high,
                          implied=implied, tolerance=tolerance)

    def name(self, indicator_id: str) -> str:
        return self.tables.catalog[indicator_id].name(self.lang)

    def doc(self, doc_id: str) -> str:
        """A document as a reader table names it: its short title and date."""
        return self._doc_names[doc_id] if doc_id else ""

    @cached_property
    def _doc_names(self) -> dict[str, str]:
        return document_names(self.tables.documents, self.lang)

    def headers(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.rename(columns={c: label(f"columns.{c}", self.lang) for c in frame.columns})


def _markdown(text: str) -> None:
    display(Markdown(text))


def _figure(path: Path, title: str, finding: str, chart: str, output_dir) -> None:
    """The chart inline with its alt text and its finding as caption; the index of the charts reads the
    output's metadata (the PNG's path relative to the charts folder)."""
    data = base64.b64encode(Path(path).read_bytes()).decode()
    alt = html.escape(f"{title}. {finding}", quote=True)
    base = paths.figures_base(output_dir)
    meta = {"indicators": {"chart": chart, "png": os.path.relpath(path, base).replace(os.sep, "/"), "title": title,
                           "finding": finding}}
    display(HTML(f'<figure style="margin:0 0 1.5em 0"><img src="data:image/png;base64,{data}" alt="{alt}" '
                 f'style="max-width:100%"><figcaption style="font-size:1.05em;margin-top:.4em">'
                 f'{html.escape(finding)}</figcaption></figure>'), metadata=meta)


def styled(frame: pd.DataFrame):
    """A reader table as HTML: no index, the page's style, every text escaped (a name is never markup), its id
    from its content, so that the same tables give the same executed notebook."""
    uuid = hashlib.sha256(frame.to_csv().encode()).hexdigest()[:8]
    return frame.style.set_uuid(uuid).hide(axis="index").set_table_styles(_TABLE_CSS).format(escape="html")


def _show_table(frame: pd.DataFrame) -> None:
    display(styled(frame))


# ------------------------------------------------------------------------------------------ reader tables

def _targets(page: Page) -> pd.DataFrame:
    rows = briefing.year_targets(page.tables, page.year)
    rows = rows.reset_index(drop=True)
    out = pd.DataFrame({
        "indicator": [page.name(i) for i in rows["indicator_id"]],
        "plan": [page.cell(r.plan, r.unit, r.plan_qualifier, r.plan_high) for r in rows.itertuples()],
        "actual": [page.cell(r.actual, r.unit, r.actual_qualifier, tolerance=r.actual_tolerance,
                             derived_of=r.indicator_id if r.actual_basis == "derived" else None)
                   for r in rows.itertuples()],
        "attainment": [number(v, page.lang, 1) + "%" if pd.notna(v) else "" for v in
                       rows["attainment_stated"].fillna(rows["attainment_computed"])],
        "status": [status_word(s, page.lang) for s in rows["status"]],
        "basis": [label(f"basis.{b.replace(' ', '_')}", page.lang) if b else "" for b in rows["status_basis"]],
        "notes": [_target_notes(page, r) for r in rows.itertuples()],
    })
    return page.headers(out)


def _target_notes(page: Page, row) -> str:
    notes = []
    if row.actual_kind == "estimate" or row.actual_basis == "derived":
        issued = page.tables.documents.set_index("doc_id")["issued"].get(row.actual_doc, "")
        notes.append(vintage_label(issued, row.actual_basis, row.actual_kind == "estimate", page.lang))
    if row.plan_basis == "from the stated gap":
        notes.append(label("notes.plan_from_gap", page.lang))
    if row.attainment_reading:
        notes.append(label("notes.percent_or_points", page.lang))
    if row.attainment_doc and row.attainment_doc != row.actual_doc and pd.notna(row.attainment_stated):
        notes.append(label("notes.attainment_earlier", page.lang))
    if row.disagreement:
        notes.append(label("notes.disagreement", page.lang, said=status_word(
            {"met_or_exceeded": "met"}.get(row.stated_outcome, row.stated_outcome), page.lang).lower()))
    if row.definition_note:
        notes.append(label("notes.definition_of", page.lang, note=row.definition_note))
    return "; ".join(notes)


def _evidence(page: Page, indicator_ids=None, years=None) -> pd.DataFrame:
    if indicator_ids is None and page.year is not None:
        indicator_ids = list(briefing.year_targets(page.tables, page.year)["indicator_id"])
    rows = briefing.evidence(page.tables, indicator_ids, years if years is not None else (
        [page.year] if page.year is not None else None))
    rows = rows.reset_index(drop=True)
    out = pd.DataFrame({
        "indicator": [page.name(i) for i in rows["indicator_id"]],
        "year": rows["year"].astype(str),
        "kind": [label(f"kind.{k}", page.lang) for k in rows["kind"]],
        "value": [page.cell(r.value, r.unit, r.qualifier) for r in rows.itertuples()],
        "document": [page.doc(d) for d in rows["doc_id"]],
        "line": rows["line"].astype(str),
        "quote": rows["quote"],
    })
    return page.headers(out)


def _series(page: Page, groups=(), indicator_ids=None, years=None) -> pd.DataFrame:
    ids = indicator_ids or [i for g in groups for i in page.tables.catalog.group(g)]
    years = years or (briefing.window(page.tables, page.year) if page.year is not None else None)
    rows = briefing.series(page.tables, ids, years, as_of=page.year)
    rows = rows.reset_index(drop=True)
    out = pd.DataFrame({
        "indicator": [page.name(i) for i in rows["indicator_id"]],
        "year": rows["year"].astype(str),
        "kind": [label(f"kind.{k}", page.lang) for k in rows["kind"]],
        "value": [page.cell(r.value, "%" if r.kind == "attainment" else page.tables.catalog[r.indicator_id].unit,
                            r.qualifier, r.value_high, tolerance=r.tolerance,
                            derived_of=r.indicator_id if r.basis == "derived" else None) for r in rows.itertuples()],
        "vintage": [vintage_label(r.issued, r.basis, r.kind == "estimate", page.lang) if r.kind != "plan" else ""
                    for r in rows.itertuples()],
        "document": [page.doc(d) for d in rows["doc_id"]],
    })
    return page.headers(out)


def _bullets(page: Page, families=("social", "environment")) -> pd.DataFrame:
    rows = briefing.bullet_rows(page.tables, page.year, families)
    unit = {r.indicator_id: page.tables.catalog[r.indicator_id].unit for r in rows.itertuples()}
    rows = rows.reset_index(drop=True)
    out = pd.DataFrame({
        "indicator": [page.name(i) for i in rows["indicator_id"]],
        "target": [page.cell(r.target, unit[r.indicator_id], r.target_qualifier, r.target_high,
                             derived_of=r.indicator_id if r.target_kind == "implied" else None)
                   for r in rows.itertuples()],
        "latest": [page.cell(r.value, unit[r.indicator_id],
                             derived_of=r.indicator_id if r.value_basis == "derived" else None)
                   for r in rows.itertuples()],
        "latest_year": [str(y) if pd.notna(y) else "" for y in rows["value_year"]],
        "vintage": [vintage_label(r.value_issued, r.value_basis, r.value_kind == "estimate", page.lang)
                    for r in rows.itertuples()],
        "judgement": [status_word(j, page.lang) for j in rows["judgement"]],
        "required_per_year": [_per_year(page, r.required_per_year, unit[r.indicator_id]) for r in rows.itertuples()],
        "notes": [label("notes.definition_of", page.lang, note=n) if n else "" for n in rows["definition_note"]],
    })
    return page.headers(out)


def _per_year(page: Page, value, unit: str) -> str:
    if pd.isna(value):
        return ""
    text = ("+" if value > 0 else "") + number(value, page.lang, 2)
    return f"{text} {label('notes.pp', page.lang) if unit == '%' else page.tables.catalog.unit_label(unit, page.lang)}"


def _pace(page: Page, families=("social", "environment")) -> pd.DataFrame:
    wanted = page.tables.indicators.loc[page.tables.indicators["family"].isin(list(families)), "indicator_id"]
    pace = page.tables.pace
    rows = pace[(pace["target_year"] == page.year) & pace["indicator_id"].isin(wanted)]
    rows = rows.reset_index(drop=True)
    out = pd.DataFrame({
        "indicator": [page.name(i) for i in rows["indicator_id"]],
        "target": [page.cell(r.target, r.unit, r.target_qualifier) for r in rows.itertuples()],
        "latest": [page.cell(r.last_value, r.unit) for r in rows.itertuples()],
        "latest_year": rows["last_year"].astype(str),
        "points": rows["points"].astype(str),
        "judgement": [status_word(a, page.lang) for a in rows["assessment"]],
        "required_per_year": [_per_year(page, r.required_per_year, r.unit) for r in rows.itertuples()],
        "achieved_per_year": [_per_year(page, r.achieved_per_year, r.unit) for r in rows.itertuples()],
    })
    return page.headers(out)


_CHECK_ORDER = ("share_amount", "sum", "attainment", "previous_level", "duplicate")


def _audits(page: Page, status: str = "fail") -> pd.DataFrame:
    """The failing checks, the telling ones first; a figure stated twice only for the curated indicators (the
    full list is data/processed/audits.csv)."""
    audits = page.tables.audits
    curated = set(page.tables.indicators.loc[page.tables.indicators["curated"], "indicator_id"])
    rows = audits[(audits["status"] == status) & ((audits["check"] != "duplicate") | audits["subject"].isin(curated))]
    rows = rows.assign(_order=rows["check"].map(_CHECK_ORDER.index)).sort_values(["_order", "subject", "year"])
    rows = rows.reset_index(drop=True)
    out = pd.DataFrame({
        "check": [label(f"checks.{c}", page.lang) for c in rows["check"]],
        "subject": [page.name(s) if s in page.tables.catalog else s for s in rows["subject"]],
        "year": rows["year"].astype(str),
        "observed": [number(v, page.lang, 2) for v in rows["observed"]],
        "expected": [number(v, page.lang, 2) for v in rows["expected"]],
        "tolerance": [number(v, page.lang, 2) for v in rows["tolerance"]],
        "fails_when": [label(f"fails_when.{c}", page.lang) for c in rows["check"]],
        "quotes": rows["quotes"],
    })
    return page.headers(out)


def _implied(page: Page) -> pd.DataFrame:
    rows = page.tables.implied_plans
    if page.year is not None:
        rows = rows[rows["year"] == page.year]
    rows = rows.reset_index(drop=True)
    out = pd.DataFrame({
        "indicator": [page.name(i) for i in rows["indicator_id"]],
        "year": rows["year"].astype(str),
        "actual": [page.cell(r.actual, r.unit) for r in rows.itertuples()],
        "attainment": [number(v, page.lang, 1) + "%" for v in rows["attainment_stated"]],
        "implied_plan": [page.cell(r.implied_plan, r.unit, r.implied_qualifier or "~") for r in rows.itertuples()],
        "implied_plan_points": [page.cell(r.implied_plan_points, r.unit) for r in rows.itertuples()],
        "stated_plan": [page.cell(r.stated_plan, r.unit) for r in rows.itertuples()],
        "document": [page.doc(d) for d in rows["doc_id"]],
    })
    return page.headers(out)


def _gaps(page: Page) -> pd.DataFrame:
    years = [page.year] if page.year is not None else page.tables.years
    counts = []
    for year in years:
        table = briefing.gaps(page.tables, year)
        found = table.groupby("missing").size()
        kinds = ("result", "plan", "plan and result")
        counts.append({"year": str(year), **{k: str(int(found.get(k, 0))) for k in kinds}})
    out = pd.DataFrame(counts).rename(columns={"result": "missing_result", "plan": "missing_plan",
                                               "plan and result": "missing_both"})
    return page.headers(out)


def _unresolved(page: Page) -> pd.DataFrame:
    counts = reason_counts(page.tables.unresolved)
    out = pd.DataFrame({"reason": [label(f"reasons.{r}", page.lang) for r in counts["reason"]],
                        "mentions": counts["mentions"].astype(str)})
    return page.headers(out)


def _worst_sentences(page: Page) -> pd.DataFrame:
    rows = worst_sentences(page.tables.unresolved, load_table("mentions"), load_table("sentences"))
    rows = rows.reset_index(drop=True)
    out = pd.DataFrame({"document": [page.doc(d) for d in rows["doc_id"]], "line": rows["line"].astype(str),
                        "mentions": rows["unresolved"].astype(str),
                        "reason": [", ".join(label(f"reasons.{r}", page.lang) for r in rs.split(", "))
                                   for rs in rows["reasons"]],
                        "sentence": rows["sentence"]})
    return page.headers(out)


READER_TABLES = {
    "targets": _targets, "evidence": _evidence, "series": _series, "bullets": _bullets, "pace": _pace,
    "audits": _audits, "implied": _implied, "gaps": _gaps, "unresolved": _unresolved,
    "worst_sentences": _worst_sentences,
}
