"""The processes of a run or a batch: worker processes forked from this one, each worker's set-up, stopping on
Ctrl-C and SIGTERM, killing a process tree, and leaving nothing behind.

What a run leaves while it works lives in two kinds of places: a private *scratch* folder in the temp folder
(the kernels' connection files, which hold their keys, and the warm process's socket) and hidden files named
with their process's id in the output folders (a notebook or chart being written, the charts a run may have to
put back). Whoever is left cleans up: the main process when it is stopped, a worker when the main process was
killed outright; and the next batch removes what a machine's crash left.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

from indicators.atomic import gone, sweep

_SCRATCH = re.compile(r"indicators-(\d+)-")


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


@contextlib.contextmanager
def scratch():
    """A private folder in the temp folder for what the kernels of a batch need while they run (removed at the
    end, however the block ends); those that killed batches left are removed first."""
    base = Path(tempfile.gettempdir())
    for folder in base.glob("indicators-*-*"):
        found = _SCRATCH.match(folder.name)
        if found and folder.is_dir() and gone(int(found.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"indicators-{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def clean(outputs, own: bool = False) -> None:
    """Remove the temporary files that processes now gone (and with ``own`` this one) left in the output folders,
    and put back the charts their unfinished runs kept."""
    for folder in outputs:
        if Path(folder).is_dir():
            sweep(folder, own=own)


@contextlib.contextmanager
def workers(jobs: int, folder: Path, outputs=(), leftovers=()):
    """``jobs`` worker processes, forked from this one (they share what it has imported); kernels' connection
    files go to ``folder``. Stopped, the pool cancels what is queued, kills its workers and their kernels at
    once, and cleans ``outputs``. A worker whose main process is killed does that itself, and removes
    ``folder`` and ``leftovers`` (folders of the batch's own, such as its snapshot of the tables)."""
    # forked before any thread starts (the pool forks all its workers at the first submit)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"), initializer=_worker,
                               initargs=(os.getpid(), str(folder), tuple(map(str, outputs)),
                                         tuple(map(str, leftovers))))
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        kill_tree()
        clean(outputs)
        raise
    pool.shutdown(wait=True)


def _worker(parent: int, folder: str, outputs: tuple[str, ...], leftovers: tuple[str, ...]) -> None:
    """A worker's set-up: temporary files (the kernels' connection files) in the batch's folder, its stderr quiet
    (kernels write start-up warnings; a run's errors come back in its result), Ctrl-C left to the main process;
    when the main process is gone (killed) or SIGTERM comes, the worker kills its kernels, cleans up and ends."""
    tempfile.tempdir = folder
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def end(*_):
        kill_tree()
        clean(outputs, own=True)
        for path in (folder, *leftovers):
            shutil.rmtree(path, ignore_errors=True)
        os._exit(1)

    signal.signal(signal.SIGTERM, end)

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        end()

    threading.Thread(target=watch, daemon=True).start()


def kill_tree(pid: int | None = None) -> None:
    """Kill every process started below ``pid`` (this process by default): workers and their kernels."""
    try:
        root = psutil.Process(pid or os.getpid())
        children = [c for c in root.children(recursive=True)
                    if "resource_tracker" not in " ".join(cmdline(c))]  # it ends with this process
        own = {c.pid for c in root.children()}  # asked now: once killed and reaped, a process has no parent to ask
    except psutil.NoSuchProcess:
        return
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    # wait for the kernels; this process's own children (the workers) are reaped by multiprocessing
    psutil.wait_procs([c for c in children if c.pid not in own] if pid is None else children, timeout=5)


def cmdline(process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []
