"""Paths and helpers shared by tests (fixtures are in ``conftest.py``)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from indexer.storage import generations as store
from indexer.storage.view import IndexView
from searchapp.engine.context import SearchContext
from searchapp.web.app import create_app

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
DATA = REPO / "tests" / "data"
CORPUS = DATA / "corpus"
EDGE = DATA / "edge"


@contextmanager
def open_context(index_dir: Path):
    """A search context over the live index in ``index_dir`` (what ``search()`` takes)."""
    ix, _ = store.open_current(Path(index_dir))
    ctx = SearchContext(IndexView(ix))
    try:
        yield ctx
    finally:
        ctx.close()


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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


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
