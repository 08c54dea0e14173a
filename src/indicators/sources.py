"""The raw source documents: registry, integrity check, reading.

Raw files are only ever opened for reading (mode ``"rb"``); the build refuses a file whose
SHA-256 differs from the one recorded in ``data/raw/sources.yml``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .errors import IndicatorsError
from .yamlfile import check_fields, read_yaml

REGISTRY = "sources.yml"
DOC_TYPES = ("report", "plan", "press_release")
_FIELDS = {
    "doc_id",
    "file",
    "sha256",
    "title_vi",
    "title_en",
    "short_title_vi",
    "short_title_en",
    "issuer",
    "doc_type",
    "issued",
    "covers",
}
_OPTIONAL = {"origin"}
_ISSUED = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Source:
    doc_id: str
    file: str
    sha256: str
    title_vi: str
    title_en: str
    short_title_vi: str
    short_title_en: str
    issuer: str
    doc_type: str
    issued: str
    results_years: tuple[int, ...]
    target_years: tuple[int, ...]
    path: Path

    @property
    def issued_year(self) -> int:
        return int(self.issued[:4])


def load_registry(raw: Path | None = None) -> list[Source]:
    """Read ``sources.yml`` and check its entries (fields, types, unique ids)."""
    raw = Path(raw) if raw else paths.raw_dir()
    path = raw / REGISTRY
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise IndicatorsError(f"{path}: expected a top-level 'documents:' list")
    sources: list[Source] = []
    seen: set[str] = set()
    for i, entry in enumerate(data["documents"], 1):
        where = f"document {i}"
        check_fields(path, where, entry, _FIELDS, _OPTIONAL)
        doc_id = str(entry["doc_id"])
        if doc_id in seen:
            raise IndicatorsError(f"{path}: {where}: duplicate doc_id '{doc_id}'")
        seen.add(doc_id)
        if entry["doc_type"] not in DOC_TYPES:
            raise IndicatorsError(
                f"{path}: {doc_id}: doc_type '{entry['doc_type']}' is not one of {', '.join(DOC_TYPES)}"
            )
        issued = str(entry["issued"])
        if not _ISSUED.fullmatch(issued):
            raise IndicatorsError(f"{path}: {doc_id}: issued '{issued}' is not YYYY, YYYY-MM or YYYY-MM-DD")
        covers = entry["covers"]
        check_fields(path, f"{doc_id}: covers", covers, {"results", "targets"})
        sources.append(
            Source(
                doc_id=doc_id,
                file=str(entry["file"]),
                sha256=str(entry["sha256"]).lower(),
                title_vi=entry["title_vi"],
                title_en=entry["title_en"],
                short_title_vi=entry["short_title_vi"],
                short_title_en=entry["short_title_en"],
                issuer=entry["issuer"],
                doc_type=entry["doc_type"],
                issued=issued,
                results_years=tuple(int(y) for y in covers["results"] or ()),
                target_years=tuple(int(y) for y in covers["targets"] or ()),
                path=raw / str(entry["file"]),
            )
        )
    return sources


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read_text(source: Source) -> str:
    """The document's text, after checking that the file is the one registered."""
    path = source.path
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise IndicatorsError(f"{path}: raw document '{source.doc_id}' is missing") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        raise IndicatorsError(
            f"{path}: raw document '{source.doc_id}' changed since it was registered "
            f"(sha256 {actual[:12]}…, expected {source.sha256[:12]}…); raw data is immutable"
        )
    if not data.strip():
        raise IndicatorsError(f"{path}: raw document '{source.doc_id}' is empty")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise IndicatorsError(f"{path}:{line}: raw document '{source.doc_id}' is not UTF-8") from None


def documents_table(sources: list[Source]) -> pd.DataFrame:
    """The ``documents`` table: one row per registered document."""
    rows = [
        {
            "doc_id": s.doc_id,
            "file": s.file,
            "sha256": s.sha256,
            "title_vi": s.title_vi,
            "title_en": s.title_en,
            "short_title_vi": s.short_title_vi,
            "short_title_en": s.short_title_en,
            "issuer": s.issuer,
            "doc_type": s.doc_type,
            "issued": s.issued,
            "results_years": " ".join(map(str, s.results_years)),
            "target_years": " ".join(map(str, s.target_years)),
        }
        for s in sources
    ]
    return pd.DataFrame(rows).sort_values(["issued", "doc_id"], ignore_index=True)


_DOC_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def add_source(
    path: Path,
    *,
    doc_id: str,
    title_vi: str,
    title_en: str,
    doc_type: str,
    issued: str,
    short_title_vi: str | None = None,
    short_title_en: str | None = None,
    issuer: str = "UBND tỉnh Bắc Giang (People's Committee of Bắc Giang province)",
    results: list[int] | None = None,
    targets: list[int] | None = None,
    raw: Path | None = None,
) -> Source:
    """Copy a new document into ``data/raw/`` byte for byte and register it in ``sources.yml``.

    Refuses an existing doc_id, a file already registered (same bytes) or of the same name, an
    empty or non-UTF-8 file, and malformed metadata. Years covered default from the type: a report
    or press release gives results for the year issued and targets for the next, a plan sets
    targets for the year issued. Nothing is normalised: raw stays raw. The copy and the registry
    are each written to a temporary file and renamed into place.
    """
    import os
    import shutil
    import tempfile

    import yaml

    from .tables import atomic_write
    from .validate import choice

    raw = Path(raw) if raw else paths.raw_dir()
    path = Path(path)
    registry = load_registry(raw)
    if not path.is_file():
        raise IndicatorsError(f"{path}: no such file")
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.strip():
        raise IndicatorsError(f"{path}: the document is empty")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise IndicatorsError(f"{path}:{line}: not UTF-8 text; convert it to UTF-8 first") from None
    if not _DOC_ID.fullmatch(doc_id):
        raise IndicatorsError(f"--doc-id: '{doc_id}' must be lower-case letters, digits and hyphens, e.g. report-2023")
    if doc_id in {s.doc_id for s in registry}:
        raise IndicatorsError(f"--doc-id: '{doc_id}' is already registered in {raw / REGISTRY}")
    choice("--type", doc_type, DOC_TYPES)
    if not _ISSUED.fullmatch(issued):
        raise IndicatorsError(f"--issued: '{issued}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    digest = hashlib.sha256(data).hexdigest()
    same = [s.doc_id for s in registry if s.sha256 == digest]
    if same:
        raise IndicatorsError(f"{path}: this document is already registered as '{same[0]}'")
    name = f"{issued}_{doc_type.replace('_', '-')}_{doc_id}.txt"
    target = raw / name
    if target.exists():
        raise IndicatorsError(f"{target}: a file of that name is already in {raw}")
    year = int(issued[:4])
    if results is None:
        results = [] if doc_type == "plan" else [year]
    if targets is None:
        targets = [year] if doc_type == "plan" else [year + 1]
    entry = "\n".join([
        f"  - doc_id: {doc_id}",
        f"    file: {name}",
        f"    sha256: {digest}",
        f"    title_vi: {_quoted(title_vi)}",
        f"    title_en: {_quoted(title_en)}",
        f"    short_title_vi: {_quoted(short_title_vi or title_vi)}",
        f"    short_title_en: {_quoted(short_title_en or title_en)}",
        f"    issuer: {_quoted(issuer)}",
        f"    doc_type: {doc_type}",
        f"    issued: {_quoted(issued)}",
        "    covers:",
        f"      results: [{', '.join(map(str, results))}]",
        f"      targets: [{', '.join(map(str, targets))}]",
        f"    origin: {_quoted(path.name)}",
    ]) + "\n"
    registry_path = raw / REGISTRY
    text = registry_path.read_text(encoding="utf-8")
    updated = text + ("" if text.endswith("\n") else "\n") + entry
    if (yaml.safe_load(updated).get("documents") or [{}])[-1].get("doc_id") != doc_id:
        raise IndicatorsError(f"{registry_path}: 'documents:' must be the file's last key to add to it")
    fd, staged = tempfile.mkstemp(prefix=f".{name}.tmp-", dir=raw)
    os.close(fd)
    try:
        shutil.copyfile(path, staged)  # byte for byte, into a new file
        os.replace(staged, target)
        try:
            atomic_write(registry_path, lambda tmp: Path(tmp).write_text(updated, encoding="utf-8"))
        except BaseException:
            target.unlink()  # the copy this call made, never a registered document
            raise
    finally:
        Path(staged).unlink(missing_ok=True)
    return next(s for s in load_registry(raw) if s.doc_id == doc_id)
