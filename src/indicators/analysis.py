"""Plan against actual: pure functions that take and return DataFrames."""

from __future__ import annotations

import pandas as pd

from .tables import load_table

PLAN_COLUMNS = [
    "indicator_id",
    "year",
    "unit",
    "plan",
    "plan_high",
    "plan_qualifier",
    "plan_doc",
    "actual",
    "actual_qualifier",
    "actual_kind",
    "actual_doc",
    "attainment_stated",
    "attainment_computed",
]


def _first(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """One row per indicator and year: the first after sorting by ``order``."""
    return frame.sort_values(["indicator_id", "year", *order]).drop_duplicates(["indicator_id", "year"])


def plan_vs_actual(
    year: int | None = None,
    family: str | None = None,
    *,
    observations: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per indicator and year with the plan, the actual and the attainment.

    * ``plan``: the target, from the earliest document that sets it;
    * ``actual``: the final figure where one exists, else the estimate (``actual_kind`` says
      which), from the latest document that states it;
    * ``attainment_stated``: the percent of plan the text states ("vượt 30% dự toán" = 130);
    * ``attainment_computed``: actual / plan × 100, where both exist.

    Years without a plan or without a result keep the row, with the missing side empty (NaN),
    never zero. The tables are read from ``data/processed/`` unless given.
    """
    obs = load_table("observations") if observations is None else observations
    docs = load_table("documents") if documents is None else documents
    inds = load_table("indicators") if indicators is None else indicators
    issued = docs.set_index("doc_id")["issued"]
    obs = obs.assign(issued=obs["doc_id"].map(issued))
    if year is not None:
        obs = obs[obs["year"] == year]
    if family is not None:
        obs = obs[obs["indicator_id"].isin(inds.loc[inds["family"] == family, "indicator_id"])]

    plans = _first(obs[obs["kind"] == "plan"], ["issued", "doc_id", "line"])
    results = (
        obs[obs["kind"].isin(["actual", "estimate"])]
        .assign(final=lambda f: f["kind"] == "actual")
        .sort_values(["indicator_id", "year", "final", "issued", "line"], ascending=[True, True, False, False, True])
        .drop_duplicates(["indicator_id", "year"])
    )
    stated = _first(obs[obs["kind"] == "attainment"], ["issued", "doc_id", "line"])

    keys = obs[["indicator_id", "year"]].drop_duplicates()
    table = (
        keys.merge(
            plans[["indicator_id", "year", "value", "value_high", "qualifier", "doc_id"]].rename(
                columns={
                    "value": "plan",
                    "value_high": "plan_high",
                    "qualifier": "plan_qualifier",
                    "doc_id": "plan_doc",
                }
            ),
            how="left",
        )
        .merge(
            results[["indicator_id", "year", "value", "qualifier", "kind", "doc_id"]].rename(
                columns={
                    "value": "actual",
                    "qualifier": "actual_qualifier",
                    "kind": "actual_kind",
                    "doc_id": "actual_doc",
                }
            ),
            how="left",
        )
        .merge(
            stated[["indicator_id", "year", "value"]].rename(columns={"value": "attainment_stated"}),
            how="left",
        )
        .merge(inds[["indicator_id", "unit"]], how="left")
    )
    table["attainment_computed"] = (table["actual"] / table["plan"] * 100).round(1)
    return table[PLAN_COLUMNS].sort_values(["indicator_id", "year"], ignore_index=True)


def summary(table: pd.DataFrame, year: int, lang: str = "en") -> str:
    """One sentence on what the year has: targets, results, or both (Markdown)."""
    rows = table[table["year"] == year]
    n_plan = int(rows["plan"].notna().sum())
    n_result = int(rows["actual"].notna().sum())
    n_estimate = int((rows["actual_kind"] == "estimate").sum())
    if lang == "vi":
        text = f"**Năm {year}:** {n_plan} chỉ tiêu có kế hoạch, {n_result} chỉ tiêu có kết quả"
        text += f" (trong đó {n_estimate} là số ước)." if n_estimate else "."
        if n_result == 0:
            text += " Các văn bản chưa có số liệu thực hiện năm này."
        if n_plan == 0:
            text += " Các văn bản không nêu chỉ tiêu kế hoạch cho năm này."
    else:
        text = f"**{year}:** {n_plan} indicators with a target, {n_result} with a result"
        text += f" ({n_estimate} of them estimates)." if n_estimate else "."
        if n_result == 0:
            text += " The documents give no results for this year yet."
        if n_plan == 0:
            text += " The documents state no targets for this year."
    return text


def evidence(year: int | None = None, *, observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The observations of a year with their provenance: document, line and quote."""
    obs = load_table("observations") if observations is None else observations
    if year is not None:
        obs = obs[obs["year"] == year]
    columns = ["indicator_id", "year", "kind", "value", "unit", "qualifier", "doc_id", "line", "quote"]
    return obs[columns].reset_index(drop=True)
