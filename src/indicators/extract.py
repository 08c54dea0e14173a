"""Catalog indicators from quantity mentions: the ``observations`` table.

Each observation is one figure a document states for an indicator and year, with its kind
(actual, estimate, plan, attainment) and its provenance (document, line, quote).
"""

from __future__ import annotations

import pandas as pd

from .catalog import Catalog
from .mentions import Mention

COLUMNS = [
    "indicator_id", "year", "kind", "value", "value_high", "unit", "qualifier", "number_as_written",
    "unit_as_written", "doc_id", "line", "quote", "mention_id",
]
SORT = ["indicator_id", "year", "kind", "doc_id", "line", "mention_id"]


def match_mention(mention: Mention, catalog: Catalog) -> str | None:
    """The indicator a (non-attainment) mention states, if a catalog rule matches it."""
    fields = {"subject": mention.subject, "clause": mention.clause_text, "sentence": mention.sentence}
    for indicator in catalog.indicators:
        if any(rule.matches(fields, mention.cue, mention.unit) for rule in indicator.rules):
            return indicator.indicator_id
    return None


def observations(mentions: list[Mention], catalog: Catalog) -> pd.DataFrame:
    """Map mentions to catalog indicators. A stated attainment belongs to its anchor's indicator."""
    mapped: dict[tuple[str, int], str] = {}
    rows = []
    for m in mentions:
        if m.cue == "attainment":
            indicator_id = mapped.get((m.doc_id, m.anchor_id))
        else:
            indicator_id = match_mention(m, catalog)
        if indicator_id is None:
            continue
        mapped[(m.doc_id, m.mention_id)] = indicator_id
        rows.append(
            {
                "indicator_id": indicator_id,
                "year": m.year,
                "kind": m.kind,
                "value": m.value,
                "value_high": m.value_high,
                "unit": "%" if m.cue == "attainment" else catalog[indicator_id].unit,
                "qualifier": m.qualifier,
                "number_as_written": m.text,
                "unit_as_written": m.unit_as_written,
                "doc_id": m.doc_id,
                "line": m.line,
                "quote": m.quote,
                "mention_id": m.mention_id,
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS).astype(
        {"value": float, "value_high": float, "year": "Int64", "line": int, "mention_id": int}
    )
    return frame.sort_values(SORT, ignore_index=True)
