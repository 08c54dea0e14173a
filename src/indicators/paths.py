"""Where the project's folders are, and the one place that spells the layout of the outputs:
``reports/{year}/{lang}/{notebook}.ipynb`` and ``figures/{year}/{lang}/{notebook}_{chart}.png``, with ``all``
in place of the year for a notebook about every year.

The project root is the folder that holds ``data/raw/sources.yml``: taken from the environment
variable ``INDICATORS_ROOT`` if set, else found by walking up from the current directory (so a
notebook running in ``notebooks/`` finds it), else the checkout this package was installed from.
"""

from __future__ import annotations

import os
from pathlib import Path

_MARKER = Path("data") / "raw" / "sources.yml"


def project_root() -> Path:
    env = os.environ.get("INDICATORS_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / _MARKER).is_file():
            return folder
    return Path(__file__).resolve().parents[2]


def stamp(path: str | os.PathLike) -> tuple:
    """What says a file changed: its resolved path, size and modification time (``None`` for a missing file).
    A reader cached on it reads each file once per process while it is unchanged."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return (str(path), None, None)
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


TABLES_ENV = "INDICATORS_PROCESSED"  # a batch points its kernels at its snapshot of the tables


def processed_dir() -> Path:
    """``data/processed/``, or the folder ``INDICATORS_PROCESSED`` names (a batch's snapshot, in its kernels)."""
    env = os.environ.get(TABLES_ENV)
    return Path(env) if env else project_root() / "data" / "processed"


def figures_dir() -> Path:
    return project_root() / "figures"


def reports_dir() -> Path:
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


YEARLESS = "all"  # the folder of the notebooks about every year (data_quality, explore)


def run_folder(year: int | None) -> str:
    return str(year) if year is not None else YEARLESS


def report_path(out: Path, notebook: str, year: int | None, lang: str, suffix: str = ".ipynb") -> Path:
    """``{out}/{year}/{lang}/{notebook}.ipynb`` (or another suffix)."""
    return Path(out) / run_folder(year) / lang / f"{notebook}{suffix}"


def figures_base(output_dir: str | os.PathLike | None) -> Path:
    """The charts folder: ``output_dir`` (relative to the project root), or ``figures/``."""
    return absolute(output_dir) if output_dir else figures_dir()


def figure_path(output_dir: str | os.PathLike | None, year: int | None, lang: str, name: str) -> Path:
    """Where a notebook saves a chart: ``{output_dir}/{year}/{lang}/{name}``."""
    return figures_base(output_dir) / run_folder(year) / lang / name


def absolute(path: str | os.PathLike) -> Path:
    """``path``, relative to the project root unless it is absolute."""
    path = Path(path)
    return path if path.is_absolute() else project_root() / path


def relative(path: str | os.PathLike, start: str | os.PathLike | None = None) -> str:
    """``path`` relative to ``start`` (the project root) when it lies inside it, else absolute: what a manifest
    keeps, so that a moved or cloned project still matches it."""
    path, start = Path(path).resolve(), Path(start or project_root()).resolve()
    return path.relative_to(start).as_posix() if path.is_relative_to(start) else str(path)
