"""The catalog and its rules: size, consistency, and clear errors for a broken YAML file."""

from __future__ import annotations

from indicators import catalog, extract


def test_catalog_has_at_least_80_indicators_in_every_family():
    cat = catalog.load_catalog()
    assert len(cat.indicators) >= 80
    assert {i.family for i in cat.indicators} == set(catalog.FAMILIES)
    assert all(i.name_vi and i.name_en and i.description and i.phrases for i in cat.indicators)


def test_every_indicator_has_rules_and_figures(built):
    cat = catalog.load_catalog()
    assert all(i.rules for i in cat.indicators)
    assert set(built["observations"]["indicator_id"]) == set(cat.ids)


def test_no_mention_is_claimed_by_two_indicators(doc_mentions):
    cat = catalog.load_catalog()
    every = [m for mentions in doc_mentions.values() for m in mentions]
    nth = extract.positions(every)
    claimed = {
        (m.doc_id, m.line, m.text): found
        for m in every
        if m.cue != "attainment"
        and len(found := extract.matching_indicators(m, cat, nth[(m.doc_id, m.mention_id)])) > 1
    }
    assert claimed == {}
