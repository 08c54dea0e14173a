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
