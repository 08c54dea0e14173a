"""How much of what the documents say lands in the tables, measured against figures read by hand.

* tests/fixtures/handread/*.yml: every figure of every document (the press release, the 2022 report in five
  passages, the three plans), read by helpers from the raw text independently of the code;
* tests/fixtures/wording_patterns.yml: sentences written for the project on the wording of other provinces'
  reports and national statistics releases (invented figures), so that the reading is measured on wording the
  five documents do not use.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from indicators.read import mentions, recall, resolve, text, vocabulary
from indicators.read.sources import Source

WORDING = Path(__file__).parent / "fixtures" / "wording_patterns.yml"


@pytest.fixture(scope="module")
def matched(built):
    return recall.match(recall.handread_figures(), built["observations"])


def test_the_hand_read_set_covers_every_document_whole(registry):
    figures = recall.handread_figures()
    assert set(figures["doc_id"]) == {s.doc_id for s in registry}
    assert len(figures) >= 900
    report = figures[figures["doc_id"] == "report-2022"]
    assert report["line"].min() < 60 and report["line"].max() > 2290  # part one and part two's targets


def test_nine_figures_in_ten_and_more_land_in_observations(matched):
    summary = recall.summary(matched).set_index("category")
    assert summary.loc["all", "recall"] >= 97.0, summary
    assert summary.loc["core", "recall"] >= 95.0, summary


def test_at_most_one_observation_in_a_hundred_contradicts_the_text(matched, built):
    wrong = recall.precision(matched, built["observations"])
    assert wrong["share"] <= 1.0, wrong
    assert (matched[matched["about"] == "national"]["status"] != "read").all()


def test_coverage_reports_recall_and_unresolved_reasons(root):
    out = subprocess.run([sys.executable, "-m", "indicators.cli", "coverage"], capture_output=True, text=True,
                         cwd=root, check=True).stdout
    assert "Recall against the hand-read figures" in out and re.search(r"\ball\s+\d+\s+\d+", out)
    assert "by reason" in out and "national" in out
    assert "The sentences with the most of them" in out and "cả nước" in out  # the national figure's sentence


def _wording_figures():
    data = yaml.safe_load(WORDING.read_text(encoding="utf-8"))
    source = Source("w", "w.txt", "0" * 64, "w", "w", "w", "w", "i", "report", "2025-12", (2025,), (2026,),
                    Path("w.txt"))
    vocab = vocabulary.load_vocabulary()
    for pattern in data["patterns"]:
        for sentence in pattern["sentences"]:
            sentences = text.split_sentences(sentence["text"], "w")
            found = resolve.resolve_document(sentences, mentions.document_mentions(sentences, source), vocab)
            for figure in sentence["figures"]:
                if re.search(r"\d", str(figure["text"])):
                    yield figure, found


def _reads(figure, found) -> bool:
    numeral = str(figure["text"]).replace(" ", "")
    hits = [r for r in found if r.mention.text.replace(" ", "") == numeral
            or abs(r.mention.value - float(figure["value"])) < 1e-6]
    if not hits:
        return False
    res = hits[0]
    if figure.get("about") in ("national", "other_province", "region"):
        return not res.resolved
    period = figure.get("period", "year")
    return (res.resolved and abs(res.mention.value - float(figure["value"])) <= 1e-6 * max(1, abs(figure["value"]))
            and (res.period == period or (period[0] == "m" and res.period == "month")))


def test_wording_of_other_reports_is_read():
    """Value, period and whether the figure is the province's, for every figure of the written sentences."""
    results = [_reads(figure, found) for figure, found in _wording_figures()]
    assert len(results) >= 400
    assert sum(results) / len(results) >= 0.9
