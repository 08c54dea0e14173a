"""Statements: vintages of a result and the latest of them, values a later document implies, the province's
own count of its targets and the outcomes it states in words."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from indicators import paths, tables
from indicators.read import mentions, outcomes, resolve, sources, text, vocabulary
from indicators.read.extract import observations as observations_of

VOCAB = vocabulary.load_vocabulary()


def read(sentences: str, *, issued="2022-12", results=(2022,), targets=(2023,)):
    """Observations and word-stated outcomes of sentences written in the style of the reports."""
    source = sources.Source("w", "w.txt", "0" * 64, "w", "w", "w", "w", "i", "report", issued, results, targets,
                            Path("w.txt"))
    found = text.split_sentences(sentences, "w")
    obs = observations_of(resolve.resolve_document(found, mentions.document_mentions(found, source), VOCAB), VOCAB)
    return obs, outcomes.read_outcomes(found, source, obs, VOCAB)


def said(sentences: str) -> list[tuple[str, str]]:
    return [(r.indicator_id, r.outcome) for r in read(sentences)[1].itertuples()]


def test_outcomes_in_words_of_a_listed_set_of_targets():
    assert said("Một số chỉ tiêu thành phần không đạt kế hoạch đề ra (tốc độ tăng trưởng ngành xây dựng, tỷ lệ "
                "hộ nghèo).") == [("grdp_construction_growth", "missed"), ("poverty_rate", "missed")]


def test_outcome_said_of_the_figure_before_it():
    assert said("Tỷ lệ lao động qua đào tạo đạt 72%, đạt kế hoạch.") == [("trained_labour_rate", "met")]
    assert said("Thu ngân sách nhà nước đạt 18.000 tỷ đồng, vượt kế hoạch.") == [("budget_revenue", "exceeded")]


def test_outcome_said_before_what_it_is_said_of():
    assert said("Dù không đạt kế hoạch song tăng trưởng kinh tế của tỉnh vẫn khá cao.") == [("grdp_growth", "missed")]


def test_a_counted_target_a_figure_and_a_goal_are_not_outcomes_in_words():
    assert said("Có 09 chỉ tiêu đạt kế hoạch và 08 chỉ tiêu vượt kế hoạch.") == []  # figures: counts of targets
    assert said("Thu ngân sách đạt 18.000 tỷ đồng, vượt 30% kế hoạch.") == []  # a figure: attainment 130
    assert said("Phấn đấu hoàn thành kế hoạch thu ngân sách năm 2023.") == []  # a goal
    assert said("Việc phân luồng học sinh chưa đạt yêu cầu.") == []  # not against a plan


def test_the_footnote_of_a_count_names_the_main_target_missed():
    page_break = "\n\n" + " " * 43 + "\n"  # a PDF page's footnotes follow a long blank line
    obs, found = read("Có 17/18 chỉ tiêu chủ yếu hoàn thành và vượt kế hoạch; có 01 chỉ tiêu không hoàn thành1."
                      f"{page_break}1Chỉ tiêu tỷ lệ trường đạt chuẩn quốc gia mức độ 1: tỷ lệ đạt 94,5%, thấp hơn 0,5% "
                      "so với kế hoạch, dẫn đến không đạt.\n")
    missed = found[found["outcome"] == "missed"]
    assert missed["scope"].tolist() == ["main"] and "trường đạt chuẩn" in missed["subject"].iloc[0]


def test_real_verdict_and_outcomes(built):
    verdict = built["verdicts"].set_index("doc_id").loc["report-2022"]
    assert (verdict["targets"], verdict["met_or_exceeded"], verdict["met"], verdict["exceeded"], verdict["missed"]) == (
        18, 17, 9, 8, 1)
    assert verdict["missed_ids"] == "schools_standard_rate_l1"  # footnote 1 of the count
    counts = ["targets", "met_or_exceeded", "met", "exceeded", "missed"]
    assert (built["verdicts"][counts].dtypes == "Int64").all()  # counts of targets: integers, not 18.0
    for table in (tables.load_table("verdicts"), pd.read_parquet(paths.processed_dir() / "verdicts.parquet")):
        assert (table[counts].dtypes == "Int64").all()  # as written and as read
    csv = (paths.processed_dir() / "verdicts.csv").read_text(encoding="utf-8").splitlines()
    assert csv[1].startswith("report-2022,2022,18,17,9,8,1,")
    said_2022 = built["outcomes"].query("doc_id == 'report-2022' and outcome == 'missed'")
    assert {"grdp_construction_growth", "wastewater_treatment_ccn"} <= set(said_2022["indicator_id"])
    assert built["outcomes"].query("doc_id == 'press-2021'").set_index("indicator_id").loc[
        "grdp_growth", "outcome"] == "missed"  # "Dù không đạt kế hoạch song vẫn tăng trưởng kinh tế ..."


def test_vintages_of_a_result_and_the_latest(built):
    latest = built["latest_results"].set_index(["indicator_id", "year"])
    revenue = latest.loc[("budget_revenue", 2021)]  # 15.745 estimated in December 2021; ≈21.950 implied in 2022
    assert (revenue["doc_id"], revenue["basis"], revenue["vintages"]) == ("report-2022", "derived", 2)
    assert revenue["value"] == pytest.approx(21950, abs=1) and not revenue["is_estimate"]
    assert latest.loc[("budget_revenue", 2022), "value"] < revenue["value"]  # "bằng 84,4% năm 2021": it fell
    assert latest.loc[("budget_revenue", 2022), "is_estimate"]  # a report of December 2022
    attracted = latest.loc[("investment_attracted", 2021)]  # "gần 1,7 tỷ USD ..., tăng 6,5% so với cùng kỳ"
    assert attracted["value"] == pytest.approx(1700 / 1.065, abs=1) and attracted["basis"] == "derived"


@pytest.mark.parametrize("sentence, year, value", [
    ("Thu ngân sách năm 2022 đạt 18.000 tỷ đồng, tăng 20% so với năm 2021.", 2021, 15000),
    ("Xảy ra 494 vụ phạm tội về trật tự xã hội, giảm 5% so với cùng kỳ năm 2021.", 2021, 520),
    ("Tỷ trọng công nghiệp - xây dựng chiếm 62,3%, tăng 4,5% so với năm 2021.", 2021, 57.8),
    ("Kim ngạch xuất khẩu đạt 10 tỷ USD, gấp 2 lần năm 2020.", 2020, 5000),
])
def test_values_a_document_implies_for_an_earlier_year(sentence, year, value):
    from indicators.analyse import statements

    obs, _ = read(sentence)
    ments = mentions.mentions_table(mentions.document_mentions(text.split_sentences(sentence, "w"), sources.Source(
        "w", "w.txt", "0" * 64, "w", "w", "w", "w", "i", "report", "2022-12", (2022,), (2023,), Path("w.txt"))))
    derived = statements.derived_values(obs, ments)
    assert derived[["year", "value"]].values.tolist() == [[year, pytest.approx(value, abs=0.5)]]
