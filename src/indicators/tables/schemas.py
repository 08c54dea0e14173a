"""Pandera schemas of the processed tables, checked when a table is written and when it is read."""

from __future__ import annotations

import pandera.pandas as pa

from indicators.read.numbers import QUALIFIER_SYMBOLS
from indicators.read.resolve import PERIODS, REASONS, TERRITORIES, YEARS
from indicators.read.sources import DOC_PERIODS, DOC_TYPES
from indicators.read.vocabulary import DIRECTIONS, MEASURES

KINDS = ("actual", "estimate", "plan", "attainment")
CUES = (
    "level",
    "target",
    "growth",
    "decline",
    "pp_change",
    "change",
    "share",
    "attainment",
    "ratio",
    "multiple",
    "rank",
    "count",
)
_YEAR = pa.Check.in_range(*YEARS)
_TEXT = pa.Check.str_length(min_value=1)

documents = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, _TEXT, unique=True),
        "file": pa.Column(str, _TEXT, unique=True),
        "sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        "title_vi": pa.Column(str, _TEXT),
        "title_en": pa.Column(str, _TEXT),
        "short_title_vi": pa.Column(str, _TEXT),
        "short_title_en": pa.Column(str, _TEXT),
        "issuer": pa.Column(str, _TEXT),
        "doc_type": pa.Column(str, pa.Check.isin(DOC_TYPES)),
        "issued": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2}(-\d{2})?)?$")),
        "results_years": pa.Column(str, pa.Check.str_matches(r"^(\d{4}( \d{4})*)?$")),
        "target_years": pa.Column(str, pa.Check.str_matches(r"^(\d{4}( \d{4})*)?$")),
        "period": pa.Column(str, pa.Check.isin(DOC_PERIODS)),
    },
    strict=True,
    ordered=True,
    name="documents",
)

indicators = pa.DataFrameSchema(
    {
        "indicator_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
        "name_vi": pa.Column(str, _TEXT),
        "name_en": pa.Column(str, _TEXT),
        "family": pa.Column(str, _TEXT),
        "unit": pa.Column(str, _TEXT),
        "direction": pa.Column(str, pa.Check.isin(DIRECTIONS)),
        "decimals": pa.Column(int, pa.Check.in_range(0, 6)),
        "description": pa.Column(str, _TEXT),
        "phrases": pa.Column(str),
        "plan_from": pa.Column(str),
        "concept": pa.Column(str),
        "measure": pa.Column(str),
        "breakdown": pa.Column(str),
        "curated": pa.Column(bool),
    },
    strict=True,
    ordered=True,
    name="indicators",
)

observations = pa.DataFrameSchema(
    {
        "indicator_id": pa.Column(str, _TEXT),
        "year": pa.Column("Int64", _YEAR),
        "kind": pa.Column(str, pa.Check.isin(KINDS)),
        "period": pa.Column(str, pa.Check.isin(PERIODS)),
        "as_of": pa.Column(str),
        "territory": pa.Column(str, pa.Check.isin(TERRITORIES)),
        "place": pa.Column(str),
        "value": pa.Column(float),
        "value_high": pa.Column(float, nullable=True),
        "denominator": pa.Column(float, nullable=True),
        "unit": pa.Column(str, _TEXT),
        "qualifier": pa.Column(str, pa.Check.isin(QUALIFIER_SYMBOLS)),
        "number_as_written": pa.Column(str, _TEXT),
        "unit_as_written": pa.Column(str),
        "concept": pa.Column(str, _TEXT),
        "measure": pa.Column(str, pa.Check.isin((*MEASURES, "attainment"))),
        "breakdown": pa.Column(str),
        "doc_id": pa.Column(str, _TEXT),
        "line": pa.Column(int, pa.Check.ge(1)),
        "quote": pa.Column(str, _TEXT),
        "mention_id": pa.Column(int, pa.Check.ge(1)),
    },
    checks=[
        pa.Check(
            lambda df: (df["value_high"].isna() | (df["value_high"] >= df["value"])).all(),
            error="value_high below value",
        ),
        pa.Check(
            lambda df: all(n in q for n, q in zip(df["number_as_written"], df["quote"], strict=True)),
            error="quote without its numeral",
        ),
    ],
    unique=["doc_id", "mention_id"],
    strict=True,
    ordered=True,
    name="observations",
)

mentions = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, _TEXT),
        "line": pa.Column(int, pa.Check.ge(1)),
        "sentence_id": pa.Column(int, pa.Check.ge(1)),
        "mention_id": pa.Column(int, pa.Check.ge(1)),
        "text": pa.Column(str, _TEXT),
        "number": pa.Column(float),
        "unit_as_written": pa.Column(str),
        "value": pa.Column(float),
        "value_high": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "qualifier": pa.Column(str, pa.Check.isin(QUALIFIER_SYMBOLS)),
        "cue": pa.Column(str, pa.Check.isin(CUES)),
        "kind": pa.Column(str, pa.Check.isin(KINDS)),
        "year": pa.Column("Int64", nullable=True),  # (as read)
        "subject": pa.Column(str),
        "head_id": pa.Column(int, pa.Check.ge(1)),
        "anchor_id": pa.Column(int, pa.Check.ge(1)),
        "quote": pa.Column(str, _TEXT),
    },
    unique=["doc_id", "mention_id"],
    strict=True,
    ordered=True,
    name="mentions",
)

unresolved = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, _TEXT),
        "line": pa.Column(int, pa.Check.ge(1)),
        "mention_id": pa.Column(int, pa.Check.ge(1)),
        "text": pa.Column(str, _TEXT),
        "value": pa.Column(float),
        "unit": pa.Column(str),
        "cue": pa.Column(str, pa.Check.isin(CUES)),
        "kind": pa.Column(str, pa.Check.isin(KINDS)),
        "year": pa.Column("Int64", nullable=True),  # (as read: a figure of 1975 is left here, "no_year")
        "reason": pa.Column(str, pa.Check.isin(tuple(REASONS))),
        "subject": pa.Column(str),
        "quote": pa.Column(str, _TEXT),
    },
    unique=["doc_id", "mention_id"],
    strict=True,
    ordered=True,
    name="unresolved",
)

sentences = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, _TEXT),
        "sentence_id": pa.Column(int, pa.Check.ge(1)),
        "kind": pa.Column(str, pa.Check.isin(("body", "heading", "footnote"))),
        "footnote": pa.Column("Int64", nullable=True),
        "line_start": pa.Column(int, pa.Check.ge(1)),
        "line_end": pa.Column(int, pa.Check.ge(1)),
        "section": pa.Column(str),
        "text": pa.Column(str, _TEXT),
    },
    unique=["doc_id", "sentence_id"],
    strict=True,
    ordered=True,
    name="sentences",
)

coverage = pa.DataFrameSchema(
    {
        "family": pa.Column(str, _TEXT),
        "indicator_id": pa.Column(str, _TEXT),
        "year": pa.Column("Int64", _YEAR),
        **{kind: pa.Column(int, pa.Check.ge(0)) for kind in ("plan", "actual", "estimate", "attainment")},
        "observations": pa.Column(int, pa.Check.ge(1)),
        "documents": pa.Column(str, _TEXT),
    },
    unique=["indicator_id", "year"],
    strict=True,
    ordered=True,
    name="coverage",
)

_STATUS = ("exceeded", "met", "missed", "above_plan", "below_plan", "no_target", "no_result")
_OUTCOMES = ("met_or_exceeded", "exceeded", "met", "missed")
_FLOAT = pa.Column(float, nullable=True)
_OPT_TEXT = pa.Column(str)
_QUALIFIER = pa.Column(str, pa.Check.isin(QUALIFIER_SYMBOLS))

outcomes = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, _TEXT),
        "line": pa.Column(int, pa.Check.ge(1)),
        "year": pa.Column("Int64", _YEAR),
        "indicator_id": _OPT_TEXT,
        "outcome": pa.Column(str, pa.Check.isin(_OUTCOMES)),
        "scope": pa.Column(str, pa.Check.isin(("", "main", "component"))),
        "subject": pa.Column(str, _TEXT),
        "phrase": pa.Column(str, _TEXT),
        "quote": pa.Column(str, _TEXT),
    },
    unique=["doc_id", "year", "indicator_id", "outcome", "subject"],
    strict=True,
    ordered=True,
    name="outcomes",
)

verdicts = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, _TEXT),
        "year": pa.Column("Int64", _YEAR),
        **{count: pa.Column("Int64", pa.Check.ge(0), nullable=True)
           for count in ("targets", "met_or_exceeded", "met", "exceeded", "missed")},
        "missed_ids": _OPT_TEXT,
        "missed_names": _OPT_TEXT,
        "line": pa.Column(int, pa.Check.ge(1)),
        "quote": pa.Column(str, _TEXT),
    },
    unique=["doc_id", "year"],
    strict=True,
    ordered=True,
    name="verdicts",
)

latest_results = pa.DataFrameSchema(
    {
        "indicator_id": pa.Column(str, _TEXT),
        "year": pa.Column("Int64", _YEAR),
        "doc_id": pa.Column(str, _TEXT),
        "issued": pa.Column(str, _TEXT),
        "basis": pa.Column(str, pa.Check.isin(("stated", "derived"))),
        "kind": pa.Column(str, pa.Check.isin(("actual", "estimate", "derived"))),
        "is_estimate": pa.Column(bool),
        "value": pa.Column(float),
        "value_high": _FLOAT,
        "qualifier": _QUALIFIER,
        "tolerance": pa.Column(float, pa.Check.ge(0)),
        "derivation": _OPT_TEXT,
        "line": pa.Column(int, pa.Check.ge(1)),
        "quote": pa.Column(str, _TEXT),
        "vintages": pa.Column(int, pa.Check.ge(1)),
    },
    unique=["indicator_id", "year"],
    strict=True,
    ordered=True,
    name="latest_results",
)

plan_vs_actual = pa.DataFrameSchema(
    {
        "indicator_id": pa.Column(str, _TEXT),
        "family": pa.Column(str, _TEXT),
        "year": pa.Column("Int64", _YEAR),
        "unit": pa.Column(str, _TEXT),
        "direction": pa.Column(str, pa.Check.isin(DIRECTIONS)),
        "plan": _FLOAT,
        "plan_high": _FLOAT,
        "plan_qualifier": _QUALIFIER,
        "plan_doc": _OPT_TEXT,
        "plan_basis": pa.Column(str, pa.Check.isin(("", "stated", "from the stated gap"))),
        "actual": _FLOAT,
        "actual_qualifier": _QUALIFIER,
        "actual_kind": pa.Column(str, pa.Check.isin(("", "actual", "estimate"))),
        "actual_doc": _OPT_TEXT,
        "actual_basis": pa.Column(str, pa.Check.isin(("", "stated", "derived"))),
        "attainment_stated": _FLOAT,
        "attainment_doc": _OPT_TEXT,
        "attainment_reading": pa.Column(str, pa.Check.isin(("", "percent or points"))),
        "attainment_computed": _FLOAT,
        "gap": _FLOAT,
        "gap_unit": _OPT_TEXT,
        "tolerance": _FLOAT,
        "status": pa.Column(str, pa.Check.isin(_STATUS)),
        "status_basis": pa.Column(str, pa.Check.isin(("", "actual against plan", "stated attainment",
                                                      "stated outcome"))),
        "stated_outcome": pa.Column(str, pa.Check.isin(("", *_OUTCOMES))),
        "disagreement": _OPT_TEXT,
        "definition_note": _OPT_TEXT,
    },
    checks=[
        pa.Check(
            lambda df: ((df["status"] == "no_target") == (df["plan"].isna() & df["attainment_stated"].isna()
                                                          & (df["stated_outcome"] == ""))).all(),
            error="no_target exactly when there is no plan, no stated attainment and no stated outcome",
        ),
        pa.Check(
            lambda df: ((df["status"] == "no_result") == (df["actual"].isna() & df["plan"].notna()
                                                          & df["attainment_stated"].isna()
                                                          & (df["stated_outcome"] == ""))).all(),
            error="no_result exactly when there is a plan but no result",
        ),
    ],
    unique=["indicator_id", "year"],
    strict=True,
    ordered=True,
    name="plan_vs_actual",
)

implied_plans = pa.DataFrameSchema(
    {
        "indicator_id": pa.Column(str, _TEXT),
        "year": pa.Column("Int64", _YEAR),
        "unit": pa.Column(str, _TEXT),
        "actual": pa.Column(float),
        "actual_kind": pa.Column(str, pa.Check.isin(("actual", "estimate"))),
        "attainment_stated": pa.Column(float, pa.Check.gt(0)),
        "implied_qualifier": _QUALIFIER,
        "implied_plan": pa.Column(float),
        "implied_low": pa.Column(float),
        "implied_high": pa.Column(float),
        "implied_plan_points": _FLOAT,
        "stated_plan": _FLOAT,
        "stated_plan_doc": _OPT_TEXT,
        "agrees": pa.Column("boolean", nullable=True),
        "doc_id": pa.Column(str, _TEXT),
        "quote": pa.Column(str, _TEXT),
    },
    checks=[
        pa.Check(
            lambda df: ((df["implied_low"] <= df["implied_plan"]) & (df["implied_plan"] <= df["implied_high"])).all(),
            error="implied plan outside its interval",
        )
    ],
    unique=["indicator_id", "year", "doc_id", "attainment_stated"],
    strict=True,
    ordered=True,
    name="implied_plans",
)

revisions = pa.DataFrameSchema(
    {
        "indicator_id": pa.Column(str, _TEXT),
        "year": pa.Column("Int64", _YEAR),
        "vintage": pa.Column(int, pa.Check.ge(1)),
        "doc_id": pa.Column(str, _TEXT),
        "issued": pa.Column(str, _TEXT),
        "basis": pa.Column(str, pa.Check.isin(("stated", "derived"))),
        "is_estimate": pa.Column(bool),
        "value": pa.Column(float),
        "tolerance": pa.Column(float, pa.Check.ge(0)),
        "derivation": _OPT_TEXT,
        "revision": pa.Column(float),
        "revision_unit": _OPT_TEXT,
        "revision_pct": _FLOAT,
        "line": pa.Column(int, pa.Check.ge(1)),
        "quote": pa.Column(str, _TEXT),
    },
    checks=[pa.Check(lambda df: (df["revision_pct"].isna() | (df["revision_unit"] != "pp")).all(),
                     error="a change of a percentage is in points, never in percent")],
    unique=["indicator_id", "year", "vintage"],
    strict=True,
    ordered=True,
    name="revisions",
)

audits = pa.DataFrameSchema(
    {
        "audit_id": pa.Column(int, pa.Check.ge(1), unique=True),
        "check": pa.Column(str, pa.Check.isin(("sum", "share_amount", "previous_level", "attainment", "duplicate"))),
        "subject": pa.Column(str, _TEXT),
        "indicator_ids": pa.Column(str, _TEXT),
        "year": pa.Column("Int64", _YEAR),
        "kind": pa.Column(str, _TEXT),
        "doc_ids": pa.Column(str, _TEXT),
        "status": pa.Column(str, pa.Check.isin(("pass", "fail"))),
        "observed": pa.Column(float),
        "expected": pa.Column(float),
        "difference": pa.Column(float),
        "tolerance": pa.Column(float, pa.Check.ge(0)),
        "fails_when": pa.Column(str, _TEXT),
        "detail": pa.Column(str, _TEXT),
        "quotes": pa.Column(str, _TEXT),
    },
    strict=True,
    ordered=True,
    name="audits",
)

ASSESSMENTS = ("at target level", "on track", "moderate progress", "insufficient progress", "moving away",
               "too few points")

pace = pa.DataFrameSchema(
    {
        "indicator_id": pa.Column(str, _TEXT),
        "unit": pa.Column(str, _TEXT),
        "direction": pa.Column(str, pa.Check.isin(DIRECTIONS)),
        "target_year": pa.Column("Int64", _YEAR),
        "target": pa.Column(float),
        "target_qualifier": _QUALIFIER,
        "first_year": pa.Column("Int64", _YEAR),
        "first_value": pa.Column(float),
        "last_year": pa.Column("Int64", _YEAR),
        "last_value": pa.Column(float),
        "last_doc": pa.Column(str, _TEXT),
        "last_is_estimate": pa.Column(bool),
        "points": pa.Column(int, pa.Check.ge(1)),
        "achieved_per_year": _FLOAT,
        "required_per_year": pa.Column(float),
        "pace_ratio": _FLOAT,
        "assessment": pa.Column(str, pa.Check.isin(ASSESSMENTS)),
        "trend_slope": _FLOAT,
        "projection": _FLOAT,
        "projection_low": _FLOAT,
        "projection_high": _FLOAT,
        "trend_note": pa.Column(str, _TEXT),
        "definition_note": _OPT_TEXT,
    },
    checks=[
        pa.Check(lambda df: ((df["points"] >= 5) == df["projection"].notna()).all(),
                 error="a projection needs five points or more"),
        pa.Check(lambda df: ((df["points"] >= 3) | df["assessment"].isin(("too few points", "at target level"))).all(),
                 error="a pace is judged on three points or more"),
    ],
    unique=["indicator_id", "target_year"],
    strict=True,
    ordered=True,
    name="pace",
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "documents": documents,
    "indicators": indicators,
    "observations": observations,
    "unresolved": unresolved,
    "outcomes": outcomes,
    "mentions": mentions,
    "sentences": sentences,
    "coverage": coverage,
    "latest_results": latest_results,
    "verdicts": verdicts,
    "plan_vs_actual": plan_vs_actual,
    "implied_plans": implied_plans,
    "revisions": revisions,
    "audits": audits,
    "pace": pace,
}

# Columns that hold several values: space-separated in CSV, lists in Parquet (of this element type).
LIST_COLUMNS: dict[str, dict[str, str]] = {
    "documents": {"results_years": "integer", "target_years": "integer"},
    "coverage": {"documents": "string"},
    "audits": {"indicator_ids": "string", "doc_ids": "string"},
    "verdicts": {"missed_ids": "string"},
}
# References between tables (column, table, column), checked by `frictionless validate`.
_DOC = ("doc_id", "documents", "doc_id")
_INDICATOR = ("indicator_id", "indicators", "indicator_id")
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "observations": [_INDICATOR, _DOC], "latest_results": [_INDICATOR, _DOC], "plan_vs_actual": [_INDICATOR],
    "implied_plans": [_INDICATOR, _DOC], "revisions": [_INDICATOR, _DOC], "pace": [_INDICATOR],
    "coverage": [_INDICATOR], "mentions": [_DOC], "sentences": [_DOC], "unresolved": [_DOC], "outcomes": [_DOC],
    "verdicts": [_DOC],
}


def _type(dtype) -> str:
    text = str(dtype).lower()
    if "bool" in text:
        return "boolean"
    if "int" in text:
        return "integer"
    if "float" in text:
        return "number"
    return "string"


def fields(name: str) -> dict[str, dict]:
    """Each column of a table as the data contract states it, derived from its schema: ``type``, ``required``
    (a value in every row; an empty text is a missing value), ``enum``, ``pattern``, ``minimum``, ``maximum``,
    ``unique``, ``list`` (the element type of a column of several values)."""
    out = {}
    for column, spec in SCHEMAS[name].columns.items():
        field = {"type": _type(spec.dtype), "required": not spec.nullable, "unique": bool(spec.unique)}
        for check in spec.checks:
            stats = check.statistics
            if check.name == "isin":
                field["enum"] = [v for v in stats["allowed_values"] if v != ""]
                field["required"] = field["required"] and "" not in stats["allowed_values"]
            elif check.name == "str_matches":
                field["pattern"] = stats["pattern"].lstrip("^").rstrip("$")
            elif check.name == "in_range":
                field.update(minimum=stats["min_value"], maximum=stats["max_value"])
            elif check.name in ("greater_than_or_equal_to", "greater_than"):
                field["minimum"] = stats["min_value"]
            elif check.name == "str_length" and stats.get("min_value"):
                field["text"] = True
        if field["type"] == "string" and not field.pop("text", False) and "enum" not in field:
            field["required"] = False  # may be empty: an empty text is a missing value in CSV
        field.pop("text", None)
        if column in LIST_COLUMNS.get(name, {}):
            field["list"] = LIST_COLUMNS[name][column]
            field.pop("pattern", None)
        out[column] = field
    return out


def primary_key(name: str) -> list[str]:
    """The columns that identify a row: the schema's unique column or unique column set, else none."""
    unique = SCHEMAS[name].unique
    if unique:
        return list(unique)
    return [c for c, spec in SCHEMAS[name].columns.items() if spec.unique][:1]
