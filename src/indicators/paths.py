"""Where the project's folders are.

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


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def figures_dir() -> Path:
    return project_root() / "figures"


def reports_dir() -> Path:
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"
