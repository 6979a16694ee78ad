"""Shared fixtures: a real index built once per session from ``tests/data/corpus``."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from indexer.analysis import segmenter
from indexer.build import build_index
from indexer.store import open_current
from searchapp import create_app
from searchapp.cli import main
from searchapp.search import scoring_model

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
EDGE = DATA / "edge"


@pytest.fixture(scope="session", autouse=True)
def _jieba():
    segmenter()


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


@pytest.fixture(scope="session")
def live_server(index_dir):
    """The app on a real WSGI server over loopback HTTP; yields its base URL."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
