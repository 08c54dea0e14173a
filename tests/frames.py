"""Small hand-made tables for testing the comparison logic."""

from __future__ import annotations

import pandas as pd

from indicators.analyse import comparisons, statements

DOCUMENTS = pd.DataFrame({"doc_id": ["old", "new"], "issued": ["2021-12", "2023-01"], "file": ["old.txt", "new.txt"]})
OUTCOME_COLUMNS = ["doc_id", "line", "year", "indicator_id", "outcome", "scope", "subject", "phrase", "quote"]


def indicators(*rows) -> pd.DataFrame:
    """rows: (indicator_id, unit, direction[, measure])"""
    return pd.DataFrame([{"indicator_id": r[0], "family": "growth", "unit": r[1], "direction": r[2], "plan_from": "",
                          "measure": r[3] if len(r) > 3 else "level", "breakdown": "", "curated": True}
                         for r in rows])


def observations(*rows) -> pd.DataFrame:
    """rows: (indicator_id, year, kind, number_as_written, value[, qualifier[, value_high[, doc_id[, line[,
    quote]]]]])"""
    out = []
    for n, row in enumerate(rows, 1):
        iid, year, kind, written, value, *rest = row
        out.append({
            "indicator_id": iid, "year": year, "kind": kind, "period": "year", "value": float(value),
            "value_high": rest[1] if len(rest) > 1 else float("nan"), "denominator": float("nan"), "unit": "%",
            "qualifier": rest[0] if rest else "", "number_as_written": written, "unit_as_written": "%",
            "concept": iid, "measure": "attainment" if kind == "attainment" else "level", "breakdown": "",
            "doc_id": rest[2] if len(rest) > 2 else "new", "line": rest[3] if len(rest) > 3 else n,
            "quote": rest[4] if len(rest) > 4 else f"... {written} ...", "mention_id": n,
        })
    frame = pd.DataFrame(out)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def outcomes(*rows) -> pd.DataFrame:
    """rows: (indicator_id, year, outcome[, doc_id])"""
    return pd.DataFrame([{"doc_id": r[3] if len(r) > 3 else "new", "line": 1, "year": r[1], "indicator_id": r[0],
                          "outcome": r[2], "scope": "", "subject": r[0], "phrase": r[2], "quote": r[0]}
                         for r in rows], columns=OUTCOME_COLUMNS)


def latest(obs: pd.DataFrame, documents: pd.DataFrame = DOCUMENTS) -> pd.DataFrame:
    derived = pd.DataFrame(columns=statements.DERIVED_COLUMNS)
    return statements.latest_results(statements.vintages(obs, documents, derived))


def compare(obs: pd.DataFrame, inds: pd.DataFrame, said: pd.DataFrame | None = None, documents=DOCUMENTS):
    """plan_vs_actual of hand-made tables, indexed by indicator."""
    said = outcomes() if said is None else said
    return comparisons.plan_vs_actual(obs, documents, inds, latest(obs, documents), said).set_index("indicator_id")
