"""``reports/index.html``: every report and chart of the batch, by year and language, each chart with its
one-line finding, linked by relative paths so that the page opens from the file system, without a server."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from indicators.atomic import atomic_write
from indicators.paths import YEARLESS
from indicators.read.choices import LANGS
from indicators.run.runner import NOTEBOOKS

_HEAD = {"vi": ("Báo cáo và biểu đồ", "Tất cả các năm"), "en": ("Reports and charts", "All years")}
_STYLE = ("body{font-family:'DejaVu Sans',sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
          "h2{border-bottom:1px solid #999}li{margin:.3em 0}.finding{color:#333}.stale{color:#a00}")


def charts_of(notebook: Path) -> tuple[str, list[dict]]:
    """The title of an executed notebook and the charts it shows (from its outputs' metadata)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    found = [output["metadata"]["indicators"] for cell in nb["cells"] for output in cell.get("outputs", [])
             if "indicators" in output.get("metadata", {})]
    return nb["metadata"].get("title", Path(notebook).stem), found


def _order(name: str) -> tuple:
    notebook, folder, lang = name.split("/")
    return (folder == YEARLESS, folder, LANGS.index(lang) if lang in LANGS else 9,
            NOTEBOOKS.index(notebook) if notebook in NOTEBOOKS else 99)


_STALE = {"vi": "Lần chạy gần nhất không thành công ({error}); đây là báo cáo của lần chạy trước.",
          "en": "The last run did not succeed ({error}); this is the report of the run before it."}


def write_index(out: Path, figures: Path, manifest: dict) -> Path:
    """Write ``{out}/index.html`` from the manifest of the batch (checked entries, see
    :func:`indicators.run.batch.load_manifest`): the reports of runs that succeeded, and of a run that did not, the
    report of its last success, said so."""
    out, figures = Path(out), Path(figures)
    sections: dict[tuple[str, str], list[str]] = {}
    for name in sorted(manifest, key=_order):
        entry = manifest[name]
        shown = entry if entry.get("status") == "ok" else entry.get("kept")
        notebook = out / shown["notebook"] if shown else None
        if notebook is None or not notebook.is_file():
            continue
        _, folder, lang = name.split("/")
        title, charts = charts_of(notebook)
        items = "".join(
            f'<li><a href="{html.escape(_rel(figures / c["png"], out))}">{html.escape(c["title"])}</a> — '
            f'<span class="finding">{html.escape(c["finding"])}</span></li>' for c in charts)
        link = html.escape(_rel(out / shown["html"] if shown.get("html") else notebook, out))
        stale = "" if shown is entry else \
            f'<p class="stale">{html.escape(_STALE[lang].format(error=entry.get("error") or entry["status"]))}</p>'
        sections.setdefault((folder, lang), []).append(
            f'<h3 lang="{lang}"><a href="{link}">{html.escape(title)}</a></h3>{stale}<ul lang="{lang}">{items}</ul>')
    body = "".join(
        f'<h2>{_HEAD[lang][1] if folder == YEARLESS else folder} · {lang.upper()}</h2>{"".join(parts)}'
        for (folder, lang), parts in sections.items())
    page = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>bacgiang-indicators: '
            f'{_HEAD["vi"][0]} / {_HEAD["en"][0]}</title><style>{_STYLE}</style></head><body>'
            f'<h1>Bắc Giang: {_HEAD["vi"][0]} / <span lang="en">{_HEAD["en"][0]}</span></h1>{body}</body></html>\n')
    target = out / "index.html"
    atomic_write(target, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    return target


def _rel(path: Path, start: Path) -> str:
    return os.path.relpath(path, start).replace(os.sep, "/")
