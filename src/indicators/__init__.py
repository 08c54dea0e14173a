"""bacgiang-indicators: Bắc Giang's socio-economic plans and reports as verified indicator tables.

The package is organised by stage, one module each:

``sources`` (raw documents) → ``text`` (sentences with line map) → ``mentions`` (quantity
mentions) → ``extract`` (catalog indicators, ``observations``) → ``analysis`` (plan against
actual) → ``charts``. ``build`` runs the stages and writes ``data/processed/``; ``tables`` reads
and writes the tables; ``report`` runs the notebooks with papermill.

Imports are lazy so that ``import indicators`` stays cheap.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_table": "indicators.tables",
    "plan_vs_actual": "indicators.analysis",
    "load_catalog": "indicators.catalog",
    "IndicatorsError": "indicators.errors",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'indicators' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_EXPORTS])
