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


def figure_path(output_dir: str | os.PathLike | None, year: int, lang: str, name: str) -> Path:
    """Where a notebook saves a chart: ``{output_dir}/{year}/{lang}/{name}``.

    A relative ``output_dir`` is taken from the project root; ``None`` means ``figures/``.
    """
    base = Path(output_dir) if output_dir else paths.figures_dir()
    if not base.is_absolute():
        base = paths.project_root() / base
    return base / str(year) / lang / name


def available_years() -> list[int]:
    """The years the documents report results or set targets for (``covers`` in sources.yml)."""
    from .tables import load_table

    docs = load_table("documents")
    years = " ".join([*docs["results_years"], *docs["target_years"]]).split()
    return sorted({int(y) for y in years})


def window(year: int) -> list[int]:
    """The years a chart across years shows for a review of ``year``: up to the targets set for the next."""
    return [y for y in available_years() if y <= year + 1]


def check_parameters(year, lang: str) -> None:
    """Refuse a year without data or an unknown language, naming what exists."""
    choice("parameter lang", lang, LANGS)
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
    check_parameters(merged["year"], merged["lang"])
    if "indicators" in params:
        check_indicators(params["indicators"])
    for year in params.get("years", []):
        choice("parameter years", year, available_years())
    return params


def saver(notebook: str, year: int, lang: str, output_dir=None):
    """``save(figure, chart)`` for a notebook: writes ``{output_dir}/{year}/{lang}/{notebook}_{chart}.png``
    (atomically, same bytes for the same data) and displays it."""
    from IPython.display import Image, display

    from .charts import save_png

    def save(figure, chart: str) -> Path:
        path = save_png(figure, figure_path(output_dir, year, lang, f"{notebook}_{chart}.png"))
        display(Image(filename=str(path)))
        return path

    return save


def ensure_kernel() -> str:
    """Register the project's Jupyter kernel in this environment if it is not there yet."""
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL not in KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        install(kernel_name=KERNEL, display_name="Python (bacgiang-indicators)", prefix=sys.prefix)
    return KERNEL


def run_notebook(
    notebook: str,
    year: int,
    lang: str,
    *,
    out: Path | None = None,
    figures: Path | None = None,
    parameters: dict | None = None,
) -> Path:
    """Execute one notebook with papermill (no HTML); return the executed notebook's path.

    ``parameters`` are passed on beside ``year``, ``lang`` and ``output_dir`` (e.g. ``indicators``
    for ``explore``). A failing run raises, naming the notebook, the error and the executed copy."""
    from . import batch

    choice("notebook", notebook, NOTEBOOKS)
    run = batch.Run(notebook, year, lang)
    figures = Path(figures or paths.figures_dir())
    params = check_notebook_parameters(notebook, {**(parameters or {}), **batch.parameters(run, figures)})
    out = Path(out or paths.reports_dir())
    ensure_kernel()
    result = batch.execute(run, batch.notebook_source(notebook), out, figures, params, html=False)
    if result["status"] != "ok":
        raise IndicatorsError(
            f"{notebook}.ipynb (year={year}, lang={lang}) failed: {result['error']}; see {result['notebook']}")
    return Path(result["notebook"])
