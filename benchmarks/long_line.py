"""Benchmark of reading long lines (not a test; run by hand: `.venv/bin/python benchmarks/long_line.py`).

Writes documents of one line, registers each alone in a temporary copy of the project (its registry written
as `indicators add-source` writes one; no other document), and measures `indicators build` of it in a new
process: wall time and peak memory (the child's ru_maxrss), then the size of its `mentions` table. Shapes:

* `figures N`: one sentence of N figures, "Năm 2023, tổng sản phẩm trên địa bàn (GRDP) tăng 5,2%, thu ngân
  sách nhà nước đạt 1.234 tỷ đồng, ..." (the figures vary);
* `list N`: one sentence of a bare list of N numbers, "Các số liệu: 1, 2, 3, ...";
* `5 MB`: the figures of the first shape on one line of 5 MB.

Targets: 100,000 figures in under 10 s and 500 MB, time and memory growing linearly. A build that runs
longer than --timeout or grows beyond --max-rss is stopped (and reported so).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq

from indicators.read import sources

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ITEMS = [
    "tổng sản phẩm trên địa bàn (GRDP) tăng {d}%",
    "thu ngân sách nhà nước đạt {n} tỷ đồng",
    "kim ngạch xuất khẩu đạt {n} triệu USD",
    "thành lập mới {n} doanh nghiệp",
    "tỷ lệ hộ nghèo giảm {d}%",
    "vốn đầu tư FDI thu hút {n} triệu USD",
    "tỷ lệ lao động qua đào tạo đạt {d}%",
]
FIVE_MB = 5 * 2**20


def _thousands(i: int) -> str:
    return f"{i:,}".replace(",", ".")


def figures(count: int) -> str:
    """One sentence of ``count`` figures (an item with two figures counts two)."""
    parts, written, i = [], 0, 0
    while written < count:
        item = ITEMS[i % len(ITEMS)]
        parts.append(item.format(d=f"{i % 97 + 1},{i % 10}", n=_thousands(1100 + i * 7 % 900_000)))
        written += item.count("{")
        i += 1
    return "Năm 2023, " + ", ".join(parts) + "."


def bare_list(count: int) -> str:
    return "Các số liệu: " + ", ".join(str(i) for i in range(1, count + 1)) + "."


def five_mb() -> str:
    text, count = "", 50_000
    while len(text.encode()) < FIVE_MB:
        count *= 2
        text = figures(count)
    while len(text.encode()) > FIVE_MB:  # trim to about 5 MB at an item boundary
        text = text[: text.rindex(", ", 0, FIVE_MB - 2048)] + "."
    return text


def project(work: Path, document: str) -> Path:
    """A copy of the project with one document registered: ``document``, on one line."""
    copy = work / "project"
    (work / "long.txt").write_text(document + "\n", encoding="utf-8")
    sources.add_to(copy / "data" / "raw", work / "long.txt", doc_id="long", doc_type="report", issued="2023-12",
                    results=[2023], targets=[2024], title_vi="Báo cáo", title_en="Report", short_title_vi="Báo cáo",
                    short_title_en="Report")
    return copy


def run(command: list[str], env: dict, timeout: float, max_rss: int) -> tuple[float, float, str]:
    """Wall time, peak RSS (MB) and how it ended, of a command in a new process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        watched, ended = psutil.Process(child.pid), "ok"
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            rss = watched.memory_info().rss
            if time.perf_counter() - start > timeout or rss > max_rss * 2**20:
                ended = "stopped"
                child.kill()
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if ended == "stopped":
            ended = f"stopped after {elapsed:.0f} s, at {usage.ru_maxrss / 1024:.0f} MB"
        elif code:
            errors.seek(0)
            ended = f"failed ({code}): {errors.read().decode()[-300:]}"
    return elapsed, usage.ru_maxrss / 1024, ended


def measure(name: str, document: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = project(Path(tmp), document)
        env = {**os.environ, "INDICATORS_ROOT": str(copy)}
        wall, rss, ended = run([str(BIN / "indicators"), "-q", "build"], env, args.timeout, args.max_rss)
        size = f"{len(document.encode()) / 2**20:5.2f} MB"
        if ended != "ok":
            print(f"{name:>16}  {size}  {ended}", flush=True)
            return
        quotes = pq.read_table(copy / "data" / "processed" / "mentions.parquet", columns=["quote"])["quote"]
        lengths = [len(q) for q in quotes.to_pylist()]
        print(f"{name:>16}  {size}  {wall:7.2f} s  {rss:7.0f} MB  {len(lengths):7d} mentions, quotes of at most "
              f"{max(lengths)} characters ({sum(lengths) / len(lengths):.0f} on average)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_500, 10_000, 100_000])
    parser.add_argument("--shapes", nargs="+", default=["figures", "list", "5mb"])
    parser.add_argument("--timeout", type=float, default=300, help="stop a build after this many seconds")
    parser.add_argument("--max-rss", type=int, default=6000, help="stop a build that grows beyond this (MB)")
    args = parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          "`indicators build` of one document of one line, in a new process")
    for shape in args.shapes:
        if shape == "5mb":
            measure("5 MB line", five_mb(), args)
            continue
        for n in args.sizes:
            measure(f"{shape} {n:,}", (figures if shape == "figures" else bare_list)(n), args)


if __name__ == "__main__":
    main()
