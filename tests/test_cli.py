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


def test_mentions_grep_searches_the_sentence_too(root):
    """"Malaysia" is in one sentence, in none of its mentions' quotes or subjects: the sentence is read from the
    sentences table (the mentions table does not repeat it)."""
    result = run("mentions", "--grep", "malaysia", cwd=root)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert [(row[0], row[1], row[2]) for row in rows] == [("report-2022", "3108", "2")]
