"""Articles written to attack the site: script, event handlers, ``javascript:``/``data:`` URLs,
SVG, ``</title>``, template syntax, NUL bytes, right-to-left overrides and a 100,000-character
line, in the title, body and metadata of front-matter posts, a gov.cn page and JSON Lines rows.

They must be indexed as text and findable, and come back out only as text: on the results
page, the article page, the Atom feed, the JSON API, the suggestions, and in a real browser.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.build.documents import doc_id
from indexer.build.pipeline import build_index
from searchapp.web.app import create_app
from tests.support import open_context, running_server, watch

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg onload=alert(1)><script>alert(1)</script></svg>"
JS_URL = "javascript:alert(1)"
DATA_URL = "data:text/html,<script>alert(1)</script>"
HTTP_URL = 'https://example.org/a?b=1&c="><script>alert(1)</script>'
TEMPLATE = "{{ 7*7 }}"
RAW = "{% raw %}{% if %}{% endraw %}"
RLO = "\u202e"
LONG_LINE = ("超长一行己" + "很长的句子没有标点" * 11_200)[:100_000]

FRONT = "front.md"
DATA = "data-url.md"
HTTP = "http-url.md"
GOVCN = "www.gov.cn/zhengce/content/2024-03/04/content_9999999.htm"
ROWS = "rows.jsonl#1"
LONG = "long-line.md"
ALL = [FRONT, DATA, HTTP, GOVCN, ROWS, LONG]

# A word found only in each article (Latin, so no segmentation question arises).
WORDS = {FRONT: "xylophonia", DATA: "quixotrix", HTTP: "zephyrine", GOVCN: "marmaladix",
         ROWS: "nulvexia", LONG: "longlinix"}

# Attributes that load or run something when they hold a URL.
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc",
             "background", "content")


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_corpus(src: Path) -> None:
    src.mkdir(parents=True)
    (src / FRONT).write_text(
        "---\n"
        f"title: {_yaml(f'{SCRIPT} 恶意标题甲 {TEMPLATE} </title>')}\n"
        "date: 2024-03-01\n"
        f"author: {_yaml(IMG + ' 作者甲')}\n"
        f"categories:\n  - {_yaml(SVG)}\n  - {_yaml(TEMPLATE)}\n"
        f"tags:\n  - {_yaml('</title>' + SCRIPT)}\n  - {_yaml(RAW)}\n"
        f"url: {_yaml(JS_URL)}\n"
        "---\n"
        f"正文甲 xylophonia {SCRIPT} 然后 {TEMPLATE} 和 {RAW} 以及 {RLO}反向文本 还有 </title> 结束。\n\n"
        f"第二段 {SVG} 与 [链接]({JS_URL}) 和 ![图]({DATA_URL})。\n",
        encoding="utf-8")
    (src / DATA).write_text(
        "---\n"
        f"title: {_yaml('</title>' + RLO + '反向标题乙 ' + IMG)}\n"
        "date: 2024-03-02\nauthor: 作者乙\n"
        f"url: {_yaml(DATA_URL)}\n"
        "---\n"
        f"正文乙 quixotrix {RLO}txet desrever {TEMPLATE}\n",
        encoding="utf-8")
    (src / HTTP).write_text(
        "---\ntitle: 正常链接丙 zephyrine\ndate: 2024-03-03\nauthor: 作者丙\n"
        f"url: {_yaml(HTTP_URL)}\n"
        "---\n"
        f"正文丙 zephyrine {IMG}\n",
        encoding="utf-8")
    page = f"""<html><head><title>{_esc(SCRIPT)}</title>
<link rel="canonical" href="{JS_URL}"><script>alert(1)</script></head><body>
<table><tbody>
<tr><td><b>索 引 号：</b></td><td>000014349/2024-00001</td>
    <td><b>主题分类：</b></td><td>{_esc(TEMPLATE)}{chr(92)}{_esc(SVG)}</td></tr>
<tr><td><b>发文机关：</b></td><td>{_esc(IMG)}</td>
    <td><b>成文日期：</b></td><td>2024年03月04日</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">{_esc(SCRIPT)}政务页面丁 {_esc(TEMPLATE)}</td></tr>
<tr><td><b>发文字号：</b></td><td>{_esc(RAW)}</td>
    <td><b>发布日期：</b></td><td>2024年03月04日</td></tr>
</tbody></table>
<table><tbody><tr><td><b>主 题 词：</b></td><td>{_esc(SCRIPT)} {_esc(TEMPLATE)}</td></tr></tbody></table>
<div id="UCAP-CONTENT">
<p>政务正文丁 marmaladix {_esc(SCRIPT)} {_esc(IMG)} {_esc(TEMPLATE)} {RLO}逆序 &lt;/title&gt;</p>
<p><script>alert(2)</script><img src=x onerror=alert(3)><svg><script>alert(4)</script></svg>
<a href="{JS_URL}">点此链接</a> <a href="{_esc(DATA_URL)}">数据链接</a> {_esc(SVG)}</p>
<iframe src="{JS_URL}"></iframe><object data="{_esc(DATA_URL)}"></object>
</div></body></html>"""
    folder = src / Path(GOVCN).parent
    folder.mkdir(parents=True)
    (src / GOVCN).write_text(page, encoding="utf-8")
    # NUL characters as JSON escapes (a NUL byte early in a file makes it "binary").
    row = {"title": f"空字符戊\u0000{SCRIPT}", "content": f"正文戊 nulvexia \u0000{TEMPLATE}\u0000 {SCRIPT}",
           "date": "2024-03-05", "source": f"来源戊\u0000{SCRIPT}", "url": f"{JS_URL}\u0000",
           "category": f"{TEMPLATE}\u0000", "tags": [SCRIPT, "\u0000\u001b"]}
    (src / "rows.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    # A raw NUL byte after the binary-file probe (the first 8 KB), after the long line.
    (src / LONG).write_text(
        "---\ntitle: 超长行己 longlinix\ndate: 2024-03-06\n---\n"
        f"{LONG_LINE}\n\n末尾 longlinix 段落\x00含空字节 {SCRIPT}\n",
        encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_corpus(root / "src")
    report = build_index([root / "src"], root / "index", workers=1)
    assert report.skipped == [] and report.documents == len(ALL), report
    return root / "index"


@pytest.fixture(scope="module")
def stored(hostile_index) -> dict[str, dict]:
    with open_context(hostile_index) as ctx:
        return {d["path"]: d for d in map(ctx.view.stored, ctx.all_docs().tolist())}


@pytest.fixture(scope="module")
def hclient(hostile_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(hostile_index)}).test_client()


# --- helpers --------------------------------------------------------------------------------

def html(response) -> BeautifulSoup:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _is_script_url(value: str) -> bool:
    value = re.sub(r"[\x00-\x20]", "", value).lower()
    return value.startswith(("javascript:", "data:", "vbscript:"))


def assert_inert(soup: BeautifulSoup) -> None:
    """Only our own script; no event handlers, SVG, images, frames or script URLs."""
    scripts = soup.find_all("script")
    assert [s.get("src").split("?v=")[0] for s in scripts] == ["/static/app.js"]
    assert not scripts[0].get_text()
    # The only SVGs are the year chart's bars: one rect each.
    for svg in soup.find_all("svg"):
        assert "bar" in svg.parent["class"] and svg.find_parent(class_="year-bars")
        assert [t.name for t in svg.find_all(True)] == ["rect"]
    assert all(a["href"].startswith("/search?") for a in soup.select(".year-bars a"))
    assert soup.find_all(["img", "iframe", "object", "embed", "frame", "math", "base"]) == []
    for tag in soup.find_all(True):
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        assert not handlers, tag
        for attr in URL_ATTRS:
            value = tag.get(attr)
            if isinstance(value, str):
                assert not _is_script_url(value), tag
    # Template syntax is shown, never evaluated.
    for took in soup.select(".took"):
        took.decompose()                  # the time taken could be 49 ms
    assert "49" not in soup.get_text()


def page_titles(soup: BeautifulSoup) -> list:
    """<title> elements but the chart's own (SVG tooltips)."""
    return [t for t in soup.find_all("title") if t.find_parent("svg") is None]


def assert_marks_only(fragment: str) -> BeautifulSoup:
    """An HTML fragment of ours: text plus <mark>, nothing else."""
    soup = BeautifulSoup(fragment, "html.parser")
    assert {t.name for t in soup.find_all(True)} <= {"mark"}, fragment[:300]
    assert all(not t.attrs for t in soup.find_all(True))
    return soup


def visible(text: str) -> str:
    """A string as a page shows it: browsers drop NUL (the app may or may not)."""
    return text.replace("\x00", "").replace("\ufffd", "")


# --- indexing -------------------------------------------------------------------------------

def test_hostile_markup_is_indexed_as_text(stored):
    assert set(stored) == set(ALL)
    front = stored[FRONT]
    assert SCRIPT in front["title"] and TEMPLATE in front["title"] and "</title>" in front["title"]
    assert IMG in front["source"]
    assert SVG in front["categories"] and TEMPLATE in front["categories"]
    assert RAW in front["tags"]
    assert front["url"] == JS_URL
    assert SCRIPT in front["body"] and RAW in front["body"] and RLO in front["body"]
    assert stored[DATA]["url"] == DATA_URL and RLO in stored[DATA]["title"]
    assert stored[HTTP]["url"] == HTTP_URL
    gov = stored[GOVCN]
    assert SCRIPT in gov["title"] and gov["source"] == IMG and gov["doc_number"] == RAW
    assert SVG in gov["categories"]
    # Real elements of the page are dropped, their escaped text is kept.
    assert SCRIPT in gov["body"] and "alert(2)" not in gov["body"] and "alert(4)" not in gov["body"]
    assert "\x00" not in stored[ROWS]["title"]        # control characters are dropped
    assert stored[ROWS]["title"].startswith("空字符戊") and SCRIPT in stored[ROWS]["title"]
    assert LONG_LINE in stored[LONG]["body"]


@pytest.mark.parametrize("path", ALL)
def test_each_article_is_found_by_its_word(hclient, path):
    data = hclient.get("/api/search", query_string={"q": WORDS[path]}).get_json()
    assert [r["path"] for r in data["results"]] == [path]


@pytest.mark.parametrize("q, expected", [
    ("alert", {FRONT, DATA, GOVCN, ROWS, LONG}),
    ("script", {FRONT, GOVCN, ROWS, LONG}),
    ("反向标题乙", {DATA}),
    ("政务页面丁", {GOVCN}),
    ("很长的句子没有标点", {LONG}),
])
def test_markup_words_are_searchable(hclient, q, expected):
    data = hclient.get("/api/search", query_string={"q": q, "per_page": 100}).get_json()
    assert {r["path"] for r in data["results"]} >= expected


# --- pages ----------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["alert", "script", "7*7", "{{ 7*7 }}", "</title>", "很长的句子",
                               *WORDS.values()])
def test_results_page_shows_markup_as_text(hclient, q):
    soup = html(hclient.get("/search", query_string={"q": q}))
    assert_inert(soup)
    assert soup.title.get_text() == f"{q} - 政策文章搜索"
    assert len(page_titles(soup)) == 1


def test_results_page_titles_are_the_stored_text(hclient, stored):
    soup = html(hclient.get("/search", query_string={"q": "alert", "per_page": 100}))
    assert_inert(soup)
    shown = {visible(a.get_text()) for a in soup.select("li.hit .hit-title a")}
    assert {visible(stored[p]["title"]) for p in (FRONT, DATA, GOVCN)} <= shown
    text = soup.get_text()
    assert TEMPLATE in text and SCRIPT in text and IMG in text


def test_long_line_gives_a_short_snippet(hclient):
    started = time.perf_counter()
    soup = html(hclient.get("/search", query_string={"q": "很长的句子"}))
    assert time.perf_counter() - started < 2
    snippet = soup.select_one("li.hit .snippet").get_text()
    assert 0 < len(snippet) < 1000


@pytest.mark.parametrize("path", ALL)
@pytest.mark.parametrize("q", ["", "alert", "7*7", "script 恶意"])
def test_article_page_shows_markup_as_text(hclient, stored, path, q):
    started = time.perf_counter()
    soup = html(hclient.get(f"/articles/{doc_id(path)}", query_string={"q": q}))
    assert time.perf_counter() - started < 2
    assert_inert(soup)
    title = visible(stored[path]["title"])
    assert visible(soup.select_one("article h1").get_text()) == title
    assert len(page_titles(soup)) == 1
    assert visible(soup.title.get_text()) == f"{title} - 政策文章搜索"


@pytest.mark.parametrize("path", ALL)
def test_original_link_only_for_http_urls(hclient, stored, path):
    soup = html(hclient.get(f"/articles/{doc_id(path)}"))
    meta = soup.select_one("dl.article-meta")
    external = [a for a in soup.find_all("a", href=True) if not a["href"].startswith(("/", "#"))]
    url = stored[path].get("url") or ""
    if url.startswith(("http://", "https://")):
        assert [a["href"] for a in external] == [url]
        rel = external[0].get("rel") or []
        assert "noopener" in rel and "noreferrer" in rel
    else:
        assert external == []
        if url:                                   # shown, but as text
            assert visible(url) in meta.get_text()
    assert not any(_is_script_url(a["href"]) for a in soup.find_all("a", href=True))


def test_template_syntax_is_shown_literally(hclient):
    soup = html(hclient.get(f"/articles/{doc_id(FRONT)}"))
    body = soup.select_one(".article-body").get_text()
    assert TEMPLATE in body and RAW in body
    meta = soup.select_one("dl.article-meta").get_text()
    assert TEMPLATE in meta and RAW in meta and SVG in meta and IMG in meta
    soup = html(hclient.get(f"/articles/{doc_id(GOVCN)}"))
    assert RAW in soup.select_one("dl.article-meta").get_text()


def test_right_to_left_override_is_kept_as_text(hclient):
    soup = html(hclient.get(f"/articles/{doc_id(DATA)}"))
    assert RLO in soup.select_one("article h1").get_text()
    assert RLO + "txet desrever" in soup.select_one(".article-body").get_text()


# --- feed, API, suggestions -----------------------------------------------------------------

@pytest.mark.parametrize("q", ["alert", "nulvexia", "7*7", "</title>", "nulvexia\x01\x1b"])
def test_feed_is_well_formed_and_inert(hclient, stored, q):
    response = hclient.get("/feed", query_string={"q": q})
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)          # NUL and other control characters are not XML
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert entries
    titles = {re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", stored[p]["title"]) for p in ALL}
    for entry in entries:
        assert entry.findtext("a:title", namespaces=ns) in titles
        assert entry.find("a:link", ns).get("href").startswith("http://localhost/articles/")
        assert_marks_only(entry.findtext("a:summary", namespaces=ns))
    assert not any(_is_script_url(el.get("href", "")) for el in root.iter())
    assert not [el for el in root.iter() if el.tag.rpartition("}")[2] in ("script", "svg", "img")]


def test_api_search_fields_are_text(hclient, stored):
    response = hclient.get("/api/search", query_string={"q": "alert", "per_page": 100})
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    results = response.get_json()["results"]
    assert results
    for r in results:
        doc = stored[r["path"]]
        assert r["title"] == doc["title"]             # the stored text, unchanged
        assert r["source"] == (doc.get("source") or "")
        assert r["url"] == (doc.get("url") or "")
        assert assert_marks_only(r["title_html"]).get_text() == doc["title"]
        assert_marks_only(r["snippet_html"])


@pytest.mark.parametrize("path", ALL)
def test_api_article_is_the_stored_text(hclient, stored, path):
    response = hclient.get(f"/api/articles/{doc_id(path)}")
    assert response.mimetype == "application/json"
    data = response.get_json()
    doc = stored[path]
    for key in ("title", "body", "url", "source", "doc_number"):
        assert data[key] == (doc.get(key) or ""), key


@pytest.mark.parametrize("q", ["<", "<script", "恶意", "空字符", "{{", "</title>", RLO])
def test_suggestions_are_json_text(hclient, q):
    response = hclient.get("/api/suggest", query_string={"q": q})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    echoed, items, descriptions = response.get_json()
    assert echoed == q and all(isinstance(i, str) for i in items + descriptions)


def test_suggestions_return_hostile_titles_verbatim(hclient, stored):
    _, items, _ = hclient.get("/api/suggest", query_string={"q": "<script"}).get_json()
    assert stored[FRONT]["title"] in items and stored[GOVCN]["title"] in items


@pytest.mark.parametrize("url", ["/search?q=alert", f"/articles/{doc_id(FRONT)}", "/api/search?q=alert",
                                 "/api/suggest?q=%3C", "/feed?q=alert", "/"])
def test_csp_forbids_inline_script(hclient, url):
    response = hclient.get(url)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["object-src"] == ["'none'"]


# --- in a real browser ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_server(hostile_index):
    with running_server(hostile_index) as url:
        yield url


@pytest.mark.browser
@pytest.mark.slow
def test_no_script_runs_in_the_browser(chromium, hostile_server):
    from playwright.sync_api import expect

    context = chromium.new_context(base_url=hostile_server, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    dialogs, errors = watch(page)
    try:
        response = page.goto("/search?q=alert")
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        expect(page.locator("li.hit")).to_have_count(5)
        expect(page.locator("li.hit .hit-title a", has_text=SCRIPT).first).to_be_visible()
        assert page.locator("script").count() == 1
        assert page.locator("img, svg:not(.year-bars), iframe, object, embed").count() == 0

        for path in ALL:
            page.goto(f"/articles/{doc_id(path)}?q=alert")
            expect(page.locator("article h1")).to_be_visible()
            assert page.locator("script").count() == 1
            assert page.locator("img, svg, iframe, object, embed").count() == 0
            hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
            assert not any(_is_script_url(h) for h in hrefs), hrefs

        # Suggestions for "<script": hostile titles, drawn as text.
        page.goto("/search?q=alert")
        box = page.locator("#q")
        box.fill("")
        with page.expect_response(lambda r: "/api/suggest?" in r.url):
            box.press_sequentially("<script", delay=20)
        items = page.locator("#suggestions li")
        expect(items.first).to_be_visible()
        assert any(SCRIPT in t for t in items.all_inner_texts())
        assert page.locator("#suggestions *:not(li)").count() == 0
        box.press("ArrowDown")
        box.press("Enter")                         # searches for a hostile title
        page.wait_for_url(re.compile(r"/search\?q="))
        page.wait_for_load_state("load")
        expect(page.locator("li.hit").first).to_be_visible()
        assert page.locator("script").count() == 1

        # The policy works: an inline script added to the page does not run.
        ran = page.evaluate("""() => {
            const s = document.createElement('script');
            s.textContent = 'window.__inlineRan = true';
            document.head.appendChild(s);
            return window.__inlineRan === true;
        }""")
        assert ran is False
    finally:
        context.close()
    assert not dialogs, f"a JavaScript dialog was opened (script injection): {dialogs}"
    assert not errors, f"uncaught errors in the page: {errors}"
