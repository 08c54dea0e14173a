"""The words charts and notebooks show, in Vietnamese and English (``labels.yml``); indicator names
and units come from the catalog, document titles from ``data/raw/sources.yml``."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from indicators.read.numbers import format_number
from indicators.yamlfile import read_yaml

LABELS_PATH = Path(__file__).with_name("labels.yml")


@lru_cache(maxsize=1)
def labels() -> dict:
    return read_yaml(LABELS_PATH)


def label(key: str, lang: str, **values) -> str:
    """A word or sentence in ``lang``: ``label("titles.growth", "vi", years="2021–2023")``."""
    node = labels()[lang]
    for part in key.split("."):
        node = node[part]
    return node.format(**values) if values else node


# ------------------------------------------------------------------------------------------ numbers as read

STATED = 3  # decimals up to which a figure stated in a document is written (as many as it has)
_QUALIFIER_SIGNS = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "~": "≈"}
ASSESSMENTS = ("at target level", "on track", "moderate progress", "insufficient progress", "moving away",
               "too few points")


def year_span(years) -> str:
    """"2021–2023", or "2021" for one year ("—" for none)."""
    years = sorted(years)
    if not years:
        return "—"
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def document_names(documents, lang: str) -> dict[str, str]:
    """doc_id → the document as source notes and reader tables name it: its short title and date."""
    return {doc_id: f"{title} ({issued})" for doc_id, title, issued in
            zip(documents["doc_id"], documents[f"short_title_{lang}"], documents["issued"], strict=True)}


def number(value: float, lang: str, decimals: int = 2) -> str:
    """As many decimals as the figure needs, up to ``decimals``, in the language's format (``7,8`` / ``7.8``)."""
    for d in range(decimals + 1):
        if abs(round(value, d) - value) < 1e-9:
            return format_number(value, lang, d)
    return format_number(value, lang, decimals)


def value_text(value: float, unit: str, lang: str, catalog, decimals: int = STATED, qualifier: str = "",
               high: float | None = None, *, with_unit: bool = True, implied: int | None = None,
               tolerance: float | None = None) -> str:
    """A figure as a reader sees it: "> 99,2%", "135–140 triệu đồng/ha", "15.745 tỷ đồng", "hạng 27"; "" for
    a missing one. One implied by other figures (``implied``: the indicator's decimals; ``tolerance``: how far
    their rounding leaves it) is rounded as that allows and marked ≈: "≈ 21.950", not "21.949,645"."""
    if value is None or value != value:
        return ""
    if implied is not None:
        (value, decimals), qualifier = approximate(value, tolerance, implied), "~"
    text = number(value, lang, decimals)
    if qualifier == "range" and high is not None and high == high:
        text += "–" + number(high, lang, decimals)
    if unit == "%":
        text += "%"
    elif unit == "rank" and with_unit:
        text = f"{catalog.unit_label(unit, lang)} {text}"
    elif with_unit:
        text = f"{text} {catalog.unit_label(unit, lang)}"
    sign = _QUALIFIER_SIGNS.get(qualifier or "", "")
    return f"{sign} {text}" if sign else text


def approximate(value: float, tolerance: float, decimals: int) -> tuple[float, int]:
    """A value implied by other figures, as precise as their rounding allows: (21949.645, ±13.6) → (21950, 0)."""
    if not tolerance or tolerance != tolerance or tolerance <= 0:
        return value, decimals
    step = -math.floor(math.log10(tolerance))
    return round(value, step), max(step, 0)


def status_word(status: str, lang: str) -> str:
    """exceeded / met / ... or a pace assessment, in ``lang`` ("Vượt", "Đúng tiến độ")."""
    if not status:
        return ""
    return label(("assessment." if status in ASSESSMENTS else "status.") + status, lang)


def vintage_label(issued: str, basis: str, is_estimate: bool, lang: str) -> str:
    """Which vintage a result is: "ước tính, 12/2021" / "estimate, 12/2021"; "suy ra, 12/2022" / "implied,
    12/2022"; "" for a final figure."""
    parts = str(issued).split("-")
    when = f"{parts[1]}/{parts[0]}" if len(parts) > 1 else parts[0]
    if basis == "derived":
        return label("vintage.derived", lang, when=when)
    return label("vintage.estimate", lang, when=when) if is_estimate else ""
