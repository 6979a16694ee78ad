"""Paths and helpers shared by tests (fixtures are in ``conftest.py``)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import numpy as np
from werkzeug.serving import make_server

from searchapp.engine import opening
from searchapp.engine.compile import compile_plan
from searchapp.engine.parse import parse
from searchapp.engine.understand import understand
from searchapp.web.app import create_app

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
DATA = REPO / "tests" / "data"
CORPUS = DATA / "corpus"
EDGE = DATA / "edge"
METADATA_CORPUS = DATA / "metadata-corpus"
# Regulations, a State Council notice and a news post of the shared corpus that queries
# as people type them are about (questions, everyday forms, exact titles).
QUERY_CORPUS = DATA / "query-corpus"

# Parameters every search URL refuses with a 400, and a word the (Chinese) message names.
BAD_PARAMETERS = [
    ({"page": "-1"}, "页码"),
    ({"page": str(10**9)}, "页码"),
    ({"page": "9" * 5000}, "页码"),          # int() refuses more than 4300 digits
    ({"page": "1e3"}, "页码"),
    ({"per_page": "0"}, "每页条数"),
    ({"per_page": str(10**6)}, "每页条数"),
    ({"per_page": "ten"}, "每页条数"),
    ({"sort": "bogus"}, "排序"),
    ({"sort": "<script>alert(1)</script>"}, "排序"),
    ({"from": "2019-13-45"}, "起始日期"),
    ({"to": "abc"}, "结束日期"),
    ({"from": "2019-02-30"}, "起始日期"),
    ({"from": "2019", "to": "2018"}, "矛盾"),
    ({"year": "abc"}, "年份"),
    ({"year": "2019", "from": "2020"}, "年份"),
    ({"page": "0"}, "页码"),
    ({"page": "abc"}, "页码"),
    ({"per_page": "101"}, "每页条数"),
    ({"per_page": "1.5"}, "每页条数"),
]
# Article ids that are no article (404 on pages and in the API).
UNKNOWN_IDS = ["ffffffffffffffff", "not-an-id", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd",
               "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2e%2e%2f", "..", "%00", "%ff%fe", "a" * 10_000,
               "0" * 16 + "%0a", "0" * 16 + "%00", "0123456789ABCDEF", quote("\u202e" * 50), "x/y"]


def encoded(tokens, vocabulary):
    """(term numbers, positions) of a token stream, positions spelled out when dense."""
    numbers, positions = tokens.encode(vocabulary)
    return numbers, np.arange(len(numbers)) if positions is None else positions


def plan_of(ctx, q: str):
    """The plan of ``q`` as typed (parsed, understood and compiled as a search does)."""
    found = understand(ctx, parse(q), q, corrections=False)
    return compile_plan(found, ctx.view if ctx is not None else None)[0].query


@contextmanager
def open_context(index_dir: Path):
    """A search context over the live index in ``index_dir`` (what ``search()`` takes)."""
    ctx = opening.open_context(Path(index_dir))
    try:
        yield ctx
    finally:
        ctx.close()


@contextmanager
def running_server(index_dir: Path, **config):
    """The app for ``index_dir`` (and ``config`` settings) on a real WSGI server over loopback
    HTTP; yields its URL."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), **config})
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

FORMATS = DATA / "formats"


def formats_expected() -> list[dict]:
    """The fixtures of ``tests/data/formats``: metadata and text of each source document."""
    import json

    return json.loads((FORMATS / "expected.json").read_text(encoding="utf-8"))

def submitted(soup, button) -> str:
    """The URL a browser asks for when ``button`` (a bs4 tag) submits its GET form: the
    form's fields in document order, then the button's own name=value (buttons of the
    results page's state form stand after it), at the button's formaction or the form's
    action."""
    from urllib.parse import urlencode

    form = soup.find("form", id=button["form"]) if button.get("form") else button.find_parent("form")
    fields = [(i["name"], i.get("value", "")) for i in form.find_all("input") if i.get("name")]
    if button.get("name"):
        fields.append((button["name"], button.get("value", "")))
    action = button.get("formaction") or form["action"]
    path, _, fragment = action.partition("#")
    return f"{path}?{urlencode(fields)}" + (f"#{fragment}" if fragment else "")
