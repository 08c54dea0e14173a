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
import pytest

from indicators import tables
from indicators.read import catalog


def check(project):
    return subprocess.run([sys.executable, "-m", "indicators.cli", "build", "--check"], capture_output=True,
                          text=True, cwd=project)


def digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("change, stale", [
    ("edit-parquet", "observations.parquet"),
    ("delete-parquet", "plan_vs_actual.parquet"),
    ("edit-csv", "observations.csv"),
    ("extra-file", "observations.old.csv"),
    ("truncate-parquet", "indicators.parquet"),
])
def test_build_check_sees_every_table_file(project, change, stale):
    processed = project / "data" / "processed"
    if change == "edit-parquet":  # a schema-valid change of a value that every report reads
        frame = pd.read_parquet(processed / "observations.parquet")
        frame.loc[frame["number_as_written"] == "19,3", "value"] = 19.4
        frame.to_parquet(processed / "observations.parquet", index=False)
    elif change == "delete-parquet":
        (processed / "plan_vs_actual.parquet").unlink()
    elif change == "edit-csv":
        (processed / "observations.csv").write_text((processed / "observations.csv").read_text(
            encoding="utf-8").replace("19.3", "19.4", 1), encoding="utf-8")
    elif change == "extra-file":
        (processed / "observations.old.csv").write_text("x\n", encoding="utf-8")
    else:
        data = (processed / "indicators.parquet").read_bytes()
        (processed / "indicators.parquet").write_bytes(data[: len(data) // 2])
    result = check(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and stale in result.stderr and len(result.stderr.splitlines()) == 1


def test_build_check_passes_on_the_committed_set(project):
    result = check(project)
    assert result.returncode == 0, result.stderr


def test_a_killed_build_leaves_the_old_set_or_the_new_one(project, tmp_path):
    """Kill `indicators build` (SIGKILL) at several moments of builds that change the tables back and forth."""
    processed = project / "data" / "processed"
    package = Path(catalog.CATALOG_PATH).parent
    changed = tmp_path / "catalog.yml"  # the same catalog with one name changed: another indicators table
    changed.write_text((package / "catalog.yml").read_text(encoding="utf-8").replace(
        'name_en: "GRDP growth"', 'name_en: "Economic growth (GRDP)"', 1), encoding="utf-8")
    (tmp_path / "vocabulary.yml").write_bytes((package / "vocabulary.yml").read_bytes())
    build = [sys.executable, "-m", "indicators.cli", "build"]
    old = digest(processed)
    subprocess.run([*build, "--catalog", str(changed)], cwd=project, capture_output=True, check=True)
    new = digest(processed)
    assert new != old and set(new) == set(old)
    for delay in (0.5, 1.5, 2.5, 3.0, 3.3, 3.6, 4.0):
        toward_new = digest(processed) == old
        process = subprocess.Popen([*build, *(["--catalog", str(changed)] if toward_new else [])], cwd=project,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        tables.load_table("documents", processed)  # a read puts back a set a killed build moved aside
        assert digest(processed) in (old, new), f"a mix of two builds after a kill at {delay}s"
    subprocess.run(build, cwd=project, capture_output=True, check=True)  # the next build removes the rest
    assert [p.name for p in processed.parent.iterdir() if p.name.startswith(".processed")] == [".processed.lock"]
    assert digest(processed) == old and not [p for p in processed.iterdir() if p.name.startswith(".")]
