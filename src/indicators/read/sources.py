"""The raw source documents: registry, integrity check, reading.

Raw files are only ever opened for reading (mode ``"rb"``); the build refuses a file whose
SHA-256 differs from the one recorded in ``data/raw/sources.yml``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from filelock import FileLock

from indicators import paths
from indicators.atomic import atomic_write
from indicators.errors import IndicatorsError
from indicators.read import docinfo
from indicators.validate import choice
from indicators.yamlfile import check_fields, read_yaml

REGISTRY = "sources.yml"
DOC_TYPES = ("report", "plan", "press_release", "article")
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
        file = _registry_file(path, doc_id, entry["file"])
        results, targets = (_years(path, f"{doc_id}: covers: {k}", covers[k]) for k in ("results", "targets"))
        sources.append(
            Source(
                doc_id=doc_id,
                file=file,
                sha256=str(entry["sha256"]).lower(),
                title_vi=entry["title_vi"],
                title_en=entry["title_en"],
                short_title_vi=entry["short_title_vi"],
                short_title_en=entry["short_title_en"],
                issuer=entry["issuer"],
                doc_type=entry["doc_type"],
                issued=issued,
                results_years=results,
                target_years=targets,
                path=raw / file,
            )
        )
    return sources


def _registry_file(path: Path, doc_id: str, file) -> str:
    """A registered file is a plain file name in data/raw (not a folder, not elsewhere)."""
    name = str(file)
    if not name or "/" in name or "\\" in name or name in (".", "..") or (path.parent / name).is_dir():
        raise IndicatorsError(f"{path}: {doc_id}: file '{name}' must be the name of a file in {path.parent}")
    return name


def _years(path: Path, where: str, values) -> tuple[int, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, int) and 1900 <= v <= 2200 for v in values):
        raise IndicatorsError(f"{path}: {where}: expected a list of years like [2022], got {values!r}")
    return tuple(values)


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
    except OSError as err:
        raise IndicatorsError(f"{path}: raw document '{source.doc_id}' cannot be read ({err.strerror})") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        raise IndicatorsError(
            f"{path}: raw document '{source.doc_id}' changed since it was registered "
            f"(sha256 {actual[:12]}…, expected {source.sha256[:12]}…); raw data is immutable"
        )
    if not data.strip():
        raise IndicatorsError(f"{path}: raw document '{source.doc_id}' is empty")
    try:
        return lines_of(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise IndicatorsError(f"{path}:{line_at(data, err.start)}: raw document '{source.doc_id}' is not UTF-8") \
            from None


_LINE_END = re.compile(r"\r\n?")


def lines_of(text: str) -> str:
    """``text`` with every line ending as ``\\n``: Windows (CR LF) and old Mac or Word exports (CR alone) end
    their lines too; a line is what an editor shows as one, and what ``line`` numbers count."""
    return _LINE_END.sub("\n", text)


def line_at(data: bytes, offset: int) -> int:
    """The line (1-based, any line ending) of byte ``offset`` of a file."""
    return data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


_DOC_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def add_source(
    path: Path,
    *,
    doc_id: str | None = None,
    title_vi: str | None = None,
    title_en: str | None = None,
    doc_type: str | None = None,
    issued: str | None = None,
    short_title_vi: str | None = None,
    short_title_en: str | None = None,
    issuer: str = "UBND tỉnh Bắc Giang (People's Committee of Bắc Giang province)",
    results: list[int] | None = None,
    targets: list[int] | None = None,
    raw: Path | None = None,
) -> Source:
    """Copy a new document into ``data/raw/`` byte for byte and register it in ``sources.yml``.

    Only the file is needed: its type, title, date of issue and the years it reports results for and sets
    targets for are read from the document where it states them (:mod:`indicators.docinfo`); every option
    given overrides what was read. Refuses an existing doc_id, a file already registered (same bytes) or of
    the same name, an empty or non-UTF-8 file, and malformed metadata. Nothing is normalised: raw stays raw.
    The copy and the registry are each written to a temporary file and renamed into place.
    """
    raw = Path(raw) if raw else paths.raw_dir()
    with _registry_lock(raw):  # two add-source at once: one after the other, both kept
        return _add_source(Path(path), raw, doc_id, title_vi, title_en, doc_type, issued, short_title_vi,
                           short_title_en, issuer, results, targets)


def _registry_lock(raw: Path):
    return FileLock(str(raw.parent / ".sources.lock"), timeout=120)


def _add_source(path, raw, doc_id, title_vi, title_en, doc_type, issued, short_title_vi, short_title_en, issuer,
                results, targets) -> Source:
    registry = load_registry(raw)
    data = _new_document(path)
    info = docinfo.read_info(lines_of(data.decode("utf-8")))
    doc_type = doc_type or info.doc_type
    choice("--type", doc_type, DOC_TYPES)
    info.doc_type = doc_type
    issued = issued or info.issued
    if not issued:
        raise IndicatorsError(f"{path}: the document states no date of issue or year; give --issued YYYY-MM-DD")
    _check_issued(issued)
    titles = info.titles()
    doc_id = doc_id or info.doc_id({s.doc_id for s in registry})
    if not _DOC_ID.fullmatch(doc_id):
        raise IndicatorsError(f"--doc-id: '{doc_id}' must be lower-case letters, digits and hyphens, e.g. report-2023")
    if doc_id in {s.doc_id for s in registry}:
        raise IndicatorsError(f"--doc-id: '{doc_id}' is already registered in {raw / REGISTRY}")
    digest = hashlib.sha256(data).hexdigest()
    same = [s.doc_id for s in registry if s.sha256 == digest]
    if same:
        raise IndicatorsError(f"{path}: this document is already registered as '{same[0]}'")
    name = f"{issued}_{doc_type.replace('_', '-')}_{doc_id}.txt"
    if (raw / name).exists():
        raise IndicatorsError(f"{raw / name}: a file of that name is already in {raw}")
    year = int(issued[:4])
    if results is None:
        results = info.results if (info.results or info.targets) else ([] if doc_type == "plan" else [year])
    if targets is None:
        targets = info.targets if (info.results or info.targets) else ([year] if doc_type == "plan" else [year + 1])
    _check_years(results, targets, year)
    entry = _registry_entry(
        doc_id=doc_id, name=name, digest=digest, title_vi=title_vi or titles["title_vi"],
        title_en=title_en or titles["title_en"], short_title_vi=short_title_vi or titles["short_title_vi"],
        short_title_en=short_title_en or titles["short_title_en"], issuer=issuer, doc_type=doc_type, issued=issued,
        results=results, targets=targets, origin=path.name,
    )
    _register(path, raw, name, doc_id, entry)
    return next(s for s in load_registry(raw) if s.doc_id == doc_id)


MAX_BYTES = 10 * 2**20  # a province's yearly report is under 2 MB of text


def _check_issued(issued: str) -> None:
    """A real date (or year-month, or year), not in the future."""
    parts = issued.split("-")
    try:
        if not _ISSUED.fullmatch(issued):
            raise ValueError
        day = datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2
                            else 1)
    except ValueError:
        raise IndicatorsError(f"--issued: '{issued}' is not a date YYYY-MM-DD (or YYYY-MM, or YYYY)") from None
    if day.year < 1990 or day > datetime.date.today():
        raise IndicatorsError(f"--issued: '{issued}' is not a date from 1990 to today")


def _check_years(results, targets, year: int) -> None:
    """Results of years up to the year after the issue; targets up to ten years after it; none before 1990."""
    for option, values, latest in (("--results", results, year + 1), ("--targets", targets, year + 10)):
        wrong = [y for y in values if not 1990 <= int(y) <= latest]
        if wrong:
            raise IndicatorsError(f"{option}: {wrong[0]} is not a year from 1990 to {latest} for a document of {year}")


def _new_document(path: Path) -> bytes:
    """The bytes of a document to add, refused if missing, empty, too large, or not UTF-8 text."""
    if not path.is_file():
        raise IndicatorsError(f"{path}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise IndicatorsError(f"{path}: {path.stat().st_size // 2**20} MB is too large for a report's text "
                              f"(at most {MAX_BYTES // 2**20} MB)")
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.strip():
        raise IndicatorsError(f"{path}: the document is empty")
    if b"\x00" in data:
        line = line_at(data, data.index(b"\x00"))
        raise IndicatorsError(f"{path}:{line}: a NUL byte: not UTF-8 text (UTF-16?); convert it to UTF-8 first")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IndicatorsError(f"{path}:{line_at(data, err.start)}: not UTF-8 text; convert it to UTF-8 first") \
            from None
    return data


def _registry_entry(**f) -> str:
    return "\n".join([
        f"  - doc_id: {f['doc_id']}",
        f"    file: {f['name']}",
        f"    sha256: {f['digest']}",
        f"    title_vi: {_quoted(f['title_vi'])}",
        f"    title_en: {_quoted(f['title_en'])}",
        f"    short_title_vi: {_quoted(f['short_title_vi'])}",
        f"    short_title_en: {_quoted(f['short_title_en'])}",
        f"    issuer: {_quoted(f['issuer'])}",
        f"    doc_type: {f['doc_type']}",
        f"    issued: {_quoted(f['issued'])}",
        "    covers:",
        f"      results: [{', '.join(map(str, f['results']))}]",
        f"      targets: [{', '.join(map(str, f['targets']))}]",
        f"    origin: {_quoted(f['origin'])}",
    ]) + "\n"


def _register(path: Path, raw: Path, name: str, doc_id: str, entry: str) -> None:
    """Copy the document into ``raw`` and append its entry to the registry, each atomically."""
    registry_path = raw / REGISTRY
    text = registry_path.read_text(encoding="utf-8")
    listed = re.search(r"^( *)- +doc_id:", text, re.MULTILINE)  # the entries' own indentation, kept
    if listed and listed.group(1) != "  ":
        entry = "".join(listed.group(1) + line[2:] for line in entry.splitlines(keepends=True))
    updated = text + ("" if text.endswith("\n") else "\n") + entry
    try:
        added = (yaml.safe_load(updated).get("documents") or [{}])[-1].get("doc_id")
    except yaml.YAMLError:
        added = None
    if added != doc_id:
        raise IndicatorsError(f"{registry_path}: 'documents:' must be the file's last key to add to it")
    target = raw / name
    fd, staged_copy = tempfile.mkstemp(prefix=f".{name}.tmp-", dir=raw)
    os.close(fd)
    try:
        shutil.copyfile(path, staged_copy)  # byte for byte, into a new file
        os.replace(staged_copy, target)
        try:
            atomic_write(registry_path, lambda tmp: Path(tmp).write_text(updated, encoding="utf-8"))
        except BaseException:
            target.unlink()  # the copy this call made, never a registered document
            raise
    finally:
        Path(staged_copy).unlink(missing_ok=True)
