"""Scanned PDFs through OCR (off unless asked, cached by file hash, marked in the index and
on the page) and spreadsheets (a list of documents: one per row; a table: one per sheet)."""

from __future__ import annotations

import json
import shutil

import pytest
from bs4 import BeautifulSoup

from indexer.build.pipeline import OCR_CACHE, build_index
from indexer.sources.documents import ConvertOptions
from indexer.sources.documents.ocr import available
from searchapp.web.app import create_app
from tests.support import FORMATS, formats_expected

needs_tesseract = pytest.mark.skipif(not available(), reason="Tesseract with chi_sim not installed")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    src = tmp_path_factory.mktemp("scans") / "src"
    src.mkdir()
    for name in ("5344146.pdf", "5344150.pdf"):
        shutil.copy(FORMATS / "scanned" / name, src / name)
    shutil.copy(FORMATS / "pdf" / "5360002.pdf", src / "text.pdf")
    return src


def test_scan_without_ocr_is_skipped_with_the_way_to_read_it(scanned, tmp_path):
    report = build_index([scanned], tmp_path / "ix", workers=1)
    reason = "scanned PDF without a text layer (reindex --ocr reads it)"
    assert dict(report.skipped) == {"5344146.pdf": reason, "5344150.pdf": reason}
    assert report.documents == 1


@needs_tesseract
def test_scan_read_by_ocr_marked_and_cached(scanned, tmp_path, monkeypatch):
    ix = tmp_path / "ix"
    build_index([scanned], ix, workers=1)                         # OCR off: the scan is skipped
    report = build_index([scanned], ix, workers=1, convert=ConvertOptions(ocr=True))
    assert not report.skipped and report.documents == 3
    cached = list((ix / OCR_CACHE).glob("*.json"))
    assert len(cached) == 2
    client = create_app({"TESTING": True, "INDEX_DIR": str(ix)}).test_client()
    expected = {d["id"]: d for d in formats_expected()}
    for doc_id, phrase, pages in (("5344150", "国家自主创新示范区", [1, 2]),
                                  ("5344146", "国家教材委员会", [1, 2, 3, 4])):
        doc = expected[doc_id]
        hits = client.get("/api/search", query_string={"q": phrase}).get_json()["results"]
        hit = next(h for h in hits if h["path"] == f"{doc_id}.pdf")
        # The title is the document's (not the file's), and OCR reads every field as printed:
        # the scan is read at its own resolution and the date line a second time, larger.
        assert (hit["title"], hit["doc_number"], hit["source"], hit["date"]) == \
            (doc["title"], doc["doc_number"], doc["source"], doc["date"])
        assert f"<mark>{phrase}</mark>" in hit["snippet_html"]
        article = client.get(f"/api/articles/{hit['id']}").get_json()
        assert (article["ocr"], article["ocr_pages"], article["page_count"]) == (True, pages, len(pages))
    page = BeautifulSoup(client.get(f"/articles/{hit['id']}").data, "html.parser")
    assert page.select_one(".ocr-notice").get_text(strip=True) == \
        "本文件为扫描件，文字由 OCR 识别，可能有错字，请以原文件为准。"
    # A full rebuild reads the scan from the cache: Tesseract is not even on PATH now.
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    again = build_index([scanned], ix, full=True, workers=1, convert=ConvertOptions(ocr=True))
    assert not again.skipped and again.documents == 3


def _sheet_client(tmp_path, name):
    """An index of one workbook (the .xls repeats rows of the .xlsx: they would be copies)."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(FORMATS / "sheets" / name, src / name)
    ix = tmp_path / "ix"
    report = build_index([src], ix, workers=1)
    assert not report.skipped
    return create_app({"TESTING": True, "INDEX_DIR": str(ix)}).test_client()


@pytest.mark.parametrize("name", ["文件清单.xlsx", "文件清单2018.xls"])
def test_list_of_documents_gives_one_per_row(tmp_path, name):
    client = _sheet_client(tmp_path, name)
    docs = [d for d in formats_expected() if name == "文件清单.xlsx" or d["date"].startswith("2018")]
    for row, doc in enumerate(docs, start=2):
        hits = client.get("/api/search", query_string={"q": doc["doc_number"], "all_versions": 1}).get_json()
        hit = next(h for h in hits["results"] if h["path"] == f"{name}#{row}")
        assert (hit["title"], hit["doc_number"], hit["source"], hit["date"]) == \
            (doc["title"], doc["doc_number"], doc["source"], doc["date"])
    # A row's text cell is its body: found by a phrase of it, highlighted in the snippet.
    row = 2 + [d["id"] for d in docs].index("5344146")
    hits = client.get("/api/search", query_string={"q": "国家教材委员会"}).get_json()["results"]
    hit = next(h for h in hits if h["path"] == f"{name}#{row}")
    assert "国务院决定对<mark>国家教材委员会</mark>组成人员进行调整" in hit["snippet_html"]


def test_table_that_is_no_list_is_one_document(tmp_path):
    client = _sheet_client(tmp_path, "成员单位.xlsx")
    hits = client.get("/api/search", query_string={"q": "孙春兰"}).get_json()["results"]
    hit = next(h for h in hits if h["path"] == "成员单位.xlsx")
    assert hit["title"] == "国务院职业教育工作部际联席会议成员名单"
    assert "<mark>孙春兰</mark>" in hit["snippet_html"]
    body = client.get(f"/api/articles/{hit['id']}").get_json()["body"]
    assert body.split("\n")[:2] == ["职务 姓名 单位职务", "召集人 孙春兰 国务院副总理"]


def test_expected_fixture_list_is_complete():
    """Every fixture file is covered by expected.json (the tests above and bench/formats.py)."""
    expected = {(f, d["id"]) for d in formats_expected() for f in d["formats"]}
    suffix = {"scanned": ".pdf", "wps": ".wps"}
    for folder in ("pdf", "docx", "doc", "wps", "odt", "ofd", "scanned"):
        files = {p.name for p in (FORMATS / folder).iterdir()}
        assert files == {f"{i}{suffix.get(folder, '.' + folder)}" for f, i in expected if f == folder}
    assert json.loads((FORMATS / "attached.json").read_text(encoding="utf-8"))
