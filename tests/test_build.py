"""The build: integrity of the raw data, provenance of every quote, committed tables up to date."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest
import yaml

from indicators import build
from indicators.errors import IndicatorsError
from indicators.read import provenance, sources


def test_committed_tables_are_what_the_build_produces(root):
    assert build.stale_tables(root / "data" / "processed") == []


def _one_document(folder: Path, root: Path, doc_id: str, data: bytes) -> Path:
    """A raw folder registering one document of the project, with ``data`` as its bytes."""
    folder.mkdir()
    registry = yaml.safe_load((root / "data" / "raw" / "sources.yml").read_text(encoding="utf-8"))
    entry = next(d for d in registry["documents"] if d["doc_id"] == doc_id)
    (folder / entry["file"]).write_bytes(data)
    entry["sha256"] = hashlib.sha256(data).hexdigest()
    (folder / "sources.yml").write_text(yaml.safe_dump({"documents": [entry]}, allow_unicode=True), encoding="utf-8")
    return folder


def test_lines_end_as_they_may_in_any_file(root, tmp_path, by_id):
    """The 2022 report with Windows (CR LF) and old Mac or Word (CR alone) line endings: the same figures, on the
    same lines, as with LF."""
    original = by_id["report-2022"].path.read_bytes()
    assert b"\r" not in original
    read = {}
    for ending, name in (("\n", "lf"), ("\r\n", "crlf"), ("\r", "cr")):
        raw = _one_document(tmp_path / name, root, "report-2022", original.replace(b"\n", ending.encode()))
        read[ending] = build.build_tables(raw)["observations"]
    assert len(read["\n"]) > 400
    for ending in ("\r\n", "\r"):
        assert read[ending].equals(read["\n"]), ending


def test_raw_files_match_their_registered_sha256(registry):
    for source in registry:
        assert sources.sha256_of(source.path) == source.sha256, source.file


def test_a_quote_not_in_the_document_stops_the_build(built, raw_lines, registry):
    tokens = {doc_id: provenance.raw_tokens(lines) for doc_id, lines in raw_lines.items()}
    tampered = {name: frame.copy() for name, frame in built.items()}
    obs = tampered["observations"]
    row = obs.index[(obs["indicator_id"] == "grdp_growth") & (obs["year"] == 2022)][0]
    obs.loc[row, "quote"] = "tốc độ tăng trưởng kinh tế (GRDP) cả năm đạt 19,3% trong quý IV"
    with pytest.raises(IndicatorsError, match=r"2022-12_report_ktxh-2022_plan-2023\.txt:66: observations"):
        build.check_provenance(tampered, tokens, Path("data/raw"), registry)


def test_quote_check_on_real_lines(raw_lines):
    tokens = provenance.raw_tokens(raw_lines["report-2022"])
    assert provenance.check_quote(tokens, 72, "thuế sản phẩm tăng 8,4%", "8,4") is None  # raw: "8,4%2."
    assert provenance.check_quote(tokens, 72, "thuế sản phẩm tăng 8,5%", "8,5") is not None
    assert provenance.check_quote(tokens, 70, "thuế sản phẩm tăng 8,4%", "8,4") is not None  # wrong line


def test_raw_files_are_only_opened_for_reading():
    """Nothing in the package opens a file of data/raw for writing: sources.py is the only module
    that reads raw files, and it opens them in "rb" mode only."""
    tree = ast.parse(Path(sources.__file__).read_text(encoding="utf-8"))
    modes = [
        call.args[1].value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "open" and len(call.args) > 1
    ]
    assert modes and set(modes) == {"rb"}
