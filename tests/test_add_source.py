"""Next year's report: add it with one command, rebuild, and its figures meet the earlier targets.

The document (tests/fixtures/report_2023_sample.txt) is written for this test in the style of the
real reports: PDF-wrapped lines, a page footnote interleaved with the text, a footnote mark glued to
a number, Vietnamese number format. It states 2023 results for a few indicators whose 2023 targets
the real 2022 report sets.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from indicators.brief import briefing
from indicators.read import sources
from indicators.run import runner
from indicators.tables import load_table


def cli(*args, cwd):
    result = subprocess.run([sys.executable, "-m", "indicators.cli", *args], capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.kernel
def test_a_new_report_end_to_end(project, root, tmp_path):
    document = root / "tests" / "fixtures" / "report_2023_sample.txt"

    said = cli("add-source", str(document), "--doc-id", "report-2023", "--title-vi", "Báo cáo tình hình KT-XH năm 2023",
               "--title-en", "Report on the 2023 socio-economic situation", "--type", "report", "--issued", "2023-12",
               "--short-title-vi", "Báo cáo KT-XH 2023", "--short-title-en", "2023 report", cwd=project)
    assert "added report-2023" in said and "results [2023], targets [2024]" in said
    added = next(s for s in sources.load_registry() if s.doc_id == "report-2023")
    assert added.path.read_bytes() == document.read_bytes()  # byte for byte: raw stays raw
    assert added.sha256 == sources.sha256_of(document)

    cli("build", cwd=project)
    table = briefing.plan_vs_actual(2023).set_index("indicator_id")
    # Against the 2023 targets of the real 2022 report (14,5%; 3.850 USD; 15.043 tỷ đồng; 37,8%):
    assert table.loc["grdp_growth", ["plan", "actual", "status"]].tolist() == [14.5, 13.45, "missed"]
    assert table.loc["grdp_per_capita", ["plan", "actual", "attainment_stated", "status"]].tolist() == [
        3850, 3740, 97.1, "missed"]
    assert table.loc["budget_revenue", ["plan", "actual", "status"]].tolist() == [15043, 16210.3, "exceeded"]
    assert table.loc["forest_cover", ["plan", "actual", "status"]].tolist() == [37.8, 37.8, "met"]
    assert table.loc["poverty_rate", "actual"] == 2.91 and table.loc["health_insurance", "actual"] == 99.3
    assert set(table.loc[["grdp_growth", "budget_revenue"], "actual_doc"]) == {"report-2023"}
    obs = load_table("observations")
    assert obs[obs["doc_id"] == "report-2023"]["quote"].str.contains("13,45%").any()

    coverage = cli("coverage", "--family", "growth", cwd=project)
    assert "grdp_growth" in coverage
    # every figure of the new report lands: the sector growth rates too, composed from sector and growth
    new = obs[obs["doc_id"] == "report-2023"].set_index("number_as_written")
    assert new.loc["20,1", "indicator_id"] == "grdp_ind_con_growth" and new.loc["6,6", "indicator_id"] == (
        "grdp_services_growth")
    assert new.loc["5.120", "indicator_id"] == "budget_revenue_land"  # in a page footnote
    assert load_table("unresolved").query("doc_id == 'report-2023'").empty
    assert "(nothing found)" in cli("mentions", "--unmapped", "--doc", "report-2023", cwd=project)

    executed = runner.run_notebook("annual_review", 2023, "en", out=tmp_path / "reports", figures=tmp_path / "figures")
    nb = nbformat.read(executed, as_version=4)
    findings = [o["metadata"]["indicators"]["finding"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if "indicators" in o.get("metadata", {})]
    assert any("13.45% against a target of 14.5% (missed)" in f for f in findings)
    assert (tmp_path / "figures" / "2023" / "en" / "annual_review_scorecard.png").is_file()


def test_a_document_registers_from_its_own_words(project):
    """Only the file: type, date of issue and years are read from the document's opening lines."""
    document = project / "bao-cao.txt"
    document.write_text(
        "UỶ BAN NHÂN DÂN\nTỈNH BẮC GIANG\nSố:    /BC-UBND\nBắc Giang, ngày 08 tháng 01 năm 2025\n\nBÁO CÁO\n"
        "Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội năm 2024;\nmục tiêu, nhiệm vụ năm 2025\n\n"
        "I. KẾT QUẢ ĐẠT ĐƯỢC\n\nTốc độ tăng trưởng kinh tế (GRDP) ước đạt 13,85%.\n\n"
        "II. MỤC TIÊU NĂM 2025\n\nPhấn đấu tốc độ tăng trưởng kinh tế đạt 14%.\n", encoding="utf-8")
    said = cli("add-source", str(document), cwd=project)
    assert "added report-2024" in said
    assert "type report, issued 2025-01-08, period year, results [2024], targets [2025]" in said
    cli("build", cwd=project)
    obs = load_table("observations").query("doc_id == 'report-2024'").set_index("number_as_written")
    # issued in January 2025, the review's results are the year before's
    assert obs.loc["13,85", ["indicator_id", "year", "kind"]].tolist() == ["grdp_growth", 2024, "estimate"]
    assert obs.loc["14", ["indicator_id", "year", "kind"]].tolist() == ["grdp_growth", 2025, "plan"]


def _registered_files(project) -> set[str]:
    return {s.file for s in sources.load_registry(project / "data" / "raw")}


def _raw_files(project) -> set[str]:
    return {p.name for p in (project / "data" / "raw").iterdir()} - {"sources.yml"}


def test_what_is_registered_is_what_was_read_while_the_file_changes(project):
    """A file rewritten while it is added (a download still being written, a sync): the copy in data/raw and the
    sha256 in the registry are of the same bytes."""
    import os
    import threading

    document, stop = project / "changing.txt", threading.Event()

    def rewrite():
        n = 0
        while not stop.is_set():
            n += 1
            (project / "next.txt").write_text(f"BÁO CÁO\nTình hình kinh tế - xã hội năm 2023\n\nBản {n}: GRDP tăng "
                                              "7,8%.\n", encoding="utf-8")
            os.replace(project / "next.txt", document)

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        added = [sources.add_source(document, doc_id=f"report-x{i}", issued="2023-12") for i in range(4)]
    finally:
        stop.set()
        writer.join()
    for source in added:
        assert sources.sha256_of(source.path) == source.sha256, source.file


def test_an_add_source_killed_midway_leaves_nothing_a_retry_trips_on(project):
    """What an add-source killed after its copy (the copy, noted in the journal, not yet registered) or during it
    (a hidden temporary copy) leaves, from a process that is gone: the next add-source removes it and goes on.
    Then real add-sources killed at moments of their run: each retry succeeds, and data/raw holds the registered
    documents only."""
    import json
    import signal
    import time

    raw = project / "data" / "raw"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    document = project / "new.txt"
    document.write_text("BÁO CÁO\nTình hình kinh tế - xã hội năm 2023\n\nGRDP tăng 7,8%.\n", encoding="utf-8")
    copy = raw / "2023-12_report_report-2023.txt"
    copy.write_bytes(document.read_bytes())
    (project / "data" / ".sources.pending").write_text(json.dumps(
        {"file": copy.name, "sha256": sources.sha256_of(document)}), encoding="utf-8")
    (raw / f".2023-12_report_report-2023.tmp-{gone.pid}-abc.txt").write_bytes(b"half a cop")
    kept = raw / "notes.txt"  # a file of the user's, not noted: never removed
    kept.write_text("mine", encoding="utf-8")
    cli("add-source", str(document), "--issued", "2023-12", cwd=project)
    assert copy.name in _registered_files(project) and _raw_files(project) == _registered_files(project) | {
        "notes.txt"} and not (project / "data" / ".sources.pending").exists()

    command = [sys.executable, "-m", "indicators.cli", "add-source"]
    for i, fraction in enumerate((0.5, 0.8, 0.9, 0.95, 0.98, 1.0, 1.02)):
        document.write_text(f"BÁO CÁO\nTình hình kinh tế - xã hội năm 2023\n\nBản {i}: GRDP tăng 7,8%.\n",
                            encoding="utf-8")
        started = time.monotonic()
        if i == 0:
            cli("add-source", str(document), "--doc-id", "timed", "--issued", "2023-12", cwd=project)
            took = time.monotonic() - started
            continue
        process = subprocess.Popen([*command, str(document), "--doc-id", f"killed-{i}", "--issued", "2023-12"],
                                   cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(took * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        retry = subprocess.run([*command, str(document), "--doc-id", f"killed-{i}", "--issued", "2023-12"],
                               cwd=project, capture_output=True, text=True)
        assert retry.returncode == 0 or "already registered" in retry.stderr, retry.stderr
        assert f"killed-{i}" in {s.doc_id for s in sources.load_registry(raw)}
        assert _raw_files(project) == _registered_files(project) | {"notes.txt"}, fraction


def test_a_project_starts_from_an_empty_registry(project):
    """`documents: []`: the build says there is nothing to build yet; add-source adds the first document."""
    raw = project / "data" / "raw"
    (raw / "sources.yml").write_text("documents: []\n", encoding="utf-8")
    empty = subprocess.run([sys.executable, "-m", "indicators.cli", "build"], cwd=project, capture_output=True,
                           text=True)
    assert empty.returncode == 2 and "no document is registered yet" in empty.stderr
    (project / "new.txt").write_text("BÁO CÁO\nTình hình kinh tế - xã hội năm 2023\n\nGRDP tăng 7,8%.\n",
                                     encoding="utf-8")
    cli("add-source", str(project / "new.txt"), "--issued", "2023-12", cwd=project)
    assert [s.doc_id for s in sources.load_registry(raw)] == ["report-2023"]
