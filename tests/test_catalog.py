"""The curated catalog and the vocabulary: consistency, and every curated id produced by the reading."""

from __future__ import annotations

from indicators.read import catalog, vocabulary


def test_the_curated_catalog_names_indicators_the_reading_produces(built):
    cat = catalog.load_catalog()
    assert len(cat.indicators) >= 80
    assert {i.family for i in cat.indicators} <= set(catalog.FAMILIES)
    assert all(i.name_vi and i.name_en and i.description for i in cat.indicators)
    observed = set(built["observations"]["indicator_id"])
    assert set(cat.ids) <= observed  # a curated id no document gives would be a typo
    for name, members in (cat.groups or {}).items():
        assert set(members) <= observed, name


def test_every_observed_indicator_has_a_name_unit_and_family(built):
    indicators = built["indicators"].set_index("indicator_id")
    observed = set(built["observations"]["indicator_id"])
    assert observed <= set(indicators.index)
    named = indicators.loc[sorted(observed)]
    assert named["name_vi"].str.len().gt(0).all() and named["name_en"].str.len().gt(0).all()
    assert named["family"].isin(catalog.FAMILIES).all()


def test_ids_of_earlier_versions_map_to_todays(built):
    cat = catalog.load_catalog()
    assert len(cat.renamed) >= 90
    assert set(cat.renamed.values()) <= set(built["indicators"]["indicator_id"])
    assert cat.renamed["share_ind_con"] == "grdp_ind_con_share"
    assert cat.renamed["grdp_growth_industry"] == "grdp_industry_growth"


def test_the_vocabulary_is_consistent():
    vocab = vocabulary.load_vocabulary()
    assert len(vocab.concepts) >= 120
    assert {c.family for c in vocab.concepts.values()} <= set(catalog.FAMILIES)
    assert {"sector", "ownership", "source", "component", "area", "product"} <= set(vocab.dimensions)
    assert set(vocabulary.MEASURES) == set(vocab.measures)
    for concept in vocab.concepts.values():
        assert set(concept.dims) <= set(vocab.dimensions), concept.key
