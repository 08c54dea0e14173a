"""Revisions and consistency audits: each check passing and failing, and the real contradictions."""

from __future__ import annotations

import pandas as pd
import pytest
from frames import DOCUMENTS, indicators, observations

from indicators import audits, catalog


def test_budget_revenue_2021_revision(built):
    rev = built["revisions"]
    rows = rev[(rev["indicator_id"] == "budget_revenue") & (rev["year"] == 2021)].set_index("vintage")
    assert (rows.loc[1, "doc_id"], rows.loc[1, "kind"], rows.loc[1, "value"]) == ("press-2021", "estimate", 15745)
    assert (rows.loc[2, "doc_id"], rows.loc[2, "kind"]) == ("report-2022", "derived")
    assert rows.loc[2, "value"] == pytest.approx(21950, abs=1)  # 18.525,5 "bằng 84,4% năm 2021"
    assert rows.loc[2, "revision_pct"] == pytest.approx(39.4, abs=0.1)


def test_real_audits(built):
    a = built["audits"]
    status = {(r.check, r.subject, int(r.year), r.kind): r.status for r in a.itertuples()}
    assert status[("sum", "GRDP structure (shares of GRDP)", 2022, "actual")] == "pass"
    assert status[("sum", "Sector contributions to GRDP growth", 2022, "actual")] == "pass"
    assert status[("previous_level", "budget_revenue", 2021, "estimate")] == "fail"
    assert status[("previous_level", "grdp_per_capita", 2021, "actual")] == "pass"
    assert status[("attainment", "public_investment_implemented", 2022, "attainment")] == "pass"
    # the contradicting shares of investment by source in the 2022 report are surfaced
    contradictions = a[(a["check"] == "duplicate") & (a["status"] == "fail")]
    assert set(contradictions["subject"]) >= {
        "dev_investment_state_budget_share",
        "dev_investment_fdi_share",
        "dev_investment_households_share",
        "dev_investment_enterprises_share",
    }
    shares = contradictions[contradictions["subject"].str.startswith("dev_investment_") &
                            contradictions["subject"].str.endswith("_share")]
    assert len(shares) == 4 and all("report-2022:6" in d for d in shares["detail"])


@pytest.fixture
def cat_with_sum():
    base = catalog.load_catalog()
    spec = {"name": "parts", "parts": ["a", "b"], "total": "t"}
    return catalog.Catalog(base.indicators, base.units, base.families, base.path, (), (spec,), {})


@pytest.mark.parametrize("b, status", [("40,0", "pass"), ("40,1", "pass"), ("40,2", "fail")])
def test_sum_audit(cat_with_sum, b, status):
    obs = observations(
        ("a", 2022, "actual", "60,0", 60.0),
        ("b", 2022, "actual", b, float(b.replace(",", "."))),
        ("t", 2022, "actual", "100,0", 100.0),
    )
    rows = audits.sum_audits(obs, cat_with_sum)
    assert [r["status"] for r in rows] == [status]
    assert rows[0]["tolerance"] == pytest.approx(0.15)


@pytest.mark.parametrize("stated, status", [("96,7", "pass"), ("95,0", "fail")])
def test_attainment_audit(stated, status):
    obs = observations(
        ("x", 2022, "plan", "12.491,3", 12491.3),
        ("x", 2022, "actual", "12.080", 12080.0),
        ("x", 2022, "attainment", stated, float(stated.replace(",", "."))),
    )
    from indicators import analysis

    implied = analysis.implied_plans(
        observations=obs, documents=DOCUMENTS, indicators=indicators(("x", "bn VND", True))
    )
    rows = audits.attainment_audits(obs, implied)
    assert [r["status"] for r in rows] == [status]


@pytest.mark.parametrize("second, status", [("19,3", "pass"), ("19,4", "fail")])
def test_duplicate_audit(second, status):
    obs = observations(
        ("x", 2022, "actual", "19,3", 19.3), ("x", 2022, "actual", second, float(second.replace(",", ".")))
    )
    rows = audits.duplicate_audits(obs)
    assert [r["status"] for r in rows] == [status]


def mention_rows(*rows):
    cols = ["doc_id", "mention_id", "head_id", "anchor_id", "cue", "unit", "quote", "text", "number", "line"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)


@pytest.mark.parametrize("previous, status", [("100", "pass"), ("90", "fail")])
def test_previous_level_audit(previous, status):
    obs = observations(
        ("x", 2022, "actual", "110", 110.0, "", float("nan"), "new", 5),
        ("x", 2021, "actual", previous, float(previous), "", float("nan"), "old", 3),
    )
    obs.loc[0, "mention_id"] = 1
    ments = mention_rows(
        ("new", 1, 1, 1, "level", "%", "đạt 110", "110", 110.0, 5),
        ("new", 2, 1, 1, "growth", "%", "đạt 110, tăng 10% so với năm 2021", "10", 10.0, 5),
    )
    rev = audits.revisions(observations=obs, mentions=ments, documents=DOCUMENTS)
    derived = rev[rev["kind"] == "derived"].iloc[0]
    assert (derived["year"], derived["value"]) == (2021, 100)
    rows = audits.previous_level_audits(rev)
    assert [r["status"] for r in rows] == [status]


def test_change_of_a_share_gives_the_previous_share():
    obs = observations(("s", 2022, "actual", "62,3", 62.3))
    ments = mention_rows(
        ("new", 1, 1, 1, "share", "%", "chiếm 62,3%", "62,3", 62.3, 1),
        ("new", 2, 1, 1, "pp_change", "%", "chiếm 62,3%, tăng 4,5%", "4,5", 4.5, 1),
        ("new", 3, 3, 3, "share", "%", "chiếm 14,9%", "14,9", 14.9, 2),
    )
    derived = audits.derived_values(obs, ments)
    assert derived[["year", "value"]].values.tolist() == [[2021, 57.8]]
