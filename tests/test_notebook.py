"""Real papermill runs of the real notebook, and the PNGs they write."""

from __future__ import annotations

import json

import nbformat
import pytest
from PIL import Image

from indicators import report

YEARS = report.available_years()


def test_committed_notebook_is_clean_and_parameterised(root):
    nb = json.loads((root / "notebooks" / "plan_vs_actual.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    assert all(name in source for name in ("year", "lang", "output_dir"))
    assert nb["cells"][0]["cell_type"] == "markdown"


@pytest.mark.parametrize("year", YEARS)
def test_notebook_runs_for_every_year(year, tmp_path):
    lang = report.LANGS[year % 2]  # both languages across the years
    executed = report.run_notebook("plan_vs_actual", year, lang, out=tmp_path / "reports", figures=tmp_path / "figures")
    assert executed == tmp_path / "reports" / str(year) / lang / "plan_vs_actual.ipynb"
    nb = nbformat.read(executed, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    png = tmp_path / "figures" / str(year) / lang / "plan_vs_actual.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > 800 and image.height > 400
    markdown = " ".join(o.data.get("text/markdown", "") for o in outputs if "data" in o)
    assert str(year) in markdown


def test_a_year_with_targets_only_says_so(tmp_path):
    years_without_results = [y for y in YEARS if y >= 2023]
    year = years_without_results[0]
    executed = report.run_notebook("plan_vs_actual", year, "en", out=tmp_path, figures=tmp_path)
    nb = nbformat.read(executed, as_version=4)
    markdown = " ".join(
        o.data.get("text/markdown", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o
    )
    assert "no results for this year yet" in markdown


def test_unknown_year_or_language_is_refused_before_running():
    with pytest.raises(Exception, match="has no data; the years are"):
        report.run_all([1999], ["en"])
    with pytest.raises(Exception, match="'fr' is not one of vi, en"):
        report.run_all(None, ["fr"])
