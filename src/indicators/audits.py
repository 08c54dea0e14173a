"""Revisions (vintages of a figure) and consistency audits: pure functions on DataFrames.

Nothing here hides a contradiction: every check is a row with pass / fail, the numbers, the
tolerance the rounding of the written figures allows, and the quotes involved.
"""

from __future__ import annotations

import itertools
import re

import pandas as pd

from .analysis import annual, half_unit, link_plans, prominence, with_tolerance
from .catalog import Catalog, load_catalog
from .tables import load_table

REVISION_COLUMNS = [
    "indicator_id",
    "year",
    "vintage",
    "doc_id",
    "issued",
    "kind",
    "value",
    "tolerance",
    "derivation",
    "revision_pct",
    "line",
    "quote",
]
AUDIT_COLUMNS = [
    "check",
    "subject",
    "indicator_ids",
    "year",
    "kind",
    "doc_ids",
    "status",
    "observed",
    "expected",
    "difference",
    "tolerance",
    "detail",
    "quotes",
]
RELATIVE_CUES = ("growth", "decline", "ratio", "multiple", "pp_change")
_BASE_YEAR = re.compile(r"(?:cùng kỳ(?: năm (?P<y1>\d{4}))?|năm (?P<y2>\d{4})|thời điểm [\d/]*?(?P<y3>\d{4}))\s*\)?$")
_DIRECTION = re.compile(r"(tăng|giảm|cao hơn|thấp hơn)(?!.*(?:tăng|giảm|cao hơn|thấp hơn))")


def _base_year(quote: str, year: int, cue: str) -> int | None:
    """The year a relative figure compares with: "so với năm 2020" → 2020, "cùng kỳ" → last year."""
    m = _BASE_YEAR.search(quote)
    if m:
        explicit = m.group("y1") or m.group("y2") or m.group("y3")
        return int(explicit) if explicit else year - 1
    return year - 1 if cue in ("growth", "decline", "pp_change") else None


def _derive(level: float, d_level: float, rel: float, d_rel: float, cue: str, quote: str, text: str):
    """The earlier value a level and a relative figure imply, and its rounding tolerance."""
    if cue == "growth":
        value, rel_err = level / (1 + rel / 100), d_rel / (100 + rel)
    elif cue == "decline":
        value, rel_err = level / (1 - rel / 100), d_rel / (100 - rel)
    elif cue == "ratio":
        value, rel_err = level / (rel / 100), d_rel / rel
    elif cue == "multiple":
        value, rel_err = level / rel, d_rel / rel
    else:  # pp_change: the direction is in the words before the number
        before = quote[: quote.rfind(text)] if text in quote else quote
        words = _DIRECTION.search(before)
        down = words is not None and words.group(1) in ("giảm", "thấp hơn")
        return level + rel if down else level - rel, d_level + d_rel
    return value, abs(value) * (d_level / abs(level) + rel_err) if level else 0.0


def derived_values(observations: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Earlier-year values the documents imply: a level with its "tăng X%", "bằng X% năm 2021",
    "gấp X lần năm 2021" or change of a share ("chiếm 62,3%, tăng 4,5%")."""
    obs = with_tolerance(observations)
    levels = obs[obs["kind"].isin(["actual", "estimate"])]
    fields = ["mention_id", "head_id", "anchor_id", "cue", "unit", "quote", "text", "number", "line"]
    chains: dict[tuple[str, int], list[dict]] = {}
    by_id: dict[tuple[str, int], dict] = {}
    for doc_id, frame in mentions.groupby("doc_id"):
        for record in frame[fields].to_dict("records"):
            by_id[(doc_id, record["mention_id"])] = record
            chains.setdefault((doc_id, record["head_id"]), []).append(record)
    rows = []
    for level in levels.itertuples():
        own = by_id.get((level.doc_id, level.mention_id))
        if own is None:
            continue
        chain = chains[(level.doc_id, own["head_id"])]
        for rel in chain:
            if not _relates(rel, level, chain):
                continue
            base = _base_year(rel["quote"], int(level.year), rel["cue"])
            if base is None or base >= level.year:
                continue
            d_rel = half_unit(rel["text"], rel["number"])
            value, tolerance = _derive(
                level.value, level.tolerance, rel["number"], d_rel, rel["cue"], rel["quote"], rel["text"]
            )
            rows.append(
                {
                    "indicator_id": level.indicator_id,
                    "year": base,
                    "doc_id": level.doc_id,
                    "kind": "derived",
                    "value": round(value, 3),
                    "tolerance": round(tolerance, 3),
                    "derivation": f"{level.year} {level.kind} {level.number_as_written} {level.unit_as_written} "
                    f"with {rel['cue']} {rel['text']}".replace("  ", " "),
                    "line": int(rel["line"]),
                    "quote": rel["quote"],
                }
            )
    return pd.DataFrame(
        rows, columns=["indicator_id", "year", "doc_id", "kind", "value", "tolerance", "derivation", "line", "quote"]
    )


def _relates(rel: dict, level, chain: list[dict]) -> bool:
    """Whether a relative figure of the level's chain is said of that level (its growth, its ratio, the change
    of the share it is)."""
    if rel["cue"] not in RELATIVE_CUES or rel["mention_id"] == level.mention_id:
        return False
    if rel["cue"] == "pp_change":
        if level.unit != "%":
            return False
        earlier = [m for m in chain if m["mention_id"] < rel["mention_id"] and m["unit"] == "%"
                   and m["cue"] in ("share", "level", "target")]
        return bool(earlier) and earlier[-1]["mention_id"] == level.mention_id
    return rel["anchor_id"] == level.mention_id and rel["unit"] in ("%", "times")


def revisions(
    *,
    observations: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    derived: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every value of the same indicator and year across documents and forms, oldest first.

    A figure is stated (an estimate or a final figure) or derived from a later document (its level
    and growth rate, its "bằng X% năm 2021", ...). ``revision_pct`` is the change against the first
    vintage. Only indicator-years with at least two vintages are listed. Example: state budget
    revenue 2021 was estimated at 15.745 bn VND in December 2021, while the 2022 report's
    18.525,5 bn VND "bằng 84,4% năm 2021" implies about 21.950.
    """
    obs = annual(load_table("observations") if observations is None else observations)
    ments = load_table("mentions") if mentions is None else mentions
    docs = load_table("documents") if documents is None else documents
    issued = docs.set_index("doc_id")["issued"]
    stated = with_tolerance(obs[obs["kind"].isin(["actual", "estimate"])]).assign(derivation="stated")
    # one statement per document: the one the comparisons use (several values of one indicator in one document
    # are not vintages; the duplicate audit shows them)
    stated = stated.assign(_prominence=prominence(stated)).sort_values(["_prominence", "line"])
    stated = stated.drop_duplicates(["indicator_id", "year", "doc_id"])
    stated = stated[["indicator_id", "year", "doc_id", "kind", "value", "tolerance", "derivation", "line", "quote"]]
    derived = (derived_values(obs, ments) if derived is None else derived).drop_duplicates(
        ["indicator_id", "year", "doc_id"])
    frame = pd.concat([stated, derived], ignore_index=True)
    frame["issued"] = frame["doc_id"].map(issued)
    frame["derived"] = frame["kind"] == "derived"
    frame = frame.sort_values(["indicator_id", "year", "issued", "derived", "line"], ignore_index=True)
    frame = frame[frame.groupby(["indicator_id", "year"])["value"].transform("size") >= 2].copy()
    frame["vintage"] = frame.groupby(["indicator_id", "year"]).cumcount() + 1
    first = frame.groupby(["indicator_id", "year"])["value"].transform("first")
    frame["revision_pct"] = ((frame["value"] / first - 1) * 100).round(2).where(first != 0)
    frame["year"] = frame["year"].astype("Int64")
    frame["tolerance"] = frame["tolerance"].round(6)
    return frame[REVISION_COLUMNS].reset_index(drop=True)


def _row(check, subject, ids, year, kind, docs, ok, observed, expected, tolerance, detail, quotes):
    return {
        "check": check,
        "subject": subject,
        "indicator_ids": " ".join(ids),
        "year": year,
        "kind": kind,
        "doc_ids": " ".join(sorted(set(docs))),
        "status": "pass" if ok else "fail",
        "observed": round(float(observed), 6),
        "expected": round(float(expected), 6),
        "difference": round(float(observed - expected), 6),
        "tolerance": round(float(tolerance), 6),
        "detail": detail,
        "quotes": " | ".join(quotes),
    }


def sum_audits(observations: pd.DataFrame, catalog: Catalog) -> list[dict]:
    """Parts add up to their total: shares of GRDP to 100, contributions to total growth, ..."""
    obs = with_tolerance(observations[observations["kind"].isin(["actual", "estimate", "plan"])])
    rows = []
    for spec in catalog.sums:
        parts, total = spec["parts"], spec["total"]
        names = parts + ([] if isinstance(total, int | float) else [total])
        for (year, kind, doc), group in obs[obs["indicator_id"].isin(names)].groupby(["year", "kind", "doc_id"]):
            statements = {n: group[group["indicator_id"] == n].sort_values("line") for n in names}
            if any(s.empty for s in statements.values()):
                continue
            for k in range(max(len(s) for s in statements.values())):
                chosen = {n: s.iloc[min(k, len(s) - 1)] for n, s in statements.items()}
                observed = sum(chosen[p]["value"] for p in parts)
                expected = float(total) if isinstance(total, int | float) else chosen[total]["value"]
                tolerance = sum(c["tolerance"] for c in chosen.values())
                label = " + ".join(f"{c['value']:g}" for c in (chosen[p] for p in parts))
                detail = f"{label} = {observed:g}; expected {expected:g}"
                if k:
                    detail += f" (statement {k + 1} of a figure stated more than once)"
                rows.append(
                    _row(
                        "sum",
                        spec["name"],
                        names,
                        year,
                        kind,
                        [doc],
                        abs(observed - expected) <= tolerance + 1e-9,
                        observed,
                        expected,
                        tolerance,
                        detail,
                        [c["quote"] for c in chosen.values()],
                    )
                )
    return rows


def previous_level_audits(revision_table: pd.DataFrame) -> list[dict]:
    """A level with its growth (or "bằng X% năm ...") agrees with the level stated for that year."""
    rows = []
    for (indicator_id, year), group in revision_table.groupby(["indicator_id", "year"]):
        stated = group[group["kind"] != "derived"]
        for derived, first in itertools.product(group[group["kind"] == "derived"].itertuples(), stated.itertuples()):
            tolerance = derived.tolerance + first.tolerance
            detail = (
                f"{derived.doc_id} implies {derived.value:g} for {year} ({derived.derivation}); "
                f"{first.doc_id} states {first.value:g} ({first.kind})"
            )
            rows.append(
                _row(
                    "previous_level",
                    indicator_id,
                    [indicator_id],
                    year,
                    first.kind,
                    [derived.doc_id, first.doc_id],
                    abs(derived.value - first.value) <= tolerance,
                    derived.value,
                    first.value,
                    tolerance,
                    detail,
                    [derived.quote, first.quote],
                )
            )
    return rows


def attainment_audits(observations: pd.DataFrame, implied: pd.DataFrame) -> list[dict]:
    """A stated attainment agrees with the actual and the stated target (actual / target × 100)."""
    rows = []
    for r in implied[implied["stated_plan"].notna()].itertuples():
        computed = r.actual / r.stated_plan * 100
        # the implied interval already holds the rounding of the actual and the attainment
        tolerance = (
            max(
                r.attainment_stated - r.actual * 100 / r.implied_high,
                r.actual * 100 / r.implied_low - r.attainment_stated,
            )
            if r.implied_low > 0
            else 0.0
        )
        plan_rows = observations[
            (observations["indicator_id"] == r.indicator_id)
            & (observations["year"] == r.year)
            & (observations["kind"] == "plan")
        ]
        plan_quote = plan_rows["quote"].iloc[0] if len(plan_rows) else ""
        tolerance += computed * half_unit(plan_rows["number_as_written"].iloc[0], r.stated_plan) / r.stated_plan
        detail = f"{r.actual:g} / {r.stated_plan:g} × 100 = {computed:.2f}%; the text states {r.attainment_stated:g}%"
        rows.append(
            _row(
                "attainment",
                r.indicator_id,
                [r.indicator_id],
                r.year,
                "attainment",
                [r.doc_id, r.stated_plan_doc],
                abs(computed - r.attainment_stated) <= tolerance,
                computed,
                r.attainment_stated,
                tolerance,
                detail,
                [r.quote, plan_quote],
            )
        )
    return rows


def duplicate_audits(observations: pd.DataFrame) -> list[dict]:
    """The same indicator, year and kind stated more than once: with the same value, or not."""
    obs = with_tolerance(observations)
    rows = []
    for (indicator_id, year, kind), group in obs.groupby(["indicator_id", "year", "kind"]):
        if len(group) < 2:
            continue
        group = group.sort_values(["doc_id", "line"])
        low, high = group["value"].min(), group["value"].max()
        tolerance = group["tolerance"].max() * 2  # two roundings; figures that differ in their last digit differ
        places = ", ".join(
            f"{v:g} ({d}:{ln})" for v, d, ln in zip(group["value"], group["doc_id"], group["line"], strict=True)
        )
        detail = f"stated {len(group)} times: {places}"
        rows.append(
            _row(
                "duplicate",
                indicator_id,
                [indicator_id],
                year,
                kind,
                list(group["doc_id"]),
                high - low < tolerance - 1e-9,
                high,
                low,
                tolerance,
                detail,
                list(group["quote"]),
            )
        )
    return rows


def audits(
    *,
    observations: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    catalog: Catalog | None = None,
    implied: pd.DataFrame | None = None,
    revision_table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every consistency check, one row each (``check``: sum, previous_level, attainment, duplicate)."""
    from .analysis import implied_plans

    obs = annual(load_table("observations") if observations is None else observations)
    docs = load_table("documents") if documents is None else documents
    inds = load_table("indicators") if indicators is None else indicators
    catalog = catalog or load_catalog()
    if implied is None:
        implied = implied_plans(observations=obs, documents=docs, indicators=inds)
    if revision_table is None:
        revision_table = revisions(observations=obs, mentions=mentions, documents=docs)
    rows = (
        sum_audits(obs, catalog)
        + previous_level_audits(revision_table)
        + attainment_audits(link_plans(obs, inds), implied)
        + duplicate_audits(obs)
    )
    frame = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    for column in ("observed", "expected", "difference", "tolerance"):
        frame[column] = frame[column].astype(float).replace(-0.0, 0.0)
    return frame.sort_values(["check", "subject", "year", "kind", "doc_ids", "observed"], ignore_index=True)
