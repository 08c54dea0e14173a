"""Pandera schemas of the processed tables, checked when a table is written and when it is read."""

from __future__ import annotations

import pandera.pandas as pa

from .numbers import QUALIFIER_SYMBOLS
from .sources import DOC_TYPES

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
_YEAR = pa.Check.in_range(1990, 2100)
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
        "higher_is_better": pa.Column(bool),
        "decimals": pa.Column(int, pa.Check.in_range(0, 6)),
        "description": pa.Column(str, _TEXT),
        "phrases": pa.Column(str),
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
        "value": pa.Column(float),
        "value_high": pa.Column(float, nullable=True),
        "unit": pa.Column(str, _TEXT),
        "qualifier": pa.Column(str, pa.Check.isin(QUALIFIER_SYMBOLS)),
        "number_as_written": pa.Column(str, _TEXT),
        "unit_as_written": pa.Column(str),
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
            lambda df: df.apply(lambda r: r["number_as_written"] in r["quote"], axis=1).all() if len(df) else True,
            error="quote without its numeral",
        ),
    ],
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
        "year": pa.Column("Int64", _YEAR, nullable=True),
        "subject": pa.Column(str),
        "head_id": pa.Column(int, pa.Check.ge(1)),
        "anchor_id": pa.Column(int, pa.Check.ge(1)),
        "quote": pa.Column(str, _TEXT),
        "sentence": pa.Column(str, _TEXT),
    },
    unique=["doc_id", "mention_id"],
    strict=True,
    ordered=True,
    name="mentions",
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

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "documents": documents,
    "indicators": indicators,
    "observations": observations,
    "mentions": mentions,
    "sentences": sentences,
    "coverage": coverage,
}
