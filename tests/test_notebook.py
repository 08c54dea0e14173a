"""Real papermill runs of the real notebooks, and the PNGs they write."""

from __future__ import annotations

import json

import nbformat
import pytest
from PIL import Image

from indicators import batch, report
from indicators.errors import IndicatorsError

# The charts each notebook must save (issue 6), as {notebook}_{chart}.png.
CHARTS = {
    "annual_review": {"scorecard", "plan_vs_actual", "growth", "shares", "targets"},
    "growth_and_structure": {"growth", "sector_growth", "contributions", "shares", "labour_shares", "productivity"},
    "budget_and_investment": {"budget", "budget_components", "investment", "investment_sources", "investment_shares",
                              "public_investment"},
    "fdi_and_enterprise": {"fdi", "domestic", "attraction", "enterprise"},
    "social_targets": {"social", "environment"},
    "data_quality": {"coverage", "revisions"},
    "explore": {"trend"},
}
# Two runs per notebook: two years, both languages (2022 has results; 2024 has targets only).
RUNS = [(notebook, year, lang) for notebook in CHARTS for year, lang in ((2022, "vi"), (2024, "en"))]


def outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def shown_text(nb) -> str:
    parts = []
    for o in outputs(nb):
        parts.append(o.get("text", ""))
        data = o.get("data", {})
        parts += [data.get("text/markdown", ""), data.get("text/plain", ""), data.get("text/html", "")]
    return " ".join(parts)


@pytest.mark.parametrize("notebook", report.NOTEBOOKS)
def test_committed_notebooks_are_clean_and_parameterised(notebook, root):
    nb = json.loads((root / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    assert all(f"{name} =" in source for name in ("year", "lang", "output_dir"))
    assert nb["cells"][0]["cell_type"] == "markdown" and "**" in "".join(nb["cells"][0]["source"])  # the question
    assert nb["metadata"]["kernelspec"]["name"] == report.KERNEL


def test_every_notebook_is_in_the_suite(root):
    assert {p.stem for p in (root / "notebooks").glob("*.ipynb")} == set(report.NOTEBOOKS)
    assert set(CHARTS) <= set(report.NOTEBOOKS)


@pytest.mark.parametrize(("notebook", "year", "lang"), RUNS)
def test_notebook_runs_and_saves_its_charts(notebook, year, lang, tmp_path):
    executed = report.run_notebook(notebook, year, lang, out=tmp_path / "reports", figures=tmp_path / "figures")
    assert executed == tmp_path / "reports" / str(year) / lang / f"{notebook}.ipynb"
    nb = nbformat.read(executed, as_version=4)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert not [o for o in outputs(nb) if o.get("name") == "stderr"]  # no warning, e.g. a glyph missing
    pngs = sorted((tmp_path / "figures" / str(year) / lang).glob("*.png"))
    assert {p.stem.removeprefix(f"{notebook}_") for p in pngs} == CHARTS[notebook]
    for png in pngs:
        with Image.open(png) as image:
            assert image.format == "PNG" and image.size == (2560, 1440)
    shown = [o for o in outputs(nb) if "image/png" in o.get("data", {})]
    assert len(shown) == len(pngs)  # every chart also shown in the notebook


def test_annual_review_headlines_in_each_language(tmp_path):
    """2022's GRDP growth as the report states it (19,3%), in each language's number format; a year
    with targets only says so."""
    for year, lang, expected in ((2022, "vi", "19,3% (thực hiện)"), (2022, "en", "19.3% (actual)"),
                                 (2024, "en", "The documents give no results for this year yet")):
        nb = nbformat.read(report.run_notebook("annual_review", year, lang, out=tmp_path, figures=tmp_path),
                           as_version=4)
        markdown = " ".join(o.get("data", {}).get("text/markdown", "") for o in outputs(nb))
        assert expected in markdown


def test_explore_takes_indicators_and_years(tmp_path):
    executed = report.run_notebook("explore", 2023, "vi", out=tmp_path, figures=tmp_path,
                                   parameters={"indicators": ["poverty_rate", "forest_cover"], "years": [2022, 2023]})
    text = shown_text(nbformat.read(executed, as_version=4))
    assert "Tỷ lệ hộ nghèo" in text and "Tỷ lệ che phủ rừng" in text
    assert "grdp_growth" not in text  # only the indicators asked for
    assert "3,81%" in text or "3.81" in text  # the 2022 poverty rate, with its quote


def test_explore_refuses_an_unknown_indicator(tmp_path):
    with pytest.raises(IndicatorsError, match="parameter indicators: 'poverty_rat' does not exist.*'poverty_rate'"):
        report.run_notebook("explore", 2022, "en", out=tmp_path, figures=tmp_path,
                            parameters={"indicators": ["poverty_rat"]})


def test_unknown_year_or_language_is_refused_before_running():
    with pytest.raises(IndicatorsError, match="--years: '1999' does not exist"):
        batch.plan([1999], ["en"])
    with pytest.raises(IndicatorsError, match="--lang: 'fr' does not exist"):
        batch.plan(None, ["fr"])
