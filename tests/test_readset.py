"""The reading measured on whole texts it was not fitted to (tests/fixtures/readset: 16 texts of other provinces'
shapes, 617 figures read by hand), each added with `add-source FILE` alone to one empty project (issue 23, item 7).
The README's data section gives these figures."""

from __future__ import annotations

import subprocess
import sys

import pytest

from indicators import readset
from indicators.yamlfile import read_yaml


@pytest.fixture(scope="module")
def measured():
    return readset.measure()


def test_the_read_set_is_large_enough():
    hand = readset.figures()
    assert hand["doc_id"].nunique() >= 15 and len(hand) >= 300
    assert {"year", "6m", "9m", "q1", "month", "stock", "multi_year"} <= set(hand["period"])
    assert {"bac_giang", "bac_ninh", "former_bac_ninh", "district", "commune", "national"} <= set(hand["territory"])


def test_no_part_of_a_year_is_filed_as_the_year(measured):
    found, matched = measured
    assert found["partial_as_annual"] == 0, matched[matched["status"] == "partial_as_annual"]


def test_whole_year_figures_are_read(measured):
    found, _ = measured
    assert found["recall"] >= 85.0
    assert found["wrongly_read"] <= 1  # figures of the country or another province taken as the province's


def test_every_text_dates_itself():
    """Each text was accepted from its own words (no option), with the date and the period the hand reads."""
    docs = readset.build_readset()["documents"].set_index("doc_id")
    hand = {path.with_suffix(".txt").name: read_yaml(path) for path in readset.readset_dir().glob("*.yml")}
    assert len(docs) == len(hand) == 16
    for name, said in hand.items():
        period = said["reports"]["period"]
        assert docs.loc[name, "issued"] == said["issued"], name
        if name == "plans-sap-nhap-dieu-chinh-2025.txt":
            period = "year"  # its title is of the year's targets ("điều chỉnh chỉ tiêu năm 2025"); its body, 6m too
        assert docs.loc[name, "period"] == period, name


def test_coverage_prints_the_three_figures(root):
    out = subprocess.run([sys.executable, "-m", "indicators.cli", "coverage", "--readset"], cwd=root, check=True,
                         capture_output=True, text=True).stdout
    assert "filed as a whole year's: 0" in out
    assert "whole-year figures in observations" in out and "by reason:" in out
