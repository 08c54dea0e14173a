"""The ``indicators`` command line."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .errors import IndicatorsError


def _build(args: argparse.Namespace) -> int:
    from . import build, paths

    if args.check:
        committed = args.out or paths.processed_dir()
        stale = build.stale_tables(committed)
        if stale:
            print(f"error: {committed}: out of date: {', '.join(stale)}; run `indicators build`", file=sys.stderr)
            return 1
        print(f"{committed}: up to date")
        return 0
    for name, frame in build.build(out=args.out).items():
        print(f"{name}: {len(frame)} rows")
    return 0


def _parameter_value(name: str, value: str):
    import yaml

    if name in ("year", "lang", "output_dir"):
        raise IndicatorsError(f"-p {name}: set by the batch itself; use --years, --lang or --figures")
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        raise IndicatorsError(f"-p {name}: cannot read {value!r}") from None


def _batch(args: argparse.Namespace) -> int:
    from . import batch, report

    extra = {name: _parameter_value(name, value) for name, value in args.parameter or []}
    results = batch.run_batch(args.years, args.lang, args.notebooks or report.NOTEBOOKS, jobs=args.jobs,
                              force=args.force, out=args.out, figures=args.figures, scheduler=args.scheduler,
                              quiet=args.quiet, extra=extra)
    print(batch.summary(results))
    return 1 if any(r["status"] == "failed" for r in results) else 0


def _print_frame(frame, width: int = 60) -> None:
    import pandas as pd

    with pd.option_context(
        "display.max_rows", None, "display.max_columns", None, "display.width", 250, "display.max_colwidth", width
    ):
        print(frame.to_string(index=False) if len(frame) else "(nothing found)")


def _mentions(args: argparse.Namespace) -> int:
    from .tables import load_table
    from .validate import choice

    frame = load_table("mentions")
    if args.doc:
        frame = frame[frame["doc_id"] == choice("--doc", args.doc, sorted(frame["doc_id"].unique()))]
    if args.year is not None:
        frame = frame[frame["year"] == args.year]
    if args.cue:
        frame = frame[frame["cue"] == choice("--cue", args.cue, sorted(frame["cue"].unique()))]
    if args.grep:
        hit = frame["sentence"].str.contains(args.grep, case=False, regex=False) | frame["subject"].str.contains(
            args.grep, case=False, regex=False
        )
        frame = frame[hit]
    columns = ["doc_id", "line", "text", "value", "unit", "qualifier", "cue", "kind", "year", "subject", "quote"]
    _print_frame(frame[columns].head(args.limit) if args.limit else frame[columns])
    return 0


def _coverage(args: argparse.Namespace) -> int:
    from .coverage import coverage_matrix
    from .tables import load_table
    from .validate import choice

    table = load_table("coverage")
    family = choice("--family", args.family, sorted(table["family"].unique())) if args.family else None
    print("P plan · A actual · E estimate · % attainment stated\n")
    _print_frame(coverage_matrix(table, family).reset_index(), width=40)
    return 0


def _export(args: argparse.Namespace) -> int:
    from .publish import export_xlsx

    print(f"wrote {export_xlsx(args.xlsx)}")
    return 0


def _kernel(args: argparse.Namespace) -> int:
    from . import report

    print(f"kernel '{report.ensure_kernel()}' is registered")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="indicators", description="Bắc Giang socio-economic indicators.")
    p.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the tables in data/processed/ from data/raw/")
    b.add_argument("--out", type=Path, help="output folder (default: data/processed/)")
    b.add_argument("--check", action="store_true", help="only check that the committed tables are up to date")
    b.set_defaults(func=_build)

    r = sub.add_parser("batch", aliases=["report"], help="run every notebook for every year and language")
    r.add_argument("--years", type=int, nargs="+", help="years (default: every year with data)")
    r.add_argument("--lang", nargs="+", default=["vi", "en"], help="languages (default: vi en)")
    r.add_argument("--notebooks", nargs="+", help="notebooks, by name without .ipynb (default: all)")
    r.add_argument("--jobs", type=int, help="runs at a time (default: the number of cores)")
    r.add_argument("--force", action="store_true", help="rerun even the runs whose inputs have not changed")
    r.add_argument("--out", type=Path, help="executed notebooks and HTML (default: reports/)")
    r.add_argument("--figures", type=Path, help="charts (default: figures/)")
    r.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://host:8786")
    r.add_argument("--quiet", action="store_true", help="no progress bar (CI logs); the summary only")
    r.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="another notebook parameter (VALUE read as YAML: 3, text, [a, b]); repeatable")
    r.set_defaults(func=_batch)

    m = sub.add_parser("mentions", help="search the quantity mentions of the documents")
    m.add_argument("--doc", help="document id (see data/raw/sources.yml)")
    m.add_argument("--grep", help="text the sentence or subject contains (case-insensitive)")
    m.add_argument("--year", type=int, help="year the figure is for")
    m.add_argument("--cue", help="cue: level, growth, share, attainment, ...")
    m.add_argument("--limit", type=int, default=0, help="show at most this many rows")
    m.set_defaults(func=_mentions)

    c = sub.add_parser("coverage", help="which indicators the sources give, per family and year")
    c.add_argument("--family", help="only this family")
    c.set_defaults(func=_coverage)

    e = sub.add_parser("export", help="export the tables for Excel users")
    e.add_argument("--xlsx", type=Path, required=True, help="workbook to write (.xlsx)")
    e.set_defaults(func=_export)

    k = sub.add_parser("kernel", help="register the project's Jupyter kernel in this environment")
    k.set_defaults(func=_kernel)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except IndicatorsError as err:
        if args.debug:
            traceback.print_exc()
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
