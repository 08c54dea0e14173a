"""Reading and writing the processed tables (``data/processed/``): CSV for people and diffs, Parquet for typed
loading. Every table is checked against its pandera schema on write and on read.

The tables are written as a set: every table in both formats and the data package go to a staging folder
beside ``data/processed/``, which then takes its place (two renames, under a file lock). A build killed in
between leaves the previous set aside, and the next build or read puts it back and removes what the killed
build left: a reader sees the old set or the new one, never a mix.

One convention for what is missing in both formats: an empty cell in CSV, a null in Parquet. In Parquet,
columns of a fixed set of values are categorical and columns of several values are lists (space-separated
in CSV); :func:`load_table` gives the frame the package works with (missing text as "", lists joined).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pandera.errors

from indicators import paths
from indicators.errors import IndicatorsError
from indicators.tables.schemas import SCHEMAS, fields
from indicators.tableset import ASIDE, PACKAGE_NAME, STAGING, leftovers, locked, recover

TABLES = tuple(SCHEMAS)


def validate(frame: pd.DataFrame, name: str, source: str = "") -> pd.DataFrame:
    schema = SCHEMAS[name]
    try:
        return schema.validate(_typed(frame, schema))
    except (pandera.errors.SchemaError, pandera.errors.SchemaErrors) as err:
        first = str(err).strip().splitlines()[0]
        raise IndicatorsError(f"{source or name}: table '{name}' does not match its schema: {first}") from None


def _typed(frame: pd.DataFrame, schema) -> pd.DataFrame:
    """Columns pandas could not type by their values (``object``, or no value at all: no rows, or a merge with
    nothing on one side, as in a project with no plan yet) in the schema's types; values of another type are left
    for the schema to report."""
    untyped = {c: col.dtype.type for c, col in schema.columns.items()
               if col.dtype and c in frame and (frame[c].dtype == object or frame[c].isna().all())}
    try:
        return frame.astype(untyped) if untyped else frame
    except (TypeError, ValueError):
        return frame


def to_parquet_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The table as Parquet stores it: missing text as null, fixed sets of values as categories, lists."""
    out = frame.copy()
    for column, field in fields(name).items():
        if field.get("list"):
            cast = int if field["list"] == "integer" else str
            out[column] = [[cast(v) for v in str(text).split()] for text in out[column]]
        elif field["type"] == "string":
            values = out[column].astype(object).where(out[column].astype(str) != "", None)
            out[column] = pd.Categorical(values, categories=field["enum"]) if "enum" in field else values
    return out


def from_parquet_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The table as the package works with it: missing text as "", lists space-separated."""
    for column, field in fields(name).items():
        if field.get("list"):
            frame[column] = [" ".join(str(v) for v in values) for values in frame[column]]
        elif field["type"] == "string":
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    return frame


def output_folder(out: Path | None = None) -> Path:
    """The folder a table set goes to (``data/processed/`` by default), once its parent folder exists and can
    be written: checked before a build starts, so that a wrong ``--out`` fails at once."""
    out = Path(out) if out else paths.processed_dir()
    blocking = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise IndicatorsError(f"{out}: cannot create the output folder ({blocking} is a file)")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise IndicatorsError(f"{out}: cannot create the output folder ({err.strerror})") from None
    try:  # a file made and removed: permissions, a read-only file system, /proc, ... (root passes os.access)
        probe, name = tempfile.mkstemp(prefix=".probe-", dir=out.parent)
        os.close(probe)
        os.unlink(name)
    except OSError as err:
        raise IndicatorsError(f"{out}: cannot write into {out.parent} ({err.strerror or err})") from None
    return out


def set_files(names=TABLES) -> set[str]:
    """The files of a table set: every table in both formats, and the data package."""
    return {f"{name}.{ext}" for name in names for ext in ("csv", "parquet")} | {PACKAGE_NAME}


def foreign_files(out: Path) -> list[str]:
    """What a table folder holds that no build wrote: neither a file of the set nor one that the data package
    already there lists (a table of an earlier version). A build replaces the folder as a whole, so it refuses
    a folder that holds such a file rather than lose it."""
    out = Path(out)
    if not out.is_dir():
        return []
    ours = set_files() | _listed(out / PACKAGE_NAME)
    return sorted(p.name for p in out.iterdir() if p.name not in ours)


def _listed(package: Path) -> set[str]:
    try:
        resources = json.loads(package.read_text(encoding="utf-8")).get("resources", [])
        return {r["path"] for r in resources if isinstance(r, dict) and isinstance(r.get("path"), str)}
    except (OSError, ValueError, AttributeError):
        return set()


def check_not_foreign(out: Path) -> None:
    """Refuse to replace a folder that holds files no build wrote (a user's notes, reports, ...)."""
    foreign = foreign_files(out)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise IndicatorsError(f"{out}: holds {shown}, which no build wrote; a build replaces the folder as a whole: "
                              f"move {'it' if len(foreign) == 1 else 'them'} elsewhere, or give --out a new folder")


def write_set(tables: dict[str, pd.DataFrame], out: Path | None = None, extra: dict[str, str] | None = None):
    """Validate every table, then write the set (``<name>.csv``, ``<name>.parquet`` and the ``extra`` files,
    e.g. the data package) in place of ``out`` as a whole. A folder holding anything else is refused."""
    out = output_folder(out)
    checked = {name: validate(frame, name) for name, frame in tables.items()}
    try:
        with locked(out):
            recover(out)
            check_not_foreign(out)
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}{STAGING}", dir=out.parent))
            try:
                _write_files(staging, checked, extra or {})
                _swap(staging, out)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as err:
        raise IndicatorsError(f"{out}: cannot write the tables ({err.strerror or err})") from None
    return sorted(out.iterdir())


def _write_files(folder: Path, tables: dict[str, pd.DataFrame], extra: dict[str, str]) -> None:
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
        to_parquet_frame(frame, name).to_parquet(folder / f"{name}.parquet", index=False)
    for file_name, text in extra.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    os.chmod(folder, 0o777 & ~_umask())


def _swap(staging: Path, out: Path) -> None:
    """``staging`` becomes ``out``; the old ``out`` is moved aside first and removed last."""
    aside = out.parent / f".{out.name}{ASIDE}{os.getpid()}"
    if out.exists():
        os.rename(out, aside)
    os.rename(staging, out)
    shutil.rmtree(aside, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_LOADED: dict[tuple, pd.DataFrame] = {}  # (path, size, mtime) -> the checked table


def load_table(name: str, processed: Path | None = None) -> pd.DataFrame:
    """A processed table as a DataFrame (a copy of your own), checked against its schema.

    A table is read and checked once per process while its file is unchanged.

    >>> obs = load_table("observations")          # doctest: +SKIP
    """
    if name not in SCHEMAS:
        raise IndicatorsError(f"unknown table '{name}'; the tables are: {', '.join(TABLES)}")
    folder = Path(processed) if processed else paths.processed_dir()
    path = folder / f"{name}.parquet"
    if leftovers(folder):
        with locked(folder):
            recover(folder)  # a build was killed while it wrote or replaced the set: finished or dropped
    try:
        key = paths.stamp(path)
        if key not in _LOADED:
            _LOADED[key] = validate(from_parquet_frame(pd.read_parquet(path), name), name, str(path))
    except FileNotFoundError:
        raise IndicatorsError(f"{path}: table not built yet; run `indicators build`") from None
    except (OSError, ValueError) as err:  # a damaged or truncated file (pyarrow's errors are ValueErrors)
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise IndicatorsError(f"{path}: cannot read the table ({first}); run `indicators build`") from None
    return _LOADED[key].copy()
