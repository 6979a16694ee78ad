"""The shape of the code: imports flow one way (``searchapp`` → ``indexer``), the engine's
modules import each other without a circle, and ``searchapp`` reaches the indexer only
through its public modules (the list in ``docs/architecture.md``, which
``tests/searchapp/test_docs.py`` checks against the imports)."""

import ast
import importlib
import re
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SECTION = (ROOT / "docs/architecture.md").read_text(encoding="utf-8").split(
    "## The `indexer` modules `searchapp` imports", 1)[1].split("\n## ", 1)[0]
PUBLIC_INDEXER = {"indexer", *re.findall(r"^- `(indexer[\w.]*)`", _SECTION, re.M)}


def modules(package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, top_level_only: bool = False) -> list[tuple[str, int, bool]]:
    """(module imported, line, inside a function) of every import statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    functions = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                 for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        local = id(node) in functions
        if top_level_only and local:
            continue
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno, local) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.module, node.lineno, local)]
            found += [(f"{node.module}.{a.name}", node.lineno, local) for a in node.names]
    return found


def test_the_indexer_never_imports_the_search_app_or_flask():
    for name, path in modules("indexer").items():
        for module, line, _ in imports(path):
            assert not module.startswith(("searchapp", "flask")), f"{name}:{line} imports {module}"


def test_the_search_app_reaches_the_indexer_through_its_public_modules():
    # ``from indexer.metadata import coverage`` names what the package exports (a function
    # here), not its submodule: a name a public module exports is public too.
    known = set(modules("indexer"))
    for name, path in modules("searchapp").items():
        for module, line, _ in imports(path):
            if module not in known or module in PUBLIC_INDEXER:
                continue
            parent, _, attr = module.rpartition(".")
            named = getattr(importlib.import_module(parent), attr, None)
            exported = (parent in PUBLIC_INDEXER and attr in importlib.import_module(parent).__all__
                        and not isinstance(named, types.ModuleType))   # a name, not a submodule
            assert exported, f"{name}:{line} imports {module}"


def engine_graph() -> dict[str, set[str]]:
    engine = modules("searchapp/engine")
    return {name: {m for m, _, _ in imports(path, top_level_only=True) if m in engine and m != name}
            for name, path in engine.items()}


def test_the_engine_has_no_import_circle():
    graph = engine_graph()
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for other in graph[name]:
            assert state.get(other) != 1, " → ".join([*path, name, other])
            if other not in state:
                visit(other, [*path, name])
        state[name] = 2

    for name in graph:
        if name not in state:
            visit(name, [])


def test_no_engine_function_imports_a_module_of_the_engine():
    # A function-local import of a sibling module is how an import circle hides. (The
    # indexer's converters import their readers in the child process that needs them,
    # to keep PDF and Word libraries out of the build's own processes.)
    own = set(modules("searchapp/engine"))
    for name, path in modules("searchapp/engine").items():
        for module, line, local in imports(path):
            assert not (local and module in own), f"{name}:{line} imports {module} in a function"
