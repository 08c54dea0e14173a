"""Benchmark of the batch runner (not a test; run by hand: `.venv/bin/python benchmarks/batch.py`).

1. The same 8 runs (annual_review and budget_and_investment × 2022, 2023 × vi, en) done two ways in one
   run, alternating: a serial shell loop of the `papermill` CLI plus `jupyter nbconvert --to html` for each,
   and `indicators batch --force`. Medians of --repeat rounds: wall time, CPU time of every process each
   started (kernels included), the ratio batch / loop (target: at most 0.25) and the CPU per run (target:
   at most 2.5 s).
2. The whole annual review (7 notebooks × 4 years × 2 languages, `--full`) the same way, once.
3. A rerun with nothing changed (target: under 1 s), and the same after the project is copied elsewhere
   (paths in the manifest are relative to the project).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = ["annual_review", "budget_and_investment"]
YEARS = [2022, 2023]
LANGS = ["vi", "en"]


def measure(command: str, cwd: Path = ROOT) -> tuple[float, float]:
    """Wall time and CPU time (user + system of every process it started and waited for) of a shell command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, shell=True, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def runs(notebooks, years, langs, yearless=("data_quality", "explore")):
    return [(n, y, lang) for n in notebooks for y in ([None] if n in yearless else years) for lang in langs]


def serial_loop(work: Path, plan) -> str:
    """The shell loop a user would write without the batch runner."""
    lines = []
    for notebook, year, lang in plan:
        out = work / "serial" / str(year or "all") / lang
        year_option = f" -p year {year}" if year else ""
        lines.append(f"mkdir -p {out}")
        lines.append(f"{BIN}/papermill -k bacgiang-indicators notebooks/{notebook}.ipynb {out}/{notebook}.ipynb"
                     f"{year_option} -p lang {lang} -p output_dir {work / 'serial-figures'}")
        lines.append(f"{BIN}/jupyter nbconvert --to html --log-level=ERROR {out}/{notebook}.ipynb")
    return " && ".join(lines)


def batch_command(work: Path, notebooks, years, langs, *, force: bool = True) -> str:
    return (f"{BIN}/indicators -q batch --notebooks {' '.join(notebooks)} --years {' '.join(map(str, years))} "
            f"--lang {' '.join(langs)} {'--force ' if force else ''}--out {work / 'batch'} "
            f"--figures {work / 'batch-figures'}")


def compare(work: Path, notebooks, years, langs, repeat: int) -> None:
    plan = runs(notebooks, years, langs)
    loop, batch = [], []
    for _ in range(repeat):  # alternating, so that both see the same machine
        loop.append(measure(serial_loop(work, plan)))
        batch.append(measure(batch_command(work, notebooks, years, langs)))
    (lw, lc), (bw, bc) = ([statistics.median(x[i] for x in side) for i in (0, 1)] for side in (loop, batch))
    print(f"{len(plan)} runs: {', '.join(notebooks)} × {years} × {langs}; medians of {repeat}")
    print(f"  serial papermill + nbconvert CLI loop: {lw:7.1f} s wall, {lc:7.1f} s CPU ({lc / len(plan):.2f} s/run)")
    print(f"  indicators batch --force:              {bw:7.1f} s wall, {bc:7.1f} s CPU ({bc / len(plan):.2f} s/run)")
    print(f"  ratio batch / loop: wall {bw / lw:.2f} (target <= 0.25), CPU {bc / lc:.2f}")


def rerun(work: Path, repeat: int) -> None:
    """A rerun of the 8 runs with nothing changed, here and in a copy of the project elsewhere."""
    command = batch_command(work, NOTEBOOKS, YEARS, LANGS, force=False).replace(str(work), "{work}")
    here = work / "project"
    shutil.copytree(ROOT, here, ignore=shutil.ignore_patterns(".venv", ".git", "reports", "figures"), symlinks=True)
    env_command = f"INDICATORS_ROOT={{root}} {command}"
    measure(env_command.format(root=here, work=here))  # the first run, in the copy
    same = statistics.median(measure(env_command.format(root=here, work=here))[0] for _ in range(repeat))
    moved = work / "moved project"
    here.rename(moved)
    after = measure(env_command.format(root=shlex_quote(moved), work=shlex_quote(moved)))[0]
    print(f"rerun with nothing changed: {same:.2f} s; after the project was moved: {after:.2f} s (target < 1 s)")


def shlex_quote(path: Path) -> str:
    return "'" + str(path).replace("'", "'\\''") + "'"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds for the medians (default 3)")
    parser.add_argument("--full", action="store_true", help="also the whole annual review (56 runs), once")
    args = parser.parse_args()
    subprocess.run([str(BIN / "indicators"), "kernel"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        compare(work, NOTEBOOKS, YEARS, LANGS, args.repeat)
        rerun(work, args.repeat)
        if args.full:
            everything = ["annual_review", "growth_and_structure", "budget_and_investment", "fdi_and_enterprise",
                          "social_targets", "data_quality", "explore"]
            compare(work, everything, [2021, 2022, 2023, 2024], LANGS, 1)


if __name__ == "__main__":
    main()
