"""Hardened edges: interrupts, locks, a scheduler that is not one, a plan and its annex, the command line's own
options, and the reports' HTML that opens without the internet."""

from __future__ import annotations

import http.server
import importlib.metadata
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from indicators import tables
from indicators.brief import briefing, page
from indicators.errors import IndicatorsError
from indicators.read import sources
from indicators.run import batch


def cli(*args, cwd, check=True):
    result = subprocess.run([sys.executable, "-m", "indicators.cli", *args], capture_output=True, text=True, cwd=cwd)
    assert not check or result.returncode == 0, result.stderr
    return result


@pytest.fixture
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def garbage_server():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def answer():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.sendall(b"\xff" * 64 + b"garbage" * 100)

    threading.Thread(target=answer, daemon=True).start()
    yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


@pytest.mark.parametrize("server", ["http_server", "garbage_server"])
def test_a_scheduler_address_where_no_scheduler_answers(server, request, tmp_path, monkeypatch):
    monkeypatch.setenv("INDICATORS_SCHEDULER_TIMEOUT", "1")  # 10 s by default
    address = request.getfixturevalue(server)
    started = time.monotonic()
    with pytest.raises(IndicatorsError, match=r"--scheduler: cannot connect to a Dask scheduler at tcp://") as err:
        batch.run_batch(None, ["vi"], ["explore"], out=tmp_path / "r", scheduler=address)
    assert "\n" not in str(err.value) and time.monotonic() - started < 5


def test_a_plan_and_its_annex_with_footnotes_numbered_again_build_with_every_quote_verified(one_document_project):
    project = one_document_project
    document = project / "ke-hoach.txt"
    page_break = "\n" + " " * 43 + "\n"
    document.write_text(
        "UỶ BAN NHÂN DÂN\nTỈNH BẮC GIANG\nBắc Giang, ngày 10 tháng 01 năm 2024\n\nKẾ HOẠCH\n"
        "Thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2024\n\nI. MỤC TIÊU\n\n"
        "Phấn đấu tốc độ tăng trưởng kinh tế đạt 13,5%1, thu ngân sách nhà nước đạt 20.000 tỷ\nđồng2.\n"
        f"{page_break}1 Theo Nghị quyết của Tỉnh ủy.\n2 Trong đó thu nội địa 18.000 tỷ đồng.\n"
        " \nPHỤ LỤC\n\n1. Chỉ tiêu môi trường\n\n"
        "Phấn đấu tỷ lệ che phủ rừng đạt 37,7%1; tỷ lệ hộ nghèo còn 2%2.\n"
        f"{page_break}1 Không tính diện tích cây ăn quả; năm 2023 đạt 37,6%.\n2 Theo chuẩn nghèo đa chiều.\n",
        encoding="utf-8")
    assert "added plan-2024" in cli("add-source", str(document), cwd=project).stdout
    assert "\n- doc_id: plan-2024\n" in (project / "data" / "raw" / "sources.yml").read_text(encoding="utf-8")
    cli("build", cwd=project)  # the build checks every quote against the raw text, and stops at one not there
    obs = tables.load_table("observations").query("doc_id == 'plan-2024'").set_index("number_as_written")
    assert obs.loc["18.000", "indicator_id"] == "budget_revenue_domestic"  # the first part's footnote 2
    assert obs.loc["37,6", ["indicator_id", "year"]].tolist() == ["forest_cover", 2023]  # the annex's footnote 1


def test_concurrent_registrations_are_serialised_and_both_kept(project):
    for n in (1, 2):
        (project / f"doc{n}.txt").write_text(f"BÁO CÁO\nTình hình kinh tế - xã hội năm 202{n}\n\n"
                                            f"Tốc độ tăng trưởng kinh tế đạt {n},5%.\n", encoding="utf-8")
    commands = [[sys.executable, "-m", "indicators.cli", "add-source", f"doc{n}.txt", "--doc-id", f"report-x{n}",
                 "--issued", f"202{n}-12"] for n in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda c: subprocess.run(c, capture_output=True, text=True, cwd=project), commands))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert {"report-x1", "report-x2"} <= {s.doc_id for s in sources.load_registry()}


@pytest.mark.kernel
def test_two_batches_on_one_reports_folder_keep_both_manifests_entries(tmp_path, root):
    out, figures = tmp_path / "reports", tmp_path / "figures"
    command = [sys.executable, "-m", "indicators.cli", "-q", "batch", "--notebooks", "explore", "--out", str(out),
               "--figures", str(figures), "--jobs", "1", "--lang"]
    batches = [subprocess.Popen(command + [lang], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True) for lang in ("vi", "en")]
    assert [(b.wait(timeout=120), b.stderr.read()) for b in batches] == [(0, ""), (0, "")]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == {"explore/all/vi", "explore/all/en"}
    assert all((out / "all" / lang / "explore.ipynb").is_file() for lang in ("vi", "en"))


def test_damaged_manifest_entries_are_left_out_and_never_reach_the_index(tmp_path, caplog):
    from indicators.run.chartindex import write_index

    (tmp_path / "all" / "en").mkdir(parents=True)
    (tmp_path / "all" / "en" / "explore.ipynb").write_text('{"cells": [], "metadata": {"title": "Explore"}}')
    good = {"status": "ok", "notebook": "all/en/explore.ipynb", "html": "all/en/explore.html", "figures": []}
    manifest = {
        "a string": "not an entry",
        "annual_review/2022/vi": {"status": "ok"},  # no notebook
        "explore/all/vi": {**good, "notebook": "../../etc/passwd"},  # outside reports/
        "data_quality/all/en": {**good, "html": "javascript:alert(1)"},  # a link of another kind
        "explore/all/en": good,
        "explore/all/fr": good,  # no such language
        "annual_review/2022/en": {"status": "failed", "error": "x", "kept": {**good, "figures": ["../x.png"]}},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    loaded = batch.load_manifest(tmp_path)
    assert loaded == {"explore/all/en": good}
    assert caplog.text.count("is not one of a run of this batch; left out") == 6
    index = write_index(tmp_path, tmp_path / "figures", loaded).read_text(encoding="utf-8")
    assert "javascript:" not in index and "passwd" not in index and 'href="all/en/explore.html"' in index


def test_a_year_given_twice_runs_once():
    runs = batch.plan([2022, 2022], ["vi", "vi"], ["annual_review"])
    assert [r.name for r in runs] == ["annual_review/2022/vi"]


def test_a_damaged_manifest_is_set_aside_with_a_warning(tmp_path, caplog):
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    assert batch.load_manifest(tmp_path) == {}
    assert (tmp_path / "manifest.json.damaged").read_text(encoding="utf-8") == "{not json"
    assert "damaged" in caplog.text


def test_names_reach_the_reports_as_text_never_as_markup():
    tables_ = briefing.load_tables()
    frame = pd.DataFrame({"Chỉ tiêu": ['<script>alert("x")</script>']})
    html = page.styled(frame).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert tables_.catalog["grdp_growth"]  # the real catalog still reads


def test_the_command_line_version_verbosity_and_debug_anywhere(one_document_project):
    project = one_document_project
    version = importlib.metadata.version("bacgiang-indicators")
    assert cli("--version", cwd=project).stdout.strip() == f"indicators {version}"
    verbose = cli("build", "-v", cwd=project)
    written = len(list((project / "data" / "processed").glob("*.parquet")))
    assert "INFO: press-2021: " in verbose.stderr and f"INFO: wrote {written} tables" in verbose.stderr
    quiet = cli("-q", "build", "--check", cwd=project)
    assert quiet.returncode == 0 and quiet.stderr == ""
    debug = cli("batch", "--years", "2032", "--debug", cwd=project, check=False)
    assert debug.returncode == 2 and "Traceback" in debug.stderr


@pytest.mark.kernel
def test_reports_open_without_the_internet(tmp_path):
    batch.run_batch([2022], ["en"], ["explore"], out=tmp_path / "r", figures=tmp_path / "f", quiet=True)
    html = (tmp_path / "r" / "all" / "en" / "explore.html").read_text(encoding="utf-8")
    assert "<script src=" not in html and "cdnjs" not in html  # no script from a CDN (require.js, MathJax)


def test_output_cut_short_by_a_pipe_ends_quietly(root):
    """`indicators mentions | head -1`: the reader closes the pipe; the command ends as a program whose pipe was
    closed does (SIGPIPE's exit status), without a traceback."""
    producer = subprocess.Popen([sys.executable, "-m", "indicators.cli", "mentions"], cwd=root, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    assert producer.stdout.readline().split()[:2] == [b"doc_id", b"line"]
    producer.stdout.close()
    assert producer.wait(timeout=60) == 128 + signal.SIGPIPE
    assert producer.stderr.read() == b""


def test_an_export_on_a_full_disk_says_so_in_one_line_and_leaves_nothing(small_disk, root, tmp_path):
    from conftest import fill

    fill(small_disk)
    temp = tmp_path / "temp"
    temp.mkdir()
    result = subprocess.run([sys.executable, "-m", "indicators.cli", "export", "--xlsx", str(small_disk / "t.xlsx")],
                            cwd=root, capture_output=True, text=True, env={**os.environ, "TMPDIR": str(temp)})
    assert result.returncode == 2 and result.stderr == (
        f"error: {small_disk / 't.xlsx'}: cannot write the workbook (No space left on device)\n"), result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "filler-tail"]  # no workbook, no temporary file
    assert not list(temp.iterdir())  # nor in the temp folder
