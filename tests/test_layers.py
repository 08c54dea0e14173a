"""The package's structure: imports run one way (no circle), analytics in layers, the runner below the batch,
no import inside a function but of a heavy dependency, no long function, and only the loaders read."""

from __future__ import annotations

import ast
from pathlib import Path

import indicators

PACKAGE = Path(indicators.__file__).parent
# statements → comparisons and audits → briefing → charts: a layer imports only those before it.
LAYERS = ["statements", "comparisons", "audits", "findings", "briefing", "charts"]
ABOVE = {"statements": {"comparisons", "audits", "briefing", "findings", "charts", "page"},
         "comparisons": {"audits", "briefing", "findings", "charts", "page"},
         "audits": {"comparisons", "briefing", "findings", "charts", "page"},
         "findings": {"briefing", "charts", "page"},
         "briefing": {"page"},
         "charts": {"briefing", "comparisons", "audits", "statements", "findings", "page", "tables"},
         "runner": {"batch", "cli", "build"},
         "tables": {"runner", "batch", "briefing", "page", "build", "cli", "sources"},
         "sources": {"tables", "schemas", "runner", "batch", "build"}}
# Imported inside a function only: heavy dependencies a command or a step needs (seconds to import, or a
# cluster's client), so that the rest does not pay for them: a rerun of the batch with nothing changed imports
# neither pandas nor papermill. The command line loads the module of its command.
HEAVY = {"papermill", "nbconvert", "nbformat", "jupyter_client", "ipykernel", "distributed", "scipy", "pandas"}


def imports() -> dict[str, set[str]]:
    """Module → the package's modules it imports, at the top or inside a function."""
    graph = {}
    for path in PACKAGE.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module} if node.module else {a.name for a in node.names}
        graph[path.stem] = found - {path.stem}
    return graph


def test_no_import_circle():
    graph = imports()
    state: dict[str, int] = {}

    def visit(module, trail):
        state[module] = 1
        for other in graph.get(module, ()):
            assert state.get(other) != 1, " → ".join([*trail, module, other])
            if other not in state:
                visit(other, [*trail, module])
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module, [])


def test_analytics_layers_import_only_downwards():
    graph = imports()
    for layer, forbidden in ABOVE.items():
        assert not graph[layer] & forbidden, (layer, graph[layer] & forbidden)


def test_only_the_loaders_read_tables():
    """No function of the analytics and charts quietly loads a table: they take the tables they need."""
    for module in LAYERS:
        tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            calls = {c.func.id for c in ast.walk(function) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
            if "load_table" in calls:
                assert (module, function.name) in {("briefing", "load_tables"), ("briefing", "plan_vs_actual")}, (
                    module, function.name)


def test_no_import_inside_a_function_but_of_a_heavy_dependency():
    found = []
    for path in PACKAGE.glob("*.py"):
        for function in (n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                         if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            for node in (n for n in ast.walk(function) if isinstance(n, ast.Import | ast.ImportFrom)):
                names = [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else \
                    [a.name for a in node.names] if isinstance(node, ast.Import) else ["."]
                local = names == ["."]
                if (local and path.stem != "cli") or (not local and not {n.split(".")[0] for n in names} <= HEAVY):
                    found.append(f"{path.name}:{node.lineno} {function.name}: {ast.unparse(node)}")
    assert not found, found


def test_no_function_longer_than_60_lines():
    long = [f"{path.name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for path in PACKAGE.glob("*.py") for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60]
    assert not long, long
