"""A gov.cn page and its 附件 linked both ways (API and pages); the original file served
from the source folder only, with a safe Content-Disposition."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from bs4 import BeautifulSoup

from indexer.build.pipeline import build_index
from searchapp.web.app import create_app
from tests.support import FORMATS, UNKNOWN_IDS

ATTACHED = json.loads((FORMATS / "attached.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def attached(tmp_path_factory):
    src = tmp_path_factory.mktemp("attached") / "src"
    shutil.copytree(FORMATS / "attached", src)
    ix = tmp_path_factory.mktemp("ix")
    report = build_index([src], ix, workers=1)
    assert report.documents == 4 and not report.skipped and not report.duplicates
    return src, ix


@pytest.fixture()
def client(attached):
    return create_app({"TESTING": True, "INDEX_DIR": str(attached[1])}).test_client()


def _id(client, path):
    data = client.get("/api/search", query_string={"q": ATTACHED[0]["title"], "per_page": 50,
                                                     "all_versions": 1}).get_json()
    found = {h["path"]: h["id"] for h in data["results"]}
    if path not in found:
        data = client.get("/api/search", query_string={"q": "国务院", "per_page": 50}).get_json()
        found = {h["path"]: h["id"] for h in data["results"]}
    return found[path]


@pytest.mark.parametrize("case", ATTACHED, ids=[c["file"].rsplit(".", 1)[1] for c in ATTACHED])
def test_page_and_attachment_linked_both_ways(client, case):
    page_id, file_id = _id(client, case["page"]), _id(client, case["file"])
    page = client.get(f"/api/articles/{page_id}").get_json()
    attachment = client.get(f"/api/articles/{file_id}").get_json()
    assert [a["id"] for a in page["attachments"]] == [file_id]
    assert page["attachments"][0]["title"] == case["title"]
    assert [p["id"] for p in attachment["attachment_of"]] == [page_id]
    assert attachment["attachment_of"][0]["title"] == case["page_title"]
    # The file says nothing of its issuer, number or date: the page's are inherited.
    assert (attachment["title"], attachment["source"], attachment["doc_number"], attachment["date"]) == \
        (case["title"], case["source"], case["doc_number"], case["date"])
    assert {"source", "doc_number", "date"} <= set(attachment["inherited"])
    page_html = BeautifulSoup(client.get(f"/articles/{page_id}").data, "html.parser")
    links = page_html.select(".attachments a")
    assert [(a.get_text(), a["href"]) for a in links] == [(case["title"], f"/articles/{file_id}")]
    file_html = BeautifulSoup(client.get(f"/articles/{file_id}").data, "html.parser")
    back = file_html.select_one(".attachment-of a")
    assert (back.get_text(), back["href"]) == (case["page_title"], f"/articles/{page_id}")


def test_attachment_is_not_a_copy_of_its_page(client):
    """The 附件 shares its page's 文号 and date, yet both are listed (not collapsed)."""
    data = client.get("/api/search", query_string={"q": "子女教育"}).get_json()
    assert sorted(h["path"].rsplit("/", 1)[1] for h in data["results"]) == \
        ["P020181222597384584474.pdf", "content_5351181.htm"]


def test_original_file_served_with_a_safe_name(client, attached):
    file_id = _id(client, ATTACHED[0]["file"])
    article = client.get(f"/api/articles/{file_id}").get_json()
    assert article["file_url"] == f"/articles/{file_id}/file"
    with client.get(article["file_url"]) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"] == "inline; filename=P020181222597384584474.pdf"
        assert response.data == (attached[0] / ATTACHED[0]["file"]).read_bytes()
    with client.get(f"/articles/{_id(client, ATTACHED[1]['file'])}/file") as docx:
        assert docx.headers["Content-Disposition"] == "attachment; filename=P020181120367514329432.docx"
    page_id = _id(client, ATTACHED[0]["page"])
    assert client.get(f"/articles/{page_id}/file").status_code == 404        # a page: no file


def test_file_name_with_quotes_and_non_ascii(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(FORMATS / "docx" / "5360002.docx", src / '通知 "最终版";.docx')
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(ix)}).test_client()
    hit = client.get("/api/search", query_string={"q": "配套幼儿园"}).get_json()["results"][0]
    with client.get(f"/articles/{hit['id']}/file") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == (
            "attachment; filename=\" ___.docx\"; "
            "filename*=UTF-8''%E9%80%9A%E7%9F%A5%20_%E6%9C%80%E7%BB%88%E7%89%88__.docx")


@pytest.mark.parametrize("bad_id", UNKNOWN_IDS)
def test_file_of_unknown_ids_is_404(client, bad_id):
    with client.get(f"/articles/{bad_id}/file", follow_redirects=True) as response:
        assert response.status_code == 404


def test_never_a_path_outside_the_sources(tmp_path):
    """A symbolic link in the folder to a file elsewhere is indexed (scan reads linked files)
    but never served; nor a file whose source folder is gone."""
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(FORMATS / "docx" / "5360002.docx", outside / "secret.docx")
    src = tmp_path / "src"
    src.mkdir()
    os.symlink(outside / "secret.docx", src / "linked.docx")
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(ix)}).test_client()
    hit = client.get("/api/search", query_string={"q": "配套幼儿园"}).get_json()["results"][0]
    assert hit["path"] == "linked.docx"
    assert client.get(f"/articles/{hit['id']}/file").status_code == 404
    assert client.get(f"/api/articles/{hit['id']}").get_json()["file_url"] == ""
