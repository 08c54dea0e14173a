"""Benchmark of a build of many documents (not a test; run by hand: `.venv/bin/python benchmarks/many_documents.py`).

A temporary project holds the five documents, a copy of each (one byte more), the texts of tests/fixtures/readset
and tests/fixtures/shapes, and copies of those until there are 40 documents, each added with `add-source FILE`;
`indicators build` of it runs in a new process, three times, and the wall time of each is printed.
Target (issue 23): a build of 40 documents in under 5 s on the 2-core machine.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from indicators.read import sources

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DOCUMENTS = 40


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-many-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT / "data" / "raw", project / "data" / "raw", ignore=shutil.ignore_patterns(".*"))
        raw = project / "data" / "raw"
        texts = [s.path for s in sources.load_registry(raw)]
        texts += sorted((FIXTURES / "readset").glob("*.txt")) + sorted((FIXTURES / "shapes").glob("*.txt"))
        added, k = 5, 0
        while added < DOCUMENTS:
            copy = Path(tmp) / f"copy-{k}-{texts[k % len(texts)].name}"
            copy.write_bytes(texts[k % len(texts)].read_bytes() + b"\n" * (1 + k // len(texts)))
            sources.add_source(copy, raw=raw)
            added, k = added + 1, k + 1
        print(f"{len(sources.load_registry(raw))} documents")
        for _ in range(3):
            start = time.perf_counter()
            env = {"INDICATORS_ROOT": str(project), "PATH": "/usr/bin:/bin", "HOME": tmp}
            done = subprocess.run([str(Path(sys.executable).parent / "indicators"), "build"], capture_output=True,
                                  text=True, env=env)
            if done.returncode:
                sys.exit(done.stderr)
            print(f"build: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
