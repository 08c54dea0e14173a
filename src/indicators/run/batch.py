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
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from filelock import FileLock
from tqdm import tqdm

from indicators import lazy, paths
from indicators.atomic import atomic_write, sweep
from indicators.errors import IndicatorsError, Stopped
from indicators.read.choices import LANGS, available_years
from indicators.run import runner
from indicators.run.chartindex import write_index
from indicators.run.runner import NOTEBOOKS, Interrupted, Run, ensure_kernel, kill_tree, stop_on_signals
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
    return FileLock(str(Path(out) / f".{MANIFEST}.lock"), timeout=600)


def record(out: Path, name: str, entry: dict) -> None:
    """Add one run to the manifest, re-read under the lock so that another batch's entries are kept. Its
    outputs are kept relative to ``out``: a moved or cloned project still finds them."""
    entry = {**entry, **{k: paths.relative(entry[k], out) for k in ("notebook", "html") if entry.get(k)}}
    with manifest_lock(out):
        manifest = load_manifest(out)
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
def executor(jobs: int | None = None, scheduler: str | None = None):
    """Worker processes on this machine, or a Dask cluster's executor: the same interface. Stopped, the local
    pool cancels what is queued and kills its workers and their kernels at once."""
    if scheduler:
        with dask_executor(scheduler) as pool:
            yield pool
        return
    runner.prepare()
    # forked (before any thread starts: the pool forks all its workers at the first submit, and the progress bar
    # runs no monitor thread), the workers share what the main process imported and compiled
    context = multiprocessing.get_context("fork")
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
    """A Dask client, or a one-line error: what is at the address may not answer (within
    ``INDICATORS_SCHEDULER_TIMEOUT`` seconds, 10 by default), or answer something else."""
    found: dict = {}
    wait_for = _scheduler_timeout()

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


def _scheduler_timeout() -> float:
    value = os.environ.get("INDICATORS_SCHEDULER_TIMEOUT", "10")
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if not 0 < seconds <= 3600:
        raise IndicatorsError(f"INDICATORS_SCHEDULER_TIMEOUT: expected seconds (like 10), got {value!r}")
    return seconds


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
    out = runner.output_folder(out or paths.reports_dir(), "--out")
    figures = runner.output_folder(figures or paths.figures_dir(), "--figures")
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
    declared = {name for n in set(notebooks) for name in runner.declared_parameters(n)}
    for name in extra or {}:
        if name not in declared or name in ("year", "lang", "output_dir"):
            raise IndicatorsError(f"-p {name}: not a parameter of {', '.join(notebooks)} "
                                  f"(year, lang and output_dir come from --years, --lang and --figures)")


def _todo(runs, out: Path, figures: Path, extra, force: bool):
    """The results of the runs whose inputs have not changed since their success, and the runs to do."""
    shared = fingerprint(paths.processed_dir(), Path(__file__).parents[1])  # the whole package
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


def _execute_all(todo, results: dict, out: Path, figures: Path, *, jobs, scheduler, quiet: bool) -> None:
    progress = _Progress(total=len(todo), disable=quiet or not sys.stderr.isatty(), unit="run", desc="batch")
    try:
        # the warm process this machine's workers fork their kernels from; none for a Dask cluster (elsewhere)
        warm = contextlib.nullcontext() if scheduler else warm_kernels()
        with stop_on_signals(), warm as address, executor(jobs, scheduler) as pool, _indexed(out, figures):
            futures = {pool.submit(runner.execute, run, runner.notebook_source(run.notebook), out, figures, params,
                                   warm_address=address): (run, digest) for run, digest, params in todo}
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
        return {"run": run.name, "status": "failed", "error": runner.first_error_line(err),
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


