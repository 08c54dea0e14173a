"""Any document, and any combination of documents, builds (issue 23, item 5): texts of every shape written for
the tests (tests/fixtures/shapes, tests/fixtures/readset) and copies of the five documents, added with
``add-source FILE`` alone in random order and combination beside the five; the build succeeds and the five
documents' observations are the same as without them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import build
from indicators.read import sources

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = sorted((FIXTURES / "shapes").glob("*.txt")) + sorted((FIXTURES / "readset").glob("*.txt"))


@pytest.fixture(scope="module")
def five(root) -> tuple[Path, pd.DataFrame]:
    raw = root / "data" / "raw"
    return raw, build.build_tables(raw)["observations"]


def _copies(raw: Path, tmp: Path) -> list[Path]:
    """Each of the five documents again, as another file would bring it: one byte more (a final newline)."""
    out = []
    for source in sources.load_registry(raw):
        copy = tmp / f"copy-{source.doc_id}.txt"
        copy.write_bytes(source.path.read_bytes() + b"\n")
        out.append(copy)
    return out


def _project(raw: Path, tmp: Path) -> Path:
    target = tmp / "data" / "raw"
    shutil.copytree(raw, target, ignore=shutil.ignore_patterns(".*"))
    return target


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_combination_builds_and_leaves_the_five_unchanged(five, tmp_path_factory, data):
    raw, observations = five
    tmp = tmp_path_factory.mktemp("any")
    pool = TEXTS + _copies(raw, tmp)
    chosen = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=10, unique=True))
    target = _project(raw, tmp)
    for path in chosen:
        sources.add_source(path, raw=target)
    built = build.build_tables(target)
    mine = built["observations"]
    mine = mine[mine["doc_id"].isin(observations["doc_id"].unique())].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, observations)


def test_every_text_and_copy_at_once(five, tmp_path):
    """All of them together, each copy of the five too: one build, with the audits that say where they differ."""
    raw, observations = five
    target = _project(raw, tmp_path)
    for path in TEXTS + _copies(raw, tmp_path):
        sources.add_source(path, raw=target)
    built = build.build_tables(target)
    assert built["documents"]["doc_id"].nunique() == 5 + len(TEXTS) + 5
    mine = built["observations"]
    mine = mine[mine["doc_id"].isin(observations["doc_id"].unique())].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, observations)
    copies = built["observations"][built["observations"]["doc_id"].str.endswith("-2")]
    assert len(copies) > 0.9 * len(observations)  # each copy is read as its original
