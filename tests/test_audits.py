"""Revisions and consistency audits: each check passing and failing on purpose, and the real contradictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from frames import DOCUMENTS, indicators, observations

from indicators.analyse import audits, comparisons, statements
from indicators.read import catalog


def test_budget_revenue_2021_revision(built):
    rev = built["revisions"]
    rows = rev[(rev["indicator_id"] == "budget_revenue") & (rev["year"] == 2021)].set_index("vintage")
    assert rows.loc[1, ["doc_id", "basis", "is_estimate", "value"]].tolist() == ["press-2021", "stated", True, 15745]
    assert rows.loc[2, ["doc_id", "basis"]].tolist() == ["report-2022", "derived"]  # 18.525,5 "bằng 84,4% năm 2021"
    assert rows.loc[2, "revision"] == pytest.approx(21950 - 15745, abs=1)
    assert rows.loc[2, "revision_pct"] == pytest.approx(39.4, abs=0.1)
    attracted = rev[(rev["indicator_id"] == "investment_attracted") & (rev["year"] == 2021)]
    assert attracted["value"].tolist() == [1260, pytest.approx(1596.2, abs=0.1)]  # the growth rate attached


def test_a_revision_of_a_percentage_is_in_points():
    obs = observations(("r", 2021, "estimate", "20", 20.0, "", np.nan, "old"), ("r", 2021, "actual", "30", 30.0))
    vintages = statements.vintages(obs, DOCUMENTS, pd.DataFrame(columns=statements.DERIVED_COLUMNS))
    rev = audits.revisions(vintages, pd.Series({"r": "%"})).set_index("vintage")
    assert (rev.loc[2, "revision"], rev.loc[2, "revision_unit"]) == (10.0, "pp") and pd.isna(rev.loc[2, "revision_pct"])


def test_real_audits(built):
    a = built["audits"]
    status = {(r.check, r.subject, int(r.year), r.kind, r.observed): r.status for r in a.itertuples()}
    assert status[("sum", "GRDP structure (shares of GRDP)", 2022, "actual", 100.0)] == "pass"
    assert status[("previous_level", "budget_revenue", 2021, "estimate", 21949.645)] == "fail"  # revised
    implemented = a[(a["check"] == "attainment") & (a["subject"] == "public_investment_implemented")]
    assert implemented["status"].tolist() == ["pass"]  # 12.080 / 12.491,3 = 96,7%, as stated
    # the report states the shares of investment by source twice; the amounts show which set is consistent
    shares = a[a["check"] == "share_amount"].set_index(["subject", "observed"])["status"]
    assert shares[("dev_investment_state_budget_share", 16.0)] == "pass"  # 11.687 of 73.848 tỷ đồng = 15,8%
    assert shares[("dev_investment_state_budget_share", 24.7)] == "fail"
    assert shares[("dev_investment_households_share", 46.0)] == "pass"
    assert shares[("dev_investment_households_share", 42.8)] == "fail"
    assert a["fails_when"].str.len().gt(20).all()  # every check says what would make it fail


@pytest.fixture
def cat_with_sum():
    base = catalog.load_catalog()
    spec = {"name": "parts", "parts": ["a", "b"], "total": "t"}
    return catalog.Catalog(base.indicators, base.units, base.families, base.path, (), (spec,), {})


@pytest.mark.parametrize("b, status", [("40,0", "pass"), ("40,1", "pass"), ("40,2", "fail")])
def test_sum_audit(cat_with_sum, b, status):
    obs = observations(("a", 2022, "actual", "60,0", 60.0), ("b", 2022, "actual", b, float(b.replace(",", "."))),
                       ("t", 2022, "actual", "100,0", 100.0))
    rows = audits.sum_audits(obs, cat_with_sum)
    assert [r["status"] for r in rows] == [status] and rows[0]["tolerance"] == pytest.approx(0.15)


@pytest.mark.parametrize("share, status", [("15,8", "pass"), ("16", "pass"), ("24,7", "fail")])
def test_share_against_amounts_audit(share, status):
    obs = observations(("inv", 2022, "actual", "73.848", 73848.0), ("inv_state", 2022, "actual", "11.687", 11687.0),
                       ("inv_state_share", 2022, "actual", share, float(share.replace(",", "."))))
    obs["concept"] = "inv"
    obs["breakdown"] = ["", "source=state_budget", "source=state_budget"]
    obs["measure"] = ["level", "level", "share"]
    obs["unit"] = ["bn VND", "bn VND", "%"]
    rows = audits.share_audits(obs)
    assert [r["status"] for r in rows] == [status]


@pytest.mark.parametrize("stated, status", [("96,7", "pass"), ("95,0", "fail")])
def test_attainment_audit(stated, status):
    obs = observations(("x", 2022, "plan", "12.491,3", 12491.3), ("x", 2022, "actual", "12.080", 12080.0),
                       ("x", 2022, "attainment", stated, float(stated.replace(",", "."))))
    implied = comparisons.implied_plans(obs, DOCUMENTS, indicators(("x", "bn VND", "higher")))
    assert [r["status"] for r in audits.attainment_audits(obs, implied)] == [status]


@pytest.mark.parametrize("second, status", [("19,3", "pass"), ("19,4", "fail")])
def test_duplicate_audit(second, status):
    obs = observations(("x", 2022, "actual", "19,3", 19.3), ("x", 2022, "actual", second,
                                                              float(second.replace(",", "."))))
    assert [r["status"] for r in audits.duplicate_audits(obs)] == [status]


@pytest.mark.parametrize("previous, status", [("100", "pass"), ("90", "fail")])
def test_previous_level_audit(previous, status):
    obs = observations(("x", 2021, "actual", previous, float(previous), "", np.nan, "old", 3))
    derived = pd.DataFrame([{"indicator_id": "x", "year": 2021, "doc_id": "new", "kind": "derived", "value": 100.0,
                             "tolerance": 0.5, "derivation": "2022 110 with growth 10", "line": 5,
                             "quote": "đạt 110, tăng 10% so với năm 2021"}])
    vintages = statements.vintages(obs, DOCUMENTS, derived)
    assert [r["status"] for r in audits.previous_level_audits(vintages)] == [status]


def test_every_check_can_fail_and_says_when(built):
    """Each kind of check has failed somewhere above on purpose; the real table names the condition of each."""
    assert set(built["audits"]["check"]) == set(audits.CHECKS)
    for check, when in audits.CHECKS.items():
        assert (built["audits"].loc[built["audits"]["check"] == check, "fails_when"] == when).all()
