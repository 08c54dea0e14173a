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
import logging
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from . import paths, report
from .atomic import atomic_write, staged, sweep
from .chartindex import write_index
from .errors import IndicatorsError, Stopped
from .report import KERNEL, LANGS, NOTEBOOKS, available_years, ensure_kernel
from .validate import choice

MANIFEST = "manifest.json"
log = logging.getLogger(__name__)


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
    years = list(dict.fromkeys(years)) if years else known
    langs, notebooks = list(dict.fromkeys(langs)), list(dict.fromkeys(notebooks))
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
                            language_code=nb.metadata.get("language_code", "en"), template_name="offline",
                            extra_template_basedirs=[str(Path(__file__).with_name("templates"))])
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
    """The manifest of the runs in ``out``; a damaged one is set aside (``manifest.json.damaged``) with a
    warning, which costs a full rerun."""
    path = Path(out) / MANIFEST
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(manifest, dict):
            return manifest
    except (json.JSONDecodeError, UnicodeDecodeError):
        pass
    os.replace(path, path.with_name(MANIFEST + ".damaged"))
    log.warning("%s: damaged; set aside as %s.damaged, every run will run again", path, MANIFEST)
    return {}


def manifest_lock(out: Path):
    """Serialises the writers of a manifest (two batches on one reports folder)."""
    from filelock import FileLock

    return FileLock(str(Path(out) / f".{MANIFEST}.lock"), timeout=600)


def record(out: Path, name: str, entry: dict) -> None:
    """Add one run to the manifest, re-read under the lock so that another batch's entries are kept."""
    with manifest_lock(out):
        manifest = load_manifest(out)
        manifest[name] = entry
        text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False)
        atomic_write(Path(out) / MANIFEST, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def up_to_date(entry: dict | None, digest: str, figures: Path, run: Run) -> bool:
    if not entry or entry.get("status") != "ok" or entry.get("inputs") != digest:
        return False
    shown = Path(figures) / run.folder / run.lang
    outputs = [Path(entry["notebook"]), Path(entry["html"]), *(shown / f for f in entry.get("figures", []))]
    return all(p.is_file() for p in outputs)


class Interrupted(BaseException):
    """The batch was asked to stop (Ctrl-C, SIGINT or SIGTERM); like KeyboardInterrupt, no run catches it."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def stop_on_signals(on_stop=None):
    """SIGINT (Ctrl-C) and SIGTERM raise :class:`Interrupted` in the main thread while the block runs, after
    calling ``on_stop()`` (a batch started from another thread leaves signals to the main thread)."""
    def stop(signum, _frame):
        if on_stop:
            on_stop()
        raise Interrupted(signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def kill_tree(pid: int | None = None) -> None:
    """Kill every process started below ``pid`` (this process by default): workers and their kernels."""
    import psutil

    try:
        children = [c for c in psutil.Process(pid or os.getpid()).children(recursive=True)
                    if "resource_tracker" not in " ".join(_cmdline(c))]  # it ends with this process
    except psutil.NoSuchProcess:
        return
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    # wait for the kernels; this process's own children (the workers) are reaped by multiprocessing
    psutil.wait_procs([c for c in children if c.ppid() != os.getpid()] if pid is None else children, timeout=5)


def _cmdline(process) -> list[str]:
    import psutil

    try:
        return process.cmdline()
    except psutil.Error:
        return []


@contextlib.contextmanager
def executor(jobs: int | None = None, scheduler: str | None = None):
    """Worker processes on this machine, or a Dask cluster's executor: the same interface. Stopped, the local
    pool cancels what is queued and kills its workers and their kernels at once."""
    if scheduler:
        with dask_executor(scheduler) as pool:
            yield pool
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs or os.cpu_count(), mp_context=context, initializer=_worker,
                               initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        kill_tree()
        raise
    pool.shutdown(wait=True)


_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ucx|ws|wss)://)?(?:[\w.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}$")


@contextlib.contextmanager
def dask_executor(scheduler: str):
    """A Dask cluster's executor, after checking the address, that a scheduler answers within 10 s and that it
    has a worker. Its ``workers()`` says how many workers are left."""
    if not _ADDRESS.match(scheduler):
        raise IndicatorsError(f"--scheduler: {scheduler!r} is not a scheduler address (like tcp://host:8786)")
    client = _connect(scheduler)
    try:
        if not client.scheduler_info().get("workers"):
            raise IndicatorsError(f"--scheduler: {scheduler} has no worker; start one with `dask worker {scheduler}`")
        with client.get_executor(pure=False) as pool:
            pool.workers = lambda: len(client.scheduler_info().get("workers", {}))
            yield pool
    finally:
        client.close(timeout=5)


def _connect(scheduler: str):
    """A Dask client, or a one-line error: what is at the address may not answer, or answer something else."""
    from distributed import Client

    found: dict = {}

    def connect():
        try:
            found["client"] = Client(scheduler, timeout="5s")
        except BaseException as err:  # noqa: BLE001 - whatever the peer did, it is not a scheduler
            found["error"] = err

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    thread.join(10)
    if "client" not in found:
        err = found.get("error")
        why = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}" if err else "no answer in 10 s"
        raise IndicatorsError(f"--scheduler: cannot connect to a Dask scheduler at {scheduler} ({why.strip()})")
    return found["client"]


def _worker(parent: int) -> None:
    """A worker's set-up: its stderr quiet (kernels write start-up warnings; a run's errors come back in its
    result), Ctrl-C left to the main process, and when the main process is gone (killed) or SIGTERM comes,
    the worker kills its kernels and ends."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def end(*_):
        kill_tree()
        os._exit(1)

    signal.signal(signal.SIGTERM, end)

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        end()

    threading.Thread(target=watch, daemon=True).start()


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

    ``extra``: more notebook parameters, the same for every run (e.g. ``indicators`` for ``explore``).
    Ctrl-C or SIGTERM stops it at once (queued runs cancelled, workers and kernels killed); what finished is
    in the manifest, and :class:`~indicators.errors.Stopped` is raised."""
    runs = plan(years, langs, notebooks)
    _check_options(jobs, notebooks, extra)
    out, figures = _folder(out or paths.reports_dir(), "--out"), _folder(figures or paths.figures_dir(), "--figures")
    sweep(out)
    sweep(figures)
    results, todo = _todo(runs, out, figures, extra, force)
    if todo:
        ensure_kernel()
        _execute_all(todo, results, out, figures, jobs=jobs, scheduler=scheduler, quiet=quiet)
    return [results[run.name] for run in runs]


def _check_options(jobs, notebooks, extra) -> None:
    if jobs is not None and jobs < 1:
        raise IndicatorsError(f"--jobs: must be at least 1, got {jobs}")
    declared = {name for n in set(notebooks) for name in report.declared_parameters(n)}
    for name in extra or {}:
        if name not in declared or name in ("year", "lang", "output_dir"):
            raise IndicatorsError(f"-p {name}: not a parameter of {', '.join(notebooks)} "
                                  f"(year, lang and output_dir come from --years, --lang and --figures)")


def _folder(folder, option: str) -> Path:
    folder = Path(folder).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise IndicatorsError(f"{option}: cannot create {folder}: {err.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise IndicatorsError(f"{option}: {folder} is not writable")
    return folder


def _todo(runs, out: Path, figures: Path, extra, force: bool):
    """The results of the runs whose inputs have not changed since their success, and the runs to do."""
    shared = fingerprint(paths.processed_dir(), Path(__file__).parent)
    manifest = load_manifest(out)
    results, todo = {}, []
    for run in runs:
        params = report.check_notebook_parameters(run.notebook, parameters_of(run, figures, extra))
        digest = inputs_hash(run, shared, params)
        if not force and up_to_date(manifest.get(run.name), digest, figures, run):
            results[run.name] = {**manifest[run.name], "run": run.name, "status": "skipped", "seconds": 0.0,
                                 "error": ""}
        else:
            todo.append((run, digest, params))
    return results, todo


def _execute_all(todo, results: dict, out: Path, figures: Path, *, jobs, scheduler, quiet: bool) -> None:
    from tqdm import tqdm

    progress = tqdm(total=len(todo), disable=quiet or not sys.stderr.isatty(), unit="run", desc="batch")
    try:
        with stop_on_signals(), executor(jobs, scheduler) as pool, _indexed(out, figures):
            futures = {pool.submit(execute, run, notebook_source(run.notebook), out, figures, params): (run, digest)
                       for run, digest, params in todo}
            for future in _completed(pool, futures):
                run, digest = futures[future]
                result = _result(future, run, out)
                results[run.name] = result
                record(out, run.name, {**result, "inputs": digest if result["status"] == "ok" else ""})
                log.info("%s: %s in %.1f s %s", run.name, result["status"], result.get("seconds", 0), result["error"])
                progress.update()
    except Interrupted as stop:
        done = sum(run.name in results for run, _, _ in todo)
        raise Stopped(f"stopped by {signal.Signals(stop.signum).name}: {done} of {len(todo)} runs had finished "
                      f"(recorded in {out / MANIFEST}); the others were cancelled", stop.signum) from None
    finally:
        progress.close()


@contextlib.contextmanager
def _indexed(out: Path, figures: Path):
    """``reports/index.html`` written again when the runs end, however they end."""
    try:
        yield
    finally:
        with manifest_lock(out):
            write_index(out, figures, load_manifest(out))


def _completed(pool, futures: dict):
    """The futures as they complete; on a Dask cluster left without a worker for 30 s, an error."""
    pending, alone_since = set(futures), None
    while pending:
        done, pending = wait(pending, timeout=1, return_when=FIRST_COMPLETED)
        yield from done
        workers = getattr(pool, "workers", None)
        if workers is not None and not done:
            alone_since = (alone_since or time.monotonic()) if workers() == 0 else None
            if alone_since and time.monotonic() - alone_since > 30:
                raise IndicatorsError(f"--scheduler: no Dask worker left; {len(pending)} runs did not run")


def _result(future, run: Run, out: Path) -> dict:
    try:
        return future.result()
    except Exception as err:  # the worker itself died
        return {"run": run.name, "status": "failed", "error": _first_error_line(err),
                "notebook": str(run.notebook_path(out)), "html": "", "figures": [], "seconds": 0.0}


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


def _kernel_gone() -> None:
    """On Ctrl-C in ``run``: the kernel killed at once, and the client's complaints that it died left unsaid."""
    for name in ("papermill", "nbclient", "asyncio", "traitlets"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    kill_tree()


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
    out = _folder(out or paths.reports_dir(), "--out")
    sweep(out)
    ensure_kernel()
    try:
        with stop_on_signals(_kernel_gone):
            result = execute(run, notebook_source(notebook), out, figures, params, html=False)
    except Interrupted as stop:
        raise Stopped(f"stopped by {signal.Signals(stop.signum).name}: {notebook} did not finish",
                      stop.signum) from None
    if result["status"] != "ok":
        raise IndicatorsError(
            f"{notebook}.ipynb (year={year}, lang={lang}) failed: {result['error']}; see {result['notebook']}")
    return Path(result["notebook"])
