"""The quantity-mention layer measured against a sample annotated by hand.

tests/fixtures/mention_sample.yml lists every digit sequence of chosen passages of all five
documents (888 items), marking the socio-economic figures of the province (407) with their value,
cue and year. It was annotated by reading the documents, independently of this code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

SAMPLE = Path(__file__).parent / "fixtures" / "mention_sample.yml"


@pytest.fixture(scope="module")
def scores(doc_mentions, registry):
    origin = {}
    for entry in yaml.safe_load((registry[0].path.parent / "sources.yml").read_text(encoding="utf-8"))["documents"]:
        origin[entry["origin"]] = entry["doc_id"]
    found = {(m.doc_id, m.line, m.text): m for mentions in doc_mentions.values() for m in mentions}
    items = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["items"]
    figures = [i for i in items if i["figure"]]
    right_number = right_cue = right_year = 0
    for item in figures:
        m = found.get((origin[item["file"]], item["line"], str(item["text"])))
        if m is None or m.number != pytest.approx(float(item["value"])):
            continue
        right_number += 1
        right_cue += m.cue == item["cue"]
        right_year += m.year == item["year"]
    not_figures = {
        (origin[i["file"]], i["line"], str(i["text"]))
        for i in items
        if not i["figure"]
        and i["reason"].split(":")[0]
        in ("date", "year", "period", "doc_number", "list_number", "footnote_mark", "page_number")
    }
    return {
        "figures": len(figures),
        "number": right_number / len(figures),
        "cue": right_cue / right_number,
        "year": right_year / right_number,
        "non_figures": not_figures,
        "found": found,
    }


def test_sample_covers_all_documents():
    items = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["items"]
    assert len({i["file"] for i in items}) == 5
    assert sum(i["figure"] for i in items) >= 400


def test_figures_are_found_with_the_right_number(scores):
    assert scores["number"] >= 0.95, scores["number"]


def test_cue_and_year_are_right(scores):
    assert scores["cue"] >= 0.90, scores["cue"]
    assert scores["year"] >= 0.90, scores["year"]


def test_dates_years_document_numbers_and_marks_are_not_mentions(scores):
    # a non-figure numeral on a line that also has a figure written the same way is not counted
    figure_keys = {k for k in scores["found"] if k in scores["non_figures"]}
    clashes = {k for k in figure_keys if k[2] not in ("2",)}
    assert len(clashes) <= 1, sorted(clashes)
