"""The catalog and its rules: size, consistency, and clear errors for a broken YAML file."""

from __future__ import annotations

import shutil

import pytest

from indicators import catalog, extract
from indicators.errors import IndicatorsError


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


@pytest.fixture
def catalog_copy(tmp_path):
    for name in ("catalog.yml", "rules.yml"):
        shutil.copy(catalog.CATALOG_PATH.with_name(name), tmp_path / name)
    return tmp_path / "catalog.yml"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_yaml_syntax_error_names_file_and_line(catalog_copy):
    edit(catalog_copy, "  - indicator_id: grdp_growth_industry\n", "  - indicator_id: [grdp_growth_industry\n")
    with pytest.raises(IndicatorsError, match=r"catalog\.yml:\d+: YAML syntax error"):
        catalog.load_catalog(catalog_copy)


def test_unknown_field_and_duplicate_id_are_refused(catalog_copy):
    edit(catalog_copy, "    decimals: 2\n", "    decimals: 2\n    colour: red\n")
    with pytest.raises(IndicatorsError, match=r"catalog\.yml:\d+: .*unknown field\(s\) colour"):
        catalog.load_catalog(catalog_copy)


def test_duplicate_indicator_id_is_refused(catalog_copy):
    edit(catalog_copy, "indicator_id: grdp_growth_industry", "indicator_id: grdp_growth")
    with pytest.raises(IndicatorsError, match=r"catalog\.yml:\d+: duplicate indicator_id 'grdp_growth'"):
        catalog.load_catalog(catalog_copy)


def test_rules_for_an_unknown_indicator_are_refused(catalog_copy):
    rules = catalog_copy.with_name("rules.yml")
    edit(rules, "  grdp_growth_industry:\n", "  grdp_growth_industri:\n")
    with pytest.raises(IndicatorsError, match=r"rules\.yml: rules for unknown indicator_id\(s\): grdp_growth_industri"):
        catalog.load_catalog(catalog_copy)
