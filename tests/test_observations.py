"""Observations: the hand-checked figures of earlier versions keep their values (under today's composed
ids, catalog.yml `renamed:`), with their provenance; qualifiers, ranges and contradictions are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from indicators.read import catalog, provenance

RENAMED = catalog.load_catalog().renamed


def today(key: tuple) -> tuple:
    """A hand-read key of an earlier version (indicator, year, kind, value, document, line) with today's id."""
    return (RENAMED.get(key[0], key[0]), *key[1:])

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "handread_slice.yml"
CATALOG_FIXTURE = FIXTURES / "handread_catalog.yml"

# Where the extraction deliberately reads a hand-read figure differently (the hand reader had the
# catalog but not these decisions). Keyed by (hand-read indicator, year, kind, value, document, line).
KNOWN = {
    # Footnote 20 restates the public investment plan and its implementation on a second basis
    # (excluding the land-revenue surplus left to districts); the catalog keeps that basis as
    # separate indicators so that plan and actual compare like with like.
    ("public_investment_plan", 2022, "actual", 10994.0, "report-2022", 748): (
        "public_investment_plan_excl_land",
        2022,
        "plan",
        10994.0,
        "report-2022",
        748,
    ),
    ("public_investment_implemented", 2022, "actual", 10691.0, "report-2022", 748): (
        "public_investment_implemented_excl_land",
        2022,
        "actual",
        10691.0,
        "report-2022",
        748,
    ),
    ("public_investment_implemented", 2022, "attainment", 97.2, "report-2022", 748): (
        "public_investment_implemented_excl_land",
        2022,
        "attainment",
        97.2,
        "report-2022",
        748,
    ),
    ("public_investment_disbursed", 2022, "actual", 10524.0, "report-2022", 748): (
        "public_investment_disbursed_excl_land",
        2022,
        "actual",
        10524.0,
        "report-2022",
        748,
    ),
    ("public_investment_disbursed", 2022, "attainment", 95.7, "report-2022", 750): (
        "public_investment_disbursed_excl_land",
        2022,
        "attainment",
        95.7,
        "report-2022",
        750,
    ),
    # A capital plan ("kế hoạch vốn ... là 12.491,3 tỷ đồng") is recorded as kind plan: it is the
    # plan that implementation (12.080, "bằng 96,7% kế hoạch") is measured against.
    ("public_investment_plan", 2022, "actual", 12491.3, "report-2022", 654): (
        "public_investment_plan",
        2022,
        "plan",
        12491.3,
        "report-2022",
        654,
    ),
    # "Chỉ số chuyển đổi số cấp tỉnh (DTI) đứng thứ 10 cả nước" states no year; the extraction
    # takes its section's (2022 results), the hand reader the previous sentence's (2021).
    ("dti_rank", 2021, "actual", 10.0, "report-2022", 1511): ("dti_rank", 2022, "actual", 10.0, "report-2022", 1511),
    # The composed reading follows the words where the earlier catalog's rules read a figure as another one:
    # the press release's gross output sits under the bullet "Công nghiệp - xây dựng" (industry and construction);
    ("gross_output_industry", 2021, "actual", 300000.0, "press-2021", 25): (
        "gross_output_ind_con", 2021, "actual", 300000.0, "press-2021", 25),
    ("gross_output_industry", 2021, "attainment", 88.0, "press-2021", 25): (
        "gross_output_ind_con", 2021, "attainment", 88.0, "press-2021", 25),
    # the garbled line 375 of the 2022 report says "tổng giá trị xuất, nhập khẩu" (the import-export total);
    ("exports", 2022, "actual", 22600.0, "report-2022", 375): (
        "trade_total", 2022, "actual", 22600.0, "report-2022", 375),
    ("exports_growth", 2022, "actual", 42.4, "report-2022", 377): (
        "trade_total_growth", 2022, "actual", 42.4, "report-2022", 377),
    # "1.684 DN và 154 chi nhánh ... thành lập mới": "newly founded" is said after the next figure;
    ("new_enterprises", 2022, "actual", 1684.0, "report-2022", 1009): (
        "enterprises", 2022, "actual", 1684.0, "report-2022", 1009),
    # the 2023 target says "xử lý trực tuyến" (online), not "hoàn toàn trực tuyến" (fully online).
    ("fully_online_dossiers_rate", 2023, "plan", 60.0, "report-2022", 2977): (
        "dossiers_online_rate", 2023, "plan", 60.0, "report-2022", 2977),
}

# Figures the foundation issue lists; they must come out exactly.
LISTED = [
    ("grdp_growth", 2021, "estimate", 7.82),
    ("grdp_growth", 2022, "actual", 19.3),
    ("grdp_growth", 2023, "plan", 14.5),
    ("grdp_ind_con_share", 2022, "actual", 62.3),
    ("grdp_ind_con_share", 2023, "plan", 64.4),
    ("budget_revenue", 2021, "estimate", 15745),
    ("budget_revenue", 2021, "attainment", 156.1),
    ("budget_revenue", 2022, "actual", 18525.5),
    ("budget_revenue", 2022, "attainment", 130),
    ("budget_revenue", 2023, "plan", 15043),
    ("registered_capital_fdi_new_usd", 2022, "actual", 581.49),
    ("poverty_rate", 2022, "actual", 3.81),
    ("poverty_rate", 2023, "plan", 3),
]


@pytest.mark.parametrize("indicator_id, year, kind, value", LISTED)
def test_listed_figures_come_out_exactly(observations, raw_lines, indicator_id, year, kind, value):
    rows = observations[
        (observations["indicator_id"] == indicator_id) & (observations["year"] == year) & (observations["kind"] == kind)
    ]
    assert not rows.empty
    assert value in list(rows["value"]) or pytest.approx(value) in list(rows["value"])
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
        today((f["indicator"], f["year"], f["kind"], round(float(f["value"]), 4), doc_of[f["file"]], f["line"]))
        for f in handread()["figures"]
    }
    actual = observation_keys(observations)
    assert expected <= actual
    rejected = {(doc_of[r["file"]], r["line"], str(r["number_as_written"])) for r in handread()["rejected"]}
    slice_ids = {e[0] for e in expected}
    found = {(r.doc_id, int(r.line), r.number_as_written) for r in observations.itertuples()
             if r.indicator_id in slice_ids}
    assert not rejected & found


def observation_keys(observations, indicator_ids=None):
    rows = observations if indicator_ids is None else observations[observations["indicator_id"].isin(indicator_ids)]
    return {
        (r.indicator_id, int(r.year), r.kind, round(float(r.value), 4), r.doc_id, int(r.line))
        for r in rows.itertuples()
    }


def test_matches_the_hand_read_catalog_set(observations, registry):
    """318 figures of all 168 indicators of the earlier catalog, read by hand from all documents, are all still
    observed, with the same year, kind and value, under the id their old one was renamed to."""
    doc_of = {
        e["origin"]: e["doc_id"]
        for e in yaml.safe_load((registry[0].path.parent / "sources.yml").read_text(encoding="utf-8"))["documents"]
    }
    figures = yaml.safe_load(CATALOG_FIXTURE.read_text(encoding="utf-8"))["figures"]
    expected = set()
    for f in figures:
        key = (
            f["indicator"],
            int(f["year"]),
            f["kind"],
            round(float(f["value"]), 4),
            doc_of[f["file"]],
            int(f["line"]),
        )
        expected.add(today(KNOWN.get(key, key)))
    assert len(figures) >= 300 and len({f["file"] for f in figures}) == 4
    missing = expected - observation_keys(observations)
    assert missing == set()


def test_qualifiers_and_ranges_are_kept(observations):
    def row(indicator_id, year):
        return observations[
            (observations["indicator_id"] == indicator_id)
            & (observations["year"] == year)
            & (observations["kind"] != "attainment")
        ].iloc[0]

    assert row("health_insurance", 2022)["qualifier"] == ">"  # "đạt trên 99,2%"
    per_ha = row("gross_output_per_ha", 2023)  # "đạt 135-140 triệu đồng"
    assert (per_ha["qualifier"], per_ha["value"], per_ha["value_high"]) == ("range", 135, 140)
    assert row("procedures_provided_rate", 2024)["qualifier"] == ">="  # "Tối thiểu 80 %"


def test_contradictory_statements_are_both_kept(observations):
    # the 2022 report states the state budget's share of investment as 16% and as 24,7%
    shares = observations[
        (observations["indicator_id"] == "dev_investment_state_budget_share") & (observations["year"] == 2022)
    ]
    assert sorted(shares["value"]) == [16.0, 24.7]


def test_every_observation_names_a_known_indicator_and_document(built):
    obs = built["observations"]
    assert set(obs["indicator_id"]) <= set(built["indicators"]["indicator_id"])
    assert set(obs["doc_id"]) <= set(built["documents"]["doc_id"])
    assert (
        (obs["unit"] == obs["indicator_id"].map(built["indicators"].set_index("indicator_id")["unit"]))
        .where(obs["kind"] != "attainment", True)
        .all()
    )


def test_a_group_rank_by_another_measure_is_not_the_pci_rank(observations):
    """"nằm trong nhóm 05 tỉnh thành có tỷ lệ DN FDI dự định mở rộng quy mô cao nhất" (a footnote of the 2022
    report) ranks the province by FDI firms' plans, not by the PCI: the 2021 PCI rank is 31/63 alone."""
    ranks = observations[(observations["indicator_id"] == "pci_rank") & (observations["year"] == 2021)]
    assert set(ranks["value"]) == {31.0}
