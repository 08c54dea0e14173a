"""The batch runner, end to end: parallel runs, a failing run, incremental reruns, the Dask path."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from indicators import paths
from indicators.atomic import atomic_write
from indicators.run import batch, processes, runner, warm

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
    assert f"index of every report and chart: {out / 'index.html'}" in cli.stdout

    failed = nbformat.read(out / "all" / "en" / "explore.failed.ipynb", as_version=4)  # kept, the error visible
    assert any(o.output_type == "error" for c in failed.cells if c.cell_type == "code" for o in c.outputs)
    assert "made to fail" in (out / "all" / "en" / "explore.failed.html").read_text(encoding="utf-8")
    assert not (out / "all" / "en" / "explore.ipynb").exists()  # no report: none succeeded yet
    assert not list((figures / "all" / "en").glob("explore_*.png"))  # the failed run's charts taken back
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
    assert not (out / "all" / "en" / "explore.failed.ipynb").exists()  # the failure is over

    unchanged = batch.run_batch([2022], ["en"], ["explore", "data_quality"], out=out, figures=figures, quiet=True,
                                extra=extra)
    assert {r["status"] for r in unchanged} == {"skipped"}

    forced = batch.run_batch([2022], ["en"], ["data_quality"], out=out, figures=figures, quiet=True, force=True)
    assert forced[0]["status"] == "ok"

    with open(project / "data" / "processed" / "coverage.csv", "a", encoding="utf-8") as f:
        f.write("\n")  # processed data changed: what depends on it runs again
    changed = batch.run_batch([2022], ["en"], ["data_quality"], out=out, figures=figures, quiet=True)
    assert changed[0]["status"] == "ok"

    # a rerun that fails replaces none of the last good report's outputs, and the index still shows it
    good = files(out / "all" / "en", figures / "all" / "en", prefix="explore")
    rerun = subprocess.run([*command, "--force"], capture_output=True, text=True, cwd=project)
    assert rerun.returncode == 1 and "explore/all/en       failed" in rerun.stdout, rerun.stderr
    after = files(out / "all" / "en", figures / "all" / "en", prefix="explore")
    assert {k: v for k, v in after.items() if ".failed." not in k} == good and len(good) >= 3
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="all/en/explore.html"' in index
    assert "The last run did not succeed (RuntimeError: made to fail)" in index
    assert 'href="../figures/all/en/explore_trend.png"' in index


def files(*folders, prefix: str = "") -> dict[str, str]:
    """Every file of the folders (hidden ones too, of a run's leftovers) whose name starts with ``prefix`` (or
    ``.prefix``), with its hash."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name.lstrip(".").startswith(prefix)}


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

    out, figures, temp = tmp_path / "reports", tmp_path / "figures", tmp_path / "temp"
    temp.mkdir()
    command = [sys.executable, "-m", "indicators.cli", "batch", "--force", "--jobs", "2", "--quiet", "--notebooks",
               "social_targets", "--lang", "vi", "en", "--out", str(out), "--figures", str(figures)]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "TMPDIR": str(temp)})
    started = time.monotonic()
    while not finished_runs(out) and time.monotonic() - started < 60:
        time.sleep(0.2)
    assert finished_runs(out), "no run finished within a minute"
    def members():  # workers, kernels, resource tracker
        return psutil.Process(process.pid).children(recursive=True)

    def kernel(p):  # an ordinary kernel, or the launcher of one forked from the warm process
        return re.search(r"ipykernel|run/warm\.py", " ".join(processes.cmdline(p)))

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
    assert not running, [processes.cmdline(p) for p in running]
    for name, entry in finished_runs(out).items():  # what finished is recorded, and on disk
        assert entry["status"] != "ok" or (out / entry["notebook"]).is_file(), name
    assert len(finished_runs(out)) < 8  # queued runs were cancelled
    # nothing left: no kernel connection file (they hold the kernels' keys), socket or folder in the temp folder, no
    # half-written notebook, no chart of an unfinished run, no snapshot of the tables
    assert not list(temp.iterdir()), list(temp.rglob("*"))
    assert not [p for p in (*out.rglob(".*"), *figures.rglob(".*")) if not p.name.endswith(".lock")]
    finished = {f for entry in finished_runs(out).values() for f in entry.get("figures", [])}
    assert {p.name for p in figures.rglob("*.png")} <= finished  # charts of runs that finished only
    assert not list(paths.project_root().glob(f"data/.processed.batch-{process.pid}-*"))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_stopped_run_leaves_nothing(tmp_path, sig):
    """`indicators run` stopped while its kernel draws (Ctrl-C, or killed outright): no process, no temporary file,
    and the charts it had drawn taken back."""
    import psutil

    out, figures, temp = tmp_path / "reports", tmp_path / "figures", tmp_path / "temp"
    temp.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "indicators.cli", "run", "annual_review", "--out", str(out),
                                "--figures", str(figures)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(temp)})
    started = time.monotonic()
    while not list(figures.rglob("*.png")):  # the kernel is running the notebook: its first chart is out
        assert process.poll() is None and time.monotonic() - started < 90, "no chart within 90 s"
        time.sleep(0.05)
    family = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)
    if sig == signal.SIGINT:
        assert process.returncode == 130 and "Traceback" not in stderr, stderr
        assert [line for line in stderr.splitlines() if line.startswith("error:")] == [
            "error: stopped by SIGINT: annual_review did not finish"]
    _, alive = psutil.wait_procs(family, timeout=10)
    assert not [p for p in alive if _running(p)], [processes.cmdline(p) for p in alive]
    assert not list(temp.iterdir()), list(temp.rglob("*"))
    assert not [p for p in (*out.rglob("*"), *figures.rglob("*")) if p.is_file()]


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
    with warm.warm_kernels(tmp_path) as address:
        server = next(p for p in psutil.Process().children() if "warmserver" in " ".join(processes.cmdline(p)))
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


def test_a_full_disk_replaces_no_report_and_says_so_in_one_line(small_disk, root):
    """Reports and charts on a real small file system, filled up: a rerun fails in one line, and every file is
    as the last good run left it."""
    from conftest import fill

    options = ["batch", "--notebooks", "explore", "--lang", "en", "--out", str(small_disk / "reports"), "--figures",
               str(small_disk / "figures")]
    first = subprocess.run([sys.executable, "-m", "indicators.cli", "-q", *options], capture_output=True, text=True,
                           cwd=root)
    assert first.returncode == 0, first.stderr
    fill(small_disk)
    before = files(small_disk / "reports", small_disk / "figures")
    rerun = subprocess.run([sys.executable, "-m", "indicators.cli", *options, "--force"], capture_output=True,
                           text=True, cwd=root)
    assert rerun.returncode == 2 and "Traceback" not in rerun.stderr, rerun.stderr
    assert rerun.stderr.splitlines() == [
        f"error: {small_disk / 'reports' / 'manifest.json'}: cannot record explore/all/en (No space left on device)"]
    assert files(small_disk / "reports", small_disk / "figures") == before  # nothing replaced, nothing left over


def sleeping(project) -> None:
    """explore with a cell that never ends (in practice)."""
    path = project / "notebooks" / "explore.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(len(nb.cells) // 2, nbformat.v4.new_code_cell("import time\ntime.sleep(3600)"))
    nbformat.write(nb, path)


def test_a_cell_that_never_ends_times_out_and_the_batch_goes_on(project):
    sleeping(project)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "indicators.cli", "batch", "--notebooks", "explore", "data_quality",
                             "--lang", "en", "--timeout", "10", "--jobs", "1", "-q"], capture_output=True, text=True,
                            cwd=project)
    assert result.returncode == 1 and time.monotonic() - started < 90, result.stderr
    assert re.search(r"explore/all/en +timed_out .* a cell ran longer than 10 s \(--timeout\)", result.stdout)
    assert re.search(r"data_quality/all/en +ok", result.stdout) and "1 failed" not in result.stdout
    assert "2 runs: 1 ran, 0 skipped (unchanged), 0 failed, 1 timed out" in result.stdout
    manifest = json.loads((project / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["explore/all/en"]["status"] == "timed_out"
    one = subprocess.run([sys.executable, "-m", "indicators.cli", "-q", "run", "explore", "--timeout", "6"],
                         capture_output=True, text=True, cwd=project)
    assert one.returncode == 2 and one.stdout == "", one.stdout
    assert one.stderr.splitlines() == [  # -q: the error only, no kernel warning, no "KeyboardInterrupt caught"
        "error: explore.ipynb (year=None, lang=en) timed out: a cell ran longer than 6 s (--timeout)"]


@pytest.fixture
def cluster(tmp_path):
    """A real Dask cluster: a scheduler and a worker, each a process of its own (``dask scheduler``, ``dask
    worker``), killed with everything they started at the end."""
    import distributed
    import psutil

    dask = str(Path(sys.executable).with_name("dask"))
    file = tmp_path / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen([dask, "scheduler", "--scheduler-file", str(file), "--port", "0", "--no-dashboard"],
                                 **quiet)
    started = time.monotonic()
    while not file.is_file() and time.monotonic() - started < 30:
        time.sleep(0.1)
    address = json.loads(file.read_text())["address"]
    workers = subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"],
                               **quiet)
    with distributed.Client(address, timeout="20s") as client:
        client.wait_for_workers(1, timeout=60)
    processes_ = [scheduler, workers]
    yield {"address": address, "scheduler": scheduler, "workers": workers}
    family = [p for root in processes_ if root.poll() is None
              for p in psutil.Process(root.pid).children(recursive=True)]
    for p in [*family, *(psutil.Process(r.pid) for r in processes_ if r.poll() is None)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    for root in processes_:
        root.wait()


def _dask_batch(project, address, *options):
    command = [sys.executable, "-m", "indicators.cli", "batch", "--notebooks", "data_quality", "explore", "--jobs", "1",
               *options]
    if address:
        command += ["--scheduler", address]
    return subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "INDICATORS_WORKER_TIMEOUT": "3"})


def _first_result(project, batch_process):
    started = time.monotonic()
    while not finished_runs(project / "reports"):
        assert batch_process.poll() is None and time.monotonic() - started < 120, batch_process.communicate()
        time.sleep(0.1)
    return finished_runs(project / "reports")


def test_a_dask_cluster_that_loses_every_worker_ends_the_batch_in_one_line(project, cluster):
    import psutil

    running = _dask_batch(project, cluster["address"], "-q")
    _first_result(project, running)
    workers = psutil.Process(cluster["workers"].pid)
    for p in [*workers.children(recursive=True), workers]:  # the workers killed by pid, with their nanny
        p.kill()
    killed = time.monotonic()
    _, stderr = running.communicate(timeout=60)
    assert running.returncode == 2 and time.monotonic() - killed < 30, stderr
    assert re.fullmatch(r"error: --scheduler: no Dask worker left for 3 s; [1-3] runs did not run\n", stderr), stderr


def test_a_lost_scheduler_ends_the_batch_in_one_line_and_keeps_the_good_reports(project, cluster):
    good = _dask_batch(project, None, "-q")
    assert good.wait(timeout=300) == 0, good.communicate()
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    running = _dask_batch(project, cluster["address"], "-q", "--force")
    recorded_before = finished_runs(project / "reports")
    started = time.monotonic()
    while finished_runs(project / "reports") == recorded_before:  # a first run of this batch recorded
        assert running.poll() is None and time.monotonic() - started < 120, running.communicate()
        time.sleep(0.1)
    cluster["scheduler"].kill()
    _, stderr = running.communicate(timeout=60)
    assert running.returncode == 2 and "Traceback" not in stderr, stderr
    assert re.fullmatch(r"error: --scheduler: the Dask scheduler at tcp://\S+ cancelled the runs \(is it gone\?\); "
                        r"[1-3] runs did not run\n", stderr), stderr
    manifest = finished_runs(project / "reports")
    assert {e["status"] for e in manifest.values()} == {"ok"} and len(manifest) == 4  # none recorded as cancelled
    after = (project / "reports" / "index.html").read_text(encoding="utf-8")
    for name in manifest:
        notebook, folder, lang = name.split("/")
        link = f'href="{folder}/{lang}/{notebook}.html"'
        assert link in index and link in after, name


def test_a_build_during_a_batch_changes_none_of_its_reports(project, tmp_path):
    """A batch reads one table set from start to end: a build made while it runs (with a new document: GRDP growth
    of 2023) reaches none of its reports; the next batch shows it. The batch's first run waits until the build is
    done."""
    built = tmp_path / "built"
    path = project / "notebooks" / "data_quality.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell(
        f"import pathlib, time\nwhile not pathlib.Path({str(built)!r}).exists():\n    time.sleep(0.1)"))
    nbformat.write(nb, path)
    command = [sys.executable, "-m", "indicators.cli", "-q", "batch", "--jobs", "1", "--lang", "vi", "en",
               "--notebooks", "data_quality", "explore"]
    running = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    while not list(project.glob("data/.processed.batch-*")):  # the batch has taken its snapshot of the tables
        assert running.poll() is None and time.monotonic() - started < 60, running.communicate()
        time.sleep(0.05)
    (tmp_path / "press-2023.txt").write_text("THÔNG CÁO BÁO CHÍ\nKết quả thực hiện nhiệm vụ phát triển kinh tế - xã "
                                             "hội năm 2023\n\nNăm 2023, tốc độ tăng trưởng kinh tế (GRDP) của tỉnh "
                                             "đạt 13,45%.\n", encoding="utf-8")
    for step in (["add-source", str(tmp_path / "press-2023.txt"), "--issued", "2024-01-05"], ["build"]):
        subprocess.run([sys.executable, "-m", "indicators.cli", *step], cwd=project, check=True, capture_output=True)
    built.touch()
    assert running.wait(timeout=300) == 0, running.communicate()
    report = project / "reports" / "all" / "en" / "explore.html"
    assert "13.45" not in report.read_text(encoding="utf-8")
    again = batch.run_batch(None, ["en"], ["explore"], quiet=True)
    assert again[0]["status"] == "ok" and "13.45" in report.read_text(encoding="utf-8")
