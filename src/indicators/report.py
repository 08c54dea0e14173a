"""The notebooks and their parameters: which notebooks, years and languages exist, where charts
go, the project's kernel, and running one notebook with papermill (:mod:`indicators.batch` runs
them all). Executed notebooks go to ``reports/{year}/{lang}/{notebook}.ipynb``; the charts they
draw to ``figures/{year}/{lang}/``.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

from . import paths
from .errors import IndicatorsError
from .validate import choice

KERNEL = "bacgiang-indicators"
LANGS = ("vi", "en")
NOTEBOOKS = (
    "annual_review",
    "growth_and_structure",
    "budget_and_investment",
    "fdi_and_enterprise",
    "social_targets",
    "data_quality",
    "explore",
)


YEARLESS = "all"  # the folder of the notebooks about every year (data_quality, explore)


def figures_base(output_dir: str | os.PathLike | None) -> Path:
    """The charts folder: ``output_dir`` (relative to the project root), or ``figures/``."""
    base = Path(output_dir) if output_dir else paths.figures_dir()
    return base if base.is_absolute() else paths.project_root() / base


def figure_path(output_dir: str | os.PathLike | None, year: int | None, lang: str, name: str) -> Path:
    """Where a notebook saves a chart: ``{output_dir}/{year}/{lang}/{name}`` (``all`` for a notebook about
    every year)."""
    return figures_base(output_dir) / (str(year) if year is not None else YEARLESS) / lang / name


def per_year(notebook: str) -> bool:
    """Whether a notebook is about one year (it declares a ``year`` parameter) or about every year."""
    return "year" in declared_parameters(notebook)


def available_years() -> list[int]:
    """The years the documents report results or set targets for (``covers`` in sources.yml)."""
    from .tables import load_table

    docs = load_table("documents")
    years = " ".join([*docs["results_years"], *docs["target_years"]]).split()
    return sorted({int(y) for y in years})


def check_parameters(year, lang: str, *, yearless: bool = False) -> None:
    """Refuse a year without data or an unknown language, naming what exists (no year for a notebook about
    every year)."""
    choice("parameter lang", lang, LANGS)
    if yearless:
        return
    if not isinstance(year, int) or isinstance(year, bool):
        raise IndicatorsError(f"parameter year: expected an integer (like 2022), got {year!r}")
    choice("parameter year", year, available_years())


def check_indicators(indicator_ids) -> list[str]:
    """Refuse an unknown indicator id (parameter ``indicators``), naming the closest one."""
    from .tables import load_table

    known = list(load_table("indicators")["indicator_id"])
    if isinstance(indicator_ids, str) or not list(indicator_ids):
        raise IndicatorsError(f"parameter indicators: expected a non-empty list of ids, got {indicator_ids!r}")
    return [choice("parameter indicators", i, known) for i in indicator_ids]


def declared_parameters(notebook: str) -> dict:
    """The parameters a notebook's cell tagged ``parameters`` assigns, with their default values."""
    path = paths.notebooks_dir() / f"{choice('notebook', notebook, NOTEBOOKS)}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = "".join("".join(c["source"]) for c in cells if "parameters" in c["metadata"].get("tags", []))
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    }


_KINDS = {int: "an integer", float: "a number", str: "text", list: "a list", bool: "true or false"}


def check_notebook_parameters(notebook: str, params: dict) -> dict:
    """Check a run's parameters before any kernel starts: each must be one the notebook declares,
    of the type of its default, and name things that exist (year, lang, indicators, years)."""
    declared = declared_parameters(notebook)
    for name, value in params.items():
        if name not in declared:
            raise IndicatorsError(
                f"parameter {name}: {notebook} has no such parameter (its parameters: {', '.join(declared)})")
        kind = type(declared[name])
        fits = isinstance(value, kind) or (kind is float and isinstance(value, int))
        if not fits or (isinstance(value, bool) and kind is not bool):
            expected = _KINDS.get(kind, kind.__name__)
            raise IndicatorsError(f"parameter {name}: expected {expected} (like {declared[name]!r}), got {value!r}")
    merged = {**declared, **params}
    check_parameters(merged.get("year"), merged["lang"], yearless="year" not in declared)
    if "indicators" in params:
        check_indicators(params["indicators"])
    for year in params.get("years", []):
        choice("parameter years", year, available_years())
    return params


def ensure_kernel() -> str:
    """Register the project's Jupyter kernel in this environment if it is not there yet."""
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL not in KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        install(kernel_name=KERNEL, display_name="Python (bacgiang-indicators)", prefix=sys.prefix)
    return KERNEL
