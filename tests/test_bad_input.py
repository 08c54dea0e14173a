"""Bad input, through the command line and the Python API: a clear one-line error naming the file,
line or parameter at fault, a non-zero exit, no traceback, and nothing already produced lost.

(A notebook failing mid-run inside a batch is tested in test_batch.py.)
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from indicators import build, tables
from indicators.errors import IndicatorsError
from indicators.read import sources, vocabulary
from indicators.read.catalog import load_catalog
from indicators.run import batch, runner
from indicators.tables import publish

REPORT_2022 = "2022-12_report_ktxh-2022_plan-2023.txt"
NOT_UTF8 = "Phần thứ nhất\n\nTình hình".encode() + b" n\xe0m 2022\n"  # a Latin-1 byte on line 3
INJECTION = 'vi"\nimport pathlib; pathlib.Path("PWNED").touch()\n#'


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its hash (locks aside: they hold no data)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".lock"}


def register(project: Path, file: str, data: bytes) -> None:
    """Replace a raw document and record its new sha256, as if it had been registered so."""
    (project / "data" / "raw" / file).write_bytes(data)
    registry = project / "data" / "raw" / "sources.yml"
    text = registry.read_text(encoding="utf-8")
    entry = next(d for d in yaml.safe_load(text)["documents"] if d["file"] == file)
    registry.write_text(text.replace(entry["sha256"], hashlib.sha256(data).hexdigest()), encoding="utf-8")


def catalog_copy(project: Path, file: str, old: str, new: str) -> Path:
    """catalog.yml and vocabulary.yml copied beside each other, one of them edited."""
    folder = project / "catalog"
    folder.mkdir()
    for name in ("catalog.yml", "vocabulary.yml"):
        shutil.copy(Path(load_catalog().path).with_name(name), folder / name)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder / "catalog.yml"


def tamper_quote(project: Path) -> None:
    processed = project / "data" / "processed"
    obs = tables.load_table("observations", processed)
    row = obs.index[(obs["indicator_id"] == "grdp_growth") & (obs["year"] == 2022)][0]
    obs.loc[row, "quote"] = obs.loc[row, "quote"].replace("cả năm", "quý IV")
    obs.to_csv(processed / "observations.csv", index=False, lineterminator="\n")
    tables.to_parquet_frame(obs, "observations").to_parquet(processed / "observations.parquet", index=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def cli_api(argv: list[str]):
    """A command's own checks, called in process (a few checks live only in the command line)."""
    from indicators import cli

    args = cli.parser().parse_args(argv)
    return args.func(args)


def reports_folder(project: Path) -> None:
    """A reports folder as a batch leaves it: pages, the manifest, the index."""
    (project / "reports" / "2022" / "vi").mkdir(parents=True)
    (project / "reports" / "2022" / "vi" / "annual_review.html").write_text("<html>a report</html>")
    (project / "reports" / "manifest.json").write_text("{}")
    (project / "reports" / "index.html").write_text("<html>the index</html>")


BOMB = "\n".join(["  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [  # 9 ** 9 lols
    f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)])


def registry_edit(old: str, new: str) -> Callable[[Path], None]:
    return lambda p: edit(p / "data/raw/sources.yml", old, new)


def second_entry_with_the_same_file(project: Path) -> None:
    path = project / "data/raw/sources.yml"
    text = path.read_text(encoding="utf-8")
    entry = text[text.index("  - doc_id: press-2021"):text.index("  - doc_id: plan-nq11-2022")]
    path.write_text(text + entry.replace("doc_id: press-2021", "doc_id: press-2021-copy"), encoding="utf-8")


def broken_kernel(project: Path) -> None:
    spec = project / "jupyter" / "kernels" / runner.KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text('{"argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", '
                                      '"{connection_file}"], "display_name": "gone", "language": "python"}')


def blocked(project: Path) -> Path:
    (project / "not-a-folder").write_text("a file")
    return project / "not-a-folder" / "out"


@dataclass
class Case:
    name: str
    cli: list[str]
    api: Callable[[Path], object] | None  # None: a check of the command line only
    error: str  # regular expression the one-line message matches
    setup: Callable[[Path], object] = lambda project: None
    env: dict = field(default_factory=dict)


CASES = [
    Case("unknown year", ["batch", "--years", "2032"], lambda p: batch.plan([2032]),
         r"--years: '2032' does not exist \(choose from 2021, 2022, 2023, 2024\); did you mean '202\d'\?"),
    Case("unknown language", ["batch", "--lang", "fr"], lambda p: batch.plan(None, ["fr"]),
         r"--lang: 'fr' does not exist \(choose from vi, en\)"),
    Case("unknown notebook", ["batch", "--notebooks", "anual_review"],
         lambda p: batch.plan(None, ["vi"], ["anual_review"]),
         r"--notebooks: 'anual_review' does not exist \(choose from annual_review, .*\); "
         r"did you mean 'annual_review'\?"),
    Case("unknown indicator", ["run", "explore", "-p", "indicators", "[poverty_rat]"],
         lambda p: runner.run_notebook("explore", None, "en", out=p / "r", parameters={"indicators": ["poverty_rat"]}),
         r"parameter indicators: 'poverty_rat' does not exist \(choose from .*\); did you mean 'poverty_rate'\?"),
    Case("unknown parameter", ["run", "explore", "-p", "yeras", "[2022]"],
         lambda p: runner.run_notebook("explore", None, "en", out=p / "r", parameters={"yeras": [2022]}),
         r"parameter yeras: explore has no such parameter \(its parameters: lang, output_dir, indicators, years\)"),
    Case("parameter of the wrong type", ["run", "annual_review", "-p", "year", "abc"],
         lambda p: runner.run_notebook("annual_review", "abc", "vi", out=p / "r"),
         r"parameter year: expected an integer \(like 2022\), got 'abc'"),
    Case("batch parameter of the wrong type", ["batch", "--notebooks", "explore", "-p", "years", "abc"],
         lambda p: batch.run_batch(None, ["vi"], ["explore"], out=p / "r", extra={"years": "abc"}),
         r"parameter years: expected a list \(like \[\]\), got 'abc'"),
    Case("code injected through a parameter", ["run", "annual_review", "-p", "lang", INJECTION],
         lambda p: runner.run_notebook("annual_review", 2022, INJECTION, out=p / "r"),
         r"parameter lang: 'vi\".*import pathlib.*' does not exist \(choose from vi, en\)"),
    Case("raw document changed", ["build"], lambda p: build.build_tables(),
         rf"{REPORT_2022}: raw document 'report-2022' changed since it was registered",
         setup=lambda p: (p / "data/raw" / REPORT_2022).write_bytes(
             (p / "data/raw" / REPORT_2022).read_bytes().replace(b"19,3%", b"19,4%", 1))),
    Case("raw document missing", ["build"], lambda p: build.build_tables(),
         rf"{REPORT_2022}: raw document 'report-2022' is missing",
         setup=lambda p: (p / "data/raw" / REPORT_2022).unlink()),
    Case("raw document not UTF-8", ["build"], lambda p: build.build_tables(),
         rf"{REPORT_2022}:3: raw document 'report-2022' is not UTF-8",
         setup=lambda p: register(p, REPORT_2022, NOT_UTF8)),
    Case("raw document empty", ["build"], lambda p: build.build_tables(),
         rf"{REPORT_2022}: raw document 'report-2022' is empty",
         setup=lambda p: register(p, REPORT_2022, b"\n")),
    Case("catalog YAML syntax error", ["build", "--catalog", "catalog/catalog.yml"],
         lambda p: build.build_tables(catalog_path=p / "catalog" / "catalog.yml"),
         r"catalog\.yml:\d+: YAML syntax error",
         setup=lambda p: catalog_copy(p, "catalog.yml", "headline: [", "headline: [[")),
    Case("catalog unknown field", ["build", "--catalog", "catalog/catalog.yml"],
         lambda p: load_catalog(p / "catalog" / "catalog.yml"),
         r"catalog\.yml:\d+: indicator \d+: unknown field\(s\) colour",
         setup=lambda p: catalog_copy(p, "catalog.yml", "  - indicator_id: grdp_growth\n",
                                      "  - indicator_id: grdp_growth\n    colour: blue\n")),
    Case("catalog duplicate id", ["build", "--catalog", "catalog/catalog.yml"],
         lambda p: load_catalog(p / "catalog" / "catalog.yml"),
         r"catalog\.yml:\d+: duplicate indicator_id 'grdp_growth'",
         setup=lambda p: catalog_copy(p, "catalog.yml", "  - indicator_id: grdp_per_capita\n",
                                      "  - indicator_id: grdp_growth\n")),
    Case("vocabulary YAML syntax error", ["build", "--catalog", "catalog/catalog.yml"],
         lambda p: vocabulary.load_vocabulary(p / "catalog" / "vocabulary.yml"),
         r"vocabulary\.yml:\d+: YAML syntax error",
         setup=lambda p: catalog_copy(p, "vocabulary.yml", "concepts:\n", "concepts:\n  - [\n")),
    Case("vocabulary concept with an unknown dimension", ["build", "--catalog", "catalog/catalog.yml"],
         lambda p: vocabulary.load_vocabulary(p / "catalog" / "vocabulary.yml"),
         r"vocabulary\.yml:\d+: concept 'grdp': unknown dimension\(s\) sektor",
         setup=lambda p: catalog_copy(p, "vocabulary.yml", "dims: [sector, ownership, area]",
                                      "dims: [sektor, ownership, area]")),
    Case("quote no longer on its line", ["build", "--check"], lambda p: build.verify_committed(),
         rf"{REPORT_2022}:\d+: observations: .*quý IV",
         setup=tamper_quote),
    Case("output folder not writable", ["build", "--out", "not-a-folder/out"],
         lambda p: build.build(out=p / "not-a-folder" / "out"), r"not-a-folder/out: cannot create the output folder",
         setup=blocked),
    Case("build into a folder that holds other files", ["build", "--out", "reports"],
         lambda p: build.build(out=p / "reports"),
         r"reports: holds 2022, index\.html, manifest\.json, which no build wrote; a build replaces the folder as a "
         r"whole: move them elsewhere, or give --out a new folder", setup=reports_folder),
    Case("a file of the user's among the tables", ["build"], lambda p: build.build(),
         r"data/processed: holds notes\.txt, which no build wrote; .*move it elsewhere",
         setup=lambda p: (p / "data/processed/notes.txt").write_text("my notes")),
    Case("batch output folder not writable", ["batch", "--out", "not-a-folder/out"],
         lambda p: batch.run_batch(out=p / "not-a-folder" / "out"), r"--out: cannot create .*not-a-folder/out",
         setup=blocked),
    Case("scheduler unreachable", ["batch", "--scheduler", "tcp://127.0.0.1:9", "--notebooks", "explore"],
         lambda p: batch.run_batch(None, ["vi"], ["explore"], out=p / "r", scheduler="tcp://127.0.0.1:9"),
         r"--scheduler: cannot connect to a Dask scheduler at tcp://127\.0\.0\.1:9",
         env={"INDICATORS_SCHEDULER_TIMEOUT": "1"}),
    Case("scheduler timeout not a number", ["batch", "--scheduler", "tcp://127.0.0.1:9", "--notebooks", "explore"],
         lambda p: batch.run_batch(None, ["vi"], ["explore"], out=p / "r", scheduler="tcp://127.0.0.1:9"),
         r"INDICATORS_SCHEDULER_TIMEOUT: expected seconds \(like 10\), got 'soon'",
         env={"INDICATORS_SCHEDULER_TIMEOUT": "soon"}),
    Case("registry entry removed after the build", ["build", "--check"], lambda p: build.verify_committed(),
         r"observations\.parquet: document\(s\) press-2021 not in the registry; run `indicators build`",
         setup=lambda p: edit(p / "data/raw/sources.yml", "  - doc_id: press-2021", "  - doc_id: press-2021-x")),
    Case("truncated table under build --check", ["build", "--check"], lambda p: build.verify_committed(),
         r"observations\.parquet: cannot read the table \(.*\); run `indicators build`",
         setup=lambda p: truncate(p / "data/processed/observations.parquet")),
    Case("truncated table under mentions", ["mentions", "--doc", "report-2022"],
         lambda p: tables.load_table("mentions"), r"mentions\.parquet: cannot read the table",
         setup=lambda p: truncate(p / "data/processed/mentions.parquet")),
    Case("damaged table under batch", ["batch", "--notebooks", "explore", "--lang", "en"],
         lambda p: batch.run_batch(None, ["en"], ["explore"]),
         r"data/processed/observations\.parquet: cannot read the table \(.*\); run `indicators build`",
         setup=lambda p: truncate(p / "data/processed/observations.parquet")),
    Case("damaged table under run", ["run", "explore"], lambda p: runner.run_notebook("explore", None, "en"),
         r"data/processed/audits\.parquet: cannot read the table \(.*\); run `indicators build`",
         setup=lambda p: truncate(p / "data/processed/audits.parquet")),
    Case("registry field a YAML bomb", ["build"], lambda p: sources.load_registry(),
         r"sources\.yml:\d+: a YAML alias \(\*a0\); write the value itself",
         setup=lambda p: (registry_edit("documents:\n", f"lols:\n{BOMB}\ndocuments:\n")(p), registry_edit(
             'title_vi: "Thông cáo báo chí về', 'title_vi: *a8\n    short: "Thông cáo báo chí về')(p))),
    Case("registry doc_id not text", ["build"], lambda p: sources.load_registry(),
         r"sources\.yml: document 1: doc_id '2021' must be text of lower-case letters, digits and hyphens",
         setup=registry_edit("  - doc_id: press-2021", "  - doc_id: 2021")),
    Case("registry date that does not exist", ["build"], lambda p: sources.load_registry(),
         r"sources\.yml: press-2021: issued '2022-13-45' is not a date YYYY-MM-DD, YYYY-MM or YYYY",
         setup=registry_edit('issued: "2021-12-02"', 'issued: "2022-13-45"')),
    Case("registry title not text", ["build"], lambda p: sources.load_registry(),
         r"sources\.yml: press-2021: title_en must be text of 1 to 2000 characters, got list",
         setup=registry_edit('    title_en: "Press release on the implementation of the 2021 socio-economic '
                             'development plan; main goals, tasks and solutions for 2022"', "    title_en: [a, b]")),
    Case("registry file given twice", ["build"], lambda p: sources.load_registry(),
         r"sources\.yml: press-2021-copy: file '2021-12-02_press-release_ktxh-2021_goals-2022\.txt' is registered "
         r"already, as 'press-2021'", setup=second_entry_with_the_same_file),
    Case("registry file with a NUL byte", ["build"], lambda p: sources.load_registry(),
         r"sources\.yml: press-2021: file 'a\\0b\.txt' must be the name of a file in",
         setup=registry_edit("file: 2021-12-02_press-release_ktxh-2021_goals-2022.txt", 'file: "a\\0b.txt"')),
    Case("no document registered", ["build"], lambda p: build.build_tables(),
         r"sources\.yml: no document is registered yet; add one with `indicators add-source FILE`",
         setup=lambda p: (p / "data/raw/sources.yml").write_text("documents: []\n", encoding="utf-8")),
    Case("registry years not years", ["build"], lambda p: sources.load_registry(),
         r"sources\.yml: press-2021: covers: results: expected a list of years like \[2022\], got \['abc'\]",
         setup=lambda p: edit(p / "data/raw/sources.yml", "results: [2021]", "results: [abc]")),
    Case("registry file is a folder", ["build"], lambda p: sources.load_registry(),
         r"sources\.yml: press-2021: file 'sub' must be the name of a file in",
         setup=lambda p: (edit(p / "data/raw/sources.yml", "file: 2021-12-02_press-release_ktxh-2021_goals-2022.txt",
                               "file: sub"), (p / "data/raw/sub").mkdir())),
    Case("registry file outside data/raw", ["build"], lambda p: sources.load_registry(),
         r"sources\.yml: press-2021: file '\.\./x\.txt' must be the name of a file in",
         setup=lambda p: edit(p / "data/raw/sources.yml", "file: 2021-12-02_press-release_ktxh-2021_goals-2022.txt",
                              "file: ../x.txt")),
    Case("run: output_dir not a folder name", ["run", "annual_review", "-p", "output_dir", "5"],
         lambda p: cli_api(["run", "annual_review", "-p", "output_dir", "5"]),
         r"parameter output_dir: expected a folder \(text, like figures\), got 5"),
    Case("run: output_dir outside the project", ["run", "annual_review", "-p", "output_dir", "/etc"],
         lambda p: cli_api(["run", "annual_review", "-p", "output_dir", "/etc"]),
         r"parameter output_dir: '/etc' is not a folder of the project \(like figures\); give a folder elsewhere with "
         r"--figures"),
    Case("run: a kernel whose interpreter is gone", ["run", "explore"],
         lambda p: runner.run_notebook("explore", None, "en"),
         r"jupyter/kernels/bacgiang-indicators/kernel\.json: the kernel 'bacgiang-indicators' runs "
         r"/nonexistent/python, which is not there; remove that folder: it hides this environment's kernel",
         setup=broken_kernel, env={"JUPYTER_PATH": "jupyter"}),
    Case("build into /proc", ["build", "--out", "/proc/x"], lambda p: build.build(out=Path("/proc/x")),
         r"/proc/x: cannot write into /proc \("),
    Case("run: output folder not writable", ["run", "explore", "--out", "not-a-folder/out"],
         lambda p: runner.run_notebook("explore", None, "en", out=p / "not-a-folder" / "out"),
         r"--out: cannot create .*not-a-folder/out", setup=blocked),
    Case("export to a folder", ["export", "--xlsx", "data"], lambda p: publish.export_xlsx(p / "data"),
         r"--xlsx: .*data must be a file name ending in \.xlsx"),
    Case("export to a name without .xlsx", ["export", "--xlsx", "tables.csv"],
         lambda p: publish.export_xlsx(p / "tables.csv"),
         r"--xlsx: .*tables\.csv must be a file name ending in \.xlsx"),
    Case("catalog is a folder", ["build", "--catalog", "data"],
         lambda p: build.build_tables(catalog_path=p / "data"), r"data: cannot read it \(Is a directory\)"),
    Case("scheduler not an address", ["batch", "--scheduler", "not-an-address", "--notebooks", "explore"],
         lambda p: batch.run_batch(None, ["vi"], ["explore"], out=p / "r", scheduler="not-an-address"),
         r"--scheduler: 'not-an-address' is not a scheduler address"),
    Case("mentions: a negative limit", ["mentions", "--limit", "-1"], None,
         r"argument --limit: expected a number of rows, 0 or more, got '-1'"),
    Case("add-source: date that does not exist",
         ["add-source", "new.txt", "--issued", "2024-13-40"],
         lambda p: sources.add_source(p / "new.txt", issued="2024-13-40"),
         r"--issued: '2024-13-40' is not a date YYYY-MM-DD",
         setup=lambda p: (p / "new.txt").write_text("Báo cáo năm 2023\n", encoding="utf-8")),
    Case("add-source: years far from the document's",
         ["add-source", "new.txt", "--issued", "2023-12", "--results", "1850", "--targets", "3000"],
         lambda p: sources.add_source(p / "new.txt", issued="2023-12", results=[1850], targets=[3000]),
         r"--results: 1850 is not a year from 1990 to 2024 for a document of 2023",
         setup=lambda p: (p / "new.txt").write_text("Báo cáo năm 2023\n", encoding="utf-8")),
    Case("add-source: UTF-16 without a byte-order mark", ["add-source", "new.txt"],
         lambda p: sources.add_source(p / "new.txt"), r"new\.txt:1: a NUL byte: not UTF-8 text \(UTF-16\?\)",
         setup=lambda p: (p / "new.txt").write_bytes("Báo cáo năm 2023\n".encode("utf-16-le"))),
    Case("add-source: file too large", ["add-source", "big.txt"], lambda p: sources.add_source(p / "big.txt"),
         r"big\.txt: 50 MB is too large for a report's text \(at most 10 MB\)",
         setup=lambda p: (p / "big.txt").write_bytes(b"Bao cao nam 2023. " * (50 * 2**20 // 18 + 1))),
    Case("add-source: file not UTF-8",
         ["add-source", "new.txt", "--doc-id", "report-2023", "--title-vi", "t", "--title-en", "t", "--type", "report",
          "--issued", "2023-12"],
         lambda p: sources.add_source(p / "new.txt", doc_id="report-2023", title_vi="t", title_en="t",
                                      doc_type="report", issued="2023-12"),
         r"new\.txt:1: (a NUL byte: )?not UTF-8 text",
         setup=lambda p: (p / "new.txt").write_bytes("Báo cáo\nnăm 2023 tăng 7,8%\n".encode("utf-16"))),
    Case("add-source: a doc id of 300 characters", ["add-source", "new.txt", "--doc-id", "x" * 300],
         lambda p: sources.add_source(p / "new.txt", doc_id="x" * 300),
         r"--doc-id: 'x{60}…' must be lower-case letters, digits and hyphens, at most 60 characters",
         setup=lambda p: (p / "new.txt").write_text("Báo cáo năm 2023\n", encoding="utf-8")),
    Case("add-source: an empty doc id", ["add-source", "new.txt", "--doc-id", ""],
         lambda p: sources.add_source(p / "new.txt", doc_id=""), r"--doc-id: '' must be lower-case letters",
         setup=lambda p: (p / "new.txt").write_text("Báo cáo năm 2023\n", encoding="utf-8")),
    Case("add-source: a date in other digits", ["add-source", "new.txt", "--issued", "٢٠٢٣"],
         lambda p: sources.add_source(p / "new.txt", issued="٢٠٢٣"),
         r"--issued: '٢٠٢٣' is not a date YYYY-MM-DD \(or YYYY-MM, or YYYY\)",
         setup=lambda p: (p / "new.txt").write_text("Báo cáo năm 2023\n", encoding="utf-8")),
    Case("add-source: a symbolic link", ["add-source", "new.txt"], lambda p: sources.add_source(p / "new.txt"),
         r"new\.txt: a symbolic link \(to /etc/passwd\); give the document itself",
         setup=lambda p: (p / "new.txt").symlink_to("/etc/passwd")),
    Case("add-source: a folder", ["add-source", "data"], lambda p: sources.add_source(p / "data"),
         r"data: a folder; give a document's file"),
    Case("add-source: a FIFO", ["add-source", "pipe"], lambda p: sources.add_source(p / "pipe"),
         r"pipe: not a regular file \(a FIFO, a socket or a device\); give a document's file",
         setup=lambda p: os.mkfifo(p / "pipe")),
    Case("add-source: document already registered",
         ["add-source", f"data/raw/{REPORT_2022}", "--doc-id", "report-2022-again", "--title-vi", "t",
          "--title-en", "t", "--type", "report", "--issued", "2022-12"],
         lambda p: sources.add_source(p / "data/raw" / REPORT_2022, doc_id="report-2022-again", title_vi="t",
                                      title_en="t", doc_type="report", issued="2022-12"),
         r"this document is already registered as 'report-2022'"),
    Case("add-source: doc_id taken",
         ["add-source", "new.txt", "--doc-id", "report-2022", "--title-vi", "t", "--title-en", "t", "--type", "report",
          "--issued", "2023-12"],
         lambda p: sources.add_source(p / "new.txt", doc_id="report-2022", title_vi="t", title_en="t",
                                      doc_type="report", issued="2023-12"),
         r"--doc-id: 'report-2022' is already registered",
         setup=lambda p: (p / "new.txt").write_text("Báo cáo năm 2023\n", encoding="utf-8")),
    Case("add-source: unknown type",
         ["add-source", "new.txt", "--doc-id", "report-2023", "--title-vi", "t", "--title-en", "t", "--type", "reprot",
          "--issued", "2023-12"],
         lambda p: sources.add_source(p / "new.txt", doc_id="report-2023", title_vi="t", title_en="t",
                                      doc_type="reprot", issued="2023-12"),
         r"--type: 'reprot' does not exist \(choose from report, plan, press_release, article\); "
         r"did you mean 'report'\?",
         setup=lambda p: (p / "new.txt").write_text("Báo cáo năm 2023\n", encoding="utf-8")),
]


def command_line(argv: list[str], capsys) -> tuple[int, str]:
    """The command line's exit code and stderr, run in this process (its entry point in a new process is tested
    by test_debug_shows_the_traceback and tests/test_hardening.py)."""
    from indicators import cli

    capsys.readouterr()
    try:
        code = cli.main(argv)
    except SystemExit as end:  # argparse's own errors
        code = end.code
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gives_one_clear_line_and_loses_nothing(case, project, capsys, monkeypatch):
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    case.setup(project)
    before = snapshot(project)
    if case.api is not None:
        with pytest.raises(IndicatorsError) as raised:
            case.api(project)
        message = str(raised.value)
        assert "\n" not in message and re.search(case.error, message), message
    code, stderr = command_line(case.cli, capsys)
    assert code == 2, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in stderr, stderr
    assert re.search(case.error, lines[0]), lines[0]
    assert snapshot(project) == before  # nothing produced, changed or lost
    assert not (project / "PWNED").exists()


def test_the_readme_lists_every_case_with_its_message(root):
    section = (root / "README.md").read_text(encoding="utf-8").split("### Bad input", 1)[1].split("\n## ", 1)[0]
    rows = {row.split(" | ")[0].strip("| "): row.rsplit("`` ", 2)[-2] for row in section.splitlines()
            if row.startswith("| ") and "`` error: " in row}
    assert set(rows) == {case.name for case in CASES}
    for case in CASES:
        assert re.search(case.error, rows[case.name]), (case.name, rows[case.name])


def test_debug_shows_the_traceback(project):
    result = subprocess.run([sys.executable, "-m", "indicators.cli", "--debug", "batch", "--years", "2032"],
                            capture_output=True, text=True, cwd=project)
    assert result.returncode == 2 and "Traceback" in result.stderr and "error: --years" in result.stderr


def test_parameters_reach_the_notebook_as_values_not_code():
    """What papermill writes into the injected-parameters cell is one assignment of a string."""
    import ast

    from papermill.translators import PythonTranslator

    tree = ast.parse(PythonTranslator.codify({"lang": INJECTION}))
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
    assert ast.literal_eval(tree.body[0].value) == INJECTION


def test_interrupted_writes_keep_the_previous_files(project, monkeypatch):
    processed = project / "data" / "processed"
    before = snapshot(processed)
    built = {"documents": tables.load_table("documents", processed)}

    def full_disk(self, path, *args, **kwargs):
        Path(path).write_bytes(b"PAR1 half a table")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pandas.DataFrame.to_parquet", full_disk)
    with pytest.raises(IndicatorsError, match=r"processed: cannot write the tables \(No space left on device\)"):
        tables.write_set(built, processed)
    assert snapshot(processed) == before
    assert sorted(p.name for p in processed.parent.iterdir() if p.name.startswith(".processed")) == [
        ".processed.lock"]  # no staging folder left

    from indicators.brief import charts

    png = project / "chart.png"
    png.write_bytes(b"the complete chart")
    figure = charts.figure("t")[0]

    def half_written(path, data):
        with open(path, "wb") as file:
            file.write(data[:20])
        raise OSError(28, "disk full")

    monkeypatch.setattr(Path, "write_bytes", half_written)
    with pytest.raises(IndicatorsError, match=r"chart\.png: cannot write the chart \(disk full\)"):
        charts.save_png(figure, png)
    monkeypatch.undo()
    assert png.read_bytes() == b"the complete chart"
    assert sorted(p.name for p in project.iterdir() if p.is_file()) == ["chart.png"]


def test_raw_documents_are_never_opened_for_writing(project, root):
    """Every open of the process (builtins.open, io.open, os.open) during a build, a check of the
    committed tables and an add-source: none writes to a registered raw document."""
    documents = {str((project / "data" / "raw" / s.file).resolve()) for s in sources.load_registry()}
    writes: list[str] = []
    active = [True]

    def hook(event, args):
        if event == "open" and active[0]:
            path, mode, flags = (list(args) + [None, None])[:3]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_TRUNC))
            if writing and isinstance(path, str | bytes | os.PathLike):
                writes.append(os.path.realpath(os.fsdecode(path)))

    sys.addaudithook(hook)
    try:
        build.build(out=project / "out")
        build.verify_committed()
        (project / "new.txt").write_text("Báo cáo năm 2023: GRDP tăng 7,8%.\n", encoding="utf-8")
        sources.add_source(project / "new.txt", doc_id="report-2023", title_vi="t", title_en="t", doc_type="report",
                           issued="2023-12")
    finally:
        active[0] = False
    assert writes  # the hook saw the writes of the build
    assert not documents & set(writes)
    raw_writes = {Path(w).name for w in writes if Path(w).parent == (project / "data" / "raw").resolve()}
    assert all(name.startswith(".") for name in raw_writes), raw_writes  # only new temporary files, renamed
