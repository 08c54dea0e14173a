"""Reading and writing the processed tables (``data/processed/``): CSV for people and diffs,
Parquet for typed loading. Every table is checked against its pandera schema on write and on read.
Writes are atomic: a table is written to a temporary file and renamed over the old one.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pandera.errors

from . import paths
from .atomic import atomic_write
from .errors import IndicatorsError
from .schemas import SCHEMAS

TABLES = tuple(SCHEMAS)


def validate(frame: pd.DataFrame, name: str, source: str = "") -> pd.DataFrame:
    try:
        return SCHEMAS[name].validate(frame)
    except (pandera.errors.SchemaError, pandera.errors.SchemaErrors) as err:
        first = str(err).strip().splitlines()[0]
        raise IndicatorsError(f"{source or name}: table '{name}' does not match its schema: {first}") from None


def write_tables(tables: dict[str, pd.DataFrame], out: Path | None = None) -> list[Path]:
    """Validate every table, then write each as ``<name>.csv`` and ``<name>.parquet``."""
    out = Path(out) if out else paths.processed_dir()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise IndicatorsError(f"{out}: cannot create the output folder ({err.strerror})") from None
    checked = {name: validate(frame, name) for name, frame in tables.items()}
    written = []
    for name, frame in checked.items():
        csv, parquet = out / f"{name}.csv", out / f"{name}.parquet"
        try:
            atomic_write(csv, partial(frame.to_csv, index=False, lineterminator="\n"))
            atomic_write(parquet, partial(frame.to_parquet, index=False))
        except OSError as err:
            raise IndicatorsError(f"{out}: cannot write table '{name}' ({err.strerror})") from None
        written += [csv, parquet]
    return written


_LOADED: dict[tuple, pd.DataFrame] = {}  # (path, size, mtime) -> the checked table


def load_table(name: str, processed: Path | None = None) -> pd.DataFrame:
    """A processed table as a DataFrame (a copy of your own), checked against its schema.

    A table is read and checked once per process while its file is unchanged.

    >>> obs = load_table("observations")          # doctest: +SKIP
    """
    if name not in SCHEMAS:
        raise IndicatorsError(f"unknown table '{name}'; the tables are: {', '.join(TABLES)}")
    path = (Path(processed) if processed else paths.processed_dir()) / f"{name}.parquet"
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if key not in _LOADED:
            _LOADED[key] = validate(pd.read_parquet(path), name, str(path))
    except FileNotFoundError:
        raise IndicatorsError(f"{path}: table not built yet; run `indicators build`") from None
    return _LOADED[key].copy()
