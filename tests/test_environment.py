"""environment.yml (conda) declares the same dependencies as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml


def normalise(requirement: str) -> str:
    name, _, bound = re.match(r"([A-Za-z0-9_.\-]+)\s*(>=\s*[\d.]+)?", requirement).group(0).partition(">=")
    return f"{name.lower().replace('_', '-')}>={bound.strip()}" if bound else name.lower()


def test_environment_matches_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {normalise(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    conda = {normalise(d) for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python=", "pip"))}
    assert conda == declared
    assert any(isinstance(d, dict) and "-e ." in d.get("pip", []) for d in env["dependencies"])
