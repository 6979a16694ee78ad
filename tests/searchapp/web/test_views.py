"""The HTML pages, the Atom feed, OpenSearch and /healthz, through the Flask test client.

Pages are parsed with BeautifulSoup and checked piece by piece (never whole-page strings).
Expected values come from the real fixture corpus in ``tests/data/corpus``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.build.documents import doc_id
from tests.support import UNKNOWN_IDS, submitted

GOVCN_5 = "govcn-pages/www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
GOVCN_707 = "govcn-pages/www.gov.cn/zhengce/content/2018-12/22/content_5351177.htm"
IIT = "lawrefbook-laws/行政法规/个人所得税法实施条例(2018-12-18).md"
SPRING = "hexo-rsshub-posts/source/_posts/新媒体/ZAKER/source/2022年春运今日开启.md"
IIT_TITLE = "中华人民共和国个人所得税法实施条例"
DOCUMENTS = 12          # 13 files; run_manifest_2026.csv is not an article
ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def page(client, path: str, status: int = 200, **params) -> BeautifulSoup:
    response = client.get(path, query_string=params or None)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def hits(soup: BeautifulSoup) -> list:
    return soup.select("ol.hits > li.hit")


def hit_id(hit) -> str:
    return urlsplit(hit.select_one("h2 a")["href"]).path.rsplit("/", 1)[1]


def marks(node) -> list[str]:
    return [m.get_text() for m in node.select("mark")]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def total(soup: BeautifulSoup) -> str:
    return soup.select_one(".summary .total").get_text(strip=True)


# --- home -----------------------------------------------------------------------------------

def test_home_has_search_box_and_document_count(client):
    soup = page(client, "/")
    box = soup.select_one("form.searchbox input[name=q]")
    assert box is not None and box.has_attr("autofocus")
    assert box["value"] == ""
    assert soup.select_one("form.searchbox")["action"] == "/search"
    assert soup.select_one(".corpus strong").get_text() == str(DOCUMENTS)
    # The home page has one search box (the header one is left out there).
    assert len(soup.select("input[name=q]")) == 1


def test_empty_search_shows_home(client):
    soup = page(client, "/search", q="   ")
    assert soup.select_one(".home input[name=q]").has_attr("autofocus")
    assert not hits(soup)


# --- results --------------------------------------------------------------------------------

def test_search_finds_the_regulation_once_for_its_two_copies(client):
    soup = page(client, "/search", q="个人所得税")
    found = hits(soup)
    assert {hit_id(h) for h in found} == {doc_id(IIT)}
    assert total(soup) == "共 1 条结果"
    assert soup.title.get_text() == "个人所得税 - 政策文章搜索"
    assert soup.select_one("header input[name=q]")["value"] == "个人所得税"
    for hit in found:
        assert hit.select_one("h2 a").get_text() == IIT_TITLE
        assert marks(hit.select_one("h2")) == ["个人所得税"]
        assert set(marks(hit.select_one(".snippet"))) == {"个人所得税"}
        assert hit.select_one("h2 a")["href"].endswith("?q=%E4%B8%AA%E4%BA%BA%E6%89%80%E5%BE%97%E7%A8%8E")
    assert set(marks(soup.select_one("main"))) == {"个人所得税"}


def test_snippet_fragments_are_pinned(client):
    """Whole sentences around the matches, best first, joined by …, marks on the terms."""
    soup = page(client, "/search", q="个人所得税", all_versions="1")
    by_id = {hit_id(h): h for h in hits(soup)}
    html = by_id[doc_id(GOVCN_707)].select_one(".snippet").decode_contents()
    fragments = html.split("…")
    assert len(fragments) == 3
    assert fragments[:2] == [
        "第三十四条 <mark>个人所得税</mark>纳税申报表、扣缴<mark>个人所得税</mark>报告表和"
        "<mark>个人所得税</mark>完税凭证式样，由国务院税务主管部门统一制定。 "
        "第三十五条 军队人员<mark>个人所得税</mark>征收事宜，按照有关规定执行。",
        "第一条 根据《中华人民共和国<mark>个人所得税</mark>法》（以下简称<mark>个人所得税</mark>法），"
        "制定本条例。 第二条 <mark>个人所得税</mark>法所称在中国境内有住所，"
        "是指因户籍、家庭、经济利益关系而在中国境内习惯性居住；",
    ]


def test_document_number_query_puts_that_document_first(client):
    soup = page(client, "/search", q="国发〔2019〕5号")
    first = hits(soup)[0]
    assert hit_id(first) == doc_id(GOVCN_5)
    assert first.select_one(".meta .docnum").get_text() == "国发〔2019〕5号"
    assert first.select_one(".meta .source").get_text() == "国务院"
    assert first.select_one(".meta time")["datetime"] == "2019-01-27"
    assert first.select_one(".snippet").decode_contents() == (
        "<mark>国发〔2019〕5号</mark> 各省、自治区、直辖市人民政府，国务院各部委、各直属机构：")


def test_single_character_is_highlighted_inside_words(client):
    soup = page(client, "/search", q="税")
    assert total(soup) == "共 3 条结果"
    assert set(marks(soup.select_one("main"))) == {"税"}
    titles = {hit_id(h): h.select_one("h2 a").decode_contents() for h in hits(soup)}
    assert titles[doc_id(IIT)] == "中华人民共和国个人所得<mark>税</mark>法实施条例"
    # 税 inside 纳税人, 税务机关, 退税 …
    snippet = {hit_id(h): h.select_one(".snippet") for h in hits(soup)}[doc_id(IIT)]
    assert "纳<mark>税</mark>人" in snippet.decode_contents()


def test_quoted_phrase_highlights_the_whole_phrase_in_titles(client):
    soup = page(client, "/search", q='"个人所得税法实施条例"', all_versions="1")
    assert len(hits(soup)) == 2
    for hit in hits(soup):
        assert marks(hit.select_one("h2")) == ["个人所得税法实施条例"]


def test_quoted_phrase_highlights_only_whole_phrases_in_snippets(client):
    # Fragment edges never cut a match into a partial <mark> (once gave <mark>例</mark>).
    soup = page(client, "/search", q='"个人所得税法实施条例"')
    assert set(marks(soup.select_one("ol.hits"))) == {"个人所得税法实施条例"}


def test_punctuation_between_words_is_still_highlighted(client):
    soup = page(client, "/search", q="双随机一公开")
    assert hit_id(hits(soup)[0]) == doc_id(GOVCN_5)
    assert set(marks(soup.select_one("main"))) == {"双随机、一公开"}


def test_sort_links_and_date_order(client):
    soup = page(client, "/search", q="税")
    sort = soup.select_one("nav.sort")
    assert sort.select_one("strong[aria-current]").get_text() == "按相关度"
    by_date = sort.find("a", string="按时间")
    assert query_of(by_date["href"]) == {"q": ["税"], "sort": ["date"]}

    soup = page(client, by_date["href"])
    sort = soup.select_one("nav.sort")
    assert sort.select_one("strong[aria-current]").get_text() == "按时间"
    assert query_of(sort.find("a", string="按相关度")["href"]) == {"q": ["税"]}
    dates = [h.select_one("time")["datetime"] for h in hits(soup)]
    assert dates == ["2026-01-26", "2019-01-27", "2018-12-18"]      # the report: delivered 01-26
    # Sorting is not a filter: no chip for it.
    assert soup.select_one(".active-filters") is None


def test_pagination(client):
    soup = page(client, "/search", q="个人所得税", per_page="1", all_versions="1")
    first = hits(soup)
    assert len(first) == 1
    nav = soup.select_one("nav.pagination")
    assert nav.select_one("strong[aria-current=page]").get_text() == "1"
    assert nav.select_one("button.prev") is None
    nxt = submitted(soup, nav.select_one("button.next"))
    assert query_of(nxt) == {"q": ["个人所得税"], "per_page": ["1"], "all_versions": ["1"],
                             "page": ["2"]}
    assert submitted(soup, nav.find("button", string="2")) == nxt

    soup = page(client, nxt)
    second = hits(soup)
    assert len(second) == 1 and hit_id(second[0]) != hit_id(first[0])
    assert {hit_id(first[0]), hit_id(second[0])} == {doc_id(IIT), doc_id(GOVCN_707)}
    assert soup.select_one("ol.hits")["start"] == "2"
    nav = soup.select_one("nav.pagination")
    assert nav.select_one("strong[aria-current=page]").get_text() == "2"
    assert nav.select_one("button.next") is None
    assert query_of(submitted(soup, nav.select_one("button.prev")))["page"] == ["1"]


def test_page_past_the_end(client):
    soup = page(client, "/search", q="个人所得税", page="5")
    assert not hits(soup)
    back = soup.select_one(".empty a")
    assert back.get_text() == "回到第 1 页"
    assert "page" not in query_of(back["href"])


def test_facets_count_and_link(client):
    soup = page(client, "/search", q="税")
    counts = {name: {li.select_one(".pick").get_text(): li.select_one(".count").get_text()
                     for li in soup.select(f".facet-{name} li")} for name in ("source", "year")}
    assert counts["source"] == {"国务院": "2", "河北省人民政府": "1"}
    assert counts["year"] == {"2026": "1", "2019": "1", "2018": "1"}
    link = submitted(soup, soup.select_one(".facet-source").find("button", string="国务院"))
    assert query_of(link) == {"q": ["税"], "source": ["国务院"]}

    soup = page(client, link)
    assert total(soup) == "共 2 条结果"
    assert {h.select_one(".source").get_text() for h in hits(soup)} == {"国务院"}
    chips = soup.select(".active-filters a.chip")
    assert [c.get_text(strip=True) for c in chips] == ["来源：国务院 ✕"]
    assert query_of(chips[0]["href"]) == {"q": ["税"]}
    selected = soup.select_one(".facet-source a.selected")
    assert selected.get_text(strip=True) == "已选：国务院"
    assert selected["aria-current"] == "true"
    assert query_of(selected["href"]) == {"q": ["税"]}
    # A new search from the header keeps the filter.
    hidden = {i["name"]: i["value"] for i in soup.select("header form input[type=hidden]")}
    assert hidden == {"source": "国务院"}

    soup = page(client, chips[0]["href"])
    assert total(soup) == "共 3 条结果"
    assert soup.select_one(".active-filters") is None


def test_date_range_filter(client):
    soup = page(client, "/search", q="税", **{"from": "2019-01-01", "to": "2019-12-31"})
    assert [hit_id(h) for h in hits(soup)] == [doc_id(GOVCN_5)]
    chips = {c.get_text(strip=True): c["href"] for c in soup.select(".active-filters a.chip")}
    assert set(chips) == {"起：2019-01-01 ✕", "止：2019-12-31 ✕"}
    assert query_of(chips["起：2019-01-01 ✕"]) == {"q": ["税"], "to": ["2019-12-31"]}
    assert soup.select_one(".daterange input[name=from]")["value"] == "2019-01-01"


def test_filter_without_query(client):
    soup = page(client, "/search", source="国务院")
    assert total(soup) == "共 2 条结果"
    assert soup.title.get_text() == "筛选结果 - 政策文章搜索"


def test_fallback_notice_when_words_never_co_occur(client):
    soup = page(client, "/search", q="春运 个人所得税")
    notice = soup.select_one(".notice.fallback")
    assert notice is not None and "任一词" in notice.get_text()
    assert {hit_id(h) for h in hits(soup)} == {doc_id(SPRING), doc_id(IIT)}
    assert set(marks(soup.select_one("ol.hits"))) == {"春运", "个人所得税"}
    # Words that do co-occur: no notice.
    assert page(client, "/search", q="个人所得税 纳税").select_one(".notice.fallback") is None


def test_empty_state_shows_the_query(client):
    soup = page(client, "/search", q="qwxzvbn")
    assert total(soup) == "共 0 条结果"
    assert not hits(soup)
    empty = soup.select_one(".empty")
    assert empty.strong.get_text() == "qwxzvbn"
    assert "没有找到" in empty.get_text()
    assert soup.select_one(".notice.fallback") is None


def test_title_only_switch(client):
    everywhere = page(client, "/search", q="监管")
    assert {hit_id(h) for h in hits(everywhere)} >= {doc_id(GOVCN_5)}
    assert len(hits(everywhere)) == 2
    box = everywhere.select_one(".daterange input[name=title_only]")
    assert not box.has_attr("checked")

    soup = page(client, "/search", q="监管", title_only="1")
    assert [hit_id(h) for h in hits(soup)] == [doc_id(GOVCN_5)]
    assert soup.select_one(".daterange input[name=title_only]").has_attr("checked")
    chip = soup.select_one(".active-filters a.chip")
    assert chip.get_text(strip=True).startswith("仅标题")
    assert query_of(chip["href"]) == {"q": ["监管"]}


# --- article page ---------------------------------------------------------------------------

def test_article_page(client):
    article_id = doc_id(GOVCN_707)
    soup = page(client, f"/articles/{article_id}", q="个人所得税")
    assert soup.title.get_text() == f"{IIT_TITLE} - 政策文章搜索"
    assert marks(soup.select_one("article h1")) == ["个人所得税"]
    meta = {dt.get_text(): dt.find_next_sibling("dd") for dt in soup.select("dl.article-meta dt")}
    assert meta["发文字号"].get_text() == "国令第707号"
    assert meta["来源"].get_text() == "国务院"
    assert query_of(meta["来源"].a["href"]) == {"source": ["国务院"]}
    assert meta["日期"].time["datetime"] == "2018-12-18"
    assert meta["成文日期"].get_text() == "2018-12-18"
    assert meta["发布日期"].get_text() == "2018-12-22"
    assert meta["施行日期"].get_text() == "2019-01-01"
    # Its status with the basis (the page and the regulation file: the chain's newest version).
    assert meta["时效性"].get_text() == "现行有效（依据：本文件为已收录的最新版本）"
    assert meta["分类"].get_text() == "财政、金融、审计 / 税务"
    original = meta["原文"].a
    assert original["href"] == "http://www.gov.cn/zhengce/content/2018-12/22/content_5351177.htm"
    assert "noopener" in original["rel"]
    assert "文件" not in meta                      # internal paths stay in the API
    assert GOVCN_707 not in soup.get_text()

    body = soup.select_one(".article-body")
    body_marks = marks(body)
    assert set(body_marks) == {"个人所得税"} and len(body_marks) > 10
    assert body.select("p")[-1].get_text() == "第三十六条 本条例自2019年1月1日起施行。"
    back = soup.select_one(".notice a")
    assert query_of(back["href"]) == {"q": ["个人所得税"]}

    related = soup.select("aside.related li a")
    assert related
    related_ids = [a["href"].rsplit("/", 1)[1] for a in related]
    assert article_id not in related_ids
    assert len(set(related_ids)) == len(related_ids)
    # The header search box carries the query for a new search.
    assert soup.select_one("header input[name=q]")["value"] == "个人所得税"


def test_article_page_without_query_has_no_marks(client):
    soup = page(client, f"/articles/{doc_id(GOVCN_5)}")
    assert soup.select("mark") == []
    assert soup.select_one(".notice") is None
    meta = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in soup.select("dt")}
    assert meta["发文字号"] == "国发〔2019〕5号"
    # Nothing indexed says whether the 2019 opinion is in force: no status is claimed.
    assert meta["时效性"] == "未标注"


@pytest.mark.parametrize("path", ["/articles/../../etc/passwd", "/articles/%2e%2e%2fsearchapp",
                                  "/no-such-page", *(f"/articles/{i}" for i in UNKNOWN_IDS[:4])],
                         ids=lambda p: p[:40])
def test_not_found_page_in_site_layout(client, path):
    soup = page(client, path, status=404)
    assert soup.select_one(".error-page h1").get_text() == "404 · 页面不存在"
    assert soup.select_one("header form.searchbox input[name=q]") is not None
    assert soup.select_one("footer.site-footer") is not None
    assert soup.select_one("link[rel=stylesheet]")["href"].split("?v=")[0] == "/static/style.css"


def test_bad_parameter_page(client):
    """A refused parameter is explained on the results page (400), the forms kept filled."""
    soup = page(client, "/search", status=400, q="税", page="abc")
    assert soup.select_one(".notice.error").get_text() == "页码应是整数，而不是“abc”"
    assert soup.select_one(".notice.error")["role"] == "alert"
    assert soup.select_one("header input[name=q]")["value"] == "税"
    assert not hits(soup)


# --- escaping -------------------------------------------------------------------------------

XSS = "<script>alert(1)</script>"


def own_scripts_only(soup: BeautifulSoup) -> None:
    scripts = soup.find_all("script")
    assert [s.get("src").split("?v=")[0] for s in scripts] == ["/static/app.js"]
    assert not scripts[0].string
    for tag in soup.find_all(True):
        assert not any(name.startswith("on") for name in tag.attrs), tag


@pytest.mark.parametrize("q", [XSS, '"><img src=x onerror=alert(1)>', "春运 " + XSS])
def test_query_is_escaped_on_results_page(client, q):
    soup = page(client, "/search", q=q)
    own_scripts_only(soup)
    assert soup.select_one("header input[name=q]")["value"] == q
    assert soup.title.get_text() == f"{q} - 政策文章搜索"
    assert soup.select_one("#search-state input[name=q]")["value"] == q


def test_query_is_escaped_in_empty_state_and_article(client):
    q = '<script>alert("xss")</script>'     # matches nothing in the corpus
    soup = page(client, "/search", q=q)
    own_scripts_only(soup)
    assert soup.select_one(".empty strong").get_text() == q
    soup = page(client, f"/articles/{doc_id(GOVCN_5)}", q=XSS)
    own_scripts_only(soup)
    assert XSS in soup.select_one(".notice").get_text()


# --- feed, OpenSearch, health ---------------------------------------------------------------

def test_feed_is_atom_newest_first(client):
    response = client.get("/feed", query_string={"q": "个人所得税"})
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "政策文章搜索：个人所得税"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", root.findtext(f"{ATOM}updated"))
    entries = root.findall(f"{ATOM}entry")
    # Documents are dated in China time; the regulation's two copies are one entry.
    assert [e.findtext(f"{ATOM}updated") for e in entries] == ["2018-12-18T00:00:00+08:00"]
    [first] = entries
    assert first.findtext(f"{ATOM}id") == f"urn:policy-search:{doc_id(IIT)}"
    assert first.findtext(f"{ATOM}title") == IIT_TITLE
    assert first.find(f"{ATOM}link").get("href") == f"http://localhost/articles/{doc_id(IIT)}"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "国务院"
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # type="html": the markup is escaped text inside the element, not child elements.
    assert len(summary) == 0
    assert "<mark>个人所得税</mark>" in summary.text
    alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert query_of(alternate) == {"q": ["个人所得税"]}


def test_feed_without_query_is_empty_but_valid(client):
    response = client.get("/feed")
    assert response.status_code == 200
    assert ET.fromstring(response.data).findall(f"{ATOM}entry") == []


def test_feed_escapes_query(client):
    response = client.get("/feed", query_string={"q": XSS})
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    assert root.findtext(f"{ATOM}title") == f"政策文章搜索：{XSS}"


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    templates = {u.get("type"): u.get("template") for u in root.findall(f"{OPENSEARCH}Url")}
    assert templates["text/html"] == "http://localhost/search?q={searchTerms}"
    assert templates["application/x-suggestions+json"] == "http://localhost/api/suggest?q={searchTerms}"
    # Every page links to it.
    link = page(client, "/").select_one("link[rel=search]")
    assert link["href"] == "/opensearch.xml"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "ok"
    assert data["documents"] == DOCUMENTS
    assert isinstance(data["generation"], str) and data["generation"]
    assert data["built_at"]


def test_an_article_highlights_what_its_results_did(metadata_client):
    """Opened from the results of a slip, the article marks the correction; opened from the
    results searched as typed (as_typed=1), what was typed."""
    hit = metadata_client.get("/api/search", query_string={"q": "营商坏境"}).get_json()["results"][0]
    path = f"/articles/{hit['id']}"
    marks = {m.get_text() for m in page(metadata_client, path, q="营商坏境").select("mark")}
    assert marks == {"营商环境"}
    marks = {m.get_text() for m in page(metadata_client, path, q="营商坏境", as_typed="1").select("mark")}
    assert marks == {"营商"}
