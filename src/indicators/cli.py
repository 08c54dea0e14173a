"""The ``indicators`` command line."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import traceback
from pathlib import Path

import yaml

from indicators import __version__, lazy, paths
from indicators.errors import IndicatorsError
from indicators.validate import choice

# The module of each command, imported when the command runs: the parser and `indicators batch` with nothing to
# run stay light (the commands that read or build tables need pandas and pandera, about a second to import).
batch = lazy.module("indicators.run.batch")
build = lazy.module("indicators.build")
coverage = lazy.module("indicators.analyse.coverage")
extract = lazy.module("indicators.read.extract")
pd = lazy.module("pandas")
publish = lazy.module("indicators.tables.publish")
readset = lazy.module("indicators.readset")
recall = lazy.module("indicators.read.recall")
runner = lazy.module("indicators.run.runner")
sources = lazy.module("indicators.read.sources")
tables = lazy.module("indicators.tables")


def _build(args: argparse.Namespace) -> int:
    if args.check:
        committed = args.out or paths.processed_dir()
        build.verify_committed(committed)
        stale = build.stale_tables(committed, catalog_path=args.catalog)
        if stale:
            print(f"error: {committed}: out of date: {', '.join(stale)}; run `indicators build`", file=sys.stderr)
        foreign = tables.foreign_files(committed)
        if foreign:
            print(f"error: {committed}: {', '.join(foreign)}: not part of the table set (no build wrote it); move it "
                  "elsewhere before `indicators build`, which replaces the folder as a whole", file=sys.stderr)
        if stale or foreign:
            return 1
        print(f"{committed}: up to date")
        return 0
    for name, frame in build.build(out=args.out, catalog_path=args.catalog).items():
        print(f"{name}: {len(frame)} rows")
    return 0


def _parameter_value(name: str, value: str):
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        raise IndicatorsError(f"-p {name}: cannot read {value!r}") from None


def _run(args: argparse.Namespace) -> int:
    params = {name: _parameter_value(name, value) for name, value in args.parameter or []}
    declared = runner.declared_parameters(args.notebook)
    year, lang = params.pop("year", declared.get("year")), params.pop("lang", declared["lang"])
    figures = args.figures or _output_dir(params.pop("output_dir", None))
    print(runner.run_notebook(args.notebook, year, lang, out=args.out, figures=figures, parameters=params,
                              timeout=args.timeout))
    return 0


def _output_dir(value):
    """``-p output_dir``, the notebooks' own parameter: a folder of the project (relative to it, as in the notebooks);
    a folder elsewhere is given with ``--figures``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise IndicatorsError(f"parameter output_dir: expected a folder (text, like figures), got {value!r}")
    if not paths.absolute(value).resolve().is_relative_to(paths.project_root()):
        raise IndicatorsError(f"parameter output_dir: {value!r} is not a folder of the project (like figures); "
                              "give a folder elsewhere with --figures")
    return value


def _add_source(args: argparse.Namespace) -> int:
    added = sources.add_source(
        args.path, doc_id=args.doc_id, title_vi=args.title_vi, title_en=args.title_en, doc_type=args.type,
        issued=args.issued, short_title_vi=args.short_title_vi, short_title_en=args.short_title_en,
        **({"issuer": args.issuer} if args.issuer else {}), results=args.results, targets=args.targets,
        period=args.period)
    print(f"added {added.doc_id}: {added.path} (sha256 {added.sha256[:12]}…)")
    print(f"  type {added.doc_type}, issued {added.issued}, period {added.period}, results "
          f"{list(added.results_years)}, targets {list(added.target_years)}")
    print(f"  title: {added.title_vi}")
    print("  (read from the document where it says them; give --type, --issued, --period, --results, --targets, "
          "--title-vi ... to say otherwise)")
    print("next: `indicators build`, then `indicators coverage` and "
          f"`indicators mentions --unmapped --doc {added.doc_id}`")
    return 0


def _batch(args: argparse.Namespace) -> int:
    extra = {name: _parameter_value(name, value) for name, value in args.parameter or []}
    results = batch.run_batch(args.years, args.lang, args.notebooks or runner.NOTEBOOKS, jobs=args.jobs,
                              force=args.force, out=args.out, figures=args.figures, scheduler=args.scheduler,
                              quiet=args.quiet, extra=extra, timeout=args.timeout)
    print(batch.summary(results))
    print(f"index of every report and chart: {Path(args.out or paths.reports_dir()) / 'index.html'}")
    return 1 if batch.failed(results) else 0


def _print_frame(frame, width: int = 60) -> None:
    with pd.option_context(
        "display.max_rows", None, "display.max_columns", None, "display.width", 250, "display.max_colwidth", width
    ):
        print(frame.to_string(index=False) if len(frame) else "(nothing found)")


def _mentions(args: argparse.Namespace) -> int:
    frame = tables.load_table("unresolved") if args.unmapped else tables.load_table("mentions")
    if args.doc:
        frame = frame[frame["doc_id"] == choice("--doc", args.doc, sorted(tables.load_table("documents")["doc_id"]))]
    if args.year is not None:
        frame = frame[frame["year"] == args.year]
    if args.cue:
        frame = frame[frame["cue"] == choice("--cue", args.cue, sorted(frame["cue"].unique()))]
    if args.grep:
        hit = frame["quote"].str.contains(args.grep, case=False, regex=False) | frame["subject"].str.contains(
            args.grep, case=False, regex=False
        )
        if not args.unmapped:
            hit |= _in_sentence(frame, args.grep)
        frame = frame[hit]
    columns = ["doc_id", "line", "text", "value", "unit", *(["reason"] if args.unmapped else ["qualifier"]), "cue",
               "kind", "year", "subject", "quote"]
    _print_frame(frame[columns].head(args.limit) if args.limit else frame[columns])
    return 0


def _in_sentence(frame, text: str):
    """Which mentions' sentence contains ``text`` (its text is in the sentences table)."""
    sentences = tables.load_table("sentences")
    found = sentences.loc[sentences["text"].str.contains(text, case=False, regex=False), ["doc_id", "sentence_id"]]
    return frame.set_index(["doc_id", "sentence_id"]).index.isin(found.set_index(["doc_id", "sentence_id"]).index)


def _readset(folder: Path | None) -> int:
    """The reading measured on the read set: texts added one by one to an empty project, built, compared."""
    found, matched = readset.measure(folder)
    print(f"Read set {paths.relative(folder or readset.readset_dir())}: {found['texts']} texts, {found['figures']} "
          "figures read by hand, each text added with `add-source FILE` alone into one empty project\n")
    print(f"whole-year figures in observations (year, kind, value, territory): {found['annual_read']} of "
          f"{found['annual_figures']} ({found['recall']}%)")
    print(f"figures of part of a year (or of several years) read with their period: {found['partial_read']} of "
          f"{found['partial_figures']}")
    print(f"figures of part of a year (or of several years) filed as a whole year's: {found['partial_as_annual']}")
    print(f"figures of the country or another province filed as the province's: {found['wrongly_read']}")
    print("mentions that yield no observation, by reason: " + ", ".join(
        f"{reason} {n}" for reason, n in sorted(found["unresolved"].items())))
    by_text = matched.groupby("doc_id")["status"].value_counts().unstack(fill_value=0).reset_index()
    print()
    _print_frame(by_text)
    return 0


def _coverage(args: argparse.Namespace) -> int:
    if args.readset is not None:
        return _readset(None if args.readset == "" else paths.absolute(args.readset))
    table = tables.load_table("coverage")
    family = choice("--family", args.family, sorted(table["family"].unique())) if args.family else None
    print("P plan · A actual · E estimate · % attainment stated\n")
    _print_frame(coverage.coverage_matrix(table, family).reset_index(), width=40)
    observations = tables.load_table("observations")
    matched = recall.match(recall.handread_figures(), observations)
    print("\nRecall against the hand-read figures (tests/fixtures/handread/), activity counts aside:\n")
    _print_frame(recall.summary(matched))
    wrong = recall.precision(matched, observations)
    print(f"\n{wrong['contradicting']} of {wrong['observations']} observations of these documents contradict the "
          f"text ({wrong['share']}%).")
    print("\nMentions that yield no observation, by reason (`indicators mentions --unmapped`):\n")
    unresolved = tables.load_table("unresolved")
    _print_frame(extract.reason_counts(unresolved))
    worst = extract.worst_sentences(unresolved, tables.load_table("mentions"), tables.load_table("sentences"), n=5)
    if len(worst):
        print("\nThe sentences with the most of them:\n")
        _print_frame(worst.assign(sentence=worst["sentence"].str.slice(0, 100)))
    return 0


def _export(args: argparse.Namespace) -> int:
    print(f"wrote {publish.export_xlsx(args.xlsx)}")
    return 0


def _kernel(args: argparse.Namespace) -> int:
    print(f"kernel '{runner.ensure_kernel(repair=True)}' is registered")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line like every other error of the command line."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message}\n")


def _common(suppress: bool) -> argparse.ArgumentParser:
    """Options every command takes, before or after its name (``indicators -v build``, ``indicators build -v``)."""
    common = argparse.ArgumentParser(add_help=False)
    default = {"default": argparse.SUPPRESS} if suppress else {}
    common.add_argument("--debug", action="store_true", help="show the traceback of an error", **default)
    common.add_argument("-v", "--verbose", action="count", help="say what is done (-vv: in detail)",
                        **(default or {"default": 0}))
    common.add_argument("-q", "--quiet", action="store_true", help="print errors and results only: no warnings, "
                        "no progress bar", **default)
    return common


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="indicators", description="Bắc Giang socio-economic indicators.", parents=[_common(False)])
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    common = _common(True)
    add = sub.add_parser

    def add_parser(name, **kwargs):
        return add(name, parents=[common], description=kwargs.get("help"), **kwargs)

    sub.add_parser = add_parser
    for options in (_build_options, _add_source_options, _run_options, _batch_options, _mentions_options,
                    _coverage_options, _export_options, _kernel_options):
        options(sub)
    return p


def _build_options(sub) -> None:
    b = sub.add_parser("build", help="build the tables in data/processed/ from data/raw/")
    b.add_argument("--out", type=Path, help="output folder (default: data/processed/)")
    b.add_argument("--check", action="store_true",
                   help="only check the committed tables: quotes still on their lines, and up to date")
    b.add_argument("--catalog", type=Path,
                   help="catalog file (default: the package's; a vocabulary.yml beside it is used if there is one)")
    b.set_defaults(func=_build)


def _add_source_options(sub) -> None:
    a = sub.add_parser("add-source", help="copy a new document into data/raw/ and register it")
    a.add_argument("path", type=Path, help="the document (UTF-8 text)")
    a.add_argument("--doc-id", help="short stable id (default: from the type and year, e.g. report-2023)")
    a.add_argument("--title-vi", help="title in Vietnamese (default: the document's own)")
    a.add_argument("--title-en", help="title in English (default: composed from the type and years)")
    a.add_argument("--type", help="report, plan, press_release or article (default: read from the document)")
    a.add_argument("--issued", help="YYYY-MM-DD, or YYYY-MM / YYYY (default: read from the document)")
    a.add_argument("--short-title-vi", help="for chart source notes (default: type and years)")
    a.add_argument("--short-title-en", help="for chart source notes (default: type and years)")
    a.add_argument("--issuer", help="default: UBND tỉnh Bắc Giang")
    a.add_argument("--period", help="the part of the year it reports: year, q1-q4, 1m-11m (the first months), "
                   "month-01-month-12 (default: read from its title and opening)")
    a.add_argument("--results", type=int, nargs="*", help="years it reports results for (default: read from it)")
    a.add_argument("--targets", type=int, nargs="*", help="years it sets targets for (default: read from it)")
    a.set_defaults(func=_add_source)


def _run_options(sub) -> None:
    n = sub.add_parser("run", help="run one notebook with papermill, its parameters checked first")
    n.add_argument("notebook", help="notebook name, without .ipynb")
    n.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="a parameter (VALUE read as YAML); repeatable")
    n.add_argument("--out", type=Path, help="executed notebook (default: reports/)")
    n.add_argument("--figures", type=Path, help="charts (default: figures/)")
    _timeout_option(n)
    n.set_defaults(func=_run)


def _batch_options(sub) -> None:
    r = sub.add_parser("batch", aliases=["report"], help="run every notebook for every year and language")
    r.add_argument("--years", type=int, nargs="+", help="years (default: every year with data)")
    r.add_argument("--lang", nargs="+", default=["vi", "en"], help="languages (default: vi en)")
    r.add_argument("--notebooks", nargs="+", help="notebooks, by name without .ipynb (default: all)")
    r.add_argument("--jobs", type=int, help="runs at a time (default: the number of cores)")
    r.add_argument("--force", action="store_true", help="rerun even the runs whose inputs have not changed")
    r.add_argument("--out", type=Path, help="executed notebooks and HTML (default: reports/)")
    r.add_argument("--figures", type=Path, help="charts (default: figures/)")
    r.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://host:8786")
    r.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="another notebook parameter (VALUE read as YAML: 3, text, [a, b]); repeatable")
    _timeout_option(r)
    r.set_defaults(func=_batch)


def _timeout_option(p) -> None:
    p.add_argument("--timeout", type=_seconds, default=runner.TIMEOUT, metavar="SECONDS",
                   help=f"seconds a cell may run before its run is stopped as timed out (default {runner.TIMEOUT})")


def _mentions_options(sub) -> None:
    m = sub.add_parser("mentions", help="search the quantity mentions of the documents")
    m.add_argument("--doc", help="document id (see data/raw/sources.yml)")
    m.add_argument("--grep", help="text the sentence or subject contains (case-insensitive)")
    m.add_argument("--year", type=int, help="year the figure is for")
    m.add_argument("--cue", help="cue: level, growth, share, attainment, ...")
    m.add_argument("--limit", type=_count, default=0, help="show at most this many rows (0: all)")
    m.add_argument("--unmapped", action="store_true",
                   help="only the mentions that yield no observation, with the reason (table unresolved)")
    m.set_defaults(func=_mentions)


def _coverage_options(sub) -> None:
    c = sub.add_parser("coverage", help="which indicators the sources give, per family and year")
    c.add_argument("--family", help="only this family")
    c.add_argument("--readset", nargs="?", const="", metavar="FOLDER",
                   help="measure the reading on whole texts read by hand (default tests/fixtures/readset): recall of "
                   "whole-year figures, partial figures filed as annual, figures of elsewhere taken as the province's")
    c.set_defaults(func=_coverage)


def _export_options(sub) -> None:
    e = sub.add_parser("export", help="export the tables for Excel users")
    e.add_argument("--xlsx", type=Path, required=True, help="workbook to write (.xlsx)")
    e.set_defaults(func=_export)


def _kernel_options(sub) -> None:
    k = sub.add_parser("kernel", help="register the project's Jupyter kernel in this environment")
    k.set_defaults(func=_kernel)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"expected seconds a cell may run, more than 0, got {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of rows, 0 or more, got {text!r}")
    return value


def _logging(args: argparse.Namespace) -> None:
    level = logging.ERROR if args.quiet else (logging.DEBUG if args.verbose > 1 else
                                              logging.INFO if args.verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _logging(args)
    try:
        return args.func(args)
    except IndicatorsError as err:
        if args.debug:
            traceback.print_exc()
        print(f"error: {err}", file=sys.stderr)
        return err.code
    except KeyboardInterrupt:
        print("error: stopped by SIGINT", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `indicators mentions | head -1`: the reader has what it wanted, and closed the pipe
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing more to write at exit either
        return 128 + signal.SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
