"""JupyterLab, started as `make lab` starts it: the project's root (notebooks, data, reports, figures), opened on
notebooks/, and its kernel by default."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from indicators.run import runner

pytestmark = pytest.mark.kernel  # starts JupyterLab and its kernels


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def test_jupyter_lab_serves_the_kernel_and_the_notebooks(root, tmp_path):
    runner.ensure_kernel()  # what `make setup` does
    port, token = free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    options = re.search(r"^LAB_OPTIONS := (.*?[^\\])$", (root / "Makefile").read_text(encoding="utf-8"),
                        re.M | re.S).group(1).replace("\\\n", " ").split()  # what `make lab` passes
    command = [str(jupyter), "lab", *options, "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--IdentityProvider.token={token}", f"--ServerApp.runtime_dir={tmp_path}"]
    if os.geteuid() == 0:  # as `make lab` does for root (containers, CI)
        command.append("--allow-root")
    server = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                specs = get(f"{base}/kernelspecs?token={token}")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "jupyter lab did not answer within 90 s"
                time.sleep(0.5)
        assert specs["default"] == runner.KERNEL
        assert specs["kernelspecs"][runner.KERNEL]["spec"]["display_name"] == "Python (bacgiang-indicators)"
        top = {item["name"] for item in get(f"{base}/contents?token={token}")["content"]}
        assert {"notebooks", "data", "reports", "figures", "README.md"} <= top
        names = {item["name"] for item in get(f"{base}/contents/notebooks?token={token}")["content"]}
        assert {f"{n}.ipynb" for n in runner.NOTEBOOKS} <= names
        notebook = get(f"{base}/contents/notebooks/annual_review.ipynb?token={token}")
        assert notebook["content"]["metadata"]["kernelspec"]["name"] == runner.KERNEL
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", f"/?token={token}")  # the server's root goes to notebooks/, not to /lab
        response = connection.getresponse()
        connection.close()
        assert response.status == 302, response.status
        assert urllib.parse.urlsplit(response.getheader("Location")).path == "/lab/tree/notebooks"
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = server.stderr.read().decode()
    assert f"http://127.0.0.1:{port}/lab/tree/notebooks?token=" in log  # the address it opens in a browser
