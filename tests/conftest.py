"""Shared fixtures: a real index built once per session from ``tests/data/corpus``."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from indexer.build import build_index
from indexer.segment import warm_up
from indexer.store import open_current
from searchapp import create_app
from searchapp.cli import main
from searchapp.search import scoring_model

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
EDGE = DATA / "edge"


@pytest.fixture(scope="session", autouse=True)
def _dictionaries():
    warm_up(indexing=True)


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    """The test corpus indexed once (read-only for tests: copy it to change it)."""
    path = tmp_path_factory.mktemp("index")
    report = build_index([CORPUS], path, workers=1)
    assert report.documents > 5, report
    return path


@pytest.fixture()
def searcher(index_dir):
    ix, _ = open_current(index_dir)
    with ix.searcher(weighting=scoring_model()) as s:
        yield s


@pytest.fixture()
def app(index_dir):
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def cli(runner):
    """Run ``policy-search`` with arguments; returns the click Result."""
    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return invoke


@contextmanager
def running_server(index_dir: Path):
    """The app for ``index_dir`` on a real WSGI server over loopback HTTP; yields its URL."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture(scope="session")
def live_server(index_dir):
    with running_server(index_dir) as url:
        yield url


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watch(page) -> tuple[list[str], list[str]]:
    """Record JavaScript dialogs (an alert means injected script ran) and page errors."""
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return dialogs, errors
