"""Reading the project's YAML files with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from indicators.errors import IndicatorsError


class LineDict(dict):
    """A mapping read from YAML that remembers the line it starts on (``.line``, 1-based)."""

    line: int = 0


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    keys = [loader.construct_object(k) for k, _ in node.value]
    duplicates = sorted({k for k in keys if keys.count(k) > 1}, key=str)
    if duplicates:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate key {duplicates[0]!r}", node.start_mark)
    data = LineDict(loader.construct_mapping(node, deep=True))
    data.line = node.start_mark.line + 1
    return data


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; mappings come back as :class:`LineDict` (they know their line)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IndicatorsError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise IndicatorsError(f"{path}: not UTF-8") from None
    except OSError as err:  # a folder, no permission
        raise IndicatorsError(f"{path}: cannot read it ({err.strerror})") from None
    try:
        _no_aliases(path, text)
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f":{mark.line + 1}" if mark else ""
        raise IndicatorsError(f"{path}{where}: YAML syntax error: {err.problem or err}") from None
    except yaml.YAMLError as err:
        raise IndicatorsError(f"{path}: YAML syntax error: {err}") from None


def _no_aliases(path: Path, text: str) -> None:
    """Refuse a YAML alias (``*name``): the project's files need none, and anchors repeated by aliases can make a
    small file expand to gigabytes (a "billion laughs")."""
    for event in yaml.parse(text, Loader=_LineLoader):
        if isinstance(event, yaml.AliasEvent):
            raise IndicatorsError(f"{path}:{event.start_mark.line + 1}: a YAML alias (*{event.anchor}); write the "
                                  "value itself")


def check_fields(path: Path, where: str, entry: dict, required: set[str], optional: set[str] = frozenset()) -> None:
    """Refuse an entry with a missing or an unknown field."""
    if not isinstance(entry, dict):
        raise IndicatorsError(f"{path}: {where}: expected a mapping, got {type(entry).__name__}")
    path = f"{path}:{entry.line}" if getattr(entry, "line", 0) else path
    missing = sorted(required - entry.keys())
    unknown = sorted(entry.keys() - required - optional)
    if missing:
        raise IndicatorsError(f"{path}: {where}: missing field(s) {', '.join(missing)}")
    if unknown:
        raise IndicatorsError(f"{path}: {where}: unknown field(s) {', '.join(unknown)}")
