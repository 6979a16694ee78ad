"""A folder with nothing readable gives an index that ``serve`` and ``search`` answer: the
home page says what was skipped and why; ``reindex`` counts and names what it passed over."""

from __future__ import annotations

import json
import shutil
import urllib.request

import pytest
from bs4 import BeautifulSoup

from tests.support import FORMATS, running_server


@pytest.fixture()
def unreadable(tmp_path):
    """Only files the indexer cannot read: an encrypted PDF, a truncated .docx, a scanned
    PDF (OCR off), slides and a picture."""
    src = tmp_path / "unreadable"
    src.mkdir()
    shutil.copy(FORMATS / "bad" / "encrypted.pdf", src / "加密.pdf")
    data = (FORMATS / "docx" / "5360002.docx").read_bytes()
    (src / "truncated.docx").write_bytes(data[: len(data) // 2])
    shutil.copy(FORMATS / "scanned" / "5344150.pdf", src / "scan.pdf")
    (src / "slides.pptx").write_bytes(b"PK\x03\x04 not read")
    (src / "photo.jpg").write_bytes(b"\xff\xd8\xff not read")
    return src


@pytest.mark.parametrize("folder", ["empty", "unreadable"])
def test_reindex_says_what_it_passed_over_and_search_answers(tmp_path, cli, unreadable, folder):
    src = unreadable if folder == "unreadable" else tmp_path / "empty"
    src.mkdir(exist_ok=True)
    ix = tmp_path / "ix"
    result = cli("reindex", src, "--index-dir", ix)
    assert result.exit_code == 0, result.output
    assert "0 documents in the index" in result.output
    if folder == "empty":
        assert "no file of a kind the indexer reads was found" in result.output
    else:
        assert "skipped 加密.pdf: encrypted PDF (needs a password)（PDF 已加密，需要密码）" in result.output
        assert "skipped scan.pdf: scanned PDF without a text layer (reindex --ocr reads it)" in result.output
        assert "skipped truncated.docx: damaged or truncated file" in result.output
        assert "passed over 2 files of kinds not read (未读取的文件类型): .jpg 1, .pptx 1" in result.output
        assert "  not read photo.jpg" in result.output and "  not read slides.pptx" in result.output
    found = cli("search", "通知", "--index-dir", ix, "--json")
    assert found.exit_code == 0, found.output
    assert json.loads(found.output)["total"] == 0
    assert cli("stats", "--index-dir", ix).exit_code == 0


def test_empty_index_is_served_with_what_was_skipped(tmp_path, cli, unreadable):
    ix = tmp_path / "ix"
    cli("reindex", unreadable, "--index-dir", ix)
    with running_server(ix) as url:
        home = BeautifulSoup(urllib.request.urlopen(url + "/").read(), "html.parser")
        empty = home.select_one(".empty-index")
        assert empty.h2.get_text() == "索引中还没有文章"
        items = [li.get_text(" ", strip=True) for li in empty.select(".skipped li")]
        assert "加密.pdf ：PDF 已加密，需要密码 (encrypted PDF (needs a password))" in items
        assert any(i.startswith("scan.pdf ：扫描件，没有文字层") for i in items)
        assert [li.get_text() for li in empty.select(".passed-over li")] == ["photo.jpg", "slides.pptx"]
        results = urllib.request.urlopen(url + "/search?q=%E9%80%9A%E7%9F%A5")
        assert results.status == 200
        api = json.loads(urllib.request.urlopen(url + "/api/search?q=%E9%80%9A%E7%9F%A5").read())
        assert api["total"] == 0 and api["results"] == []
        health = json.loads(urllib.request.urlopen(url + "/healthz").read())
        assert health["documents"] == 0
