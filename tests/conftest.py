"""Shared fixtures: a real index built once per session from ``tests/data/corpus``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.analysis.segmenter import warm_up
from indexer.build.pipeline import build_index
from searchapp.cli import main
from searchapp.web.app import create_app
from tests.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CORPUS,
    METADATA_CORPUS,
    QUERY_CORPUS,
    open_context,
    running_server,
)


@pytest.fixture(scope="session", autouse=True)
def _dictionaries():
    warm_up(indexing=True)


@pytest.fixture(scope="session", autouse=True)
def _own_data_folder(tmp_path_factory):
    """The user's data folder (where the index goes when no folder is named) is a temporary
    one, for this process and the servers it starts: a test never writes into the home."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    """The test corpus indexed once (read-only for tests: copy it to change it)."""
    path = tmp_path_factory.mktemp("index")
    report = build_index([CORPUS], path, workers=1)
    assert report.documents > 5, report
    return path


@pytest.fixture()
def searcher(index_dir):
    """A search context over the fixture index (what ``search()`` takes)."""
    with open_context(index_dir) as ctx:
        yield ctx


@pytest.fixture(scope="session")
def metadata_index_dir(tmp_path_factory) -> Path:
    """The test corpus and the metadata corpus (versions, duplicates, citations) indexed."""
    path = tmp_path_factory.mktemp("metadata-index")
    build_index([CORPUS, METADATA_CORPUS], path, workers=1)
    return path


@pytest.fixture(scope="session")
def query_index_dir(tmp_path_factory) -> Path:
    """The test, metadata and query corpora indexed."""
    path = tmp_path_factory.mktemp("query-index")
    build_index([CORPUS, METADATA_CORPUS, QUERY_CORPUS], path, workers=1)
    return path


@pytest.fixture()
def metadata_client(metadata_index_dir):
    return create_app({"TESTING": True, "INDEX_DIR": str(metadata_index_dir)}).test_client()


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


@pytest.fixture(scope="session")
def live_server(index_dir):
    with running_server(index_dir) as url:
        yield url


@pytest.fixture(scope="session")
def metadata_live_server(metadata_index_dir):
    """The metadata index (versions, citations, two sources) served over loopback HTTP."""
    with running_server(metadata_index_dir) as url:
        yield url



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

