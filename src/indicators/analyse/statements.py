"""What the documents state, made comparable: the first analytics layer.

Functions take the tables they need and return DataFrames; nothing here loads a table by itself.

* whole-year figures (:func:`annual`) and the rounding of each written figure (:func:`with_tolerance`);
* one plan per indicator and year, from the earliest document that sets it (:func:`best_plans`);
* every vintage of a result: stated as an estimate or a final figure, or implied for an earlier year by a
  later document's level and its growth, ratio or change (:func:`derived_values`, :func:`vintages`), and the
  latest of them (:func:`latest_results`): what the province itself says last;
* the province's own verdicts: its count of targets met and the outcomes it states in words
  (:func:`verdicts`), and the words that narrow what a figure counts (:func:`definition`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace

import numpy as np
import pandas as pd

from indicators.read.numbers import decimals_of, parse_number

RESULT_KINDS = ("actual", "estimate")
RELATIVE_MEASURES = ("growth", "decline", "ratio", "multiple", "pp_change", "change")
# Units in which a part of a total is never larger than the total.
_ADDITIVE_UNITS = {"bn VND", "mn USD", "USD", "count", "projects", "enterprises", "workers", "people", "visitors",
                   "products", "communes", "districts", "households", "targets", "head", "ha", "tonnes", "km", "m2",
                   "m3"}
_BASE_YEAR = re.compile(r"(?:cùng kỳ(?: năm (?P<y1>\d{4}))?|năm (?P<y2>\d{4})|thời điểm [\d/]*?(?P<y3>\d{4}))\s*\)?$")
_DOWN = re.compile(r"(?:giảm|thấp hơn)(?!.*(?:tăng|giảm|cao hơn|thấp hơn))")
# Words that narrow or widen what a figure counts: "(không tính cây ăn quả)", "đạt chuẩn và hoàn thành nhiệm vụ".
_DEFINITION = re.compile(
    r"(?:không (?:tính|kể|bao gồm)|chưa (?:tính|kể|bao gồm)|bao gồm cả|tính cả|kể cả|và hoàn thành nhiệm vụ)[^,;)]*"
    r"|theo (?:chuẩn|tiêu chí)(?: (?:mới|giai đoạn|nghèo đa chiều|nông thôn mới))*(?:\s*\d{4}\s*[-–]\s*\d{4})?",
    re.IGNORECASE)


PROVINCE = "bac_giang"  # the series the analytics compare and chart (README "Territory")


def annual(observations: pd.DataFrame) -> pd.DataFrame:
    """The province's figures for whole years: a 9-month or quarterly figure is not a year's result, and a figure
    of the merged Bắc Ninh (from 1 July 2025), a district or a commune is not Bắc Giang's."""
    keep = pd.Series(True, index=observations.index)
    if "period" in observations:
        keep &= observations["period"] == "year"
    if "territory" in observations:
        keep &= observations["territory"] == PROVINCE
    return observations[keep]


def prominence(observations: pd.DataFrame) -> pd.Series:
    """Where one document gives several values for the same indicator, year and kind, the total comes first:
    the largest value of an amount or a count (a part of a total is never larger than it); else the first
    stated."""
    additive = observations["unit"].isin(_ADDITIVE_UNITS)
    return (-observations["value"]).where(additive, 0.0)


@lru_cache(maxsize=65536)
def half_unit(number_as_written: str, value: float) -> float:
    """How far a written figure may be from the truth because of rounding, in canonical units.

    ``"19,3"`` is known to ±0.05; ``"155,9"`` (nghìn tỷ đồng, 155 900 bn VND) to ±50 bn VND.
    """
    written = str(number_as_written).split("-")[0].split("–")[0].split("/")[0].strip()
    try:
        number = parse_number(written)
    except ValueError:
        return 0.0
    step = 0.5 * 10 ** -decimals_of(written)
    if number == 0 or abs(value - number) < 1e-9 or abs(value - 100 - number) < 1e-9:
        return step  # written as is, or an attainment "vượt X%" (= 100 + X)
    return step * abs(value / number)


def with_tolerance(observations: pd.DataFrame) -> pd.DataFrame:
    """Observations with a ``tolerance`` column (the rounding of the written figure)."""
    tol = [half_unit(n, v) for n, v in zip(observations["number_as_written"], observations["value"], strict=True)]
    return observations.assign(tolerance=tol)


def link_plans(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Observations plus, for an indicator whose target is stated as another indicator (``plan_from``:
    disbursed public investment against the public investment plan), that indicator's plans under its own
    id, for the years it has no plan of its own."""
    links = indicators.loc[indicators["plan_from"].fillna("") != "", ["indicator_id", "plan_from"]]
    plans = observations[observations["kind"] == "plan"]
    extra = []
    for target, source in zip(links["indicator_id"], links["plan_from"], strict=True):
        own = set(plans.loc[plans["indicator_id"] == target, "year"])
        borrowed = plans[(plans["indicator_id"] == source) & ~plans["year"].isin(own)]
        extra.append(borrowed.assign(indicator_id=target))
    return pd.concat([observations, *extra], ignore_index=True) if extra else observations


def _issued(documents: pd.DataFrame) -> pd.Series:
    return documents.set_index("doc_id")["issued"]


def best_plans(observations: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One plan per indicator and year: from the earliest document that sets it (its first statement)."""
    plans = observations[observations["kind"] == "plan"]
    plans = plans.assign(issued=plans["doc_id"].map(_issued(documents)), _prominence=prominence(plans))
    plans = plans.sort_values(["indicator_id", "year", "issued", "doc_id", "_prominence", "line"])
    return plans.drop_duplicates(["indicator_id", "year"]).drop(columns="_prominence")


def stated_attainments(observations: pd.DataFrame) -> pd.DataFrame:
    """One stated attainment ("đạt 105% kế hoạch") per indicator and year: the first stated."""
    stated = observations[observations["kind"] == "attainment"].sort_values(["indicator_id", "year", "doc_id", "line"])
    return stated.drop_duplicates(["indicator_id", "year"])


# ------------------------------------------------------------------------------------------------ vintages

DERIVED_COLUMNS = ["indicator_id", "year", "doc_id", "kind", "value", "tolerance", "derivation", "line", "quote"]


def _base_year(quote: str, year: int, measure: str) -> int | None:
    """The year a relative figure compares with: "so với năm 2020" → 2020, "cùng kỳ" → last year."""
    m = _BASE_YEAR.search(quote)
    if m:
        explicit = m.group("y1") or m.group("y2") or m.group("y3")
        return int(explicit) if explicit else year - 1
    return year - 1 if measure in ("growth", "decline", "pp_change", "change") else None


def _derive(level: float, d_level: float, rel: float, d_rel: float, measure: str, down: bool):
    """The earlier value a level and a relative figure imply, and its rounding tolerance."""
    if measure in ("pp_change", "change"):
        return (level + rel if down else level - rel), d_level + d_rel
    factor, rel_err = {
        "growth": (1 + rel / 100, d_rel / (100 + rel)),
        "decline": (1 - rel / 100, d_rel / max(100 - rel, 1e-9)),
        "ratio": (rel / 100, d_rel / rel if rel else 0.0),
        "multiple": (rel, d_rel / rel if rel else 0.0),
    }[measure]
    value = level / factor
    return value, abs(value) * (d_level / abs(level) + rel_err) if level else 0.0


def derived_values(observations: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Earlier-year values the documents imply: a level with its "tăng X%", "bằng X% năm 2021", "gấp X lần"
    or change of a share ("chiếm 62,3%, tăng 4,5%"), said of the same concept and breakdown in the same
    sentence."""
    sentence_of = mentions.set_index(["doc_id", "mention_id"])["sentence_id"]
    obs = with_tolerance(annual(observations))
    obs = obs[obs["kind"].isin(RESULT_KINDS)]
    obs = obs.assign(sentence_id=sentence_of.reindex(pd.MultiIndex.from_frame(obs[["doc_id", "mention_id"]])).values)
    rows = []
    for group in _same_subject(obs):
        for rel, base in _relatives(group):
            year = _base_year(rel.quote, int(rel.year), rel.measure)
            if base is None or year is None or year >= rel.year:
                continue
            before = rel.quote[: rel.quote.rfind(rel.number_as_written)] if rel.number_as_written in rel.quote else ""
            value, tolerance = _derive(base.value, base.tolerance, rel.value, rel.tolerance, rel.measure,
                                       bool(_DOWN.search(before)) or rel.measure == "decline")
            rows.append({
                "indicator_id": base.indicator_id, "year": year, "doc_id": rel.doc_id, "kind": "derived",
                "value": round(value, 3), "tolerance": round(tolerance, 3),
                "derivation": f"{base.year} {base.number_as_written} {base.unit_as_written} with {rel.measure} "
                              f"{rel.number_as_written}".replace("  ", " "),
                "line": int(rel.line), "quote": rel.quote,
            })
    frame = pd.DataFrame(rows, columns=DERIVED_COLUMNS)
    return frame.astype({"year": "Int64", "line": int}).drop_duplicates(["indicator_id", "year", "doc_id"])


def as_records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``, read a column at a time (much faster): native values, None for a missing
    text or integer, NaN for a missing number."""
    names = list(frame.columns)
    columns = [[None if v is pd.NA else v for v in frame[c].to_numpy(dtype=object).tolist()] for c in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def records_by(frame: pd.DataFrame, keys: str | list[str], order: str | list[str] | None = None) -> dict:
    """The rows of ``frame`` as records (dicts) grouped by ``keys`` (a column, or a list of columns: the key is
    then a tuple), each group in the (stable) order of ``order``: cheaper than filtering a frame once per row."""
    if order:
        frame = frame.sort_values(order, kind="stable")
    groups: dict = {}
    for record in as_records(frame):
        key = tuple(record[k] for k in keys) if isinstance(keys, list) else record[keys]
        groups.setdefault(key, []).append(record)
    return groups


def _same_subject(obs: pd.DataFrame) -> list[list[SimpleNamespace]]:
    """The figures of each sentence said of the same concept and breakdown (two or more), in the order they
    are written."""
    groups: dict[tuple, list[SimpleNamespace]] = {}
    for record in as_records(obs):
        key = (record["doc_id"], record["sentence_id"], record["concept"], record["breakdown"])
        if not any(pd.isna(k) for k in key):
            groups.setdefault(key, []).append(SimpleNamespace(**record))
    return [sorted(g, key=lambda r: r.mention_id) for g in groups.values() if len(g) >= 2]


def _relatives(group: list[SimpleNamespace]):
    """Each relative figure of a group with the level (or share, or rate) it is said of: the nearest stated before
    it, of the same year and kind; a change in points is of a percentage."""
    last: dict[tuple, SimpleNamespace] = {}  # (measure, year, kind, in %) -> the last figure so far
    for figure in group:
        if figure.measure in RELATIVE_MEASURES:
            wanted = ("share", "rate", "level") if figure.measure == "pp_change" else ("level", "rate")
            units = (True,) if figure.measure == "pp_change" else (True, False)
            before = [last.get((m, figure.year, figure.kind, pct)) for m in wanted for pct in units]
            yield figure, max((b for b in before if b is not None), key=lambda b: b.mention_id, default=None)
        last[(figure.measure, figure.year, figure.kind, figure.unit == "%")] = figure


VINTAGE_COLUMNS = ["indicator_id", "year", "vintage", "doc_id", "issued", "basis", "kind", "is_estimate", "value",
                   "value_high", "qualifier", "tolerance", "derivation", "line", "quote", "latest"]


def vintages(observations: pd.DataFrame, documents: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """Every value each document gives for an indicator's result in a year, oldest first: stated (an
    estimate or a final figure) or derived from a later document's figures. One statement per document (the
    total where one document gives several). ``is_estimate``: stated as an estimate, or written before the
    year ended (a report of December gives estimates, whatever its verbs). ``latest`` marks the vintage of the
    latest document (a figure stated in it before one derived)."""
    obs = with_tolerance(annual(observations))
    stated = obs[obs["kind"].isin(RESULT_KINDS)]
    stated = stated.assign(_prominence=prominence(stated)).sort_values(["_prominence", "line"])
    stated = stated.drop_duplicates(["indicator_id", "year", "doc_id"]).assign(basis="stated", derivation="")
    frame = pd.concat([stated, derived.assign(basis="derived", value_high=np.nan, qualifier="~")],
                      ignore_index=True)
    frame["issued"] = frame["doc_id"].map(_issued(documents))
    written_early = frame["issued"].str.slice(0, 4).astype(int) <= frame["year"].astype(int)
    frame["is_estimate"] = (frame["kind"] == "estimate") | ((frame["basis"] == "stated") & written_early)
    frame["_order"] = (frame["basis"] == "stated").astype(int)
    frame = frame.sort_values(["indicator_id", "year", "issued", "_order", "line"], ignore_index=True)
    frame["vintage"] = frame.groupby(["indicator_id", "year"]).cumcount() + 1
    frame["latest"] = frame["vintage"] == frame.groupby(["indicator_id", "year"])["vintage"].transform("max")
    frame["qualifier"] = frame["qualifier"].fillna("")
    frame["tolerance"] = frame["tolerance"].round(6)
    frame["year"] = frame["year"].astype("Int64")
    return frame[VINTAGE_COLUMNS].reset_index(drop=True)


def latest_results(vintage_table: pd.DataFrame) -> pd.DataFrame:
    """One result per indicator and year: the latest vintage, with how many there were."""
    counts = vintage_table.groupby(["indicator_id", "year"])["vintage"].transform("max")
    latest = vintage_table.assign(vintages=counts)[vintage_table["latest"]]
    return latest.drop(columns=["latest", "vintage"]).reset_index(drop=True)


# ------------------------------------------------------------------------------------------- own verdicts

def definition(quote: str) -> str:
    """The words of a quote that narrow or widen what it counts ("không tính cây ăn quả"), or ""."""
    found = _DEFINITION.search(str(quote))
    return re.sub(r"\s+", " ", found.group()).strip(" .") if found else ""


def same_definition(a: str, b: str) -> bool:
    """Whether two definitions say the same, their case, years and "mới"/"giai đoạn" aside ("theo chuẩn mới
    2021-2025" = "theo chuẩn giai đoạn 2021-2026")."""
    def canonical(text: str) -> str:
        text = re.sub(r"\b(?:mới|giai đoạn)\b|[\d\-–.,;:()%]", " ", text.lower())
        return " ".join(text.split())
    return canonical(a) == canonical(b)


VERDICT_COLUMNS = ["doc_id", "year", "targets", "met_or_exceeded", "met", "exceeded", "missed", "missed_ids",
                   "missed_names", "line", "quote"]
_COUNTS = {"targets_met_or_exceeded": "met_or_exceeded", "targets_met": "met", "targets_exceeded": "exceeded",
           "targets_missed": "missed"}


def verdicts(observations: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """The province's own count of its targets, per document and year ("17/18 chỉ tiêu chủ yếu hoàn thành và
    hoàn thành vượt mức kế hoạch; ... có 01 chỉ tiêu không hoàn thành"), with the targets it names as missed
    (in the count's footnote, or in words elsewhere in the document)."""
    counts = observations[observations["indicator_id"].isin(_COUNTS) & observations["kind"].isin(RESULT_KINDS)]
    rows = []
    for (doc_id, year), group in counts.groupby(["doc_id", "year"]):
        group = group.sort_values("line")
        row = {"doc_id": doc_id, "year": int(year), "line": int(group["line"].iloc[0]),
               "quote": " … ".join(dict.fromkeys(group["quote"]))}
        for indicator_id, column in _COUNTS.items():
            values = group.loc[group["indicator_id"] == indicator_id, "value"]
            row[column] = round(values.iloc[0]) if len(values) else pd.NA
        denominators = group["denominator"].dropna()
        row["targets"] = round(denominators.iloc[0]) if len(denominators) else pd.NA
        named = outcomes[(outcomes["doc_id"] == doc_id) & (outcomes["year"] == year)
                         & (outcomes["outcome"] == "missed") & (outcomes["indicator_id"] != "")]
        if (named["scope"] == "main").any():
            named = named[named["scope"] == "main"]  # the footnote of the count names the main target missed
        row["missed_ids"] = " ".join(dict.fromkeys(named["indicator_id"]))
        row["missed_names"] = " | ".join(dict.fromkeys(named["subject"]))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=VERDICT_COLUMNS)
    counts = {column: "Int64" for column in ("targets", *_COUNTS.values())}  # counts of targets: whole numbers
    return frame.astype({"year": "Int64", "line": int, **counts})
