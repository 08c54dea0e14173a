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


def test_every_command_says_what_it_does_in_its_help():
    from indicators import cli

    commands = cli.parser()._subparsers._group_actions[0].choices  # each command's own parser
    assert {"build", "batch", "run", "add-source", "mentions", "coverage", "export", "kernel"} <= set(commands)
    for name, sub in commands.items():
        assert sub.description and f"\n\n{sub.description}\n" in sub.format_help(), name


def test_the_readme_s_nbconvert_command_makes_an_offline_page(root, tmp_path):
    """The HTML of the papermill route, as the README gives it: the project's offline template, no script from the
    internet."""
    import re
    import shlex
    import shutil

    readme = (root / "README.md").read_text(encoding="utf-8")
    command = re.search(r"\.venv/bin/jupyter nbconvert .*?\.ipynb", readme.replace("\\\n", " "), re.S).group()
    shutil.copy(root / "notebooks" / "explore.ipynb", tmp_path / "annual_review.ipynb")
    argv = [a for a in shlex.split(command) if not a.endswith(".ipynb")]
    argv[0] = str(root / argv[0])
    result = subprocess.run([*argv, str(tmp_path / "annual_review.ipynb")], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "annual_review.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and "cdnjs" not in page and "Explore any indicators" in page


def test_mentions_grep_searches_the_sentence_too(root):
    """"Malaysia" is in one sentence, in none of its mentions' quotes or subjects: the sentence is read from the
    sentences table (the mentions table does not repeat it)."""
    result = run("mentions", "--grep", "malaysia", cwd=root)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert [(row[0], row[1], row[2]) for row in rows] == [("report-2022", "3108", "2")]
