"""The runner: the notebooks and their parameters (which notebooks, years and languages exist), the
project's kernel, and running one notebook with papermill into ``reports/{year}/{lang}/{notebook}.ipynb``
(its charts under ``figures/{year}/{lang}/``; the layout is spelled in :mod:`indicators.paths`), with
the HTML export and the handling of Ctrl-C and SIGTERM. :mod:`indicators.batch` uses it to run them all.
"""

from __future__ import annotations

import ast
import copy
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indicators import lazy, paths, tableset
from indicators.atomic import commit, kept, temporary
from indicators.errors import IndicatorsError, Stopped
from indicators.read.choices import LANGS, available_years, check_indicators, check_parameters
from indicators.run import processes, warm
from indicators.validate import choice

# Heavy, and not needed to plan a batch (a rerun with nothing changed imports none of them): imported when used.
ipykernel_kernelspec = lazy.module("ipykernel.kernelspec")
kernelspec = lazy.module("jupyter_client.kernelspec")
manager = lazy.module("jupyter_client.manager")
nbclient_exceptions = lazy.module("nbclient.exceptions")
nbconvert = lazy.module("nbconvert")
nbformat = lazy.module("nbformat")
papermill = lazy.module("papermill")

KERNEL = "bacgiang-indicators"
# jsonschema (under nbformat) checks IRI formats with rfc3987_syntax when it is installed (JupyterLab's
# dependencies bring it), which compiles a grammar for about 2 s of CPU at import; no notebook field is an IRI.
sys.modules.setdefault("rfc3987_syntax", None)
log = logging.getLogger(__name__)
NOTEBOOKS = (
    "annual_review",
    "growth_and_structure",
    "budget_and_investment",
    "fdi_and_enterprise",
    "social_targets",
    "data_quality",
    "explore",
)


def per_year(notebook: str) -> bool:
    """Whether a notebook is about one year (it declares a ``year`` parameter) or about every year."""
    return "year" in declared_parameters(notebook)


def declared_parameters(notebook: str) -> dict:
    """The parameters a notebook's cell tagged ``parameters`` assigns, with their default values (the notebook
    read once per process while it is unchanged)."""
    path = paths.notebooks_dir() / f"{choice('notebook', notebook, NOTEBOOKS)}.ipynb"
    return dict(_declared(path, paths.stamp(path)))


@lru_cache(maxsize=64)
def _declared(path: Path, _stamp: tuple) -> dict:
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


def ensure_kernel(repair: bool = False) -> str:
    """Register the project's Jupyter kernel in this environment if it is not there yet (with ``repair``, again if
    its interpreter is gone: a moved or rebuilt environment). A kernel of that name whose interpreter is gone is a
    one-line error, before any run."""
    specs = kernelspec.KernelSpecManager()
    found = specs.find_kernel_specs().get(KERNEL)
    ours = found is not None and Path(found).resolve().is_relative_to(Path(sys.prefix).resolve())
    if found is None or (repair and ours and not _runnable(specs)):
        ipykernel_kernelspec.install(kernel_name=KERNEL, display_name="Python (bacgiang-indicators)", prefix=sys.prefix)
    elif not _runnable(specs):
        spec = Path(found) / "kernel.json"
        fix = "run `indicators kernel` to register it again" if ours else \
            "remove that folder: it hides this environment's kernel"
        raise IndicatorsError(f"{spec}: the kernel '{KERNEL}' runs {specs.get_kernel_spec(KERNEL).argv[0]}, which is "
                              f"not there; {fix}")
    return KERNEL


def _runnable(specs) -> bool:
    """Whether a kernel's command can start (its interpreter exists)."""
    try:
        argv = specs.get_kernel_spec(KERNEL).argv
    except Exception:  # noqa: BLE001 - an unreadable kernel.json: not runnable
        return False
    return bool(argv) and shutil.which(argv[0]) is not None


@dataclass(frozen=True)
class Run:
    notebook: str
    year: int | None  # None: a notebook about every year, run once per language
    lang: str

    @property
    def folder(self) -> str:
        return paths.run_folder(self.year)

    @property
    def name(self) -> str:
        return f"{self.notebook}/{self.folder}/{self.lang}"

    def notebook_path(self, out: Path) -> Path:
        return paths.report_path(out, self.notebook, self.year, self.lang)


def notebook_source(notebook: str) -> Path:
    return paths.notebooks_dir() / f"{notebook}.ipynb"


def parameters_of(run: Run, figures: Path, extra: dict | None = None) -> dict:
    """The run's parameters: year, language, chart folder, and those of ``extra`` the notebook declares."""
    declared = declared_parameters(run.notebook) if extra else {}
    chosen = {k: v for k, v in (extra or {}).items() if k in declared}
    year = {"year": run.year} if run.year is not None else {}
    return {**chosen, **year, "lang": run.lang, "output_dir": paths.relative(figures)}


def output_folder(folder, option: str) -> Path:
    folder = Path(folder).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise IndicatorsError(f"{option}: cannot create {folder}: {err.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise IndicatorsError(f"{option}: {folder} is not writable")
    return folder


def first_error_line(err: BaseException) -> str:
    ename, evalue = getattr(err, "ename", type(err).__name__), getattr(err, "evalue", str(err))
    lines = str(evalue).strip().splitlines()
    return f"{ename}: {lines[0] if lines else ''}".strip()


def in_language(source: Path, lang: str, year: int | None):
    """The notebook as a reader of ``lang`` gets it: markdown cells tagged with another language left out,
    and its title (the first heading, with the year) in its metadata for the HTML page."""
    nb = nbformat.read(str(source), as_version=4)
    nb.cells = [c for c in nb.cells if not (set(c.metadata.get("tags", [])) & (set(LANGS) - {lang}))]
    heading = next((line.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"
                    for line in c.source.splitlines() if line.startswith("# ")), source.stem)
    nb.metadata["title"] = f"{heading} — {year}" if year is not None else heading
    nb.metadata["language_code"] = lang
    return nb


def html_of(notebook: Path) -> str:
    """An executed notebook as HTML with the code hidden, in the notebook's language."""
    nb = nbformat.read(str(notebook), as_version=4)
    with _EXPORTING:  # one exporter for both languages: its templates compile once per process
        exporter = _exporter()
        exporter.language_code = nb.metadata.get("language_code", "en")
        body, _ = exporter.from_notebook_node(nb)
    return body


_EXPORTING = threading.Lock()


@lru_cache(maxsize=1)
def _exporter():
    """The HTML exporter, made once per process (its templates are compiled once)."""
    return nbconvert.HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                                  template_name="offline",
                                  extra_template_basedirs=[str(Path(__file__).with_name("templates"))])


def prepare() -> None:
    """Import what running a notebook needs and compile the HTML templates (an empty notebook exported): in the
    batch's main process, before its workers fork, so that they share it rather than each doing it again."""
    lazy.load(papermill, manager)  # nbconvert and nbformat: by the export below
    with _EXPORTING:
        _exporter().from_notebook_node(nbformat.v4.new_notebook())


KERNEL_START_FAILED = "Kernel died before replying to kernel_info"


@lru_cache(maxsize=8)
def warm_kernel_manager(address: str):
    """A jupyter_client kernel manager whose kernel is forked by the warm process at ``address``: the kernel's
    command is :mod:`indicators.run.warm` as a script, the launcher."""

    class WarmKernelManager(manager.AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            return [sys.executable, "-I", "-S", warm.__file__, address, os.path.realpath(self.connection_file)]

    return WarmKernelManager


def _papermill(notebook, target: str, params: dict, warm_address: str | None, timeout: float | None) -> None:
    """papermill's run, tried once more when the kernel died while starting (a busy machine), before any cell
    ran; a notebook's own errors are never retried. Given a warm process's address, its kernel is forked
    from it (:mod:`indicators.run.warm`). A cell may run ``timeout`` seconds."""
    chosen = {"kernel_manager_class": warm_kernel_manager(warm_address)} if warm_address else {}
    for attempt in (1, 2):
        try:
            papermill.execute_notebook(copy.deepcopy(notebook), target, parameters=params, kernel_name=KERNEL,
                                       progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                                       execution_timeout=timeout, **chosen)
            return
        except RuntimeError as err:
            if KERNEL_START_FAILED not in str(err) or attempt == 2:
                raise
            log.warning("the kernel died while starting; trying once more")


TIMEOUT = 600  # seconds a cell may run (--timeout): a chart takes seconds, a whole notebook under a minute
STATUSES = ("ok", "skipped", "failed", "timed_out")


def failed_path(report: Path) -> Path:
    """Where a failed run's notebook goes: beside the report it did not replace (``annual_review.failed.ipynb``)."""
    return Path(report).with_suffix(".failed.ipynb")


def execute(run: Run, source: Path, out: Path, figures: Path, params: dict, *, html: bool = True,
            warm_address: str | None = None, tables: Path | None = None, timeout: float | None = TIMEOUT) -> dict:
    """Run one notebook (in a worker) and return the run's result. Its outputs replace the previous ones only when
    it succeeds: the executed notebook and its HTML are renamed into place together, and its charts replace the
    previous ones as a whole. A failed run leaves the previous report and charts as they were; its own notebook,
    the error visible, goes beside them (:func:`failed_path`). ``tables``: the folder of the tables its kernel
    reads (the batch's snapshot); ``warm_address``: the batch's warm process; ``timeout``: seconds a cell may run."""
    start = time.perf_counter()
    target = run.notebook_path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    if tables:
        os.environ[paths.TABLES_ENV] = str(tables)  # the kernel's environment is this process's
    result = {"run": run.name, "status": "ok", "error": "", "notebook": str(target), "html": ""}
    shown = Path(figures) / run.folder / run.lang
    shown.mkdir(parents=True, exist_ok=True)
    with kept(shown, f"{run.notebook}_") as charts:
        try:
            written = _outputs(run, source, target, params, warm_address, timeout, result, html)
        except OSError as err:  # a full disk, ...: nothing replaced
            written = None
            result.update(status="failed", error=first_error_line(err))
        if result["status"] == "ok":
            charts.done()
    if result["status"] == "ok":
        for stale in (failed_path(target), failed_path(target).with_suffix(".html")):
            stale.unlink(missing_ok=True)  # of an earlier failure
    written = written or (target if result["status"] == "ok" else None)
    result.update(notebook=str(written or ""), html=str(written.with_suffix(".html")) if written and html else "")
    result["figures"] = sorted(p.name for p in shown.glob(f"{run.notebook}_*.png"))
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


def _outputs(run: Run, source: Path, target: Path, params: dict, warm_address, timeout, result: dict,
             html: bool) -> Path | None:
    """Papermill into a temporary file, renamed (with its HTML) over the report when the run succeeds, or beside it
    when the notebook failed; nothing when the run failed before the notebook could be written, or timed out."""
    with temporary(target) as tmp:
        try:
            _papermill(in_language(source, run.lang, run.year), tmp, params, warm_address, timeout)
        except papermill.PapermillExecutionError as err:  # the notebook is kept, its error visible
            result.update(status="failed", error=first_error_line(err))
            return _commit(tmp, failed_path(target), html)
        except nbclient_exceptions.CellTimeoutError:
            result.update(status="timed_out", error=f"a cell ran longer than {timeout:g} s (--timeout)")
            return None
        except Exception as err:  # noqa: BLE001 - kernel died, notebook unreadable, ...: this run's failure
            result.update(status="failed", error=first_error_line(err))
            return None
        return _commit(tmp, target, html)


def _commit(tmp: str, notebook: Path, html: bool) -> Path:
    """The executed notebook, and its HTML, renamed into place together."""
    if not html:
        commit(tmp, notebook)
        return notebook
    page = notebook.with_suffix(".html")
    body = html_of(Path(tmp))
    with temporary(page) as page_tmp:
        Path(page_tmp).write_text(body, encoding="utf-8")
        commit(tmp, notebook)
        commit(page_tmp, page)
    return notebook


def run_notebook(
    notebook: str,
    year: int | None,
    lang: str,
    *,
    out: Path | None = None,
    figures: Path | None = None,
    parameters: dict | None = None,
    timeout: float | None = TIMEOUT,
) -> Path:
    """Execute one notebook with papermill (no HTML); return the executed notebook's path.

    ``parameters`` are passed on beside ``year`` (for a notebook about one year), ``lang`` and ``output_dir``
    (e.g. ``indicators`` for ``explore``). A failing run raises, naming the notebook, the error and the executed
    copy; the previous report and charts stay as they were. The run reads a snapshot of the tables, in a worker
    process that cleans up after it even when this one is killed."""
    choice("notebook", notebook, NOTEBOOKS)
    run = Run(notebook, year if per_year(notebook) else None, lang)
    check_timeout(timeout)
    figures = output_folder(figures or paths.figures_dir(), "--figures")
    params = check_notebook_parameters(notebook, {**(parameters or {}), **parameters_of(run, figures)})
    out = output_folder(out or paths.reports_dir(), "--out")
    processes.clean((out, figures))
    ensure_kernel()
    prepare()
    try:
        with processes.stop_on_signals(), tableset.snapshot(paths.processed_dir()) as tables, \
                processes.scratch() as folder, processes.workers(1, folder, (out, figures), (tables,)) as pool:
            tableset.check_readable(tables, paths.processed_dir())
            result = pool.submit(execute, run, notebook_source(notebook), out, figures, params, html=False,
                                 tables=tables, timeout=timeout).result()
    except processes.Interrupted as stop:
        raise Stopped(f"stopped by {signal.Signals(stop.signum).name}: {notebook} did not finish",
                      stop.signum) from None
    if result["status"] != "ok":
        see = f"; see {result['notebook']}" if result["notebook"] else ""
        raise IndicatorsError(
            f"{notebook}.ipynb (year={year}, lang={lang}) {result['status'].replace('_', ' ')}: {result['error']}{see}")
    return Path(result["notebook"])


def check_timeout(timeout) -> None:
    if timeout is not None and not (isinstance(timeout, int | float) and 0 < timeout <= 86400):
        raise IndicatorsError(f"--timeout: expected seconds a cell may run (like {TIMEOUT}), got {timeout!r}")
