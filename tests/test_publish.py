"""The Frictionless Data Package and the Excel workbook."""

from __future__ import annotations

import csv
import json
import re
import shutil

import frictionless
import openpyxl
import pandas as pd

from indicators import tables
from indicators.tables import publish


def test_datapackage_is_valid_and_describes_every_table(root):
    path = root / "data" / "processed" / "datapackage.json"
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "note"])[:5]
    package = json.loads(path.read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]][: len(tables.TABLES)] == list(tables.TABLES)
    assert all(f["description"] for r in package["resources"] for f in r["schema"]["fields"])
    assert len(package["sources"]) == 5


def test_the_data_package_states_keys_allowed_values_and_required_fields_and_catches_a_break(root, tmp_path):
    package = json.loads((root / "data" / "processed" / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(tables.TABLES) | {f"{t}-parquet" for t in tables.TABLES}  # both formats
    obs = resources["observations"]["schema"]
    assert obs["primaryKey"] == ["doc_id", "mention_id"]
    assert {"fields": "indicator_id", "reference": {"resource": "indicators", "fields": "indicator_id"}} in obs[
        "foreignKeys"]
    kind = next(f for f in obs["fields"] if f["name"] == "kind")
    assert kind["constraints"] == {"required": True, "enum": ["actual", "estimate", "plan", "attainment"]}
    targets = next(f for f in resources["verdicts"]["schema"]["fields"] if f["name"] == "targets")
    assert targets["type"] == "integer" and targets["constraints"] == {"minimum": 0}  # a bound of 0 is a bound
    copy = tmp_path / "processed"
    shutil.copytree(root / "data" / "processed", copy)
    csv = (copy / "observations.csv").read_text(encoding="utf-8").replace(",grdp_growth,", ",grdp_growht,", 1)
    (copy / "observations.csv").write_text(csv.replace("\ngrdp_growth,", "\ngrdp_growht,", 1), encoding="utf-8")
    report = frictionless.validate(str(copy / "datapackage.json"), resource_name="observations")
    assert not report.valid and ["foreign-key"] in report.flatten(["type"])


def test_every_table_has_a_primary_key_and_the_parquet_resources_check_their_references(root, tmp_path):
    """Both formats carry the whole contract: a key for every table (audits: audit_id, as no column set is
    unique), and the foreign keys of the Parquet resources refer to the Parquet resources."""
    package = json.loads((root / "data" / "processed" / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r["schema"] for r in package["resources"]}
    assert [name for name, schema in resources.items() if not schema.get("primaryKey")] == []
    assert resources["audits"]["primaryKey"] == resources["audits-parquet"]["primaryKey"] == ["audit_id"]
    for name in tables.TABLES:
        expected = [{**key, "reference": {**key["reference"], "resource": key["reference"]["resource"] + "-parquet"}}
                    for key in resources[name].get("foreignKeys", [])]
        assert resources[f"{name}-parquet"].get("foreignKeys", []) == expected, name
    assert resources["observations-parquet"]["foreignKeys"]  # observations → indicators, documents
    copy = tmp_path / "processed"
    shutil.copytree(root / "data" / "processed", copy)
    obs = pd.read_parquet(copy / "observations.parquet")
    obs.loc[obs.index[obs["indicator_id"] == "grdp_growth"][0], "indicator_id"] = "grdp_growht"
    obs.to_parquet(copy / "observations.parquet", index=False)
    audits = pd.read_parquet(copy / "audits.parquet")
    audits.loc[1, "audit_id"] = audits.loc[0, "audit_id"]
    audits.to_parquet(copy / "audits.parquet", index=False)
    for resource, error in (("observations-parquet", "foreign-key"), ("audits-parquet", "primary-key")):
        report = frictionless.validate(str(copy / "datapackage.json"), resource_name=resource)
        assert not report.valid and [error] in report.flatten(["type"]), resource


def test_the_files_the_descriptions_cite_exist(root):
    """metadata.yml describes the tables in the data package and on the workbook's README sheet."""
    cited = set(re.findall(r"src/[\w/]+\.\w+", publish.METADATA_PATH.read_text(encoding="utf-8")))
    assert {"src/indicators/read/vocabulary.yml", "src/indicators/read/catalog.yml"} <= cited
    assert [path for path in sorted(cited) if not (root / path).is_file()] == []


def test_excel_workbook_is_a_finished_product_with_no_formula(root, tmp_path, caplog):
    copy = tmp_path / "processed"
    shutil.copytree(root / "data" / "processed", copy)
    documents = tables.load_table("documents", copy)
    documents.loc[0, "short_title_en"] = '=HYPERLINK("http://example.invalid","click")'  # injected text
    tables.to_parquet_frame(documents, "documents").to_parquet(copy / "documents.parquet", index=False)
    sentences = tables.load_table("sentences", copy)
    sentences.loc[0, "text"] = "Tốc độ tăng trưởng kinh tế đạt 7,8%; " * 1200  # longer than a cell holds
    tables.to_parquet_frame(sentences, "sentences").to_parquet(copy / "sentences.parquet", index=False)
    path = publish.export_xlsx(tmp_path / "indicators.xlsx", copy)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["README", "documents", "indicators"] and set(tables.TABLES) <= set(book.sheetnames)
    assert not [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    listed = [c for c in book["sentences"]["H"] if isinstance(c.value, str) and c.value.startswith(("- ", "+ "))]
    assert len(listed) > 50 and {c.data_type for c in listed} == {"s"}  # list items as text, never a formula
    cut = book["sentences"]["H3"].value
    assert len(cut) == publish.CELL_LIMIT and cut.endswith("of 44,400: the whole text is in sentences.csv]")
    assert "sentences.text: a text of 44400 characters is cut in the workbook" in caplog.text
    sheet = book["documents"]
    assert sheet["A1"].value == "Văn bản nguồn / Source documents" and sheet["A2"].value == "doc_id"
    assert '=HYPERLINK("http://example.invalid","click")' in [c.value for c in sheet[3]]  # kept, as text
    obs = book["observations"]
    assert obs.freeze_panes == "A3" and obs.auto_filter.ref.startswith("A2:")
    header = [c.value for c in obs[2]]
    rows = {r[header.index("number_as_written")].value: r for r in obs.iter_rows(min_row=3)}
    value = rows["18.525,5"][header.index("value")]  # budget revenue 2022, tỷ đồng
    assert value.value == 18525.5 and value.number_format == "#,##0.0"
    assert obs.column_dimensions["A"].width >= 20  # widths set, not Excel's default 8.43
    indicators = book["indicators"]
    assert indicators.cell(3, [c.value for c in indicators[2]].index("curated") + 1).value in (True, False)
    # Excel and LibreOffice do not size a row to wrapped text written by a program: the workbook sets the heights
    # (a line per about 1.1 column widths of characters); counts are whole numbers, amounts keep their decimals
    verdicts = book["verdicts"]
    for count in ("targets", "met_or_exceeded", "met", "exceeded", "missed"):
        cell = verdicts.cell(3, [c.value for c in verdicts[2]].index(count) + 1)
        assert isinstance(cell.value, int) and "." not in cell.number_format, count  # 18, not 18.0
    assert verdicts.row_dimensions[3].height >= 2 * 15  # its quote takes several lines
    assert rows["17/65"][header.index("denominator")].number_format == "#,##0"  # a rank out of 65
    assert "." in rows["236,68/237,01"][header.index("denominator")].number_format  # hectares: 237.01, not 237
    assert "." in rows["236,68/237,01"][header.index("value")].number_format
    quote = header.index("quote")
    for r, row in enumerate(obs.iter_rows(min_row=3), 3):
        lines = -(-len(row[quote].value) // 70)  # a line of the quote's column (60 wide) holds at most ~70 letters
        assert (obs.row_dimensions[r].height or 15) >= 15 * lines, (r, row[quote].value)  # None: the default, 15
    readme = book["README"]
    long = [c.row for c in readme["B"] if isinstance(c.value, str) and len(c.value) > 150]  # column B: 120 wide
    assert long and all(readme.row_dimensions[r].height >= 30 for r in long)


def test_the_csv_files_keep_the_data_exact_whatever_a_cell_starts_with(root):
    """The CSVs are the data as read, for programs and diffs: a list item's sentence ("- Công nghiệp ...") is
    written as it is in the document, not neutralised for spreadsheets (README: how to open them safely)."""
    processed = root / "data" / "processed"
    with open(processed / "sentences.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    listed = [r["text"] for r in rows if r["text"][:1] in "=+-@"]
    assert len(listed) > 50
    parquet = set(pd.read_parquet(processed / "sentences.parquet")["text"])
    assert set(listed) <= parquet
