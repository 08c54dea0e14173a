"""Publishing the tables: a Frictionless Data Package and an Excel workbook."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pandas as pd
import xlsxwriter

from indicators.atomic import atomic_write
from indicators.errors import IndicatorsError
from indicators.tables import TABLES, load_table
from indicators.tables.schemas import FOREIGN_KEYS, fields, primary_key
from indicators.yamlfile import read_yaml

METADATA_PATH = Path(__file__).with_name("metadata.yml")
log = logging.getLogger(__name__)


def _field(name: str, column: str, spec: dict, description: str, parquet: bool) -> dict:
    """A Table Schema field from the pandera schema's column (see :func:`indicators.schemas.fields`)."""
    field = {"name": column, "type": spec["type"], "description": description}
    if spec.get("list"):
        field["type"] = "any" if parquet else "string"  # frictionless reads no Parquet list as an array
        field["description"] += " (several values: a list in Parquet, space-separated in CSV)"
    constraints = {k: spec[k] for k in ("required", "unique", "enum", "pattern", "minimum", "maximum")
                   if spec.get(k) is not None and spec[k] is not False and spec[k] != []}  # a minimum of 0 is one
    if field["type"] == "any":
        constraints.pop("pattern", None)
    if constraints:
        field["constraints"] = constraints
    return field


def _resource(name: str, meta: dict, parquet: bool) -> dict:
    specs = fields(name)
    schema = {"fields": [_field(name, c, spec, meta["columns"][c], parquet) for c, spec in specs.items()],
              "missingValues": [""]}
    key = primary_key(name)
    if key:
        schema["primaryKey"] = key
    if FOREIGN_KEYS.get(name):  # each format refers to the tables of its own format
        schema["foreignKeys"] = [{"fields": column, "reference": {"resource": f"{table}-parquet" if parquet else table,
                                                                  "fields": ref}}
                                 for column, table, ref in FOREIGN_KEYS[name]]
    described = {"name": f"{name}-parquet" if parquet else name, "path": f"{name}.{'parquet' if parquet else 'csv'}",
                 "title": meta["title"], "description": meta["description"]}
    if parquet:
        return {**described, "format": "parquet", "mediatype": "application/vnd.apache.parquet", "schema": schema}
    return {**described, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def datapackage(built: dict[str, pd.DataFrame]) -> dict:
    """The Data Package descriptor of the processed tables, derived from their pandera schemas: every table in
    both formats, its fields, types and constraints (required, allowed values, patterns, ranges, unique),
    primary and foreign keys, descriptions from ``metadata.yml``, and the source documents."""
    meta = read_yaml(METADATA_PATH)["tables"]
    missing = [name for name in built if name not in meta]
    if missing:
        raise IndicatorsError(f"{METADATA_PATH}: no description for table(s) {', '.join(missing)}")
    for name in TABLES:
        undescribed = [c for c in built[name].columns if c not in meta[name]["columns"]]
        if undescribed:
            raise IndicatorsError(f"{METADATA_PATH}: table '{name}': no description for column(s) {undescribed}")
    return {
        "name": "bacgiang-indicators",
        "title": "Bắc Giang socio-economic indicators",
        "description": "Figures of the official socio-economic plans and reports of Bắc Giang province, "
        "read with their provenance (document, line, quote), and their comparisons.",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": f"{d.title_vi} ({d.issued})", "path": f"../raw/{d.file}", "sha256": d.sha256}
                    for d in built["documents"].itertuples()],
        "resources": [_resource(name, meta[name], parquet) for parquet in (False, True) for name in TABLES],
    }


def package_text(built: dict[str, pd.DataFrame]) -> str:
    """``datapackage.json`` as written beside the tables."""
    return json.dumps(datapackage(built), ensure_ascii=False, indent=2) + "\n"


# Number formats by unit, for the cells of a value column whose row has this unit.
_FORMATS = {"%": "0.0#", "pp": "0.0#", "bn VND": "#,##0.0", "mn USD": "#,##0.0#", "USD": "#,##0", "count": "#,##0",
            "rank": "0", "points": "0.00", "ha": "#,##0", "tonnes": "#,##0", "people": "#,##0", "workers": "#,##0",
            "projects": "#,##0", "enterprises": "#,##0", "targets": "#,##0", "mn VND/worker": "#,##0.0"}
_WIDE = {"quote", "quotes", "sentence", "description", "detail", "text", "title_vi", "title_en", "subject",
         "phrases", "fails_when", "clause"}
_WIDE_WIDTH = 60
_UNIT_COLUMNS = ("value", "plan", "actual", "target", "last", "first")  # number columns in the row's unit
_LINE = 15  # points: a line of the default font (Calibri 11); Excel's highest row is 409 points


def export_xlsx(path: Path, processed: Path | None = None) -> Path:
    """One finished workbook for Excel and LibreOffice users: a README sheet (what each sheet holds, in
    Vietnamese and English, and the source documents), then a sheet per table, each with its title, a frozen
    header with filters, column widths, number formats by the row's unit, wrapped long text, printing on
    one page wide. No cell is a formula: text is written as text, whatever it starts with."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise IndicatorsError(f"--xlsx: {path} must be a file name ending in .xlsx")
    if path.is_dir() or not path.parent.is_dir():
        raise IndicatorsError(f"--xlsx: {path} is a folder, or its folder does not exist")
    meta = read_yaml(METADATA_PATH)["tables"]
    frames = {name: load_table(name, processed) for name in TABLES}
    _CUT.clear()  # each export says once per column what it cut

    output = io.BytesIO()  # made in memory (xlsxwriter makes no temporary file), then written as a whole
    book = xlsxwriter.Workbook(output, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False, "nan_inf_to_errors": False, "in_memory": True})
    styles = _styles(book)
    _readme(book, styles, frames, meta)
    for name in TABLES:
        _sheet(book, styles, name, frames[name], meta[name])
    book.close()
    try:
        atomic_write(path, lambda tmp: Path(tmp).write_bytes(output.getvalue()))
    except OSError as err:  # a full disk: the previous workbook, if any, stays as it was
        raise IndicatorsError(f"{path}: cannot write the workbook ({err.strerror or err})") from None
    return path


def _styles(book) -> dict:
    styles = {"title": book.add_format({"bold": True, "font_size": 13}),
              "header": book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1,
                                         "bg_color": "#EDEDED"}),
              "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
              "text": book.add_format({"valign": "top"}),
              "integer": book.add_format({"num_format": "0", "valign": "top"}),
              "number": book.add_format({"num_format": "#,##0.0##", "valign": "top"})}
    styles.update({f"unit:{unit}": book.add_format({"num_format": fmt, "valign": "top"})
                   for unit, fmt in _FORMATS.items()})
    return styles


def _readme(book, styles: dict, frames: dict, meta: dict) -> None:
    sheet = book.add_worksheet("README")
    rows = [("Bắc Giang: chỉ tiêu kinh tế - xã hội / socio-economic indicators", ""),
            ("Mỗi trang là một bảng của data/processed/; mỗi số liệu có văn bản, dòng và trích dẫn. / Each sheet is a "
             "table of data/processed/; every figure has its document, line and quote.", ""), ("", ""),
            ("Trang / Sheet", "Nội dung / Contents")]
    rows += [(name, f"{meta[name]['title_vi']} / {meta[name]['title']} ({len(frames[name])}): "
                    f"{meta[name]['description']}") for name in TABLES]
    rows += [("", ""), ("Văn bản nguồn / Sources", "")]
    rows += [(d.doc_id, f"{d.title_vi} ({d.issued}); {d.file}; sha256 {d.sha256}")
             for d in frames["documents"].itertuples()]
    widths = (24, 120)
    for r, (first, second) in enumerate(rows):
        if r == 0 or first in ("Trang / Sheet", "Văn bản nguồn / Sources"):
            sheet.write_string(r, 0, first, styles["title"])
        elif not second:  # a line of text across the sheet, not wrapped in the first column
            sheet.write_string(r, 0, first, styles["text"])
        else:
            sheet.write_string(r, 0, first, styles["wrap"])
        sheet.write_string(r, 1, second, styles["wrap"])
        sheet.set_row(r, _height([first, second], widths) if second else _LINE)
    sheet.set_column(0, 0, widths[0])
    sheet.set_column(1, 1, widths[1])
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _sheet(book, styles: dict, name: str, frame: pd.DataFrame, meta: dict) -> None:
    sheet = book.add_worksheet(name[:31])
    sheet.write_string(0, 0, f"{meta['title_vi']} / {meta['title']}", styles["title"])
    sheet.set_row(0, _LINE * 1.3)  # the title's larger font
    specs = fields(name)
    for c, column in enumerate(frame.columns):
        sheet.write_string(1, c, column, styles["header"])
        sheet.set_column(c, c, _width(frame[column], column), styles["wrap"] if column in _WIDE else None)
    units = frame["unit"].tolist() if "unit" in frame else [""] * len(frame)
    wide = [c for c, column in enumerate(frame.columns) if column in _WIDE]
    for r, (row, unit) in enumerate(zip(frame.itertuples(index=False), units, strict=True), 2):
        for c, (column, value) in enumerate(zip(frame.columns, row, strict=True)):
            _cell(sheet, r, c, value, specs[column]["type"], column, unit, styles)
        sheet.set_row(r, _height([row[c] for c in wide], [_WIDE_WIDTH] * len(wide)))
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, max(len(frame), 1) + 1, len(frame.columns) - 1)
    sheet.repeat_rows(1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _cell(sheet, r: int, c: int, value, kind: str, column: str, unit: str, styles: dict) -> None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return  # missing: a blank cell
    if kind == "boolean":
        sheet.write_boolean(r, c, bool(value))
    elif kind == "integer":
        sheet.write_number(r, c, int(value), styles["integer"])
    elif kind == "number":
        sheet.write_number(r, c, float(value), _number_style(styles, column, unit, float(value)))
    elif str(value) != "":
        sheet.write_string(r, c, _fits(str(value), sheet.name, column), styles["wrap"] if column in _WIDE
                           else styles["text"])


CELL_LIMIT = 32767  # characters of a cell in Excel (and in the file format)


def _fits(text: str, table: str, column: str) -> str:
    """A text as a cell can hold it: one longer than a cell's limit is cut, saying so in the cell and once in the
    log (the full text is in the CSV)."""
    if len(text) <= CELL_LIMIT:
        return text
    note = f" … [cut at {CELL_LIMIT:,} characters of {len(text):,}: the whole text is in {table}.csv]"
    if (table, column) not in _CUT:
        _CUT.add((table, column))
        log.warning("%s.%s: a text of %d characters is cut in the workbook (a cell holds %d); the whole text is in "
                    "%s.csv", table, column, len(text), CELL_LIMIT, table)
    return text[:CELL_LIMIT - len(note)] + note


_CUT: set[tuple[str, str]] = set()


def _number_style(styles: dict, column: str, unit: str, value: float):
    """The row's unit's format for a value, plan, ... ("#,##0.0" for bn VND); a count as a whole number
    (a denominator: 65 of "17/65"); never a format that hides the decimals a value has (1,3 ha)."""
    whole = value.is_integer()
    if column == "denominator":
        return styles["unit:count"] if whole else styles["number"]
    if not column.startswith(_UNIT_COLUMNS) or unit not in _FORMATS or not (whole or "." in _FORMATS[unit]):
        return styles["number"]
    return styles[f"unit:{unit}"]


def _height(texts: list, widths: list[float]) -> float:
    """The height of a row whose texts wrap in columns of these widths: Excel and LibreOffice do not fit a row
    to wrapped text a program wrote. A width counts digits of the default font; a line of text holds 1.15 to 1.3
    times as many characters (most letters are narrower; seen in LibreOffice): 1.1 times is counted, so that no
    text is cut, and a line breaks between words."""
    lines = [sum(_lines(part, max(int(width * 1.1), 1)) for part in text.split("\n"))
             for text, width in zip(texts, widths, strict=True) if isinstance(text, str) and text]
    return min(_LINE * max([1, *lines]), 409)


def _lines(text: str, per_line: int) -> int:
    """Lines of at most ``per_line`` characters a text takes, broken between words (a longer word across lines)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
        while used > per_line:
            lines, used = lines + 1, used - per_line
    return lines


def _width(values: pd.Series, column: str) -> float:
    if column in _WIDE:
        return _WIDE_WIDTH
    longest = max([len(column), *(len(str(v)) for v in values.head(500))]) if len(values) else len(column)
    return min(max(longest + 2, 8), 40)
