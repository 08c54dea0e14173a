"""The package's structure: imports run one way (no circle), analytics in layers, the runner below the batch,
no import inside a function (a heavy module is named at the top with ``lazy.module``), no long function, and only
the loaders read."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import indicators

PACKAGE = Path(indicators.__file__).parent
# The stages, each a subpackage, in the order the data flow: a stage imports only from those before it (and
# from the core modules beside them: errors, paths, yamlfile, atomic, validate, lazy, tableset); build and cli use
# them all.
STAGES = ["read", "tables", "analyse", "brief", "run"]
CORE = {"errors", "paths", "yamlfile", "atomic", "validate", "lazy", "tableset", "__init__"}
# statements → comparisons and audits → briefing → charts: a layer imports only those before it.
LAYERS = ["statements", "comparisons", "audits", "findings", "briefing", "charts"]
ABOVE = {"statements": {"comparisons", "audits", "briefing", "findings", "charts", "page"},
         "comparisons": {"audits", "briefing", "findings", "charts", "page"},
         "audits": {"comparisons", "briefing", "findings", "charts", "page"},
         "findings": {"briefing", "charts", "page"},
         "briefing": {"page"},
         "charts": {"briefing", "comparisons", "audits", "statements", "findings", "page", "tables"},
         "runner": {"batch", "cli", "build"},
         "processes": {"runner", "batch", "warm", "cli", "build"},
         "tables": {"runner", "batch", "briefing", "page", "build", "cli", "sources"},
         "sources": {"tables", "schemas", "runner", "batch", "build"}}


def modules() -> dict[str, Path]:
    """Module name (the last part: ``batch``; a subpackage's ``__init__`` by its package: ``tables``) → file."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.parent.name if path.stem == "__init__" and path.parent != PACKAGE else path.stem
        found[name] = path
    return found


def stage(name: str) -> str:
    path = modules()[name]
    return path.parent.name if path.parent != PACKAGE else ("" if name in CORE else "top")


def lazy_name(node: ast.AST) -> str | None:
    """The module a ``lazy.module("...")`` call names."""
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "lazy.module" and node.args:
        return node.args[0].value
    return None


def imports() -> dict[str, set[str]]:
    """Module → the package's modules it imports, at the top or inside a function, or names with
    ``lazy.module``."""
    known = modules()
    graph = {}
    for name, path in known.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "indicators":
                leaf = node.module.split(".")[-1]
                found |= {leaf} if leaf in known and leaf != "indicators" else set()
                found |= {a.name for a in node.names if a.name in known}
            if (lazy_name(node) or "").startswith("indicators."):
                found.add(lazy_name(node).split(".")[-1])
            assert not (isinstance(node, ast.ImportFrom) and node.level), f"{path}: a relative import"
        graph[name] = found - {name}
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


def test_each_stage_imports_only_from_the_stages_before_it():
    graph = imports()
    for module, used in graph.items():
        own = stage(module)
        for other in used:
            theirs = stage(other)
            if own == "":  # a core module uses only core modules
                assert theirs == "", (module, other)
            elif own != "top" and theirs not in ("", own):
                assert theirs != "top" and STAGES.index(theirs) < STAGES.index(own), (module, other)


def test_analytics_layers_import_only_downwards():
    graph = imports()
    for layer, forbidden in ABOVE.items():
        assert not graph[layer] & forbidden, (layer, graph[layer] & forbidden)


def test_only_the_loaders_read_tables():
    """No function of the analytics and charts quietly loads a table: they take the tables they need."""
    for module in LAYERS:
        tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            calls = {c.func.id for c in ast.walk(function) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
            if "load_table" in calls:
                assert (module, function.name) in {("briefing", "load_tables"), ("briefing", "plan_vs_actual")}, (
                    module, function.name)


# The functions whose job is importing: the package's exports on first use (PEP 562), ``lazy`` (a deferred module
# on first use, or now: before the batch forks its workers), and the warm process importing what a kernel will
# need before it forks kernels.
IMPORTERS = {("__init__", "__getattr__"), ("lazy", "__getattr__"), ("lazy", "load"), ("warmserver", "preload")}


def test_no_import_inside_a_function():
    """Every import is at the top of its module; a heavy one deferred with ``lazy.module`` is named there too."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for function in (n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                         if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            found += [f"{path.name}:{node.lineno} {function.name}: {ast.unparse(node)}" for node in ast.walk(function)
                      if isinstance(node, ast.Import | ast.ImportFrom) or lazy_name(node)]
            found += [f"{path.name}:{node.lineno} {function.name}: {ast.unparse(node)}" for node in ast.walk(function)
                      if isinstance(node, ast.Call) and "import_module" in ast.unparse(node.func)
                      and (path.stem, function.name) not in IMPORTERS]
    assert not found, found


def test_no_function_longer_than_60_lines():
    long = [f"{path.name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for path in PACKAGE.rglob("*.py") for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60]
    assert not long, long


def test_the_command_line_and_the_batch_planning_import_nothing_heavy():
    """What ``lazy.module`` is for: a rerun with nothing changed needs neither pandas nor papermill."""
    probe = ("import sys; from indicators import cli; from indicators.run import batch; "
             "cli.parser().parse_args(['batch']); print(sorted({'pandas', 'papermill', 'nbconvert', 'matplotlib', "
             "'jupyter_client', 'scipy', 'statsmodels'} & set(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
