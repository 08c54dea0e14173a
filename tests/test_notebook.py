"""Real papermill runs of the real notebooks, and the PNGs they write."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from PIL import Image

from indicators.brief import briefing
from indicators.errors import IndicatorsError
from indicators.run import batch, runner

# Runs: each notebook about one year for a year with results (2022, vi) and one with targets only (2024, en); the
# notebooks about every year once in each language.
RUNS = [(n, year, lang) for n in runner.NOTEBOOKS if n not in ("data_quality", "explore")
        for year, lang in ((2022, "vi"), (2024, "en"))] + [("data_quality", None, "vi"), ("explore", None, "en")]

pytestmark = pytest.mark.kernel  # every test here runs notebooks in a kernel


@pytest.fixture(scope="module")
def tables():
    return briefing.load_tables()


def outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def shown_text(nb) -> str:
    parts = []
    for o in outputs(nb):
        parts.append(o.get("text", ""))
        data = o.get("data", {})
        parts += [data.get("text/markdown", ""), data.get("text/plain", ""), data.get("text/html", "")]
    return " ".join(parts)


@pytest.mark.parametrize("notebook", runner.NOTEBOOKS)
def test_committed_notebooks_are_clean_parameterised_and_in_both_languages(notebook, root):
    nb = json.loads((root / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    names = ("lang", "output_dir") + (("year",) if notebook not in ("data_quality", "explore") else ())
    assert all(f"{name} =" in source for name in names)
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    tags = [tuple(c["metadata"].get("tags", [])) for c in markdown]
    assert tags.count(("vi",)) == tags.count(("en",)) == len(markdown) / 2  # every text in both languages
    texts = " ".join("".join(c["source"]) for c in markdown)
    assert "**" in "".join(markdown[0]["source"]) and "papermill" not in texts  # the question, not how to run it
    assert nb["metadata"]["kernelspec"]["name"] == runner.KERNEL


def test_every_notebook_is_in_the_suite(root):
    assert {p.stem for p in (root / "notebooks").glob("*.ipynb")} == set(runner.NOTEBOOKS)


@pytest.mark.parametrize(("notebook", "year", "lang"), RUNS)
def test_notebook_runs_shows_each_chart_with_its_finding_and_only_its_language(notebook, year, lang, tables,
                                                                                tmp_path):
    executed = runner.run_notebook(notebook, year, lang, out=tmp_path / "reports", figures=tmp_path / "figures")
    folder = str(year) if year is not None else "all"
    assert executed == tmp_path / "reports" / folder / lang / f"{notebook}.ipynb"
    nb = nbformat.read(executed, as_version=4)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert not [o for o in outputs(nb) if o.get("name") == "stderr"]  # no warning, e.g. a glyph missing
    assert {tuple(c.metadata.get("tags", [])) for c in nb.cells if c.cell_type == "markdown"} == {(lang,)}
    pngs = sorted((tmp_path / "figures" / folder / lang).glob("*.png"))
    for png in pngs:
        with Image.open(png) as image:
            assert image.format == "PNG" and image.size == (2560, 1440)
    shown = [o for o in outputs(nb) if "indicators" in o.get("metadata", {})]
    assert sorted(o["metadata"]["indicators"]["png"] for o in shown) == sorted(
        f"{folder}/{lang}/{p.name}" for p in pngs)  # every chart saved is shown, and the other way round
    for o in shown:
        html = o["data"]["text/html"]
        finding = o["metadata"]["indicators"]["finding"]
        assert 'alt="' in html and "<figcaption" in html and re.search(r"\d", finding)
    if notebook != "explore":
        code = " ".join(c.source for c in nb.cells if c.cell_type == "code")
        expected = {c for c in briefing.CHARTS if f'page.chart("{c}")' in code}
        planned = {c for c in expected if isinstance(briefing.plan_chart(tables, c, year, lang), briefing.ChartPlan)}
        assert {p.stem.removeprefix(f"{notebook}_") for p in pngs} == planned
        reasons = [o["data"]["text/markdown"] for o in outputs(nb) if "text/markdown" in o.get("data", {})
                   and re.match(r"\*(Không vẽ biểu đồ|No chart):", o["data"]["text/markdown"])]
        assert len(reasons) == len(expected - planned)  # and says why for each chart it does not draw
    text = shown_text(nb)
    assert "PosixPath" not in text and str(tmp_path) not in text and "<NA>" not in text and ">nan<" not in text


def test_annual_review_leads_with_the_provinces_verdict(tmp_path):
    for year, lang, expected in ((2022, "vi", "17/18 chỉ tiêu chủ yếu hoàn thành"),
                                 (2022, "en", "17 of 18 main targets met or exceeded"),
                                 (2024, "en", "no results yet")):
        nb = nbformat.read(runner.run_notebook("annual_review", year, lang, out=tmp_path, figures=tmp_path),
                           as_version=4)
        markdown = " ".join(o.get("data", {}).get("text/markdown", "") for o in outputs(nb))
        assert expected in markdown


def test_explore_takes_indicators_and_years(tmp_path):
    executed = runner.run_notebook("explore", None, "vi", out=tmp_path, figures=tmp_path,
                                   parameters={"indicators": ["poverty_rate", "forest_cover"], "years": [2022, 2023]})
    text = shown_text(nbformat.read(executed, as_version=4))
    assert "Tỷ lệ hộ nghèo" in text and "Tỷ lệ che phủ rừng" in text
    assert "grdp_growth" not in text  # only the indicators asked for
    assert "3,81%" in text or "3.81" in text  # the 2022 poverty rate, with its quote


def test_explore_refuses_an_unknown_indicator(tmp_path):
    with pytest.raises(IndicatorsError, match="parameter indicators: 'poverty_rat' does not exist.*'poverty_rate'"):
        runner.run_notebook("explore", None, "en", out=tmp_path, figures=tmp_path,
                            parameters={"indicators": ["poverty_rat"]})


def test_unknown_year_or_language_is_refused_before_running():
    with pytest.raises(IndicatorsError, match="--years: '1999' does not exist"):
        batch.plan([1999], ["en"])
    with pytest.raises(IndicatorsError, match="--lang: 'fr' does not exist"):
        batch.plan(None, ["fr"])
