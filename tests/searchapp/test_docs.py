"""The documentation keeps up with the code (Datasette's docs-coverage tests): every setting,
command, option and URL is in docs/, the list of ``indexer`` modules ``searchapp`` imports is
the real one, and the README stays a short start that links the rest."""

from __future__ import annotations

import ast
import importlib
import re
import types

import pytest

from searchapp.cli import main
from searchapp.config import SETTINGS
from searchapp.web.app import create_app
from tests.support import REPO

DOCS = REPO / "docs"
README = (REPO / "README.md").read_text(encoding="utf-8")


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_every_setting_is_documented():
    documented = set(re.findall(r"`POLICY_SEARCH_([A-Z_]+)`", doc("configuration.md")))
    assert {s.name for s in SETTINGS} <= documented, {s.name for s in SETTINGS} - documented


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_and_option_is_documented(name):
    text = doc("cli.md")
    assert f"`policy-search {name}" in text
    command = main.commands[name]
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert opt in text, (name, opt)


def test_every_url_is_documented(tmp_path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)})
    text = doc("api.md")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        shown = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "<" + {"article_id": "id", "old_id": "a",
                                                              "new_id": "b"}[m[1]] + ">", rule.rule)
        assert f"`{shown}" in text, rule.rule


def imported_indexer_modules() -> set[str]:
    """The ``indexer`` modules that ``searchapp``'s code imports (``from indexer.x import y``
    counts as ``indexer.x.y`` when ``y`` is a module, not a name ``indexer.x`` exports)."""
    found = set()
    for path in (REPO / "searchapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "indexer":
                module = importlib.import_module(node.module)
                for alias in node.names:
                    named = getattr(module, alias.name, None)
                    found.add(named.__name__ if isinstance(named, types.ModuleType) else node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.split(".")[0] == "indexer"}
    return found


def test_architecture_lists_the_indexer_modules_searchapp_imports():
    text = doc("architecture.md")
    section = text.split("## The `indexer` modules `searchapp` imports", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^- `(indexer[\w.]*)`$", section, re.M))
    assert listed == imported_indexer_modules()


def test_readme_is_a_short_start_that_links_the_rest():
    assert len(README.splitlines()) <= 150
    assert "python3 -m venv" in README                           # stock Debian refuses pip outside one
    assert "pip install -e '.[test]' && pytest" in README        # the test command .ci/run runs
    assert "policy-search serve" in README
    for name in ("cli", "api", "configuration", "deployment", "benchmarks", "architecture",
                 "formats", "metadata", "query"):
        assert f"(docs/{name}.md)" in README, name
    for name in ("cli", "api", "configuration", "deployment", "benchmarks", "architecture"):
        assert (DOCS / f"{name}.md").exists(), name


def test_images_the_docs_show_exist():
    for name in ("README.md", *(f"docs/{p.name}" for p in DOCS.glob("*.md"))):
        text = (REPO / name).read_text(encoding="utf-8")
        base = REPO / name.rsplit("/", 1)[0] if "/" in name else REPO
        for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
            assert (base / image).exists(), (name, image)
