"""Writing files so that readers never see half of one: write to a temporary file beside the target,
then rename it over the target (atomic on POSIX). An interrupted write leaves the previous file as it was.
A group of files (a run's charts) is replaced only as a whole: :func:`kept`."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import psutil


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def temporary(path: Path):
    """Yield a temporary path beside ``path``, named with this process's id (so that :func:`sweep` knows the
    leftovers of a killed process); it is removed when the block ends unless :func:`commit` renamed it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.tmp-{os.getpid()}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield tmp
    finally:
        Path(tmp).unlink(missing_ok=True)


def commit(tmp: str, path: Path) -> None:
    """Rename a finished temporary file over ``path`` (with the permissions a new file gets)."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, path)


@contextlib.contextmanager
def staged(path: Path):
    """Yield a temporary path beside ``path``; rename it over ``path`` when the block ends normally,
    delete it when the block raises. Readers never see half a file; an interrupted write leaves the
    previous file as it was."""
    with temporary(path) as tmp:
        yield tmp
        commit(tmp, path)


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)`` and rename the result over ``path`` (see :func:`staged`)."""
    with staged(path) as tmp:
        write(tmp)


def gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie, killed and not yet reaped, has)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def sweep(folder: Path, own: bool = False) -> list[Path]:
    """Remove the temporary files a killed process left under ``folder`` (those whose process is gone; with
    ``own``, this process's too: it is ending), and put back the files it :func:`kept`."""
    def ended(pid: str) -> bool:
        return pid.isdigit() and (gone(int(pid)) or (own and int(pid) == os.getpid()))

    removed = []
    for tmp in Path(folder).rglob(".*.tmp-*"):
        if ended(tmp.name.split(".tmp-", 1)[1].split("-", 1)[0]) and tmp.is_file():
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    for keep in Path(folder).rglob(f"{_KEEP}*"):
        pid, _, prefix = keep.name[len(_KEEP):].partition("-")
        if ended(pid) and keep.is_dir():
            _put_back(keep.parent, prefix, keep)
            removed.append(keep)
    return removed


_KEEP = ".keep-"


class _Kept:
    def __init__(self):
        self.replaced = False

    def done(self) -> None:
        """The new files replace the ones kept."""
        self.replaced = True


@contextlib.contextmanager
def kept(folder: Path, prefix: str):
    """The files of ``folder`` whose names start with ``prefix``, as they are now (hard links in a hidden folder),
    put back when the block ends unless it called ``done()`` on what it is given: files the block wrote meanwhile
    are then removed, files it replaced are back. A killed process's kept files are put back by :func:`sweep`."""
    folder = Path(folder)
    keep = folder / f"{_KEEP}{os.getpid()}-{prefix}"
    shutil.rmtree(keep, ignore_errors=True)
    keep.mkdir()
    for path in _group(folder, prefix):
        os.link(path, keep / path.name)
    state = _Kept()
    try:
        yield state
    finally:
        if state.replaced:
            shutil.rmtree(keep, ignore_errors=True)
        else:
            _put_back(folder, prefix, keep)


def _group(folder: Path, prefix: str) -> list[Path]:
    return [p for p in folder.glob(f"{prefix}*") if p.is_file() and not p.name.startswith(".")]


def _put_back(folder: Path, prefix: str, keep: Path) -> None:
    names = {p.name for p in keep.iterdir()}
    for path in _group(folder, prefix):
        if path.name not in names:
            path.unlink(missing_ok=True)
    for name in names:
        os.replace(keep / name, folder / name)
    shutil.rmtree(keep, ignore_errors=True)
