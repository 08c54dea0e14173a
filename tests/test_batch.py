"""The batch runner, end to end: parallel runs, a failing run, incremental reruns, the Dask path."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from indicators.atomic import atomic_write
from indicators.run import batch, runner, warm

pytestmark = pytest.mark.kernel  # every test here runs notebooks in a kernel


def make_fail_on_demand(notebook) -> None:
    """Give the notebook a parameter ``fail`` that makes it raise halfway through."""
    nb = nbformat.read(notebook, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += "\nfail = False"
    nb.cells.insert(len(nb.cells) // 2, nbformat.v4.new_code_cell("if fail:\n    raise RuntimeError('made to fail')"))
    nbformat.write(nb, notebook)


def by_run(results):
    return {r["run"]: r for r in results}


def test_failure_incremental_and_force(project, tmp_path):
    out, figures = tmp_path / "reports", tmp_path / "figures"
    options = ["--years", "2022", "--lang", "en", "--notebooks", "explore", "data_quality", "--jobs", "2",
               "--out", str(out), "--figures", str(figures), "--quiet"]
    # explore is made to fail halfway through; data_quality has no such parameter and runs.
    make_fail_on_demand(project / "notebooks" / "explore.ipynb")
    command = [sys.executable, "-m", "indicators.cli", "batch", *options, "-p", "fail", "true"]
    cli = subprocess.run(command, capture_output=True, text=True, cwd=project)
    assert cli.returncode == 1, cli.stderr
    assert "explore/all/en       failed" in cli.stdout and "data_quality/all/en  ok" in cli.stdout
    assert "RuntimeError: made to fail" in cli.stdout
    assert "2 runs: 1 ran, 0 skipped (unchanged), 1 failed" in cli.stdout

    failed = nbformat.read(out / "all" / "en" / "explore.ipynb", as_version=4)  # kept, the error visible
    assert any(o.output_type == "error" for c in failed.cells if c.cell_type == "code" for o in c.outputs)
    assert "made to fail" in (out / "all" / "en" / "explore.html").read_text(encoding="utf-8")
    html = (out / "all" / "en" / "data_quality.html").read_text(encoding="utf-8")
    assert "Data quality" in html and "load_table(" not in html and "page.table" not in html  # code hidden
    assert "could not place" in html and "another province" in html  # unresolved mentions by reason
    assert (figures / "all" / "en" / "data_quality_coverage.png").is_file()
    assert not (figures / "2022").exists()  # a notebook about every year is not rendered once per year
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_quality/all/en"]["status"] == "ok" and manifest["explore/all/en"]["inputs"] == ""

    extra = {"fail": False}
    again = by_run(batch.run_batch([2022], ["en"], ["explore", "data_quality"], out=out, figures=figures,
                                   quiet=True, extra=extra, jobs=2))
    assert again["data_quality/all/en"]["status"] == "skipped"  # unchanged since its success
    assert again["explore/all/en"]["status"] == "ok"  # failed last time (and its parameter changed)

    unchanged = batch.run_batch([2022], ["en"], ["explore", "data_quality"], out=out, figures=figures, quiet=True,
                                extra=extra)
    assert {r["status"] for r in unchanged} == {"skipped"}

    forced = batch.run_batch([2022], ["en"], ["data_quality"], out=out, figures=figures, quiet=True, force=True)
    assert forced[0]["status"] == "ok"

    with open(project / "data" / "processed" / "coverage.csv", "a", encoding="utf-8") as f:
        f.write("\n")  # processed data changed: what depends on it runs again
    changed = batch.run_batch([2022], ["en"], ["data_quality"], out=out, figures=figures, quiet=True)
    assert changed[0]["status"] == "ok"


def test_runs_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        results = batch.run_batch([2022], ["vi", "en"], ["data_quality"], out=tmp_path / "r", figures=tmp_path / "f",
                                  scheduler=cluster.scheduler_address, quiet=True)
    assert [r["status"] for r in results] == ["ok", "ok"]
    for lang in ("vi", "en"):
        assert (tmp_path / "r" / "all" / lang / "data_quality.html").is_file()
        assert (tmp_path / "f" / "all" / lang / "data_quality_revisions.png").is_file()


ENGLISH_HEADINGS = ("Annual review", "The province's own verdict", "Scorecard", "Headline indicators",
                    "Growth and structure", "Social and environmental targets", "The year's targets",
                    "Where each figure")


def test_a_vietnamese_report_is_vietnamese_throughout_and_the_index_links_every_chart(tmp_path):
    out, figures = tmp_path / "reports", tmp_path / "figures"
    results = batch.run_batch([2022], ["vi"], ["annual_review"], out=out, figures=figures, quiet=True)
    assert [r["status"] for r in results] == ["ok"]
    html = (out / "2022" / "vi" / "annual_review.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and "<title>Đánh giá năm — 2022</title>" in html
    headings = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)
    assert headings and not [h for h in headings if any(e in h for e in ENGLISH_HEADINGS)]
    shown = re.sub(r"<(style|script)[^>]*>.*?</\1>|data:image/png;base64,[^\"]*", "", html, flags=re.S)  # as read
    for english in ("Status", "Indicator", "Plan</th>", "target met", "on track", "too few points", "PosixPath",
                    str(tmp_path), "NaN", "&lt;NA&gt;", "papermill", "Warning"):
        assert english not in shown, english
    assert ("Tổng vốn đầu tư phát triển cả năm đạt 73.848 tỷ đồng, chiếm 47,4% GRDP, tăng 17,9%, vượt 2,6% kế hoạch"
            in shown)  # a quote in full, not cut at 50 characters
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == len(list((figures / "2022" / "vi").glob("*.png")))
    assert all(re.search(r'alt="[^"]{20,}"', image) for image in images)
    index = (out / "index.html").read_text(encoding="utf-8")
    for png in (figures / "2022" / "vi").glob("*.png"):
        assert f'href="../figures/2022/vi/{png.name}"' in index
    assert 'href="2022/vi/annual_review.html"' in index and "17/18" in index  # each chart with its finding


def test_an_interrupted_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "chart.png"
    target.write_bytes(b"complete")

    def half_then_fail(tmp):
        with open(tmp, "wb") as f:
            f.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(target, half_then_fail)
    assert target.read_bytes() == b"complete" and [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def _running(process) -> bool:
    import psutil

    try:
        return process.status() != psutil.STATUS_ZOMBIE  # a zombie is dead, waiting to be reaped
    except psutil.NoSuchProcess:
        return False


def finished_runs(out):
    path = out / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@pytest.mark.parametrize("sig, whole_group", [(signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGKILL, False)])
def test_a_stopped_batch_stops_at_once_and_leaves_no_process(tmp_path, sig, whole_group):
    """Ctrl-C (SIGINT to the terminal's process group), SIGTERM or SIGKILL to the main process, with runs queued
    and kernels running: within seconds no process of the batch is left, and what finished is recorded."""
    import psutil

    out, figures = tmp_path / "reports", tmp_path / "figures"
    command = [sys.executable, "-m", "indicators.cli", "batch", "--force", "--jobs", "2", "--quiet", "--notebooks",
               "social_targets", "--lang", "vi", "en", "--out", str(out), "--figures", str(figures)]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    started = time.monotonic()
    while not finished_runs(out) and time.monotonic() - started < 60:
        time.sleep(0.2)
    assert finished_runs(out), "no run finished within a minute"
    def members():  # workers, kernels, resource tracker
        return psutil.Process(process.pid).children(recursive=True)

    def kernel(p):  # an ordinary kernel, or the launcher of one forked from the warm process
        return re.search(r"ipykernel|run/warm\.py", " ".join(runner._cmdline(p)))

    while not any(kernel(p) for p in members()):  # a kernel is running
        assert time.monotonic() - started < 90, "no kernel started"
        time.sleep(0.2)
    family = members()
    sent = time.monotonic()
    os.killpg(process.pid, sig) if whole_group else process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)
    if sig == signal.SIGINT:
        assert time.monotonic() - sent < 5 and process.returncode == 130, stderr
        assert stderr.strip().startswith("error: stopped by SIGINT") and "Traceback" not in stderr
    _, alive = psutil.wait_procs(family, timeout=10)
    running = [p for p in alive if _running(p)]
    assert not running, [runner._cmdline(p) for p in running]
    for name, entry in finished_runs(out).items():  # what finished is recorded, and on disk
        assert entry["status"] != "ok" or (out / entry["notebook"]).is_file(), name
    assert len(finished_runs(out)) < 8  # queued runs were cancelled


def test_a_project_with_one_document_and_no_plan_yet_runs_its_review(one_document_project):
    """The press release on 2021 alone (no plan to compare, no count of targets met): the notebooks run, with charts."""
    subprocess.run([sys.executable, "-m", "indicators.cli", "build"], cwd=one_document_project, check=True,
                   capture_output=True)
    results = batch.run_batch([2021], ["en"], ["annual_review", "social_targets"], quiet=True)
    assert [r["status"] for r in results] == ["ok", "ok"], [r["error"] for r in results]
    assert all(r["figures"] for r in results)


def test_a_moved_project_still_skips_what_has_not_changed(project, monkeypatch):
    first = batch.run_batch([2022], ["en"], ["data_quality"], quiet=True)
    assert first[0]["status"] == "ok"
    manifest = (project / "reports" / "manifest.json").read_text(encoding="utf-8")
    assert str(project) not in manifest  # paths relative to the project
    moved = project.with_name("moved project")
    project.rename(moved)
    monkeypatch.setenv("INDICATORS_ROOT", str(moved))
    monkeypatch.chdir(moved)
    again = batch.run_batch([2022], ["en"], ["data_quality"], quiet=True)
    assert again[0]["status"] == "skipped" and again[0]["notebook"].startswith(str(moved))


def test_a_kernel_that_dies_while_starting_is_started_once_more(tmp_path, monkeypatch):
    """A kernel that dies before it answers (a busy machine) gets a second start; the run succeeds."""
    died = tmp_path / "died-once"
    launcher = tmp_path / "launch.py"
    launcher.write_text(
        "import os, sys\n"
        f"if not os.path.exists({str(died)!r}):\n"
        f"    open({str(died)!r}, 'w').close()\n"
        "    sys.exit(1)\n"
        "os.execv(sys.executable, [sys.executable, '-m', 'ipykernel_launcher', *sys.argv[1:]])\n", encoding="utf-8")
    spec = tmp_path / "jupyter" / "kernels" / runner.KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": [sys.executable, str(launcher), "-f", "{connection_file}"],
                                                  "display_name": "dies once", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    run = runner.Run("explore", None, "en")
    result = runner.execute(run, runner.notebook_source("explore"), tmp_path / "r", tmp_path / "f",
                            runner.parameters_of(run, tmp_path / "f"), html=False)
    assert died.exists() and result["status"] == "ok", result["error"]


def _outputs(notebook):
    nb = nbformat.read(notebook, as_version=4)
    return [(o.get("name"), o.get("text"), {k: v for k, v in o.get("data", {}).items() if k != "text/plain"})
            for c in nb.cells if c.cell_type == "code" for o in c.outputs]  # text/plain: a table's object address


def test_a_kernel_forked_from_the_warm_process_runs_a_notebook_as_a_new_kernel_does(tmp_path):
    """The batch's kernels are forked from a process that has imported the package and read the tables; the
    executed notebook and its charts are the same as with a new kernel (which the launcher starts when no warm
    process answers), and the warm process is gone when the batch ends."""
    import threading

    import psutil

    run = runner.Run("budget_and_investment", 2022, "vi")

    def execute(name, address):
        figures = tmp_path / name / "figures"
        result = runner.execute(run, runner.notebook_source(run.notebook), tmp_path / name / "reports", figures,
                                runner.parameters_of(run, figures), html=False, warm_address=address)
        assert result["status"] == "ok", result["error"]
        return result, figures / "2022" / "vi"

    forked = []
    with warm.warm_kernels() as address:
        server = next(p for p in psutil.Process().children() if "warmserver" in " ".join(runner._cmdline(p)))
        done = threading.Event()

        def watch():
            while not done.is_set():
                forked.extend(server.children())
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            warm_result, warm_figures = execute("warm", address)
        finally:
            done.set()
            watcher.join()
    assert forked, "no kernel was forked from the warm process"
    assert not _running(server)
    cold_result, cold_figures = execute("cold", str(tmp_path / "no-warm-process.sock"))
    assert warm_result["figures"] == cold_result["figures"] and len(warm_result["figures"]) >= 3
    for name in warm_result["figures"]:
        assert (warm_figures / name).read_bytes() == (cold_figures / name).read_bytes(), name
    assert _outputs(warm_result["notebook"]) == _outputs(cold_result["notebook"])
