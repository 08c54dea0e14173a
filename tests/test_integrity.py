"""The table set as a whole: `build --check` sees any change to any table file in either format, and a build
killed at any moment leaves the old set or the new one, never a mix, and nothing the next build keeps."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from indicators import tables
from indicators.read import catalog


def check(project):
    return subprocess.run([sys.executable, "-m", "indicators.cli", "build", "--check"], capture_output=True,
                          text=True, cwd=project)


def digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _edit_parquet(processed):  # a schema-valid change of a value that every report reads
    frame = pd.read_parquet(processed / "observations.parquet")
    frame.loc[frame["number_as_written"] == "19,3", "value"] = 19.4
    frame.to_parquet(processed / "observations.parquet", index=False)


def _edit_csv(processed):
    path = processed / "mentions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("19.3", "19.4", 1), encoding="utf-8")


def _truncate(processed):
    data = (processed / "indicators.parquet").read_bytes()
    (processed / "indicators.parquet").write_bytes(data[: len(data) // 2])


CHANGES = {  # each change to one file, and that file
    "edit-parquet": (_edit_parquet, "observations.parquet"),
    "delete-parquet": (lambda processed: (processed / "plan_vs_actual.parquet").unlink(), "plan_vs_actual.parquet"),
    "edit-csv": (_edit_csv, "mentions.csv"),
    "truncate-parquet": (_truncate, "indicators.parquet"),
}


def test_build_check_sees_every_table_file(project):
    """Four changes at once, each to another file (one check: a check rebuilds every table): each is named; a file
    that no build wrote is named apart, as one to move before a build (which would refuse to replace it)."""
    processed = project / "data" / "processed"
    for change, _ in CHANGES.values():
        change(processed)
    (processed / "observations.old.csv").write_text("x\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    stale_line, foreign_line = result.stderr.splitlines()
    assert stale_line.startswith("error: ") and foreign_line.startswith("error: ")
    stale = stale_line.split("out of date: ", 1)[1].split(";")[0].split(", ")
    assert sorted(stale) == sorted(name for _, name in CHANGES.values()), result.stderr
    assert "observations.old.csv: not part of the table set" in foreign_line and "move it elsewhere" in foreign_line
    assert (processed / "observations.old.csv").read_text(encoding="utf-8") == "x\n"


def test_a_project_with_one_document_and_no_plan_yet_builds_and_reads_back(one_document_project):
    """Tables with no row (no verdict, no pace) or with columns that nothing fills (no plan to compare) are
    written and read back in their schema's types."""
    subprocess.run([sys.executable, "-m", "indicators.cli", "build"], cwd=one_document_project, capture_output=True,
                   check=True)
    processed = one_document_project / "data" / "processed"
    read = {name: tables.load_table(name, processed) for name in tables.TABLES}
    assert read["documents"]["doc_id"].tolist() == ["press-2021"]
    assert read["verdicts"].empty and read["pace"].empty and not read["plan_vs_actual"].empty


def test_a_killed_build_leaves_the_old_set_or_the_new_one(one_document_project, tmp_path):
    """Kill `indicators build` (SIGKILL) at several moments of builds that change the tables back and forth
    (of a project of one document: the writing is the same, the reading shorter)."""
    processed = one_document_project / "data" / "processed"
    package = Path(catalog.CATALOG_PATH).parent
    changed = tmp_path / "catalog.yml"  # the same catalog with one name changed: another indicators table
    changed.write_text((package / "catalog.yml").read_text(encoding="utf-8").replace(
        'name_en: "GRDP growth"', 'name_en: "Economic growth (GRDP)"', 1), encoding="utf-8")
    (tmp_path / "vocabulary.yml").write_bytes((package / "vocabulary.yml").read_bytes())
    build = [sys.executable, "-m", "indicators.cli", "build"]
    def state():
        return tuple(digest(processed).items())

    seen = [state()]  # the set copied with the project
    started = time.monotonic()
    subprocess.run([*build, "--catalog", str(changed)], cwd=one_document_project, capture_output=True, check=True)
    took = time.monotonic() - started  # kills at moments of a build on this machine, most while it writes
    changed_set = state()
    for delay in (took * f for f in (0.84, 0.95, 0.99)):
        toward_changed = state() != changed_set
        process = subprocess.Popen([*build, *(["--catalog", str(changed)] if toward_changed else [])],
                                   cwd=one_document_project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        tables.load_table("documents", processed)  # a read finishes or drops what the killed build left
        assert not [p.name for p in processed.parent.iterdir() if p.name.startswith((".processed.new-",
                                                                                     ".processed.old-"))]
        seen.append(state())
    subprocess.run(build, cwd=one_document_project, capture_output=True, check=True)  # the next build removes the rest
    assert [p.name for p in processed.parent.iterdir() if p.name.startswith(".processed")] == [".processed.lock"]
    assert not [p for p in processed.iterdir() if p.name.startswith(".")]
    whole = {seen[0], changed_set, state()}  # the three sets built whole
    assert len(whole) == 3 and len({tuple(name for name, _ in d) for d in whole}) == 1
    assert all(d in whole for d in seen), "a mix of two builds after a kill"
