"""Incremental builds of document files: the same size/mtime/hash rules as other files, and
a 附件 read again when the page beside it that lends it metadata changes."""

from __future__ import annotations

import json
import shutil

from indexer.build.pipeline import build_index
from indexer.storage import generations as store
from tests.support import FORMATS

ATTACHED = json.loads((FORMATS / "attached.json").read_text(encoding="utf-8"))


def _meta(ix, path):
    files = store.current(ix).read_json(store.MANIFEST, {})["files"]
    return json.loads(files[path]["docs"][0]["meta"])


def test_unchanged_documents_are_not_converted_again(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(FORMATS / "pdf", src)
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    again = build_index([src], ix, workers=1)
    assert (again.unchanged, again.added, again.updated) == (12, 0, 0)
    (src / "5360002.pdf").touch()                      # new mtime, same bytes: hashed only
    touched = build_index([src], ix, workers=1)
    assert (touched.unchanged, touched.updated) == (12, 0)


def test_attachment_read_again_when_its_page_changes(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(FORMATS / "attached", src)
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    case = ATTACHED[0]
    assert _meta(ix, case["file"])["source"] == "国务院"
    page = src / case["page"]
    html = page.read_bytes().replace("<td>国务院</td>".encode(), "<td>国务院办公厅</td>".encode(), 1)
    page.write_bytes(html)
    report = build_index([src], ix, workers=1)
    assert report.updated == 2                       # the page and the file beside it
    assert _meta(ix, case["file"])["source"] == "国务院办公厅"
    # The page gone: the file keeps only what it says itself.
    page.unlink()
    report = build_index([src], ix, workers=1)
    assert report.removed == 1 and report.updated == 1
    assert "source" not in _meta(ix, case["file"])
