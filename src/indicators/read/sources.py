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
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml
from filelock import FileLock

from indicators import paths
from indicators.atomic import atomic_write, staged, sweep
from indicators.errors import IndicatorsError
from indicators.read import docinfo
from indicators.validate import choice
from indicators.yamlfile import check_fields, read_yaml

REGISTRY = "sources.yml"
ISSUER = "UBND tỉnh Bắc Giang (People's Committee of Bắc Giang province)"  # unless the document names another
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
_OPTIONAL = {"origin", "period"}
# the part of a year a document reports (README "Periods"): a whole year, a quarter, the first months, one month
DOC_PERIODS = ("year", "q1", "q2", "q3", "q4", *(f"{n}m" for n in range(1, 12)),
               *(f"month-{n:02d}" for n in range(1, 13)))
_TEXTS = ("title_vi", "title_en", "short_title_vi", "short_title_en", "issuer")
_ISSUED = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DOC_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_ID = 60  # characters of a doc_id (it is part of a file name)
MAX_TEXT = 2000  # characters of a title or an issuer


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
    period: str = "year"  # one of DOC_PERIODS

    @property
    def issued_year(self) -> int:
        return int(self.issued[:4])


def load_registry(raw: Path | None = None) -> list[Source]:
    """Read ``sources.yml`` and check its entries (fields and their types, real dates, unique ids and files)."""
    raw = Path(raw) if raw else paths.raw_dir()
    path = raw / REGISTRY
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("documents", []), list | None):
        raise IndicatorsError(f"{path}: expected a top-level 'documents:' list")
    sources: list[Source] = []
    for i, entry in enumerate(data.get("documents") or [], 1):
        source = _entry(path, raw, i, entry)
        same = next((s for s in sources if s.doc_id == source.doc_id), None)
        if same:
            raise IndicatorsError(f"{path}: document {i}: duplicate doc_id '{source.doc_id}'")
        same = next((s for s in sources if s.file == source.file), None)
        if same:
            raise IndicatorsError(f"{path}: {source.doc_id}: file '{source.file}' is registered already, as "
                                  f"'{same.doc_id}'")
        sources.append(source)
    return sources


def _entry(path: Path, raw: Path, i: int, entry) -> Source:
    """One entry of the registry, each field of its type."""
    check_fields(path, f"document {i}", entry, _FIELDS, _OPTIONAL)
    doc_id = entry["doc_id"]
    if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id) or len(doc_id) > MAX_ID:
        shown = str(doc_id)[:MAX_ID].replace("\n", " ")
        raise IndicatorsError(f"{path}: document {i}: doc_id '{shown}' must be text of lower-case letters, digits and "
                              f"hyphens, at most {MAX_ID} characters (like report-2023)")
    for field in (*_TEXTS, *(("origin",) if "origin" in entry else ())):
        value = entry[field]
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            got = f"{len(value)} characters" if isinstance(value, str) else type(value).__name__
            raise IndicatorsError(f"{path}: {doc_id}: {field} must be text of 1 to {MAX_TEXT} characters, got {got}")
    if entry["doc_type"] not in DOC_TYPES:
        raise IndicatorsError(f"{path}: {doc_id}: doc_type '{str(entry['doc_type'])[:40]}' is not one of "
                              f"{', '.join(DOC_TYPES)}")
    if not isinstance(entry["sha256"], str) or not _SHA256.fullmatch(entry["sha256"].lower()):
        raise IndicatorsError(f"{path}: {doc_id}: sha256 must be 64 hexadecimal digits")
    issued = _issued(path, doc_id, entry["issued"])
    covers = entry["covers"]
    check_fields(path, f"{doc_id}: covers", covers, {"results", "targets"})
    results, targets = (_years(path, f"{doc_id}: covers: {k}", covers[k]) for k in ("results", "targets"))
    file = _registry_file(path, doc_id, entry["file"])
    period = entry.get("period", "year")
    if period not in DOC_PERIODS:
        raise IndicatorsError(f"{path}: {doc_id}: period '{str(period)[:40]}' is not one of year, q1-q4, 1m-11m, "
                              "month-01-month-12")
    return Source(period=period, doc_id=doc_id, file=file, sha256=entry["sha256"].lower(), title_vi=entry["title_vi"],
                  title_en=entry["title_en"], short_title_vi=entry["short_title_vi"],
                  short_title_en=entry["short_title_en"], issuer=entry["issuer"], doc_type=entry["doc_type"],
                  issued=issued, results_years=results, target_years=targets, path=raw / file)


def _issued(path: Path, doc_id: str, value) -> str:
    """The date of issue as written (YAML reads an unquoted 2021-12-02 as a date, 2022 as a number): a real date,
    year-month or year."""
    issued = value.isoformat() if isinstance(value, datetime.date) else str(value)
    if isinstance(value, bool) or not isinstance(value, str | int | datetime.date) or not real_date(issued):
        raise IndicatorsError(f"{path}: {doc_id}: issued '{issued[:40]}' is not a date YYYY-MM-DD, YYYY-MM or YYYY")
    return issued


def real_date(issued: str) -> datetime.date | None:
    """The first day ``issued`` (YYYY-MM-DD, YYYY-MM or YYYY, ASCII digits) names, if it is a real date."""
    if not _ISSUED.fullmatch(issued):
        return None
    parts = [int(p) for p in issued.split("-")] + [1, 1]
    try:
        return datetime.date(*parts[:3])
    except ValueError:
        return None


def _registry_file(path: Path, doc_id: str, file) -> str:
    """A registered file is a plain file name in data/raw (not a folder, not a link, not elsewhere)."""
    name = str(file)
    wrong = not isinstance(file, str) or not name or any(c in name for c in "/\\\0") or name in (".", "..")
    if wrong or (path.parent / name).is_dir() or (path.parent / name).is_symlink():
        shown = name.replace("\0", "\\0")
        raise IndicatorsError(f"{path}: {doc_id}: file '{shown}' must be the name of a file in {path.parent}")
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
    issuer: str | None = None,
    results: list[int] | None = None,
    targets: list[int] | None = None,
    raw: Path | None = None,
    period: str | None = None,
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
                           short_title_en, issuer, results, targets, period)


def _registry_lock(raw: Path):
    return FileLock(str(raw.parent / ".sources.lock"), timeout=120)


def _add_source(path, raw, doc_id, title_vi, title_en, doc_type, issued, short_title_vi, short_title_en, issuer,
                results, targets, period=None) -> Source:
    registry = load_registry(raw)
    _recover(raw, registry)
    data = _new_document(path)
    info = docinfo.read_info(lines_of(data.decode("utf-8")))
    doc_type = doc_type or info.doc_type
    choice("--type", doc_type, DOC_TYPES)
    info.doc_type = doc_type
    if period is not None:
        choice("--period", period, DOC_PERIODS)
        info.period, info.month = (("month", int(period[6:])) if period.startswith("month-") else (period, 0))
    period = f"month-{info.month:02d}" if info.period == "month" else info.period
    issued = issued if issued is not None else info.issued
    if not issued:
        raise IndicatorsError(f"{path}: found no date of issue (a 'Bắc Giang, ngày ... tháng ... năm ...' or "
                              "'Cập nhật: DD/MM/YYYY' line) and no year it reports ('năm 2024', '6 tháng đầu năm "
                              "2024', 'quý I/2025') in its first lines; give --issued YYYY-MM-DD (and --results)")
    _check_issued(issued)
    titles = info.titles()
    doc_id = doc_id if doc_id is not None else info.doc_id({s.doc_id for s in registry})
    if not _DOC_ID.fullmatch(doc_id) or len(doc_id) > MAX_ID:
        shown = doc_id[:MAX_ID] + ("…" if len(doc_id) > MAX_ID else "")
        raise IndicatorsError(f"--doc-id: '{shown}' must be lower-case letters, digits and hyphens, at most {MAX_ID} "
                              "characters, e.g. report-2023")
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
        short_title_en=short_title_en or titles["short_title_en"], issuer=issuer or info.issuer or ISSUER,
        doc_type=doc_type, issued=issued,
        results=results, targets=targets, origin=path.name, period=period,
    )
    _register(data, raw, name, doc_id, entry)
    return next(s for s in load_registry(raw) if s.doc_id == doc_id)


def add_to(raw: Path, path: Path, **given) -> Source:
    """``add_source(path, raw=raw, **given)``, starting an empty registry in ``raw`` where there is none."""
    raw.mkdir(parents=True, exist_ok=True)
    if not (raw / REGISTRY).exists():
        (raw / REGISTRY).write_text("documents: []\n", encoding="utf-8")
    return add_source(path, raw=raw, **given)


MAX_BYTES = 10 * 2**20  # a province's yearly report is under 2 MB of text


def _check_issued(issued: str) -> None:
    """A real date (or year-month, or year), not in the future."""
    day = real_date(issued)
    if day is None:
        shown = issued[:40].replace("\n", " ")
        raise IndicatorsError(f"--issued: '{shown}' is not a date YYYY-MM-DD (or YYYY-MM, or YYYY)")
    if day.year < 1990 or day > datetime.date.today():
        raise IndicatorsError(f"--issued: '{issued}' is not a date from 1990 to today")


def _check_years(results, targets, year: int) -> None:
    """Results of years up to the year after the issue; targets up to ten years after it; none before 1990."""
    for option, values, latest in (("--results", results, year + 1), ("--targets", targets, year + 10)):
        wrong = [y for y in values if not 1990 <= int(y) <= latest]
        if wrong:
            raise IndicatorsError(f"{option}: {wrong[0]} is not a year from 1990 to {latest} for a document of {year}")


def _new_document(path: Path) -> bytes:
    """The bytes of a document to add (read once: what is hashed is what is copied), refused if missing, not a
    regular file (a folder, a link, a FIFO or a device), empty, too large, or not UTF-8 text."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        raise IndicatorsError(f"{path}: no such file") from None
    except OSError as err:
        raise IndicatorsError(f"{path}: cannot read it ({err.strerror})") from None
    if stat.S_ISLNK(mode):
        raise IndicatorsError(f"{path}: a symbolic link (to {os.readlink(path)}); give the document itself")
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO, a socket or a device)"
        raise IndicatorsError(f"{path}: {kind}; give a document's file")
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise IndicatorsError(f"{path}: {path.stat().st_size // 2**20} MB is too large for a report's text "
                              f"(at most {MAX_BYTES // 2**20} MB)")
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
        *([f"    period: {f['period']}"] if f["period"] != "year" else []),
    ]) + "\n"


_PENDING = ".sources.pending"  # beside the registry's lock: the copy an add-source is making, until it is registered


def _register(data: bytes, raw: Path, name: str, doc_id: str, entry: str) -> None:
    """Copy the document into ``raw`` and append its entry to the registry, each atomically. Until the registry
    has the entry, the copy is noted in ``data/.sources.pending``, so that an add-source killed in between leaves
    nothing that a retry trips on (:func:`_recover`)."""
    registry_path = raw / REGISTRY
    updated = _appended(registry_path, entry, doc_id)
    journal, target = raw.parent / _PENDING, raw / name
    note = json.dumps({"file": name, "sha256": hashlib.sha256(data).hexdigest()})
    atomic_write(journal, lambda tmp: Path(tmp).write_text(note, encoding="utf-8"))
    try:
        with staged(target) as tmp:
            Path(tmp).write_bytes(data)  # the bytes read and hashed, not a second read of the file
        try:
            atomic_write(registry_path, lambda tmp: Path(tmp).write_text(updated, encoding="utf-8"))
        except BaseException:
            target.unlink()  # the copy this call made, never a registered document
            raise
    finally:
        journal.unlink(missing_ok=True)


def _appended(registry_path: Path, entry: str, doc_id: str) -> str:
    """The registry's text with the entry appended, in the entries' own indentation (an empty ``documents: []``
    becomes a list to append to)."""
    text = re.sub(r"^documents:[ \t]*\[[ \t]*\][ \t]*$", "documents:", registry_path.read_text(encoding="utf-8"),
                  flags=re.MULTILINE)
    listed = re.search(r"^( *)- +doc_id:", text, re.MULTILINE)
    if listed and listed.group(1) != "  ":
        entry = "".join(listed.group(1) + line[2:] for line in entry.splitlines(keepends=True))
    updated = text + ("" if text.endswith("\n") else "\n") + entry
    try:
        added = (yaml.safe_load(updated).get("documents") or [{}])[-1].get("doc_id")
    except (yaml.YAMLError, AttributeError):
        added = None
    if added != doc_id:
        raise IndicatorsError(f"{registry_path}: 'documents:' must be the file's last key to add to it")
    return updated


def _recover(raw: Path, registry: list[Source]) -> None:
    """Undo what an add-source killed midway left: its hidden temporary copy, and a copy it had made but not yet
    registered (the journal names it, and its bytes must be the ones noted). Call with the registry's lock held."""
    sweep(raw)  # temporary files of processes that are gone
    journal = raw.parent / _PENDING
    try:
        pending = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        pending = None
    name = pending.get("file") if isinstance(pending, dict) else None
    if isinstance(name, str) and Path(name).name == name and name not in {s.file for s in registry}:
        copy = raw / name
        if copy.is_file() and not copy.is_symlink() and sha256_of(copy) == pending.get("sha256"):
            copy.unlink()
    journal.unlink(missing_ok=True)
