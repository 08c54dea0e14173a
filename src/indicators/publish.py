"""Publishing the tables: a Frictionless Data Package and an Excel workbook."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import paths
from .atomic import atomic_write
from .errors import IndicatorsError
from .tables import TABLES, load_table
from .yamlfile import read_yaml

METADATA_PATH = Path(__file__).with_name("metadata.yml")
PACKAGE_NAME = "datapackage.json"


def _field_type(dtype) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    return "string"


def datapackage(built: dict[str, pd.DataFrame]) -> dict:
    """The Data Package descriptor of the processed tables: every table, its fields and types, and
    the source documents."""
    meta = read_yaml(METADATA_PATH)["tables"]
    missing = [name for name in built if name not in meta]
    if missing:
        raise IndicatorsError(f"{METADATA_PATH}: no description for table(s) {', '.join(missing)}")
    documents = built["documents"]
    resources = []
    for name in TABLES:
        frame = built[name]
        columns = meta[name]["columns"]
        undescribed = [c for c in frame.columns if c not in columns]
        if undescribed:
            raise IndicatorsError(f"{METADATA_PATH}: table '{name}': no description for column(s) {undescribed}")
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "title": meta[name]["title"],
                "description": meta[name]["description"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c, "type": _field_type(frame[c].dtype), "description": columns[c]}
                        for c in frame.columns
                    ],
                    "missingValues": [""],
                },
            }
        )
    return {
        "name": "bacgiang-indicators",
        "title": "Bắc Giang socio-economic indicators",
        "description": "Figures of the official socio-economic plans and reports of Bắc Giang province, "
        "read with their provenance (document, line, quote), and their comparisons.",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "sources": [
            {"title": f"{d.title_vi} ({d.issued})", "path": f"../raw/{d.file}", "sha256": d.sha256}
            for d in documents.itertuples()
        ],
        "resources": resources,
    }


def write_datapackage(built: dict[str, pd.DataFrame], out: Path | None = None) -> Path:
    out = Path(out) if out else paths.processed_dir()
    path = out / PACKAGE_NAME
    text = json.dumps(datapackage(built), ensure_ascii=False, indent=2) + "\n"
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path


def export_xlsx(path: Path, processed: Path | None = None) -> Path:
    """One workbook for Excel users: the source documents first, then a sheet per table."""
    path = Path(path)
    if not path.parent.is_dir():
        raise IndicatorsError(f"{path.parent}: no such folder for the workbook")
    meta = read_yaml(METADATA_PATH)["tables"]
    frames = {name: load_table(name, processed) for name in TABLES}

    def write(tmp):
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            frames["documents"].to_excel(writer, sheet_name="documents", index=False)
            contents = pd.DataFrame(
                [
                    {
                        "sheet": n,
                        "title": meta[n]["title"],
                        "rows": len(frames[n]),
                        "description": meta[n]["description"],
                    }
                    for n in TABLES
                ]
            )
            contents.to_excel(writer, sheet_name="contents", index=False)
            for name in TABLES:
                if name != "documents":
                    frames[name].to_excel(writer, sheet_name=name[:31], index=False)

    try:
        atomic_write(path, write)
    except OSError as err:
        raise IndicatorsError(f"{path}: cannot write the workbook ({err.strerror})") from None
    return path
