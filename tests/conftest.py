"""Shared fixtures: the real raw documents, their sentences, and the tables built from them."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from indicators import build, paths
from indicators.read import mentions, sources, text


@pytest.fixture(scope="session")
def registry() -> list[sources.Source]:
    return sources.load_registry()


@pytest.fixture(scope="session")
def by_id(registry) -> dict[str, sources.Source]:
    return {s.doc_id: s for s in registry}


@pytest.fixture(scope="session")
def raw_texts(registry) -> dict[str, str]:
    return {s.doc_id: sources.read_text(s) for s in registry}


@pytest.fixture(scope="session")
def raw_lines(raw_texts) -> dict[str, list[str]]:
    return {doc_id: raw.split("\n") for doc_id, raw in raw_texts.items()}


@pytest.fixture(scope="session")
def doc_sentences(registry, raw_texts) -> dict[str, list[text.Sentence]]:
    return {s.doc_id: text.split_sentences(raw_texts[s.doc_id], s.doc_id) for s in registry}


@pytest.fixture(scope="session")
def doc_mentions(registry, doc_sentences) -> dict[str, list[mentions.Mention]]:
    return {s.doc_id: mentions.document_mentions(doc_sentences[s.doc_id], s) for s in registry}


@pytest.fixture(scope="session")
def built() -> dict:
    """Every table, built in memory from data/raw (nothing written)."""
    return build.build_tables()


@pytest.fixture(scope="session")
def observations(built):
    return built["observations"]


@pytest.fixture(scope="session")
def root():
    return paths.project_root()


@pytest.fixture()
def project(tmp_path, root, monkeypatch):
    """A writable copy of the project's data and notebooks, which the package, the command line and
    the notebooks' kernels work on (``INDICATORS_ROOT``), so that a test can change or break it."""
    copy = tmp_path / "project"
    for folder in ("data", "notebooks"):  # what is committed (not the locks or snapshots of other tests' work)
        shutil.copytree(root / folder, copy / folder, ignore=shutil.ignore_patterns(".*"))
    for path in copy.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    monkeypatch.setenv("INDICATORS_ROOT", str(copy))
    monkeypatch.chdir(copy)
    return copy


@pytest.fixture()
def one_document_project(project):
    """The project as it starts: one document registered (the press release on 2021), no plan yet, nothing
    built from it; a build of it takes a fraction of the whole project's. Its registry is written as a YAML
    tool writes it (no comment, entries not indented)."""
    registry = project / "data" / "raw" / "sources.yml"
    entries = yaml.safe_load(registry.read_text(encoding="utf-8"))
    entries["documents"] = [d for d in entries["documents"] if d["doc_id"] == "press-2021"]
    registry.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


def sentence_with(sentences, fragment: str) -> text.Sentence:
    found = [s for s in sentences if fragment in s.text]
    assert found, f"no sentence contains {fragment!r}"
    return found[0]


@pytest.fixture()
def small_disk(tmp_path):
    """A real file system of 8 MB (tmpfs) mounted in the test's folder, which a test can fill for real; the tests
    that need one skip, saying why, where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here ({done.stderr.strip()}): run the tests as root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk) -> None:
    """Fill a file system until a write fails with ENOSPC."""
    for name, block in (("filler", 1 << 16), ("filler-tail", 512)):  # then its last blocks
        try:
            with open(disk / name, "wb") as f:
                while True:
                    f.write(b"\0" * block)
                    f.flush()
        except OSError:
            pass
