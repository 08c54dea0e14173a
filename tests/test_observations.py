"""The first slice of indicators: figures read from the documents, with their provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from indicators import provenance

FIXTURE = Path(__file__).parent / "fixtures" / "handread_slice.yml"

# Figures the foundation issue lists; they must come out exactly.
LISTED = [
    ("grdp_growth", 2021, "estimate", 7.82),
    ("grdp_growth", 2022, "actual", 19.3),
    ("grdp_growth", 2023, "plan", 14.5),
    ("ind_con_share", 2022, "actual", 62.3),
    ("ind_con_share", 2023, "plan", 64.4),
    ("budget_revenue", 2021, "estimate", 15745),
    ("budget_revenue", 2021, "attainment", 156.1),
    ("budget_revenue", 2022, "actual", 18525.5),
    ("budget_revenue", 2022, "attainment", 130),
    ("budget_revenue", 2023, "plan", 15043),
    ("fdi_new_capital", 2022, "actual", 581.49),
    ("poverty_rate", 2022, "actual", 3.81),
    ("poverty_rate", 2023, "plan", 3),
]


@pytest.mark.parametrize("indicator_id, year, kind, value", LISTED)
def test_listed_figures_come_out_exactly(observations, raw_lines, indicator_id, year, kind, value):
    rows = observations[
        (observations["indicator_id"] == indicator_id) & (observations["year"] == year) & (observations["kind"] == kind)
    ]
    assert not rows.empty
    assert list(rows["value"]) == pytest.approx([value] * len(rows))
    for _, row in rows.iterrows():
        assert row["number_as_written"] in row["quote"]
        tokens = provenance.raw_tokens(raw_lines[row["doc_id"]])
        assert provenance.check_quote(tokens, int(row["line"]), row["quote"], row["number_as_written"]) is None


def test_poverty_quote_spans_the_footnotes(observations):
    row = observations[(observations["indicator_id"] == "poverty_rate") & (observations["year"] == 2022)].iloc[0]
    assert "tỷ lệ hộ nghèo toàn tỉnh" in row["quote"] and row["quote"].endswith("xuống còn 3,81%")
    assert (row["doc_id"], row["line"]) == ("report-2022", 1380)


def handread():
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def test_matches_the_hand_read_set(observations, registry):
    doc_of = {}
    for source in registry:
        origin = source.file
        for entry in yaml.safe_load((source.path.parent / "sources.yml").read_text(encoding="utf-8"))["documents"]:
            if entry["doc_id"] == source.doc_id:
                origin = entry.get("origin", origin)
        doc_of[origin] = source.doc_id
    expected = {
        (f["indicator"], f["year"], f["kind"], round(float(f["value"]), 4), doc_of[f["file"]], f["line"])
        for f in handread()["figures"]
    }
    slice_ids = {e[0] for e in expected}
    ours = observations[observations["indicator_id"].isin(slice_ids)]
    actual = {
        (r.indicator_id, int(r.year), r.kind, round(float(r.value), 4), r.doc_id, int(r.line))
        for r in ours.itertuples()
    }
    assert actual == expected
    rejected = {(doc_of[r["file"]], r["line"], str(r["number_as_written"])) for r in handread()["rejected"]}
    found = {(r.doc_id, int(r.line), r.number_as_written) for r in ours.itertuples()}
    assert not rejected & found


def test_every_observation_names_a_known_indicator_and_document(built):
    obs = built["observations"]
    assert set(obs["indicator_id"]) <= set(built["indicators"]["indicator_id"])
    assert set(obs["doc_id"]) <= set(built["documents"]["doc_id"])
    assert (obs["unit"] == obs["indicator_id"].map(built["indicators"].set_index("indicator_id")["unit"])).where(
        obs["kind"] != "attainment", True
    ).all()
