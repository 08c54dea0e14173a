"""The batch runner: every notebook × year × language, in parallel, incrementally.

Each run executes one notebook with papermill into ``{out}/{year}/{lang}/{notebook}.ipynb`` and
exports it to HTML with the code hidden beside it; the notebook saves its charts under
``{figures}/{year}/{lang}/``. Runs go to worker processes (``concurrent.futures``) or, given a
scheduler address, to a Dask cluster through the same Executor interface. A failing run does not
stop the others. ``{out}/manifest.json`` records, per run, a hash of its inputs (the notebook, its
parameters, the processed tables, the package source); a run whose inputs have not changed since its
last success is skipped. Every output is written to a temporary file and renamed into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import paths, report
from .atomic import atomic_write, staged
from .chartindex import write_index
from .errors import IndicatorsError
from .report import KERNEL, LANGS, NOTEBOOKS, available_years, ensure_kernel
from .validate import choice

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Run:
    notebook: str
    year: int | None  # None: a notebook about every year, run once per language
    lang: str

    @property
    def folder(self) -> str:
        return str(self.year) if self.year is not None else report.YEARLESS

    @property
    def name(self) -> str:
        return f"{self.notebook}/{self.folder}/{self.lang}"

    def notebook_path(self, out: Path) -> Path:
        return Path(out) / self.folder / self.lang / f"{self.notebook}.ipynb"


def plan(years=None, langs=LANGS, notebooks=NOTEBOOKS) -> list[Run]:
    """The runs of a batch, after checking every year, language and notebook exists: each notebook about
    one year for every year, each notebook about every year once, in every language."""
    known = available_years()
    years = list(years) if years else known
    for year in years:
        choice("--years", year, known)
    for lang in langs:
        choice("--lang", lang, LANGS)
    for notebook in notebooks:
        choice("--notebooks", notebook, NOTEBOOKS)
    return [Run(n, int(y) if report.per_year(n) else None, lang) for n in notebooks
            for y in (years if report.per_year(n) else [None]) for lang in langs]


def fingerprint(*folders: Path, suffixes=(".py", ".yml", ".csv", ".parquet", ".json")) -> str:
    """A hash of the files in ``folders`` (names and bytes): what every run depends on."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.suffix in suffixes):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def notebook_source(notebook: str) -> Path:
    return paths.notebooks_dir() / f"{notebook}.ipynb"


def inputs_hash(run: Run, shared: str, parameters: dict) -> str:
    notebook = notebook_source(run.notebook).read_bytes()
    text = json.dumps(parameters, sort_keys=True)
    return hashlib.sha256(shared.encode() + notebook + text.encode()).hexdigest()


def parameters_of(run: Run, figures: Path, extra: dict | None = None) -> dict:
    """The run's parameters: year, language, chart folder, and those of ``extra`` the notebook declares."""
    declared = report.declared_parameters(run.notebook) if extra else {}
    chosen = {k: v for k, v in (extra or {}).items() if k in declared}
    year = {"year": run.year} if run.year is not None else {}
    return {**chosen, **year, "lang": run.lang, "output_dir": str(figures)}


def _first_error_line(err: BaseException) -> str:
    ename, evalue = getattr(err, "ename", type(err).__name__), getattr(err, "evalue", str(err))
    lines = str(evalue).strip().splitlines()
    return f"{ename}: {lines[0] if lines else ''}".strip()


def in_language(source: Path, lang: str, year: int | None):
    """The notebook as a reader of ``lang`` gets it: markdown cells tagged with another language left out,
    and its title (the first heading, with the year) in its metadata for the HTML page."""
    import nbformat

    nb = nbformat.read(str(source), as_version=4)
    nb.cells = [c for c in nb.cells if not (set(c.metadata.get("tags", [])) & (set(LANGS) - {lang}))]
    heading = next((line.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"
                    for line in c.source.splitlines() if line.startswith("# ")), source.stem)
    nb.metadata["title"] = f"{heading} — {year}" if year is not None else heading
    nb.metadata["language_code"] = lang
    return nb


def export_html(notebook: Path) -> Path:
    """The executed notebook as HTML with the code hidden, beside it, in the notebook's language."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            language_code=nb.metadata.get("language_code", "en"))
    body, _ = exporter.from_notebook_node(nb)
    target = notebook.with_suffix(".html")
    atomic_write(target, lambda tmp: Path(tmp).write_text(body, encoding="utf-8"))
    return target


def execute(run: Run, source: Path, out: Path, figures: Path, params: dict, *, html: bool = True) -> dict:
    """Run one notebook (in a worker): papermill into a temporary file renamed into place (kept,
    error visible, when the run fails), then the HTML export (of a failed run too, so that no
    earlier HTML is left beside it). Returns the run's result."""
    import papermill

    start = time.perf_counter()
    target = run.notebook_path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    result = {"run": run.name, "status": "ok", "error": "", "notebook": str(target), "html": ""}
    written = False
    try:
        with staged(target) as tmp:
            try:
                papermill.execute_notebook(in_language(source, run.lang, run.year), tmp, parameters=params,
                                           kernel_name=KERNEL, progress_bar=False, log_output=False)
            except papermill.PapermillExecutionError as err:  # the notebook is kept, its error visible
                result.update(status="failed", error=_first_error_line(err))
        written = True
    except Exception as err:  # kernel died, notebook unreadable, ...: this run's failure, nothing written
        result.update(status="failed", error=_first_error_line(err))
    if written and html:
        result["html"] = str(export_html(target))
    shown = Path(figures) / run.folder / run.lang
    result["figures"] = sorted(p.name for p in shown.glob(f"{run.notebook}_*.png"))
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


def load_manifest(out: Path) -> dict:
    path = Path(out) / MANIFEST
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}  # a damaged manifest only costs a full rerun


def _write_manifest(out: Path, manifest: dict) -> None:
    text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False)
    atomic_write(Path(out) / MANIFEST, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def up_to_date(entry: dict | None, digest: str, figures: Path, run: Run) -> bool:
    if not entry or entry.get("status") != "ok" or entry.get("inputs") != digest:
        return False
    shown = Path(figures) / run.folder / run.lang
    outputs = [Path(entry["notebook"]), Path(entry["html"]), *(shown / f for f in entry.get("figures", []))]
    return all(p.is_file() for p in outputs)


@contextlib.contextmanager
def executor(jobs: int | None = None, scheduler: str | None = None):
    """Worker processes on this machine, or a Dask cluster's executor: the same interface."""
    if scheduler:
        from distributed import Client

        try:
            client = Client(scheduler, timeout="5s")
        except OSError as err:
            raise IndicatorsError(f"--scheduler: cannot connect to {scheduler}: {err}") from None
        with client, client.get_executor(pure=False) as pool:
            yield pool
    else:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs or os.cpu_count(), mp_context=context,
                                 initializer=_quiet_worker) as pool:
            yield pool


def _quiet_worker() -> None:
    """Kernels write start-up warnings to the stderr they inherit; a run's errors come back in its
    result, so a worker's stderr would only scramble the progress bar."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def run_batch(
    years=None,
    langs=LANGS,
    notebooks=NOTEBOOKS,
    *,
    jobs: int | None = None,
    force: bool = False,
    out: Path | None = None,
    figures: Path | None = None,
    scheduler: str | None = None,
    quiet: bool = False,
    extra: dict | None = None,
) -> list[dict]:
    """Run the batch; return one result per run (status ok, failed or skipped), in plan order.

    ``extra``: more notebook parameters, the same for every run (e.g. ``indicators`` for ``explore``)."""
    runs = plan(years, langs, notebooks)
    if jobs is not None and jobs < 1:
        raise IndicatorsError(f"--jobs: must be at least 1, got {jobs}")
    out = Path(out or paths.reports_dir()).resolve()
    figures = Path(figures or paths.figures_dir()).resolve()
    for folder, option in ((out, "--out"), (figures, "--figures")):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise IndicatorsError(f"{option}: cannot create {folder}: {err.strerror}") from None
        if not os.access(folder, os.W_OK):
            raise IndicatorsError(f"{option}: {folder} is not writable")
    declared = {name for n in set(notebooks) for name in report.declared_parameters(n)}
    for name in extra or {}:
        if name not in declared or name in ("year", "lang", "output_dir"):
            raise IndicatorsError(f"-p {name}: not a parameter of {', '.join(notebooks)} "
                                  f"(year, lang and output_dir come from --years, --lang and --figures)")
    shared = fingerprint(paths.processed_dir(), Path(__file__).parent)
    manifest = load_manifest(out)
    results, todo = {}, []
    for run in runs:
        params = report.check_notebook_parameters(run.notebook, parameters_of(run, figures, extra))
        digest = inputs_hash(run, shared, params)
        if not force and up_to_date(manifest.get(run.name), digest, figures, run):
            entry = manifest[run.name]
            results[run.name] = {**entry, "run": run.name, "status": "skipped", "seconds": 0.0, "error": ""}
        else:
            todo.append((run, digest, params))
    if todo:
        from tqdm import tqdm

        ensure_kernel()
        with executor(jobs, scheduler) as pool:
            futures = {pool.submit(execute, run, notebook_source(run.notebook), out, figures, params): (run, digest)
                       for run, digest, params in todo}
            for future in tqdm(as_completed(futures), total=len(futures), disable=quiet, unit="run", desc="batch"):
                run, digest = futures[future]
                try:
                    result = future.result()
                except Exception as err:  # the worker itself died
                    result = {"run": run.name, "status": "failed", "error": _first_error_line(err),
                              "notebook": str(run.notebook_path(out)), "html": "", "figures": [], "seconds": 0.0}
                results[run.name] = result
                manifest[run.name] = {**result, "inputs": digest if result["status"] == "ok" else ""}
                _write_manifest(out, manifest)
    write_index(out, figures, manifest)
    return [results[run.name] for run in runs]


def summary(results: list[dict]) -> str:
    """The table printed at the end of a batch: run, status, time, output, first error line."""
    rows = [("run", "status", "time", "output", "error")]
    for r in results:
        rows.append((r["run"], r["status"], f"{r.get('seconds', 0):.1f}s", r.get("notebook", ""), r.get("error", "")))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)) + "  " + row[4] for row in rows]
    counts = {s: sum(r["status"] == s for r in results) for s in ("ok", "skipped", "failed")}
    lines.append(f"{len(results)} runs: {counts['ok']} ran, {counts['skipped']} skipped (unchanged), "
                 f"{counts['failed']} failed")
    return "\n".join(line.rstrip() for line in lines)


def run_notebook(
    notebook: str,
    year: int | None,
    lang: str,
    *,
    out: Path | None = None,
    figures: Path | None = None,
    parameters: dict | None = None,
) -> Path:
    """Execute one notebook with papermill (no HTML); return the executed notebook's path.

    ``parameters`` are passed on beside ``year`` (for a notebook about one year), ``lang`` and ``output_dir``
    (e.g. ``indicators`` for ``explore``). A failing run raises, naming the notebook, the error and the executed
    copy."""
    choice("notebook", notebook, NOTEBOOKS)
    run = Run(notebook, year if report.per_year(notebook) else None, lang)
    figures = Path(figures or paths.figures_dir())
    params = report.check_notebook_parameters(notebook, {**(parameters or {}), **parameters_of(run, figures)})
    out = Path(out or paths.reports_dir())
    ensure_kernel()
    result = execute(run, notebook_source(notebook), out, figures, params, html=False)
    if result["status"] != "ok":
        raise IndicatorsError(
            f"{notebook}.ipynb (year={year}, lang={lang}) failed: {result['error']}; see {result['notebook']}")
    return Path(result["notebook"])
