"""Accessibility basics and Chinese messages on every page: one <h1>, a skip link to #main,
the search box as an ARIA combobox with its listbox; 404/405/400 pages in Chinese."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from indexer.build.documents import doc_id

ROAD = "metadata-corpus/lawrefbook-laws/行政法规/道路运输条例({}).md"
PAGES = ["/", "/search?q=条例", "/search?q=qwxzvbn", "/search?q=条例&from=abc", "/advanced",
         f"/articles/{doc_id(ROAD.format('2019-03-02'))}",
         f"/articles/{doc_id(ROAD.format('2019-03-02'))}/compare/{doc_id(ROAD.format('2023-07-20'))}",
         "/no-such-page", "/articles/ffffffffffffffff"]
ENGLISH = re.compile(r"Not Found|Bad Request|Method Not Allowed|requested URL|server|browser", re.I)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_one_h1_a_skip_link_and_the_combobox(metadata_client, path):
    response = metadata_client.get(path)
    assert response.status_code in (200, 400, 404)
    soup = soup_of(response)
    assert len(soup.find_all("h1")) == 1
    skip = soup.body.find("a")
    assert skip["href"] == "#main" and skip.get_text() == "跳到主要内容"
    assert soup.select_one("main")["id"] == "main"
    box = soup.select_one("input#q")
    assert (box["role"], box["aria-expanded"], box["aria-autocomplete"], box["aria-controls"]) == (
        "combobox", "false", "list", "suggestions")
    listbox = soup.select_one("#suggestions")
    assert listbox["role"] == "listbox" and listbox["aria-label"] == "搜索建议"
    assert soup.find("label", attrs={"for": "q"}).get_text() == "搜索关键词"
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), path
    assert soup.html["lang"] == "zh-CN"


@pytest.mark.parametrize("method, path, status, title", [
    ("get", "/no-such-page", 404, "404 · 页面不存在"),
    ("get", "/static/none.css", 404, "404 · 页面不存在"),
    ("post", "/search", 405, "405 · 不支持的请求方法"),
])
def test_error_pages_are_chinese(client, method, path, status, title):
    response = getattr(client, method)(path)
    assert response.status_code == status
    soup = soup_of(response)
    assert soup.h1.get_text() == title
    assert not ENGLISH.search(soup.select_one("main").get_text()), soup.select_one("main").get_text()
    assert re.search(r"[\u4e00-\u9fff]", soup.select_one(".error-page p").get_text())


def test_api_errors_are_chinese(client):
    data = client.get("/api/nothing").get_json()
    assert (data["error"], data["status"]) == ("页面不存在", 404)
    assert not ENGLISH.search(data["detail"])
    data = client.post("/api/search").get_json()
    assert data["error"] == "不支持的请求方法" and not ENGLISH.search(data["detail"])
