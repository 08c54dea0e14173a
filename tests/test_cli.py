"""The command line on the committed tables (bad input through the CLI: test_bad_input.py)."""

from __future__ import annotations

import subprocess
import sys


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "indicators.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_build_check_passes_on_the_committed_tables(root):
    result = run("build", "--check", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
