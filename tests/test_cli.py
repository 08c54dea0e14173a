"""The command line: clear one-line errors and exit codes."""

from __future__ import annotations

import subprocess
import sys


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "indicators.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_build_check_passes_on_the_committed_tables(root):
    result = run("build", "--check", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_user_errors_are_one_line_without_traceback(root):
    result = run("batch", "--years", "2032", cwd=root)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("error: --years: '2032' does not exist (choose from 2021, 2022, 2023, 2024)")
    assert "; did you mean '202" in result.stderr  # the closest year
    debug = run("--debug", "batch", "--years", "2032", cwd=root)
    assert "Traceback" in debug.stderr


def test_unwritable_output_folder_is_named(tmp_path, root):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = run("build", "--out", str(blocked / "processed"), cwd=root)
    assert result.returncode == 2
    assert str(blocked) in result.stderr and "Traceback" not in result.stderr
