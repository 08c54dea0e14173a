"""The example sentences beside the vocabulary's markers (src/indicators/read/examples.yml) are read as they say:
period, date, territory, kind and year of each figure (issue 23, items 2-4 and 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.read import extract, mentions, resolve, sources, text, vocabulary
from indicators.yamlfile import read_yaml

EXAMPLES = read_yaml(Path(vocabulary.__file__).with_name("examples.yml"))
VOCAB = vocabulary.load_vocabulary()


def _source(spec: dict) -> sources.Source:
    return sources.Source(doc_id="example", file="example.txt", sha256="0" * 64, title_vi="t", title_en="t",
                          short_title_vi="t", short_title_en="t", issuer=spec.get("issuer", sources.ISSUER),
                          doc_type=spec["type"], issued=spec["issued"], results_years=tuple(spec["results"]),
                          target_years=tuple(spec["targets"]), path=Path("example.txt"), period=spec["period"])


def _read(example: dict) -> resolve.Resolution:
    source = _source(EXAMPLES["documents"][example["document"]])
    found = text.split_sentences(example["text"] + "\n", "example")
    resolved = resolve.resolve_document(found, mentions.document_mentions(found, source), VOCAB, source)
    of_figure = [r for r in resolved if r.mention.text == example["figure"]]
    assert of_figure, f"no mention '{example['figure']}' in {example['text']!r}"
    return of_figure[0]


@pytest.mark.parametrize("example", EXAMPLES["examples"], ids=lambda e: f"{e['document']}:{e['figure']}")
def test_example(example):
    res = _read(example)
    expect = dict(example["expect"])
    reason = expect.pop("reason", "")
    assert res.reason == reason, (res.reason, example["text"])
    got = {"period": res.period, "as_of": res.as_of, "territory": res.territory, "place": res.place,
           "kind": res.kind or res.mention.kind, "year": res.mention.year}
    assert {k: got[k] for k in expect} == expect, example["text"]


def test_every_marker_group_has_an_example():
    """Each group of period and territory words has an example that reads a figure by it."""
    said = {str(v) for e in EXAMPLES["examples"] for v in e["expect"].values()}
    periods = {"9m", "q4", "month", "stock", "6m", "11m", "q1", "q2", "multi_year", "year"}
    territories = {"bac_giang", "bac_ninh", "district", "commune", "other_province", "national"}
    assert periods | territories <= said
    assert set(extract.COLUMNS) >= {"period", "as_of", "territory", "place"}
