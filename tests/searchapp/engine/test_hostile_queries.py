"""Whatever is typed or put in a URL: never an exception, never a 500, always quick.

Property tests feed arbitrary strings (operators, CJK, emoji, control characters, lone
surrogates) to ``search()`` itself, to the JSON API and to the search page; then bad
parameters, bad article ids, huge queries, and the ``policy-search search`` command.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from urllib.parse import quote_from_bytes

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchapp.engine.search import SearchParams, search
from tests.support import BAD_PARAMETERS, UNKNOWN_IDS

# A bound against runaway expansion (every wildcard or OR term multiplying the work), not a
# speed measure: benchmarks measure speed. Generous, so a busy 2-core machine passes.
LIMIT_S = 5.0
OPERATORS = list('"()*:\\-|－〔〕 ') + ["OR", "AND", "NOT", "title:", "source:", "date:", "docnum:",
                                      "..", "税*", "国发", "〔2019〕", "5号", "营商环境"]
CJK_EMOJI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.sampled_from(
    ["😀", "👩‍👩‍👧", "🇨🇳", "\u202e", "\u200b", "\ufeff", "\x00", "\x1b", "\ufffd", "Ⅻ", "ｆｕｌｌ"])
SURROGATES = st.characters(categories=["Cs"])

_piece = st.one_of(st.text(max_size=12), st.sampled_from(OPERATORS), CJK_EMOJI)
# Valid Unicode only: what a URL or a terminal can carry.
queries = st.lists(_piece, max_size=30).map("".join)
# Python strings may also hold lone surrogates; the library must take them too.
queries_with_surrogates = st.lists(_piece | SURROGATES, max_size=30).map("".join)

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _no_surrogates(text: str) -> str:
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    elapsed = time.perf_counter() - started
    assert elapsed < LIMIT_S, f"took {elapsed:.2f} s"
    return result


def raw_query_string(**params: str) -> str:
    """Percent-encoded UTF-8, lone surrogates included (as the bytes a client could send)."""
    return "&".join(f"{k}={quote_from_bytes(v.encode('utf-8', 'surrogatepass'), safe='')}"
                    for k, v in params.items())


@pytest.fixture(autouse=True)
def _warm(searcher):
    search(searcher, SearchParams(q="营商环境 國發 ＲＣＥＰ 税*"))   # dictionaries loaded once


# --- search() itself ------------------------------------------------------------------------

@FUZZ
@given(q=queries, title_only=st.booleans(), sort=st.sampled_from(["relevance", "date"]))
def test_search_function_never_raises(searcher, q, title_only, sort):
    result = timed(search, searcher, SearchParams(q=q, title_only=title_only, sort=sort))
    assert result.total >= 0 and len(result.hits) <= result.per_page


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(q=queries_with_surrogates)
def test_search_function_takes_lone_surrogates(searcher, q):
    assert_sendable(timed(search, searcher, SearchParams(q=q)))


@FUZZ
@given(q=queries_with_surrogates)
def test_search_function_after_replacing_surrogates(searcher, q):
    assert_sendable(timed(search, searcher, SearchParams(q=_no_surrogates(q))))


def assert_sendable(result) -> None:
    """What a page or the API would send: UTF-8 that encodes (no lone surrogate in a
    highlight, a snippet or a correction), a page of at most ``per_page`` hits."""
    json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")
    assert all(h and not re.search("[\ud800-\udfff]", h) for h in result.highlights)
    assert len(result.hits) <= result.per_page and result.total >= 0


# Characters outside variants()' "plain text" ranges once gave an empty character class.
@pytest.mark.parametrize("char", ["한", "ⅎ", "Ⅻ", "ꀀ"])
def test_characters_outside_the_plain_text_ranges(searcher, client, char):
    for q in (f"个人所得税 OR {char}", f'"个人所得税" {char}'):
        assert client.get("/api/search", query_string={"q": q}).status_code == 200
        # The character matches nothing here: the query lists what 个人所得税 finds.
        found = timed(search, searcher, SearchParams(q=q))
        assert found.total + found.partial_total == \
            search(searcher, SearchParams(q="个人所得税")).total


def test_ten_thousand_character_queries(searcher, client):
    for q in ["税" * 10_000, "营商环境 " * 2_000, "a" * 10_000, '"' + "中华人民共和国" * 1_430 + '"',
              "(" * 5_000 + "税" + ")" * 5_000, "-" * 10_000, "title:" * 1_700]:
        assert len(q) >= 10_000
        assert_sendable(timed(search, searcher, SearchParams(q=q)))
        assert timed(client.get, "/api/search", query_string={"q": q}).status_code == 200
        assert timed(client.get, "/search", query_string={"q": q}).status_code == 200


@pytest.mark.parametrize("q", [
    " OR ".join(f"税{i}*" for i in range(300)),
    " OR ".join(["税*"] * 300),
    " OR ".join(["中*", "国*", "人*", "法*", "税*", "条*"] * 50),
    " OR ".join(f"{c}*" for c in "中国人民共和法条例税务管理通知意见办公厅规定实施" * 15),
    "(" + " OR ".join(f"title:{c}* source:{c}*" for c in "中国人民税法" * 50) + ")",
    " ".join(f"-{c}*" for c in "中国人民税法条例" * 40),
])
def test_three_hundred_wildcard_terms(searcher, client, q):
    timed(search, searcher, SearchParams(q=q))
    timed(search, searcher, SearchParams(q=q, sort="date", title_only=True))
    assert timed(client.get, "/api/search", query_string={"q": q}).status_code == 200
    assert timed(client.get, "/search", query_string={"q": q}).status_code == 200


# --- the API and the page -------------------------------------------------------------------

@FUZZ
@given(q=queries_with_surrogates)
def test_api_search_never_fails(client, q):
    response = timed(client.get, "/api/search?" + raw_query_string(q=q))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    data = response.get_json()
    assert data["total"] >= 0 and isinstance(data["results"], list)


@FUZZ
@given(q=queries_with_surrogates)
def test_search_page_never_fails(client, q):
    response = timed(client.get, "/search?" + raw_query_string(q=q))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/html"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=queries, params=st.dictionaries(
    st.sampled_from(["page", "per_page", "sort", "from", "to", "source", "category", "year",
                     "title_only"]),
    st.text(max_size=12) | st.sampled_from(["1", "100", "date", "2019", "2019-02", "国务院"]),
    max_size=4))
def test_any_parameters_give_200_or_400(client, q, params):
    for url in ("/api/search", "/search", "/feed"):
        response = timed(client.get, f"{url}?" + raw_query_string(q=q, **params))
        assert response.status_code in (200, 400), (url, response.get_data(as_text=True)[:300])


@FUZZ
@given(q=queries_with_surrogates)
def test_suggest_never_fails(client, q):
    response = timed(client.get, "/api/suggest?" + raw_query_string(q=q))
    assert response.status_code == 200
    echoed, items, descriptions = response.get_json()
    assert isinstance(echoed, str) and all(isinstance(i, str) for i in items + descriptions)
    assert len(descriptions) == len(items)


# --- bad parameters: a clear 400 ------------------------------------------------------------



@pytest.mark.parametrize("params, word", BAD_PARAMETERS)
def test_bad_parameter_is_400_json_under_api(client, params, word):
    response = client.get("/api/search", query_string={"q": "税", **params})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["status"] == 400 and data["error"] == "请求参数有误"
    assert word in data["detail"] and len(data["detail"]) < 200


@pytest.mark.parametrize("url", ["/search", "/feed"])
@pytest.mark.parametrize("params, word", BAD_PARAMETERS)
def test_bad_parameter_is_400_error_page(client, url, params, word):
    response = client.get(url, query_string={"q": "税", **params})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    if url == "/search":        # explained on the results page, its forms kept to correct it
        detail = soup.select_one(".notice.error").get_text()
    else:
        assert soup.select_one(".error-page h1").get_text() == "400 · 请求参数有误"
        detail = soup.select_one(".error-page p").get_text()
    assert word in detail and len(detail) < 200
    assert [s.get("src").split("?v=")[0] for s in soup.find_all("script")] == ["/static/app.js"]


def test_repeated_parameters_take_the_first(client):
    query = "q=%E7%A8%8E&q=&page=1&page=-1&per_page=2&per_page=0&sort=date&sort=bogus&from=2018&from=x"
    for url in ("/api/search", "/search", "/feed"):
        assert client.get(f"{url}?{query}").status_code == 200
    data = client.get(f"/api/search?{query}").get_json()
    assert (data["query"], data["page"], len(data["results"])) == ("税", 1, 2)
    # The first value is the bad one: 400.
    assert client.get("/api/search?q=%E7%A8%8E&page=-1&page=1").status_code == 400


@pytest.mark.parametrize("params", [
    {"source": "不存在的机关"}, {"category": "没有这个分类"}, {"year": "1999"},
    {"from": "2030"}, {"to": "1990"}, {"source": "国务院", "year": "2026"},
    {"level": "地方性法规", "exclude_level": "地方性法规"},
], ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_filters_matching_nothing_give_nothing(client, searcher, params):
    data = client.get("/api/search", query_string={"q": "税", **params}).get_json()
    assert (data["total"], data["results"]) == (0, [])


def test_empty_and_odd_but_valid_parameters(client):
    for params in ({"q": ""}, {"q": "税", "page": ""}, {"q": "税", "title_only": "maybe"},
                   {"q": "", "source": "国务院"}, {"q": "税", "source": "x" * 100_000},
                   {"q": "税", "category": "\x00"}):
        for url in ("/api/search", "/search", "/feed", "/api/suggest"):
            assert timed(client.get, url, query_string=params).status_code == 200, (url, params)


# --- article ids ----------------------------------------------------------------------------



@pytest.mark.parametrize("article_id", UNKNOWN_IDS, ids=lambda s: s[:30])
def test_unknown_article_ids_are_404(client, article_id):
    response = timed(client.get, f"/articles/{article_id}?q=%E7%A8%8E")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.select_one(".error-page h1").get_text() == "404 · 页面不存在"
    response = timed(client.get, f"/api/articles/{article_id}")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["status"] == 404


# --- the command line -----------------------------------------------------------------------

HOSTILE = ["<script>alert(1)</script>", '"', "(((", ")", "-", "--", "*", "税*" * 200,
           " OR ".join(["税*"] * 300), "title:", "date:2019-13-45", "\x00\x1b[31m", "\u202e税",
           "😀" * 100, "營商環境" * 2500, "\ud800税\udfff", "\ufffd"]


@pytest.mark.parametrize("q", HOSTILE, ids=lambda s: repr(s[:20]))
def test_cli_search_with_hostile_queries(cli, index_dir, q):
    result = timed(cli, "search", "--index-dir", index_dir, "--", q)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    result = cli("search", "--index-dir", index_dir, "--json", "--", q)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("options", [
    ["--page", "0"], ["--page", "-1"], ["--page", str(10**9)], ["--limit", "0"],
    ["--limit", str(10**6)], ["--sort", "bogus"], ["--from", "2019-13-45"], ["--to", "abc"],
])
def test_cli_search_bad_options_exit_2(runner, index_dir, options):
    from searchapp.cli import main

    result = runner.invoke(main, ["search", "--index-dir", str(index_dir), *options, "税"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "Error" in result.output


@pytest.mark.slow
def test_cli_search_with_undecodable_bytes(index_dir):
    """Bytes that are not UTF-8 on a real command line (they arrive as lone surrogates)."""
    arg = b"\xff\xfe \xed\xa0\x80\xe7\xa8\x8e \xc3( " + "税".encode("gbk")
    proc = subprocess.run(
        [sys.executable, "-m", "searchapp.cli", "search", "--index-dir", str(index_dir), "--", arg],
        capture_output=True, timeout=60)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "共" in proc.stdout.decode("utf-8")
