"""Where one notebook run's CPU goes (not a test; run by hand):
`.venv/bin/python benchmarks/profile_run.py annual_review --year 2022 --lang vi`.

Runs the notebook's code cells in this process, as the kernel would after its parameters cell, under
cProfile, and prints the CPU time of each cell and the functions that take the most.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--year", type=int)
    parser.add_argument("--lang", default="vi")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    cells = json.loads((ROOT / "notebooks" / f"{args.notebook}.ipynb").read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    with tempfile.TemporaryDirectory() as figures:
        params = f"\nyear = {args.year!r}\nlang = {args.lang!r}\noutput_dir = {figures!r}\n"
        namespace: dict = {}
        profile = cProfile.Profile()
        total = time.process_time()
        for i, source in enumerate(code):
            start = time.process_time()
            source = source + params if i == 0 else source  # the parameters papermill injects
            profile.runctx(compile(source, f"cell {i}", "exec"), namespace, namespace)
            first_line = source.splitlines()[0][:70] if source else ""
            print(f"cell {i}: {time.process_time() - start:6.2f} s CPU  {first_line}")
        print(f"all cells: {time.process_time() - total:.2f} s CPU (the kernel's own start is not counted)")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
