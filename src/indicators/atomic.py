"""Writing files so that readers never see half of one: write to a temporary file beside the target,
then rename it over the target (atomic on POSIX). An interrupted write leaves the previous file as it was."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import psutil


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def staged(path: Path):
    """Yield a temporary path beside ``path``; rename it over ``path`` when the block ends normally,
    delete it when the block raises. Readers never see half a file; an interrupted write leaves the
    previous file as it was."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.tmp-{os.getpid()}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)`` and rename the result over ``path`` (see :func:`staged`)."""
    with staged(path) as tmp:
        write(tmp)


def sweep(folder: Path) -> list[Path]:
    """Remove the temporary files a killed process left under ``folder`` (those whose process is gone)."""
    removed = []
    for tmp in Path(folder).rglob(".*.tmp-*"):
        pid = tmp.name.split(".tmp-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and not psutil.pid_exists(int(pid)) and tmp.is_file():
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed
