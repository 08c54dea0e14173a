"""The words charts and notebooks show, in Vietnamese and English (``labels.yml``); indicator names
and units come from the catalog, document titles from ``data/raw/sources.yml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .yamlfile import read_yaml

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
