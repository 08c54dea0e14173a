"""Revisions (vintages of a figure) and consistency audits: the second analytics layer, beside comparisons.

Nothing here hides a contradiction: every check is a row with pass / fail, the numbers, the tolerance the
rounding of the written figures allows, the quotes involved, and ``fails_when``: what would make it fail.
Functions take the tables they need; nothing here loads a table by itself.
"""

from __future__ import annotations

import pandas as pd

from indicators.analyse.statements import annual, as_records, half_unit, link_plans, records_by, with_tolerance
from indicators.read.catalog import Catalog

REVISION_COLUMNS = ["indicator_id", "year", "vintage", "doc_id", "issued", "basis", "is_estimate", "value",
                    "tolerance", "derivation", "revision", "revision_unit", "revision_pct", "line", "quote"]
AUDIT_COLUMNS = ["check", "subject", "indicator_ids", "year", "kind", "doc_ids", "status", "observed", "expected",
                 "difference", "tolerance", "fails_when", "detail", "quotes"]
CHECKS = {
    "sum": "the parts differ from their total by more than the rounding of the written figures allows",
    "share_amount": "a stated share differs from its part / total × 100 (amounts stated in the same document) by "
                    "more than the rounding allows",
    "previous_level": "a level implied by a later document (its level and growth, ratio or change) differs from "
                      "the level stated for that year by more than the rounding allows",
    "attainment": "a stated % of plan differs from result / target × 100 by more than the rounding allows",
    "duplicate": "the same indicator, year and kind is stated twice with values further apart than the rounding",
}


def revisions(vintage_table: pd.DataFrame, units: pd.Series) -> pd.DataFrame:
    """Every indicator-year with more than one value across documents, oldest first (a value a document implies
    for a year it also states is a consistency check, not a revision: see :func:`previous_level_audits`).

    ``revision`` is the change against the first vintage in the indicator's unit (percentage points for a
    percentage, ``revision_unit``); ``revision_pct`` the relative change, for amounts and counts only (a rate
    moving from 20 % to 30 % is +10 points, not "+50 %"). State budget revenue 2021: estimated at 15.745 bn
    VND in December 2021; the 2022 report's 18.525,5 "bằng 84,4% năm 2021" implies about 21.950.
    """
    keys = ["indicator_id", "year", "doc_id"]
    stated_there = (vintage_table["basis"] == "stated").groupby([vintage_table[k] for k in keys]).transform("any")
    frame = vintage_table[(vintage_table["basis"] == "stated") | ~stated_there]  # a document's own figure suffices
    frame = frame[frame.groupby(["indicator_id", "year"])["vintage"].transform("size") >= 2].copy()
    frame["vintage"] = frame.groupby(["indicator_id", "year"]).cumcount() + 1
    first = frame.groupby(["indicator_id", "year"])["value"].transform("first")
    unit = frame["indicator_id"].map(units).fillna("")
    frame["revision"] = (frame["value"] - first).round(6)
    frame["revision_unit"] = unit.where(unit != "%", "pp")
    relative = (first != 0) & ~unit.isin(["%", "pp"])  # a change of a percentage (or of points) is in points
    frame["revision_pct"] = ((frame["value"] / first - 1) * 100).round(2).where(relative)
    return frame[REVISION_COLUMNS].reset_index(drop=True)


def _row(check, subject, ids, year, kind, docs, ok, observed, expected, tolerance, detail, quotes):
    return {
        "check": check, "subject": subject, "indicator_ids": " ".join(ids), "year": year, "kind": kind,
        "doc_ids": " ".join(sorted(set(docs))), "status": "pass" if ok else "fail",
        "observed": round(float(observed), 6), "expected": round(float(expected), 6),
        "difference": round(float(observed - expected), 6), "tolerance": round(float(tolerance), 6),
        "fails_when": CHECKS[check], "detail": detail, "quotes": " | ".join(dict.fromkeys(quotes)),
    }


def sum_audits(observations: pd.DataFrame, catalog: Catalog) -> list[dict]:
    """Parts add up to their total: shares of GRDP to 100, contributions to total growth, ... (``sums`` in the
    catalog). A figure stated twice is checked statement by statement."""
    obs = with_tolerance(observations[observations["kind"].isin(["actual", "estimate", "plan"])])
    rows = []
    for spec in catalog.sums:
        parts, total = spec["parts"], spec["total"]
        names = parts + ([] if isinstance(total, int | float) else [total])
        for (year, kind, doc), group in obs[obs["indicator_id"].isin(names)].groupby(["year", "kind", "doc_id"]):
            records = as_records(group.sort_values("line", kind="stable"))
            statements = {n: [r for r in records if r["indicator_id"] == n] for n in names}
            if not all(statements.values()):
                continue
            for k in range(max(len(s) for s in statements.values())):
                chosen = {n: s[min(k, len(s) - 1)] for n, s in statements.items()}
                observed = sum(chosen[p]["value"] for p in parts)
                expected = float(total) if isinstance(total, int | float) else chosen[total]["value"]
                tolerance = sum(c["tolerance"] for c in chosen.values())
                detail = " + ".join(f"{chosen[p]['value']:g}" for p in parts)
                detail += f" = {observed:g}; expected {expected:g}"
                rows.append(_row("sum", spec["name"], names, year, kind, [doc], abs(observed - expected) <= tolerance
                                 + 1e-9, observed, expected, tolerance, detail, [c["quote"] for c in chosen.values()]))
    return rows


def share_audits(observations: pd.DataFrame) -> list[dict]:
    """Each stated share against the amounts it comes from, stated in the same document for the same year and
    kind: "vốn ngân sách nhà nước 11.687 tỷ đồng" of "tổng vốn đầu tư phát triển 73.848 tỷ đồng" is 15,8 %;
    a share written as 24,7 % of it fails. Shares with no amounts beside them are not checked."""
    obs = with_tolerance(observations[observations["kind"].isin(["actual", "estimate", "plan"])])
    levels = obs[obs["measure"] == "level"]
    records = as_records(levels.assign(breakdown=levels["breakdown"].fillna("")))
    by_subject = levels.groupby(["doc_id", "year", "kind", "concept"]).indices  # subject -> row positions
    largest: dict[tuple, dict[str, tuple]] = {}  # subject -> breakdown -> (value, position, record) of the largest
    rows = []
    for share in obs[(obs["measure"] == "share") & (obs["breakdown"].fillna("") != "")].itertuples():
        subject = (share.doc_id, share.year, share.kind, share.concept)
        if subject not in largest:
            largest[subject] = _largest_by_breakdown(records, by_subject.get(subject, []))
        part = largest[subject].get(share.breakdown)
        total = max((largest[subject][w] for w in _wholes(share.breakdown) if w in largest[subject]), default=None,
                    key=lambda t: t[:2])
        if part is None or total is None:
            continue
        part, total = part[2], total[2]
        if total["value"] <= 0 or part["unit"] != total["unit"]:
            continue
        expected = part["value"] / total["value"] * 100
        relative = part["tolerance"] / part["value"] + total["tolerance"] / total["value"]
        tolerance = share.tolerance + expected * relative
        detail = f"{part['value']:g} / {total['value']:g} × 100 = {expected:.2f}%; the text states {share.value:g}%"
        rows.append(_row("share_amount", share.indicator_id, [share.indicator_id, part["indicator_id"],
                                                              total["indicator_id"]], share.year, share.kind,
                         [share.doc_id], abs(share.value - expected) <= tolerance + 1e-9, share.value, expected,
                         tolerance, detail, [share.quote, part["quote"], total["quote"]]))
    return rows


def _largest_by_breakdown(records: list[dict], positions) -> dict[str, tuple]:
    """For each breakdown, the row of the largest value (of equal ones, the last): ``(value, position, row)``."""
    out: dict[str, tuple] = {}
    for i in positions:
        r = records[i]
        if r["breakdown"] not in out or r["value"] >= out[r["breakdown"]][0]:
            out[r["breakdown"]] = (r["value"], i, r)
    return out


def _wholes(breakdown: str) -> list[str]:
    """The breakdowns a part is a share of: its own without one of its members ("sector=ind_con;status=new" is a
    share of "status=new")."""
    members = breakdown.split(";")
    return [";".join(m for m in members if m != left_out) for left_out in members]


def previous_level_audits(revision_table: pd.DataFrame) -> list[dict]:
    """A level with its growth (or "bằng X% năm ...") agrees with the level stated for that year."""
    derived = revision_table[revision_table["basis"] == "derived"]
    stated = revision_table[revision_table["basis"] == "stated"]
    pairs = derived.merge(stated, on=["indicator_id", "year"], suffixes=("", "_stated"))
    rows = []
    for r in pairs.sort_values(["indicator_id", "year"], kind="mergesort").itertuples():
        tolerance = r.tolerance + r.tolerance_stated
        detail = (f"{r.doc_id} implies {r.value:g} for {r.year} ({r.derivation}); "
                  f"{r.doc_id_stated} states {r.value_stated:g}")
        kind = "estimate" if r.is_estimate_stated else "actual"
        rows.append(_row("previous_level", r.indicator_id, [r.indicator_id], r.year, kind,
                         [r.doc_id, r.doc_id_stated], abs(r.value - r.value_stated) <= tolerance, r.value,
                         r.value_stated, tolerance, detail, [r.quote, r.quote_stated]))
    return rows


def attainment_audits(observations: pd.DataFrame, implied: pd.DataFrame) -> list[dict]:
    """A stated attainment agrees with the result and the stated target (result / target × 100)."""
    rows = []
    for r in implied[implied["stated_plan"].notna()].itertuples():
        computed = r.actual / r.stated_plan * 100
        # the implied interval already holds the rounding of the result and the attainment
        tolerance = max(r.attainment_stated - r.actual * 100 / r.implied_high,
                        r.actual * 100 / r.implied_low - r.attainment_stated) if r.implied_low > 0 else 0.0
        plan_rows = observations[(observations["indicator_id"] == r.indicator_id) & (observations["year"] == r.year)
                                 & (observations["kind"] == "plan")]
        plan_quote = plan_rows["quote"].iloc[0] if len(plan_rows) else ""
        if len(plan_rows):
            tolerance += computed * half_unit(plan_rows["number_as_written"].iloc[0], r.stated_plan) / r.stated_plan
        detail = f"{r.actual:g} / {r.stated_plan:g} × 100 = {computed:.2f}%; the text states {r.attainment_stated:g}%"
        rows.append(_row("attainment", r.indicator_id, [r.indicator_id], r.year, "attainment",
                         [r.doc_id, r.stated_plan_doc], abs(computed - r.attainment_stated) <= tolerance, computed,
                         r.attainment_stated, tolerance, detail, [r.quote, plan_quote]))
    return rows


def duplicate_audits(observations: pd.DataFrame) -> list[dict]:
    """The same indicator, year and kind stated more than once: with the same value, or not."""
    key = ["indicator_id", "year", "kind"]
    obs = with_tolerance(observations[observations.duplicated(key, keep=False)])
    groups = records_by(obs, key, ["doc_id", "line"])
    rows = []
    for (indicator_id, year, kind), group in sorted(groups.items(), key=lambda item: item[0]):
        values = [r["value"] for r in group]
        low, high = min(values), max(values)
        tolerance = max(r["tolerance"] for r in group) * 2  # two roundings: a last digit apart is a difference
        places = ", ".join(f"{r['value']:g} ({r['doc_id']}:{r['line']})" for r in group)
        rows.append(_row("duplicate", indicator_id, [indicator_id], year, kind, [r["doc_id"] for r in group],
                         high - low < tolerance - 1e-9, high, low, tolerance, f"stated {len(group)} times: {places}",
                         [r["quote"] for r in group]))
    return rows


def audits(observations: pd.DataFrame, indicators: pd.DataFrame, catalog: Catalog, implied: pd.DataFrame,
           vintage_table: pd.DataFrame) -> pd.DataFrame:
    """Every consistency check, one row each (``check``: sum, share_amount, previous_level, attainment,
    duplicate)."""
    obs = annual(observations)
    rows = (sum_audits(obs, catalog) + share_audits(obs) + previous_level_audits(vintage_table)
            + attainment_audits(link_plans(obs, indicators), implied) + duplicate_audits(obs))
    frame = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    for column in ("observed", "expected", "difference", "tolerance"):
        frame[column] = frame[column].astype(float).replace(-0.0, 0.0)
    frame = frame.sort_values(["check", "subject", "year", "kind", "doc_ids", "observed"], ignore_index=True,
                              kind="stable")
    frame.insert(0, "audit_id", range(1, len(frame) + 1))  # the check's number in this order: no column set is unique
    return frame
