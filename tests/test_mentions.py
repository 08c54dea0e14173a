"""Quantity mentions on real sentences."""

from __future__ import annotations

import re

import pytest


def mentions_on(doc_mentions, doc_id, line):
    return {m.text: m for m in doc_mentions[doc_id] if m.line == line}


def test_attainment_ratio_and_level(doc_mentions):
    # "Tổng thu NSNN năm 2022 đạt 18.525,5 tỷ đồng, bằng 84,4% năm 2021, vượt 30% dự toán"
    at = {m.text: m for m in doc_mentions["report-2022"] if m.line in (536, 538)}
    assert (at["18.525,5"].cue, at["18.525,5"].value, at["18.525,5"].unit) == ("level", 18525.5, "bn VND")
    assert (at["84,4"].cue, at["84,4"].value) == ("ratio", 84.4)
    assert (at["30"].cue, at["30"].kind, at["30"].value) == ("attainment", "attainment", 130.0)
    assert at["30"].anchor_id == at["18.525,5"].mention_id
    assert at["30"].year == 2022


def test_share_and_change_of_share(doc_mentions):
    at = mentions_on(doc_mentions, "report-2022", 82)
    assert (at["62,3"].cue, at["4,5"].cue) == ("share", "pp_change")
    assert at["62,3"].subject == "công nghiệp - xây dựng"


def test_scaled_units_and_qualifiers(doc_mentions):
    at = mentions_on(doc_mentions, "report-2022", 74)
    assert (at["155,9"].value, at["155,9"].unit) == (155900.0, "bn VND")
    fdi = mentions_on(doc_mentions, "report-2022", 981)
    assert (fdi["750"].qualifier, fdi["750"].unit) == (">", "mn USD")


def test_range_target(doc_mentions):
    target = next(m for m in doc_mentions["report-2022"] if m.text == "135-140")
    assert (target.qualifier, target.value, target.value_high, target.kind, target.year) == (
        "range",
        135,
        140,
        "plan",
        2023,
    )
    assert target.unit == "mn VND/ha"


def test_estimates_and_years_from_wording(doc_mentions):
    at = mentions_on(doc_mentions, "press-2021", 21)
    assert (at["7,82"].kind, at["7,82"].year) == ("estimate", 2021)
    assert (at["89,9"].cue, at["89,9"].value) == ("attainment", 89.9)
    pci = mentions_on(doc_mentions, "press-2021", 39)
    assert pci["13"].year == 2020  # "PCI năm 2020 tăng 13 bậc so với năm 2019"


def test_dates_document_numbers_years_and_marks_are_not_mentions(doc_mentions, raw_lines):
    # "Nghị quyết số 11/NQ-CP ngày 30/01/2022 của Chính phủ" (plan-nq11-2022, line 17)
    assert not [m for m in doc_mentions["plan-nq11-2022"] if m.line in (13, 15, 17)]
    texts = [m.text for doc in doc_mentions.values() for m in doc]
    assert not [t for t in texts if re.fullmatch(r"(?:19|20)\d\d", t)]
    # footnote marks: "... tăng 2%; dịch vụ tăng 7,5 %; thuế sản phẩm tăng 8,4%2." has three mentions
    line = mentions_on(doc_mentions, "report-2022", 72).values()
    assert sorted((m.text, m.unit) for m in line) == [("2", "%"), ("7,5", "%"), ("8,4", "%")]


@pytest.mark.parametrize("doc_id", ["press-2021", "report-2022", "plan-nq01-2024", "plan-nq02-2024"])
def test_every_mention_has_a_quote_with_its_numeral(doc_mentions, doc_id):
    assert doc_mentions[doc_id]
    for m in doc_mentions[doc_id]:
        assert m.text in m.quote
        assert m.year is not None
