"""The warm process of a batch (see :mod:`indicators.run.warm`): ``python -m indicators.run.warmserver SOCKET
PARENT_PID``. It listens at once, imports what a notebook's kernel imports and reads the built tables (a
kernel asking meanwhile waits), then forks one kernel per request. It starts no thread before it forks, ends
when asked (SIGTERM) or when the batch that started it is gone, and waits for its kernels.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import signal
import socket
import sys
import threading
from pathlib import Path

from indicators import lazy

briefing = lazy.module("indicators.brief.briefing")
kernelapp = lazy.module("ipykernel.kernelapp")

# What a kernel imports, once here rather than once per run (imported after the socket listens, so that the
# batch need not wait for them).
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython.core.interactiveshell",
           "matplotlib_inline.backend_inline", "indicators.brief.page",
           # what a kernel imports as it starts (its debugger, debugpy; the history's sqlite3; ...), and the
           # reader tables' pandas Styler (its jinja2 templates compile as it is imported)
           "ipykernel.debugger", "IPython.core.completerlib", "IPython.core.oinspect", "pdb", "sqlite3",
           "pandas.io.formats.style")


def main(address: str, parent: int) -> None:
    gc.disable()  # as the gc module's docs advise for a process that forks without exec: no holes in shared pages
    os.environ.pop("JPY_PARENT_PID", None)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    preload()
    gc.freeze()  # what is loaded stays shared with the kernels: their collections do not walk it
    listener.settimeout(0.5)
    while not stopping and os.getppid() == parent:
        _reap()
        try:
            link, _ = listener.accept()
        except (TimeoutError, InterruptedError):
            continue
        _fork_kernel(listener, link)
    listener.close()
    with contextlib.suppress(ChildProcessError):
        while True:
            os.wait()  # the kernels end with their launchers


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _fork_kernel(listener: socket.socket, link: socket.socket) -> None:
    """Read a launcher's request and fork a kernel for it; the launcher gets the kernel's pid."""
    try:
        link.settimeout(10)
        message, fds, _flags, _addr = socket.recv_fds(link, 1 << 16, 3)
        while not message.endswith(b"\n"):
            chunk = link.recv(1 << 16)
            if not chunk:
                raise ConnectionError("the launcher went away")
            message += chunk
        request = json.loads(message)
    except (OSError, ValueError):
        link.close()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        listener.close()
        _become_kernel(link, request, fds)
    for fd in fds:
        os.close(fd)
    with contextlib.suppress(OSError):
        link.sendall(f"{pid}\n".encode())
    link.close()


def _become_kernel(link: socket.socket, request: dict, fds: list[int]) -> None:
    """In the forked child: the launcher's streams, folder and environment, then the kernel; it ends when
    the launcher does."""
    code = 1
    try:
        for target, fd in zip((0, 1, 2), fds, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL if signum != signal.SIGINT else signal.default_int_handler)
        gc.enable()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if sys.path and sys.path[0] and Path(sys.path[0]) == Path.cwd():
            del sys.path[0]  # as ipykernel_launcher does
        link.settimeout(None)
        threading.Thread(target=_end_with_launcher, args=(link,), daemon=True).start()
        sys.argv = ["ipykernel_launcher", "-f", request["connection_file"],
                    f"--IPKernelApp.parent_handle={request['pid']}"]
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def preload() -> None:
    """Import what a kernel imports, and read the built tables."""
    for name in PRELOAD:
        importlib.import_module(name)
    with contextlib.suppress(Exception):  # a table missing or damaged: the kernel reports it, not this process
        briefing.load_tables()


def _end_with_launcher(link: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while link.recv(64):
            pass
    os._exit(1)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
