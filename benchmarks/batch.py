"""Benchmark of the batch runner (not a test; run by hand: `.venv/bin/python benchmarks/batch.py`).

1. The same runs (several notebooks × years × languages) done two ways: a plain serial shell loop
   of the `papermill` CLI plus `jupyter nbconvert --to html` for each, against
   `indicators batch --force`. Median wall time of --repeat rounds each, and the ratio
   (target on 2 cores: at most 0.40).
2. A rerun of the full batch with nothing changed (target: under 3 s).
3. The per-run overhead: a bare papermill run of an empty notebook (kernel start) and of one that
   only imports what the notebooks import, and `import indicators` alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = ["annual_review", "social_targets", "growth_and_structure", "fdi_and_enterprise"]
YEARS = [2022, 2023]
LANGS = ["vi", "en"]


def wall(command: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, shell=True, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def serial_loop(work: Path) -> str:
    """The shell loop a user would write without the batch runner."""
    lines = []
    for notebook in NOTEBOOKS:
        for year in YEARS:
            for lang in LANGS:
                out = work / "serial" / str(year) / lang
                lines.append(f"mkdir -p {out}")
                lines.append(f"{BIN}/papermill -k bacgiang-indicators notebooks/{notebook}.ipynb {out}/{notebook}.ipynb"
                             f" -p year {year} -p lang {lang} -p output_dir {work / 'serial-figures'}")
                lines.append(f"{BIN}/jupyter nbconvert --to html {out}/{notebook}.ipynb")
    return " && ".join(lines)


def batch_command(work: Path, *, force: bool = True, everything: bool = False) -> str:
    selection = "" if everything else (f"--notebooks {' '.join(NOTEBOOKS)} --years {' '.join(map(str, YEARS))} "
                                       f"--lang {' '.join(LANGS)} ")
    return (f"{BIN}/indicators batch {selection}{'--force ' if force else ''}--quiet "
            f"--out {work / ('full' if everything else 'batch')} --figures {work / 'batch-figures'}")


def empty_notebook(path: Path, source: str) -> Path:
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c0", "metadata": {}, "outputs": [],
                     "source": source}],
          "metadata": {"kernelspec": {"name": "bacgiang-indicators", "display_name": "Python (bacgiang-indicators)",
                                      "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds for the medians (default 3)")
    args = parser.parse_args()
    subprocess.run([str(BIN / "indicators"), "kernel"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    runs = len(NOTEBOOKS) * len(YEARS) * len(LANGS)
    print(f"{os.cpu_count()} cores; {runs} runs: {', '.join(NOTEBOOKS)} × {YEARS} × {LANGS}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        serial = [wall(serial_loop(work)) for _ in range(args.repeat)]
        batched = [wall(batch_command(work)) for _ in range(args.repeat)]
        s, b = statistics.median(serial), statistics.median(batched)
        print(f"serial papermill + nbconvert CLI loop: {s:6.1f} s  (median of {args.repeat}: "
              f"{', '.join(f'{t:.1f}' for t in serial)})")
        print(f"indicators batch --force:             {b:6.1f} s  (median of {args.repeat}: "
              f"{', '.join(f'{t:.1f}' for t in batched)})")
        print(f"ratio batch / serial:                 {b / s:6.2f}   (target <= 0.40)")

        full = wall(batch_command(work, everything=True))
        rerun = [wall(batch_command(work, force=False, everything=True)) for _ in range(args.repeat)]
        print(f"full batch (every notebook, year, language), first run: {full:.1f} s")
        print(f"full batch rerun, nothing changed:    {statistics.median(rerun):6.2f} s  (target < 3 s)")

        bare = empty_notebook(work / "empty.ipynb", "pass")
        imports = empty_notebook(work / "imports.ipynb", "from indicators import briefing, charts, page, report\n"
                                                        "from indicators.catalog import load_catalog\n"
                                                        "from indicators.tables import load_table")
        papermill = f"{BIN}/python -c " + shlex.quote(
            "import sys, time, papermill; t = time.perf_counter(); "
            "papermill.execute_notebook(sys.argv[1], sys.argv[2], kernel_name='bacgiang-indicators', "
            "progress_bar=False); print(time.perf_counter() - t)")

        def inside(notebook: Path) -> float:
            result = subprocess.run(f"{papermill} {notebook} {work / 'out.ipynb'}", shell=True, check=True,
                                    capture_output=True, text=True, cwd=ROOT)
            return float(result.stdout.strip().splitlines()[-1])

        empty_s = statistics.median(inside(bare) for _ in range(args.repeat))
        imports_s = statistics.median(inside(imports) for _ in range(args.repeat))
        package = statistics.median(wall(f"{BIN}/python -c 'import indicators'") for _ in range(args.repeat))
        print(f"bare papermill run of an empty notebook: {empty_s:.2f} s; with the notebooks' imports: "
              f"{imports_s:.2f} s (imports {imports_s - empty_s:+.2f} s)")
        print(f"python -c 'import indicators': {package:.2f} s")


if __name__ == "__main__":
    main()
