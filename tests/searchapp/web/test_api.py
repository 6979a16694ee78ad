"""The JSON API: /api/search, /api/articles/<id> and /api/suggest (test client and real HTTP)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from indexer.build.documents import doc_id
from tests.support import BAD_PARAMETERS

GOVCN_5 = "govcn-pages/www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
GOVCN_707 = "govcn-pages/www.gov.cn/zhengce/content/2018-12/22/content_5351177.htm"
IIT = "lawrefbook-laws/行政法规/个人所得税法实施条例(2018-12-18).md"
SPRING = "hexo-rsshub-posts/source/_posts/新媒体/ZAKER/source/2022年春运今日开启.md"
IIT_TITLE = "中华人民共和国个人所得税法实施条例"

TOP_KEYS = {"query", "total", "page", "pages", "took_ms", "fallback", "partial_total", "timed_out",
            "corrected_query", "did_you_mean", "results", "facets", "understood", "best_match"}
RESULT_KEYS = {"id", "path", "title", "title_html", "snippet_html", "date", "source", "doc_number",
               "categories", "url", "score", "missing", "doc_type", "level", "region", "status",
               "status_basis", "published_date", "effective_date", "versions_count",
               "cited_by_count", "sources", "page"}
FACETS = {"source", "category", "year", "doc_type", "level", "region", "status"}
ARTICLE_KEYS = {"id", "path", "title", "date", "published_date", "written_date", "source",
                "doc_number", "categories", "tags", "url", "doc_type", "level", "region",
                "effective_date", "history", "status", "status_basis", "versions", "versions_count",
                "sources", "cites", "cited_by", "body",
                # document files (docs/formats.md)
                "file_kind", "file_url", "page_count", "ocr", "ocr_pages", "attachments",
                "attachment_of", "inherited"}


def api(client, path: str = "/api/search", status: int = 200, **params):
    response = client.get(path, query_string=params or None)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    return response.get_json()


def check_shape(data: dict) -> None:
    assert set(data) - {"message"} == TOP_KEYS
    assert isinstance(data["total"], int) and isinstance(data["pages"], int)
    assert isinstance(data["took_ms"], int | float) and data["took_ms"] >= 0
    assert isinstance(data["fallback"], bool)
    assert set(data["facets"]) <= FACETS
    for values in data["facets"].values():
        for item in values:
            assert set(item) == {"value", "count"}
            assert isinstance(item["value"], str) and isinstance(item["count"], int)
    for result in data["results"]:
        assert set(result) == RESULT_KEYS
        for key in ("categories", "missing", "sources"):
            assert isinstance(result[key], list), key
        assert isinstance(result["score"], int | float)
        assert isinstance(result["versions_count"], int) and isinstance(result["cited_by_count"], int)
        assert isinstance(result["page"], int) and result["page"] >= 0
        for key in RESULT_KEYS - {"page", "categories", "score", "missing", "sources", "versions_count",
                                  "cited_by_count"}:
            assert isinstance(result[key], str), key


def test_search_shape_and_values_for_document_number(client):
    data = api(client, q="国令第707号")
    check_shape(data)
    assert data["query"] == "国令第707号"
    assert (data["total"], data["page"], data["pages"], data["fallback"]) == (1, 1, 1, False)
    [first] = data["results"]             # the page and the file of the decree: one entry
    assert first == {
        "id": doc_id(IIT),
        "path": IIT,
        "title": IIT_TITLE,
        "title_html": IIT_TITLE,
        "snippet_html": first["snippet_html"],
        "page": 0,
        "date": "2018-12-18",
        "source": "国务院",
        "doc_number": "国务院令第707号",
        "categories": [],
        "url": "",
        "score": first["score"],
        "missing": [],
        "doc_type": "条例",
        "level": "行政法规",
        "region": "中央",
        "status": "现行有效",
        # Known from two files (the page and the regulation file): its chain's newest version.
        "status_basis": "newest version of a chain",
        "published_date": "",             # the regulation file gives none (the page: 2018-12-22)
        "effective_date": "2019-01-01",
        "versions_count": 1,
        "cited_by_count": 0,
        "sources": [{"id": doc_id(IIT), "path": IIT, "source": "国务院"},
                    {"id": doc_id(GOVCN_707), "path": GOVCN_707, "source": "国务院"}],
    }
    assert first["score"] > 0
    assert data["facets"]["source"] == [{"value": "国务院", "count": 1}]
    assert data["facets"]["year"] == [{"value": "2018", "count": 1}]
    both = api(client, q="国令第707号", all_versions="1")
    assert [r["id"] for r in both["results"]] == [doc_id(GOVCN_707), doc_id(IIT)]
    assert both["results"][0]["snippet_html"].startswith("中华人民共和国国务院令 第707号")
    assert both["results"][0]["categories"] == ["财政、金融、审计", "税务"]


def test_search_highlights_in_json(client):
    data = api(client, q="国发〔2019〕5号")
    check_shape(data)
    first = data["results"][0]
    assert first["id"] == doc_id(GOVCN_5)
    assert first["doc_number"] == "国发〔2019〕5号"
    assert first["snippet_html"].startswith("<mark>国发〔2019〕5号</mark> ")
    data = api(client, q="个人所得税")
    assert {r["title_html"] for r in data["results"]} == {"中华人民共和国<mark>个人所得税</mark>法实施条例"}


def test_search_escapes_html_in_json(client):
    data = api(client, q="二十问")          # the seed article opens with " 二十大 · 二十问 "
    check_shape(data)
    snippet = data["results"][0]["snippet_html"]
    assert snippet.startswith("&#34; <mark>二十</mark>大 · <mark>二十问</mark> &#34; ")
    assert '"' not in snippet


def test_search_sorted_by_date(client):
    data = api(client, q="税", sort="date")
    check_shape(data)
    assert [r["date"] for r in data["results"]] == ["2026-01-26", "2019-01-27", "2018-12-18"]


def test_search_filters_and_paging(client):
    data = api(client, q="税", source="国务院", per_page="1", page="2")
    check_shape(data)
    assert (data["total"], data["page"], data["pages"]) == (2, 2, 2)
    assert len(data["results"]) == 1
    assert data["results"][0]["source"] == "国务院"
    data = api(client, q="税", year="2026")
    assert [r["source"] for r in data["results"]] == ["河北省人民政府"]
    data = api(client, q="税", **{"from": "2019", "to": "2019-12-31"})
    assert [r["id"] for r in data["results"]] == [doc_id(GOVCN_5)]
    data = api(client, q="监管", title_only="1")
    assert [r["id"] for r in data["results"]] == [doc_id(GOVCN_5)]


def test_search_fallback_and_nothing_found(client):
    data = api(client, q="春运 个人所得税")
    check_shape(data)
    assert data["fallback"] is True
    assert {r["id"] for r in data["results"]} == {doc_id(SPRING), doc_id(IIT)}
    data = api(client, q="qwxzvbn")
    check_shape(data)
    assert (data["total"], data["pages"], data["results"], data["fallback"]) == (0, 0, [], False)


def test_search_without_query(client):
    data = api(client)
    check_shape(data)
    assert data["total"] == 0 and data["results"] == []
    assert data["message"]


def test_page_beyond_results_is_empty_not_an_error(client):
    data = api(client, q="个人所得税", page="1000")
    check_shape(data)
    assert (data["total"], data["pages"], data["results"]) == (1, 1, [])


@pytest.mark.parametrize("params, word", BAD_PARAMETERS)
def test_bad_parameters_are_400_json(client, params, word):
    data = api(client, status=400, q="税", **params)
    assert set(data) == {"error", "detail", "status"}
    assert data["status"] == 400
    assert data["error"] == "请求参数有误"
    assert word in data["detail"]


def test_repeated_parameters_use_the_first(client):
    response = client.get("/api/search?q=%E6%98%A5%E8%BF%90&q=%E4%B8%AA%E4%BA%BA%E6%89%80%E5%BE%97%E7%A8%8E"
                          "&per_page=1&per_page=abc&sort=date&sort=bogus")
    assert response.status_code == 200
    data = response.get_json()
    assert data["query"] == "春运"
    assert data["total"] == 1
    assert [r["id"] for r in data["results"]] == [doc_id(SPRING)]


def test_article_json(client):
    data = api(client, f"/api/articles/{doc_id(GOVCN_707)}")
    assert set(data) == ARTICLE_KEYS
    assert data["id"] == doc_id(GOVCN_707)
    assert data["title"] == IIT_TITLE
    assert data["doc_number"] == "国令第707号"
    assert (data["date"], data["written_date"]) == ("2018-12-18", "2018-12-18")
    assert (data["published_date"], data["effective_date"]) == ("2018-12-22", "2019-01-01")
    assert (data["status"], data["status_basis"]) == ("现行有效", "newest version of a chain")
    assert data["categories"] == ["财政、金融、审计", "税务"]
    assert data["body"].startswith("中华人民共和国国务院令\n第707号\n")
    assert data["body"].endswith("第三十六条 本条例自2019年1月1日起施行。")
    assert "<mark>" not in data["body"]


@pytest.mark.parametrize("path", ["/api/articles/ffffffffffffffff", "/api/articles/xyz",
                                  "/api/articles/..%2F..%2Fetc%2Fpasswd", "/api/nothing"])
def test_article_json_not_found(client, path):
    data = api(client, path, status=404)
    assert data["status"] == 404 and data["error"] == "页面不存在"


def test_suggest(client):
    data = api(client, "/api/suggest", q="个人")
    assert isinstance(data, list) and len(data) == 3
    assert data[2] == [""] * len(data[1])                  # titles need no description
    assert data[0] == "个人"
    assert IIT_TITLE in data[1]
    assert all("个人" in s for s in data[1])
    data = api(client, "/api/suggest", q="国务院")
    assert data[1][0].startswith("国务院关于在市场监管领域")
    data = api(client, "/api/suggest", q="关于")
    assert data[1][0] == "关于职工全年月平均工作时间和工资折算问题的通知"     # starts with it: first
    assert api(client, "/api/suggest", q="") == ["", [], []]
    assert api(client, "/api/suggest", q="<img src=x>") == ["<img src=x>", [], []]


def test_suggest_document_numbers(client):
    # A 文号 prefix completes to the numbers of indexed documents, with their titles; the
    # decree 国务院令第142号 that a document cites is no document here.
    assert api(client, "/api/suggest", q="国务院令") == ["国务院令", ["国令第707号"], [IIT_TITLE]]
    assert api(client, "/api/suggest", q="国令第7")[1] == ["国令第707号"]
    assert api(client, "/api/suggest", q="劳社部发")[1] == ["劳社部发[2008]3号"]
    q, texts, descriptions = api(client, "/api/suggest", q="国发〔2019")
    assert texts[0] == "国发〔2019〕5号"
    assert descriptions[0] == "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"


# --- over real HTTP -------------------------------------------------------------------------

def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers["Content-Type"], err.read()


def test_http_search(live_server):
    status, ctype, body = fetch(f"{live_server}/api/search?" + urlencode({"q": "国令第707号"}))
    assert status == 200 and ctype == "application/json"
    data = json.loads(body)
    check_shape(data)
    assert data["results"][0]["id"] == doc_id(IIT)
    assert data["results"][0]["date"] == "2018-12-18"
    assert "国务院令第707号".encode() in body      # UTF-8, not \\u escapes


def test_http_bad_parameter(live_server):
    status, ctype, body = fetch(f"{live_server}/api/search?q=x&per_page=101")
    assert status == 400 and ctype == "application/json"
    assert json.loads(body)["status"] == 400


def test_http_suggest_and_article(live_server):
    status, _, body = fetch(f"{live_server}/api/suggest?" + urlencode({"q": "春"}))
    assert status == 200
    assert json.loads(body) == ["春", ["2022年春运今日开启", "春运"], ["", ""]]
    status, _, body = fetch(f"{live_server}/api/articles/{doc_id(SPRING)}")
    assert status == 200
    assert json.loads(body)["title"] == "2022年春运今日开启"
    status, ctype, _ = fetch(f"{live_server}/api/articles/0000000000000000")
    assert status == 404 and ctype == "application/json"


def test_a_search_cut_short_by_its_time_limit_says_so(index_dir):
    from searchapp.web.app import create_app

    # A limit no search can meet: it stops at its first check and answers with what it has.
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "QUERY_TIMEOUT_MS": 0.001})
    client = app.test_client()
    for _ in range(2):                        # a cut-short answer is never served from cache
        data = api(client, "/api/search", q="条例")
        assert (data["timed_out"], data["total"], data["results"]) == (True, 0, [])
    page = client.get("/search", query_string={"q": "条例"})
    assert page.status_code == 200
    assert "搜索用时过长，以下只是已找到的部分结果" in page.get_data(as_text=True)
    unlimited = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "QUERY_TIMEOUT_MS": 0})
    data = api(unlimited.test_client(), "/api/search", q="条例")
    assert data["timed_out"] is False and data["total"] > 0
