"""Small hand-made tables for testing the comparison logic."""

from __future__ import annotations

import pandas as pd

DOCUMENTS = pd.DataFrame({"doc_id": ["old", "new"], "issued": ["2021-12", "2022-12"], "file": ["old.txt", "new.txt"]})


def indicators(*rows) -> pd.DataFrame:
    """rows: (indicator_id, unit, higher_is_better)"""
    return pd.DataFrame(
        [{"indicator_id": i, "family": "growth", "unit": u, "higher_is_better": h, "plan_from": ""} for i, u, h in rows]
    )


def observations(*rows) -> pd.DataFrame:
    """rows: (indicator_id, year, kind, number_as_written, value[, qualifier[, value_high[, doc_id[, line]]]])"""
    out = []
    for n, row in enumerate(rows, 1):
        iid, year, kind, written, value, *rest = row
        qualifier = rest[0] if len(rest) > 0 else ""
        high = rest[1] if len(rest) > 1 else float("nan")
        doc = rest[2] if len(rest) > 2 else "new"
        line = rest[3] if len(rest) > 3 else n
        out.append(
            {
                "indicator_id": iid,
                "year": year,
                "kind": kind,
                "value": float(value),
                "value_high": high,
                "unit": "%",
                "qualifier": qualifier,
                "number_as_written": written,
                "unit_as_written": "%",
                "doc_id": doc,
                "line": line,
                "quote": f"... {written} ...",
                "mention_id": n,
            }
        )
    frame = pd.DataFrame(out)
    frame["year"] = frame["year"].astype("Int64")
    return frame
