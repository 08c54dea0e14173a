"""bacgiang-indicators: Bắc Giang's socio-economic plans and reports as verified indicator tables.

The package is organised by stage, one module each:

``sources`` (raw documents) → ``text`` (sentences with line map) → ``mentions`` (quantity
mentions) → ``vocabulary`` + ``resolve`` (concept × breakdown × measure) → ``extract``
(``observations``) and ``outcomes`` (outcomes stated in words) → ``statements`` (vintages,
verdicts) → ``comparisons`` and ``audits`` → ``briefing`` (what to say and show) → ``charts``
(drawing only) and ``page`` (a notebook's page). ``build`` runs the stages and writes
``data/processed/``; ``tables`` reads and writes the tables; ``runner`` runs one notebook with
papermill and ``batch`` runs them all; ``paths`` spells where everything goes.

Imports are lazy so that ``import indicators`` stays cheap.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_table": "indicators.tables",
    "plan_vs_actual": "indicators.briefing",
    "load_tables": "indicators.briefing",
    "load_catalog": "indicators.catalog",
    "IndicatorsError": "indicators.errors",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'indicators' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_EXPORTS])
