"""bacgiang-indicators: Bắc Giang's socio-economic plans and reports as verified indicator tables.

The package is organised by stage, a subpackage each, imports running one way:

``read`` (``sources`` raw documents → ``text`` sentences with line map → ``mentions`` quantity
mentions → ``vocabulary`` + ``resolve`` concept × breakdown × measure → ``extract`` observations,
``outcomes`` stated in words) → ``tables`` (schemas, the table set, the data package) → ``analyse``
(``statements`` vintages and verdicts → ``comparisons`` and ``audits``) → ``brief`` (``briefing`` what
to say and show → ``charts`` drawing only, ``page`` a notebook's page) → ``run`` (``runner`` one
notebook, ``batch`` all of them). ``build`` runs the stages and writes ``data/processed/``; ``cli`` is
the command line; ``paths`` spells where everything goes.

Imports are lazy so that ``import indicators`` stays cheap.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_table": "indicators.tables",
    "plan_vs_actual": "indicators.brief.briefing",
    "load_tables": "indicators.brief.briefing",
    "load_catalog": "indicators.read.catalog",
    "IndicatorsError": "indicators.errors",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'indicators' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_EXPORTS])
