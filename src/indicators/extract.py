"""Catalog indicators from quantity mentions: the ``observations`` table.

Each observation is one figure a document states for an indicator and year, with its kind
(actual, estimate, plan, attainment) and its provenance (document, line, quote).
"""

from __future__ import annotations

import pandas as pd

from .catalog import Catalog
from .mentions import Mention

COLUMNS = [
    "indicator_id",
    "year",
    "kind",
    "value",
    "value_high",
    "unit",
    "qualifier",
    "number_as_written",
    "unit_as_written",
    "doc_id",
    "line",
    "quote",
    "mention_id",
]
SORT = ["indicator_id", "year", "kind", "doc_id", "line", "mention_id"]


def matching_indicators(mention: Mention, catalog: Catalog, nth: int = 1) -> list[str]:
    """Every indicator one of whose rules matches a (non-attainment) mention."""
    fields = {
        "subject": mention.subject,
        "clause": mention.clause_text,
        "sentence": mention.sentence,
        "section": mention.section,
    }
    return [
        indicator.indicator_id
        for indicator in catalog.indicators
        if any(rule.matches(fields, mention.cue, mention.unit, mention.kind, nth) for rule in indicator.rules)
    ]


def positions(mentions: list[Mention]) -> dict[tuple[str, int], int]:
    """For each mention, its position (1-based) among the mentions of its clause with the same cue."""
    counter: dict[tuple, int] = {}
    out = {}
    for m in mentions:
        key = (m.doc_id, m.sentence_id, m.clause, m.cue)
        counter[key] = counter.get(key, 0) + 1
        out[(m.doc_id, m.mention_id)] = counter[key]
    return out


def observations(mentions: list[Mention], catalog: Catalog) -> pd.DataFrame:
    """Map mentions to catalog indicators. A stated attainment belongs to its anchor's indicator.

    Where rules of several indicators match one mention, the first indicator of the catalog wins
    (the tests check that this does not happen).
    """
    mapped: dict[tuple[str, int], str] = {}
    nth = positions(mentions)
    rows = []
    for m in mentions:
        indicator_id = None
        if m.cue == "attainment" and m.anchor_id != m.mention_id:
            indicator_id = mapped.get((m.doc_id, m.anchor_id))
        else:  # a level, or an attainment that refers to no level ("tỷ lệ giải ngân ... đạt 96% kế hoạch")
            found = matching_indicators(m, catalog, nth[(m.doc_id, m.mention_id)])
            indicator_id = found[0] if found else None
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


def unmapped(mentions: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """The mentions no catalog rule maps to an indicator: what to look at when extending the catalog
    for a new document (``indicators mentions --unmapped --doc ID``)."""
    claimed = observations[["doc_id", "mention_id"]].drop_duplicates()
    merged = mentions.merge(claimed, on=["doc_id", "mention_id"], how="left", indicator=True)
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge").reset_index(drop=True)
