"""Warm kernels for a batch: each run's kernel forked from one process that has already imported what the
notebooks import and read the built tables (:mod:`indicators.run.warmserver`), instead of a new Python that
imports them all again.

The kernel is a real ipykernel, started by jupyter_client as usual: the command it runs is this file as a
script (standard library only), the *launcher*. The launcher hands the connection file, its folder, its
environment and its standard streams to the warm process over a Unix socket; the warm process forks, and the
child becomes the kernel. The launcher stands in for the kernel towards jupyter_client: an interrupt it gets
is passed on; when the kernel ends, the launcher ends; when the launcher is killed, the kernel ends. With no
warm process to answer, the launcher becomes an ordinary kernel (``python -m ipykernel_launcher``).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

READY_TIMEOUT = 60  # seconds a kernel waits for the warm process to finish its imports


@contextlib.contextmanager
def warm_kernels(folder: str | os.PathLike, env: dict | None = None):
    """Start the warm process for the duration of a batch, with ``env`` added to its environment; yield the
    socket (in ``folder``, the batch's own) its kernels are asked for at. It is stopped (and waited for: its CPU
    counts as the batch's) when the block ends."""
    address = str(Path(folder) / "kernels.sock")
    server = subprocess.Popen([sys.executable, "-m", "indicators.run.warmserver", address, str(os.getpid())],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, **(env or {})})
    try:
        _listening(address, server)
        yield address
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        Path(address).unlink(missing_ok=True)


def _listening(address: str, server: subprocess.Popen, timeout: float = 10) -> None:
    """Wait until the warm process listens (a fraction of a second); the kernels asked for meanwhile would be
    ordinary ones."""
    deadline = time.monotonic() + timeout
    while not os.path.exists(address) and server.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


# ----------------------------------------------------------------------------------- the launcher


def launch(address: str, connection_file: str) -> None:
    """Ask the warm process for a kernel and stand in for it until it ends; without an answer, become an
    ordinary kernel."""
    pid, link = _ask(address, connection_file)
    if pid is None:
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file])
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(signum, lambda n, _f: _pass_on(pid, n))
    while True:
        try:
            if not link.recv(64):
                break  # the kernel has ended
        except InterruptedError:
            continue
        except OSError:
            break
    sys.exit(0)


def _ask(address: str, connection_file: str):
    """The kernel's pid and the link to it, or ``(None, None)`` when no warm process answers."""
    link = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    request = {"connection_file": connection_file, "cwd": os.getcwd(), "env": dict(os.environ), "pid": os.getpid()}
    try:
        link.connect(address)
        link.settimeout(READY_TIMEOUT)
        socket.send_fds(link, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = link.recv(64)
            if not chunk:
                raise ConnectionError("the warm process closed the link")
            answer += chunk
        link.settimeout(None)
        return int(answer), link
    except (OSError, ValueError):
        link.close()
        return None, None


def _pass_on(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)
    if signum != signal.SIGINT:  # an interrupt leaves the kernel running; anything else ends the launcher too
        sys.exit(128 + signum)


if __name__ == "__main__":
    launch(sys.argv[1], sys.argv[2])
