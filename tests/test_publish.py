"""The Frictionless Data Package and the Excel workbook."""

from __future__ import annotations

import json

import frictionless
import openpyxl

from indicators import publish, tables


def test_datapackage_is_valid_and_describes_every_table(root):
    path = root / "data" / "processed" / "datapackage.json"
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "note"])[:5]
    package = json.loads(path.read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == list(tables.TABLES)
    assert all(f["description"] for r in package["resources"] for f in r["schema"]["fields"])
    assert len(package["sources"]) == 5


def test_excel_workbook(tmp_path):
    path = publish.export_xlsx(tmp_path / "indicators.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames[0] == "documents" and set(tables.TABLES) <= set(book.sheetnames)
    sheet = book["documents"]
    assert next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))[0] == "doc_id"
    assert sheet.max_row == 6
