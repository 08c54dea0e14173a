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
from concurrent.futures import FIRST_COMPLETED, wait
from pathlib import Path

from filelock import FileLock
from tqdm import tqdm

from indicators import lazy, paths, tableset
from indicators.atomic import atomic_write
from indicators.errors import IndicatorsError, Stopped
from indicators.read.choices import LANGS, available_years
from indicators.run import processes, runner
from indicators.run.chartindex import write_index
from indicators.run.processes import Interrupted, stop_on_signals
from indicators.run.runner import NOTEBOOKS, Run, ensure_kernel
from indicators.run.warm import warm_kernels
from indicators.validate import choice

distributed = lazy.module("distributed")  # only with --scheduler

MANIFEST = "manifest.json"
log = logging.getLogger(__name__)


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
    return [Run(n, int(y) if runner.per_year(n) else None, lang) for n in notebooks
            for y in (years if runner.per_year(n) else [None]) for lang in langs]


def fingerprint(*folders: Path, suffixes=(".py", ".yml", ".csv", ".parquet", ".json")) -> str:
    """A hash of the files in ``folders`` (names and bytes): what every run depends on."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.suffix in suffixes):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def inputs_hash(run: Run, shared: str, parameters: dict) -> str:
    notebook = runner.notebook_source(run.notebook).read_bytes()
    text = json.dumps(parameters, sort_keys=True)
    return hashlib.sha256(shared.encode() + notebook + text.encode()).hexdigest()


def load_manifest(out: Path) -> dict:
    """The manifest of the runs in ``out``; a damaged one is set aside (``manifest.json.damaged``) with a
    warning, which costs a full rerun; an entry that is not one of a run is left out, with a warning."""
    path = Path(out) / MANIFEST
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(manifest, dict):
            return {name: entry for name, entry in manifest.items() if _valid(path, name, entry)}
    except (json.JSONDecodeError, UnicodeDecodeError):
        pass
    os.replace(path, path.with_name(MANIFEST + ".damaged"))
    log.warning("%s: damaged; set aside as %s.damaged, every run will run again", path, MANIFEST)
    return {}


_RUN_NAME = re.compile(r"(?P<notebook>[a-z_]+)/(?P<folder>\d{4}|all)/(?P<lang>[a-z]{2})")


def _valid(path: Path, name: str, entry) -> bool:
    """An entry of the manifest as the batch writes it: of a run that exists, with a status, its outputs (and
    those it kept) where the layout puts them, never a path elsewhere or a link of another kind; charts by name."""
    run = run_of(name)
    fine = run is not None and isinstance(entry, dict) and entry.get("status") in runner.STATUSES
    if fine:
        report = run.notebook_path(Path(".")).as_posix()
        shown = ([entry] if entry["status"] == "ok" else []) + ([entry["kept"]] if entry.get("kept") else [])
        fine = all(isinstance(e, dict) and e.get("notebook") == report
                   and e.get("html") in ("", report.removesuffix(".ipynb") + ".html")
                   and _charts(e.get("figures", []), run.notebook) for e in shown)
    if not fine:
        log.warning("%s: entry %r is not one of a run of this batch; left out", path, str(name)[:80])
    return fine


def run_of(name: str) -> Run | None:
    """The run a manifest's entry is of (``annual_review/2022/vi``), if it is one."""
    found = _RUN_NAME.fullmatch(str(name))
    if not found or found["notebook"] not in NOTEBOOKS or found["lang"] not in LANGS:
        return None
    return Run(found["notebook"], None if found["folder"] == paths.YEARLESS else int(found["folder"]), found["lang"])


def _charts(names, notebook: str) -> bool:
    return isinstance(names, list) and all(
        isinstance(n, str) and re.fullmatch(rf"{notebook}_[\w-]+\.png", n) for n in names)


def manifest_lock(out: Path):
    """Serialises the writers of a manifest (two batches on one reports folder)."""
    return FileLock(str(Path(out) / f".{MANIFEST}.lock"), timeout=600)


def record(out: Path, name: str, entry: dict) -> None:
    """Add one run to the manifest, re-read under the lock so that another batch's entries are kept. Its
    outputs are kept relative to ``out``: a moved or cloned project still finds them. A run that did not succeed
    keeps, as ``kept``, the outputs of the last run that did: they are still there, and the index shows them."""
    entry = {**entry, **{k: paths.relative(entry[k], out) for k in ("notebook", "html") if entry.get(k)}}
    with manifest_lock(out):
        manifest = load_manifest(out)
        previous = manifest.get(name) or {}
        if entry["status"] != "ok":
            last = previous if previous.get("status") == "ok" else previous.get("kept")
            entry["kept"] = {"notebook": last["notebook"], "html": last.get("html", ""),
                             "figures": last.get("figures", []), "inputs": last.get("inputs", "")} if last else None
        manifest[name] = entry
        text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False)
        atomic_write(Path(out) / MANIFEST, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def up_to_date(entry: dict | None, digest: str, out: Path, figures: Path, run: Run) -> bool:
    """Whether a run succeeded with these inputs and its outputs are all there (paths in the manifest are
    relative to ``out``)."""
    if not entry or entry.get("status") != "ok" or entry.get("inputs") != digest:
        return False
    shown = Path(figures) / run.folder / run.lang
    outputs = [Path(out) / entry["notebook"], Path(out) / entry["html"], *(shown / f for f in entry.get("figures", []))]
    return all(p.is_file() for p in outputs)


@contextlib.contextmanager
def executor(jobs: int | None = None, scheduler: str | None = None, folder: Path | None = None, outputs=(),
             leftovers=()):
    """Worker processes on this machine (:func:`indicators.run.processes.workers`, their temporary files in
    ``folder``), or a Dask cluster's executor: the same interface. Stopped, the local pool cancels what is queued
    and kills its workers and their kernels at once."""
    if scheduler:
        with dask_executor(scheduler) as pool:
            yield pool
        return
    runner.prepare()  # imported and compiled once, shared by the forked workers
    with processes.workers(jobs or os.cpu_count(), folder, outputs, leftovers) as pool:
        yield pool


_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ucx|ws|wss)://)?(?:[\w.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}$")


@contextlib.contextmanager
def dask_executor(scheduler: str):
    """A Dask cluster's executor, after checking the address, that a scheduler answers within 10 s and that it
    has a worker. Its ``workers()`` says how many workers are left. When the batch stops (or fails), what has
    not run is cancelled, never waited for; Dask's own messages (a traceback when the scheduler goes) are left
    unsaid: the batch says what happened in one line."""
    if not _ADDRESS.match(scheduler):
        raise IndicatorsError(f"--scheduler: {scheduler!r} is not a scheduler address (like tcp://host:8786)")
    lazy.load(distributed)  # it sets its loggers' levels as it is imported
    quiet = _quiet("distributed", "distributed.client", "tornado", "tornado.application")
    try:
        client = _connect(scheduler)
        try:
            if not client.scheduler_info().get("workers"):
                raise IndicatorsError(f"--scheduler: {scheduler} has no worker; start one with "
                                      f"`dask worker {scheduler}`")
            pool = client.get_executor(pure=False)
            pool.workers = lambda: len(client.scheduler_info().get("workers", {}))
            pool.address = scheduler
            try:
                yield pool
            except BaseException:
                pool.shutdown(wait=False)  # cancels what has not run: no worker may be left to run it
                raise
            pool.shutdown(wait=True)
        finally:
            client.close(timeout=5)
    finally:
        for logger, level in quiet.items():
            logger.setLevel(level)


def _quiet(*names: str) -> dict:
    """Loggers (Dask's own, each with its handler) silenced; returns their levels, to set back."""
    levels = {logging.getLogger(name): logging.getLogger(name).level for name in names}
    for logger in levels:
        logger.setLevel(logging.CRITICAL + 1)
    return levels


def _connect(scheduler: str):
    """A Dask client, or a one-line error: what is at the address may not answer (within
    ``INDICATORS_SCHEDULER_TIMEOUT`` seconds, 10 by default), or answer something else."""
    found: dict = {}
    wait_for = _seconds("INDICATORS_SCHEDULER_TIMEOUT", 10)

    def connect():
        try:
            found["client"] = distributed.Client(scheduler, timeout=f"{wait_for / 2}s")
        except BaseException as err:  # noqa: BLE001 - whatever the peer did, it is not a scheduler
            found["error"] = err

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    thread.join(wait_for)
    if "client" not in found:
        err = found.get("error")
        why = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}" if err else \
            f"no answer in {wait_for:g} s"
        raise IndicatorsError(f"--scheduler: cannot connect to a Dask scheduler at {scheduler} ({why.strip()})")
    return found["client"]


def _seconds(variable: str, default: int) -> float:
    """Seconds given in an environment variable (``INDICATORS_SCHEDULER_TIMEOUT``, ``INDICATORS_WORKER_TIMEOUT``)."""
    value = os.environ.get(variable, str(default))
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if not 0 < seconds <= 3600:
        raise IndicatorsError(f"{variable}: expected seconds (like {default}), got {value!r}")
    return seconds


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
    timeout: float | None = runner.TIMEOUT,
) -> list[dict]:
    """Run the batch; return one result per run (status ok, failed, timed_out or skipped), in plan order.

    ``extra``: more notebook parameters, the same for every run (e.g. ``indicators`` for ``explore``);
    ``timeout``: seconds a cell may run. Every run reads one snapshot of the tables, taken at the start: a build
    meanwhile changes none of them. Ctrl-C or SIGTERM stops it at once (queued runs cancelled, workers and
    kernels killed); what finished is in the manifest, and :class:`~indicators.errors.Stopped` is raised."""
    runs = plan(years, langs, notebooks)
    _check_options(jobs, notebooks, extra)
    runner.check_timeout(timeout)
    out = runner.output_folder(out or paths.reports_dir(), "--out")
    figures = runner.output_folder(figures or paths.figures_dir(), "--figures")
    processes.clean((out, figures))
    with tableset.snapshot(paths.processed_dir()) as tables:
        results, todo = _todo(runs, out, figures, extra, force, tables)
        if todo:
            tableset.check_readable(tables, paths.processed_dir())  # a damaged table: no run, nothing replaced
            ensure_kernel()
            _execute_all(todo, results, out, figures, jobs=jobs, scheduler=scheduler, quiet=quiet, tables=tables,
                         timeout=timeout)
    return [results[run.name] for run in runs]


def _check_options(jobs, notebooks, extra) -> None:
    if jobs is not None and jobs < 1:
        raise IndicatorsError(f"--jobs: must be at least 1, got {jobs}")
    declared = {name for n in set(notebooks) for name in runner.declared_parameters(n)}
    for name in extra or {}:
        if name not in declared or name in ("year", "lang", "output_dir"):
            raise IndicatorsError(f"-p {name}: not a parameter of {', '.join(notebooks)} "
                                  f"(year, lang and output_dir come from --years, --lang and --figures)")


def _todo(runs, out: Path, figures: Path, extra, force: bool, tables: Path):
    """The results of the runs whose inputs have not changed since their success, and the runs to do."""
    shared = fingerprint(tables, Path(__file__).parents[1])  # the tables and the whole package
    manifest = load_manifest(out)
    results, todo = {}, []
    for run in runs:
        params = runner.check_notebook_parameters(run.notebook, runner.parameters_of(run, figures, extra))
        digest = inputs_hash(run, shared, params)
        entry = manifest.get(run.name)
        if not force and up_to_date(entry, digest, out, figures, run):
            results[run.name] = {**entry, "run": run.name, "status": "skipped", "seconds": 0.0, "error": "",
                                 "notebook": str(out / entry["notebook"]), "html": str(out / entry["html"])}
        else:
            todo.append((run, digest, params))
    return results, todo


class _Progress(tqdm):
    monitor_interval = 0  # no monitor thread: the workers are forked after the bar is made


def _execute_all(todo, results: dict, out: Path, figures: Path, *, jobs, scheduler, quiet: bool, tables: Path,
                 timeout) -> None:
    progress = _Progress(total=len(todo), disable=quiet or not sys.stderr.isatty(), unit="run", desc="batch")
    try:
        with stop_on_signals(), processes.scratch() as folder, _warm(scheduler, folder, tables) as address, \
                executor(jobs, scheduler, folder, (out, figures), (tables,)) as pool, _indexed(out, figures):
            futures = {pool.submit(runner.execute, run, runner.notebook_source(run.notebook), out, figures, params,
                                   warm_address=address, tables=tables, timeout=timeout): (run, digest)
                       for run, digest, params in todo}
            for future in _completed(pool, futures):
                run, digest = futures[future]
                result = _result(future, run)
                results[run.name] = result
                _record(out, run.name, {**result, "inputs": digest if result["status"] == "ok" else ""})
                log.info("%s: %s in %.1f s %s", run.name, result["status"], result.get("seconds", 0), result["error"])
                progress.update()
    except Interrupted as stop:
        done = sum(run.name in results for run, _, _ in todo)
        raise Stopped(f"stopped by {signal.Signals(stop.signum).name}: {done} of {len(todo)} runs had finished "
                      f"(recorded in {out / MANIFEST}); the others were cancelled", stop.signum) from None
    finally:
        progress.close()


def _warm(scheduler: str | None, folder: Path, tables: Path):
    """The warm process this machine's workers fork their kernels from (it reads the batch's snapshot of the
    tables); none for a Dask cluster, whose workers are elsewhere."""
    return contextlib.nullcontext() if scheduler else warm_kernels(folder, {paths.TABLES_ENV: str(tables)})


def _record(out: Path, name: str, entry: dict) -> None:
    try:
        record(out, name, entry)
    except OSError as err:  # a full disk: the batch cannot go on recording what it does
        raise IndicatorsError(f"{out / MANIFEST}: cannot record {name} ({err.strerror or err})") from None


@contextlib.contextmanager
def _indexed(out: Path, figures: Path):
    """``reports/index.html`` written again when the runs end, however they end (a failure to write it is said
    in one line, unless the batch is failing already: then that failure is the one said)."""
    try:
        yield
    except BaseException:
        try:
            _write_index(out, figures)
        except IndicatorsError as err:  # the batch's own failure is the one to say
            log.debug("%s", err)
        raise
    _write_index(out, figures)


def _write_index(out: Path, figures: Path) -> None:
    try:
        with manifest_lock(out):
            write_index(out, figures, load_manifest(out))
    except OSError as err:
        raise IndicatorsError(f"{out / 'index.html'}: cannot write the index ({err.strerror or err})") from None


def _completed(pool, futures: dict):
    """The futures as they complete. On a Dask cluster, an error when it has had no worker for 30 s
    (``INDICATORS_WORKER_TIMEOUT``), or when it cancelled runs (its scheduler is gone): the runs that did not run
    are not recorded, so that their last reports stay where they are."""
    pending, alone_since = set(futures), None
    workers = getattr(pool, "workers", None)
    patience = _seconds("INDICATORS_WORKER_TIMEOUT", 30) if workers else 0
    while pending:
        done, pending = wait(pending, timeout=1, return_when=FIRST_COMPLETED)
        cancelled = [f for f in done if f.cancelled()]
        if cancelled:
            raise IndicatorsError(f"--scheduler: the Dask scheduler at {pool.address} cancelled the runs (is it gone?);"
                                  f" {len(cancelled) + len(pending)} runs did not run")
        yield from done
        if workers is not None and not done:
            alone_since = (alone_since or time.monotonic()) if _count(workers) == 0 else None
            if alone_since and time.monotonic() - alone_since > patience:
                raise IndicatorsError(f"--scheduler: no Dask worker left for {patience:g} s; {len(pending)} runs did "
                                      "not run")


def _count(workers) -> int:
    try:
        return workers()
    except Exception:  # noqa: BLE001 - the scheduler is gone: no worker
        return 0


def _result(future, run: Run) -> dict:
    try:
        return future.result()
    except Exception as err:  # the worker itself died
        return {"run": run.name, "status": "failed", "error": runner.first_error_line(err),
                "notebook": "", "html": "", "figures": [], "seconds": 0.0}


def summary(results: list[dict]) -> str:
    """The table printed at the end of a batch: run, status, time, output, first error line."""
    rows = [("run", "status", "time", "output", "error")]
    for r in results:
        rows.append((r["run"], r["status"], f"{r.get('seconds', 0):.1f}s", r.get("notebook", ""), r.get("error", "")))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)) + "  " + row[4] for row in rows]
    counts = {s: sum(r["status"] == s for r in results) for s in runner.STATUSES}
    lines.append(f"{len(results)} runs: {counts['ok']} ran, {counts['skipped']} skipped (unchanged), "
                 f"{counts['failed']} failed" + (f", {counts['timed_out']} timed out" if counts["timed_out"] else ""))
    return "\n".join(line.rstrip() for line in lines)


def failed(results: list[dict]) -> bool:
    """Whether a run failed or timed out."""
    return any(r["status"] in ("failed", "timed_out") for r in results)
