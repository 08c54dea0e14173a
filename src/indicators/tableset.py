"""The table set's folder on disk (``data/processed/``), without pandas: the lock its writers take, the recovery
of what a killed build left, and the snapshot a batch reads from start to end.

A build writes a new set into a staging folder beside the folder and swaps the two (two renames under the lock);
it never changes a file of a set in place. So a snapshot of hard links to the files of the set stays the set it
was, whatever builds come after: a batch (and the kernels of its runs) reads its snapshot, never two sets.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from filelock import FileLock, Timeout

from indicators import lazy
from indicators.atomic import gone
from indicators.errors import IndicatorsError

parquet = lazy.module("pyarrow.parquet")  # only to check a snapshot before runs

PACKAGE_NAME = "datapackage.json"  # the data package, written with every set: it lists the set's files
STAGING, ASIDE, SNAPSHOT = ".new-", ".old-", ".batch-"
LOCK_TIMEOUT = 600  # seconds a writer waits for another (a build takes seconds)


def lock(out: Path) -> FileLock:
    """The lock that serialises the writers (and the recovery, and the snapshots) of a table folder."""
    return FileLock(str(Path(out).parent / f".{Path(out).name}.lock"), timeout=LOCK_TIMEOUT)


@contextlib.contextmanager
def locked(out: Path):
    """:func:`lock` held, or a one-line error when the lock cannot be made or is held for ten minutes."""
    try:
        with lock(out):
            yield
    except Timeout:
        raise IndicatorsError(f"{out}: another build held the tables' lock for {LOCK_TIMEOUT // 60} minutes "
                              f"({Path(out).parent / ('.' + Path(out).name + '.lock')})") from None


def recover(out: Path) -> None:
    """Put back the set a killed build moved aside (if the folder is missing), and remove the folders a
    killed build left (staging, or the set it replaced). Call with :func:`lock` held."""
    out = Path(out)
    leftovers = sorted(out.parent.glob(f".{out.name}{ASIDE}*"), key=lambda p: p.stat().st_mtime)
    if not out.exists() and leftovers:
        os.rename(leftovers.pop(), out)
    for folder in [*leftovers, *out.parent.glob(f".{out.name}{STAGING}*")]:
        shutil.rmtree(folder, ignore_errors=True)


def leftovers(out: Path) -> bool:
    """Whether a killed build left something for :func:`recover` to finish."""
    out = Path(out)
    return any(out.parent.glob(f".{out.name}{ASIDE}*")) or any(out.parent.glob(f".{out.name}{STAGING}*"))


@contextlib.contextmanager
def snapshot(out: Path):
    """The table set as it is now, as hard links (a copy where the file system has none) in a folder beside it;
    removed when the block ends. Snapshots that a killed batch left are removed first."""
    out = Path(out)
    sweep(out)
    with locked(out):
        recover(out)
        if not (out / PACKAGE_NAME).is_file():
            raise IndicatorsError(f"{out}: the tables are not built yet; run `indicators build`")
        copy = Path(tempfile.mkdtemp(prefix=f".{out.name}{SNAPSHOT}{os.getpid()}-", dir=out.parent))
        try:
            for path in out.iterdir():
                if path.is_file():
                    _link(path, copy / path.name)
        except OSError as err:
            shutil.rmtree(copy, ignore_errors=True)
            raise IndicatorsError(f"{out}: cannot take a snapshot of the tables ({err.strerror or err})") from None
    try:
        yield copy
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def sweep(out: Path) -> None:
    """Remove the snapshots of batches that are gone."""
    out = Path(out)
    for folder in out.parent.glob(f".{out.name}{SNAPSHOT}*"):
        pid = folder.name.rsplit(SNAPSHOT, 1)[1].split("-", 1)[0]
        if pid.isdigit() and gone(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def check_readable(folder: Path, shown: Path) -> None:
    """Refuse a set whose data package or one of its Parquet tables cannot be read (a damaged or truncated file),
    naming the file as ``shown`` (the folder the user knows): before any run, so that none fails on it."""
    package = Path(folder) / PACKAGE_NAME
    try:
        resources = json.loads(package.read_text(encoding="utf-8"))["resources"]
        files = [r["path"] for r in resources if r.get("format") == "parquet"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise IndicatorsError(f"{Path(shown) / PACKAGE_NAME}: cannot read the data package ({_first(err)}); "
                              "run `indicators build`") from None
    for name in files:
        try:
            parquet.read_table(Path(folder) / name)
        except (OSError, ValueError) as err:  # pyarrow's errors are ValueErrors and OSErrors
            why = _first(err).replace(str(folder), str(shown))  # the folder the user knows, not the snapshot
            raise IndicatorsError(f"{Path(shown) / name}: cannot read the table ({why}); run `indicators build`") \
                from None


def _first(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
