"""The processed tables and their pandera schemas."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import tables
from indicators.errors import IndicatorsError


@pytest.mark.parametrize("name", tables.TABLES)
def test_committed_tables_load_and_validate(name, root):
    frame = tables.load_table(name, root / "data" / "processed")
    assert len(frame) > 0


def test_observation_schema_refuses_bad_rows(observations):
    bad_kind = observations.copy()
    bad_kind.loc[0, "kind"] = "guess"
    with pytest.raises(IndicatorsError, match="observations"):
        tables.validate(bad_kind, "observations")
    no_numeral = observations.copy()
    no_numeral.loc[0, "quote"] = "tăng trưởng"
    with pytest.raises(IndicatorsError, match="quote without its numeral"):
        tables.validate(no_numeral, "observations")
    missing = observations.drop(columns=["quote"])
    with pytest.raises(IndicatorsError):
        tables.validate(missing, "observations")


def test_a_corrupt_table_is_refused_on_load(tmp_path, observations):
    observations.drop(columns=["line"]).to_parquet(tmp_path / "observations.parquet")
    with pytest.raises(IndicatorsError, match=r"observations\.parquet"):
        tables.load_table("observations", tmp_path)


def test_the_table_set_is_written_as_a_whole(tmp_path, built):
    out = tmp_path / "processed"
    tables.write_set({"documents": built["documents"], "indicators": built["indicators"]}, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = built["documents"].assign(doc_type="memo")
    with pytest.raises(IndicatorsError):
        tables.write_set({"documents": broken, "indicators": built["indicators"]}, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".processed.lock", "processed"]  # nothing left over


def test_parquet_has_types_and_nulls_the_csv_has_as_empty_cells(root):
    parquet = pd.read_parquet(root / "data" / "processed" / "observations.parquet")
    csv = pd.read_csv(root / "data" / "processed" / "observations.csv")
    assert isinstance(parquet["kind"].dtype, pd.CategoricalDtype)
    assert list(parquet["kind"].cat.categories) == ["actual", "estimate", "plan", "attainment"]
    assert parquet["qualifier"].isna().sum() == csv["qualifier"].isna().sum() > 0  # missing: null in both
    documents = pd.read_parquet(root / "data" / "processed" / "documents.parquet").set_index("doc_id")
    assert list(documents.loc["report-2022", "target_years"]) == [2023]  # a list of years, not a string
    assert tables.load_table("documents").set_index("doc_id").loc["report-2022", "target_years"] == "2023"
    audits = pd.read_csv(root / "data" / "processed" / "audits.csv")
    assert audits["doc_ids"].str.contains(" ").any() and not audits["doc_ids"].str.contains(";").any()  # spaces
    pva = pd.read_parquet(root / "data" / "processed" / "plan_vs_actual.parquet")
    assert isinstance(pva["status"].dtype, pd.CategoricalDtype)  # the schema fixes its values
    assert not isinstance(pva["unit"].dtype, pd.CategoricalDtype)  # the catalog's: plain text, as README says
    assert not isinstance(pva["family"].dtype, pd.CategoricalDtype)


def test_csv_is_sorted_and_utf8(root):
    csv = (root / "data" / "processed" / "observations.csv").read_text(encoding="utf-8")
    frame = pd.read_csv(root / "data" / "processed" / "observations.csv")
    keys = ["indicator_id", "year", "kind", "doc_id", "line", "mention_id"]
    assert frame[keys].equals(frame[keys].sort_values(keys, ignore_index=True))
    assert "Tổng thu NSNN" in csv
