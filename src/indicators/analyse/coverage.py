"""Coverage: which indicators the sources give, for which years and kinds."""

from __future__ import annotations

import pandas as pd

from indicators.analyse.statements import annual

KINDS = ("plan", "actual", "estimate", "attainment")
COLUMNS = ["family", "indicator_id", "year", *KINDS, "observations", "documents"]


def coverage_table(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator and year with data: how many figures of each kind, from which documents (the
    province's whole-year figures: a part of a year does not cover it)."""
    obs = annual(observations).merge(indicators[["indicator_id", "family"]], on="indicator_id", how="left")
    counts = pd.crosstab([obs["family"], obs["indicator_id"], obs["year"]], obs["kind"])
    counts = counts.reindex(columns=list(KINDS), fill_value=0)
    docs = obs.groupby(["family", "indicator_id", "year"])["doc_id"].agg(lambda d: " ".join(sorted(set(d))))
    table = counts.assign(observations=counts.sum(axis=1), documents=docs).reset_index()
    table.columns.name = None
    table["year"] = table["year"].astype("Int64")
    return (
        table[COLUMNS]
        .sort_values(["family", "indicator_id", "year"], ignore_index=True)
        .astype({k: int for k in (*KINDS, "observations")})
    )


def coverage_matrix(coverage: pd.DataFrame, family: str | None = None) -> pd.DataFrame:
    """Indicators × years; each cell lists the kinds given: P plan, A actual, E estimate, % attainment."""
    if family is not None:
        coverage = coverage[coverage["family"] == family]
    letters = {"plan": "P", "actual": "A", "estimate": "E", "attainment": "%"}
    cells = coverage.assign(kinds=coverage.apply(lambda r: "".join(letters[k] for k in KINDS if r[k] > 0), axis=1))
    matrix = cells.pivot_table(index=["family", "indicator_id"], columns="year", values="kinds", aggfunc="first")
    return matrix.fillna("·")
