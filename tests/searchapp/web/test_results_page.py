"""The results page of issue 14, through the test client on the metadata index: facets
(counts, several values, exclusion, 更多), the year chart, the search state kept by every
link and form, 在结果中检索, refused parameters explained on the page, notices, no paths.

Pages are parsed with BeautifulSoup; expected counts come from the API on the same index.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from searchapp.engine.search import SearchResults
from searchapp.web import facets, views
from searchapp.web.results_page import took_text
from searchapp.web.state import combine_within, single_example
from tests.support import BAD_PARAMETERS, submitted

ORDER = ["year", "level", "status", "doc_type", "source", "region", "category"]
LABELS = {"year": "年份", "level": "效力级别", "status": "时效性", "doc_type": "文种", "source": "来源",
          "region": "地域", "category": "分类"}


def page(client, path: str, status: int = 200, **params) -> BeautifulSoup:
    response = client.get(path, query_string=params or None)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def total(soup) -> str:
    return soup.select_one(".summary .total").get_text(strip=True)


def facet_counts(soup, name: str) -> dict[str, int]:
    return {li.select_one(".pick").get_text(strip=True).split("：")[-1]:
            int(li.select_one(".count").get_text()) for li in soup.select(f".facet-{name} li.facet-value")}


def api_facets(client, **params) -> dict[str, dict[str, int]]:
    data = client.get("/api/search", query_string=params).get_json()
    return {name: {f["value"]: f["count"] for f in values} for name, values in data["facets"].items()}


# --- facets ---------------------------------------------------------------------------------

def test_every_facet_with_all_its_counts(metadata_client):
    soup = page(metadata_client, "/search", q="条例")
    assert total(soup) == "共 12 条结果"
    sections = soup.select("aside.facets section.facet")
    assert [s["class"][1] for s in sections] == [f"facet-{n}" for n in ORDER]
    assert [s.h2.get_text(strip=True) for s in sections] == [LABELS[n] for n in ORDER]
    expected = api_facets(metadata_client, q="条例")
    for name in ORDER:
        assert facet_counts(soup, name) == expected[name], name
    assert facet_counts(soup, "level") == {"行政法规": 6, "地方性法规": 3, "国务院规范性文件": 2,
                                           "工作报告": 1}


def test_two_values_of_a_facet_are_any_of_them(metadata_client):
    soup = page(metadata_client, "/search", q="条例")
    def choose(soup, value):
        return submitted(soup, soup.select_one(".facet-level").find("button", class_="pick", string=value))

    first = choose(soup, "行政法规")
    soup = page(metadata_client, first)
    assert total(soup) == "共 6 条结果"
    second = choose(soup, "地方性法规")
    assert query_of(second) == {"q": ["条例"], "level": ["行政法规", "地方性法规"]}
    soup = page(metadata_client, second)
    assert total(soup) == "共 9 条结果"
    assert {h.select_one(".level").get_text() for h in soup.select("li.hit")} == {"行政法规", "地方性法规"}
    level = soup.select_one(".facet-level")
    selected = [a.get_text(strip=True) for a in level.select("a.pick.selected")]
    assert selected == ["已选：行政法规", "已选：地方性法规"]
    assert level.h2.get_text(strip=True) == "效力级别（任一）"
    # OR within the facet: its other values keep their counts; AND with the other facets.
    assert facet_counts(soup, "level")["国务院规范性文件"] == 2
    assert facet_counts(soup, "region") == {"中央": 6, "上海市": 1, "山东省": 1, "河南省": 1}
    chips = {c.get_text(strip=True): c["href"] for c in soup.select(".active-filters a.chip")}
    assert set(chips) == {"效力级别：行政法规 ✕", "效力级别：地方性法规 ✕"}
    assert query_of(chips["效力级别：行政法规 ✕"]) == {"q": ["条例"], "level": ["地方性法规"]}
    # Un-choosing one keeps the other.
    off = level.select("a.pick.selected")[0]["href"]
    assert query_of(off) == {"q": ["条例"], "level": ["地方性法规"]}


def test_excluding_a_value(metadata_client):
    soup = page(metadata_client, "/search", q="条例")
    item = next(li for li in soup.select(".facet-level li")
                if li.select_one(".pick").get_text() == "行政法规")
    exclude = item.select_one("button.exclude")
    assert (exclude.get_text(strip=True), exclude["title"]) == ("−", "排除 行政法规")
    assert query_of(submitted(soup, exclude)) == {"q": ["条例"], "exclude_level": ["行政法规"]}
    soup = page(metadata_client, submitted(soup, exclude))
    assert total(soup) == "共 6 条结果"
    assert "行政法规" not in {h.select_one(".level").get_text() for h in soup.select("li.hit")}
    excluded = soup.select_one(".facet-level li.is-excluded")
    assert excluded.select_one("a.pick s").get_text() == "行政法规"
    assert query_of(excluded.select_one("a.pick")["href"]) == {"q": ["条例"]}
    assert excluded.select_one(".exclude") is None
    [chip] = soup.select(".active-filters a.chip")
    assert chip.get_text(strip=True) == "排除效力级别：行政法规 ✕"


def test_more_lists_the_values_beyond_the_first_eight(metadata_client):
    soup = page(metadata_client, "/search", q="条例")
    year = soup.select_one(".facet-year")
    shown = [a.get_text() for a in year.select(":scope > ul > li .pick")]
    assert shown == ["2026", "2023", "2022", "2020", "2019", "2018", "2016", "1997"]
    more = year.select_one("details.more")
    assert not more.has_attr("open")
    assert more.summary.get_text(strip=True) == "更多（1）"
    assert [a.get_text() for a in more.select(".pick")] == ["1996"]
    # A facet with fewer values has no 更多.
    assert soup.select_one(".facet-level details.more") is None


def test_more_of_a_long_facet_is_a_page_listing_it_in_full(metadata_client, monkeypatch):
    """Long facets (hundreds of sources) would make every page heavy: their 更多 is a page."""
    monkeypatch.setattr(facets, "INLINE", 5)
    soup = page(metadata_client, "/search", q="条例", sort="date")
    year = soup.select_one(".facet-year")
    assert len(year.select("li.facet-value")) == 8 and year.select_one("details.more") is None
    more = year.select_one("p.more button")
    assert more.get_text() == "更多（1）"
    href = urlsplit(submitted(soup, more))
    assert (parse_qsl(href.query), href.fragment) == (
        [("q", "条例"), ("sort", "date"), ("more", "year")], "facet-year")
    soup = page(metadata_client, submitted(soup, more))
    assert soup.select_one("details.filters").has_attr("open")
    listed = soup.select_one("#facet-year")
    assert listed.select_one("details.more").has_attr("open")
    assert [a.get_text() for a in listed.select("details.more .pick")] == ["1996"]
    # "more" is not part of the search: the next choice folds the facet again.
    first = submitted(soup, listed.select_one(".pick"))
    assert query_of(first) == {"q": ["条例"], "sort": ["date"], "year": ["2026"]}


def test_year_chart_bars_match_the_counts(metadata_client):
    soup = page(metadata_client, "/search", q="条例")
    chart = soup.select_one(".facet-year .year-bars")
    # A picture: hidden from assistive technology, its bars out of the tab order (the year
    # list says and does the same), so no interactive element inside an image (axe).
    assert chart["aria-hidden"] == "true" and not chart.find(attrs={"role": "img"})
    bars = chart.select(".bar")
    assert all(b["tabindex"] == "-1" for b in bars if b.name in ("a", "button"))
    counts = {b["data-year"]: int(b["data-count"]) for b in bars}
    # Every year from the first to the last, empty years included, oldest first.
    assert list(counts) == [str(y) for y in range(1996, 2027)]
    assert {y: c for y, c in counts.items() if c} == facet_counts(soup, "year")
    most = max(counts.values())
    for bar in bars:
        assert bar["title"] == f"{bar['data-year']} 年：{bar['data-count']} 篇"
        if not int(bar["data-count"]):
            assert bar.name == "span" and not bar.find("svg")     # an empty year: nothing to choose
            continue
        height = int(bar.svg["viewbox"].split()[3])      # html.parser lowercases names
        rect = bar.svg.rect
        assert float(rect["height"]) == pytest.approx(int(bar["data-count"]) / most * height, abs=0.01)
        assert float(rect["y"]) + float(rect["height"]) == pytest.approx(height)
        assert query_of(submitted(soup, bar)) == {"q": ["条例"], "year": [bar["data-year"]]}
    caption = soup.select_one(".year-chart figcaption").get_text(" ", strip=True)
    assert caption.startswith("1996") and caption.endswith("2026") and "最多 2 篇" in caption


def test_no_file_paths_on_result_cards(metadata_client):
    soup = page(metadata_client, "/search", q="专利代理条例")
    cards = soup.select("li.hit")
    assert cards and soup.select(".path") == []
    assert not any(".md" in c.get_text() or ".htm" in c.get_text() for c in cards)
    # Two sources of one regulation: said, without their paths.
    assert "2 个来源" in cards[0].select_one(".relations").get_text()
    api = metadata_client.get("/api/search?q=专利代理条例").get_json()
    assert api["results"][0]["path"].endswith(".md") or api["results"][0]["path"].endswith(".htm")


# --- state ----------------------------------------------------------------------------------

STATE = [("q", "条例"), ("level", "行政法规"), ("level", "地方性法规"), ("exclude_region", "上海市"),
         ("from", "2016"), ("to", "2023-12"), ("sort", "date"), ("per_page", "2"), ("page", "2")]


def items(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


def without_page(pairs):
    return [(k, v) for k, v in pairs if k != "page"]


def test_every_link_and_form_keeps_the_search_state(metadata_client):
    url = "/search?" + "&".join(f"{k}={v}" for k, v in STATE)
    soup = page(metadata_client, url)
    rest = without_page(STATE)
    # Sorting and paging change one thing.
    assert items(soup.select_one("nav.sort a")["href"]) == [p for p in rest if p[0] != "sort"]
    nav = soup.select_one("nav.pagination")
    assert items(submitted(soup, nav.select_one("button.prev"))) == [*rest, ("page", "1")]
    # The page holds the state once, in its state form; buttons add to it.
    state = [(i["name"], i["value"]) for i in soup.select("form#search-state input[type=hidden]")]
    assert state == rest
    # Result links hand the whole state (page included) to the article page.
    for link in soup.select("li.hit .hit-title a"):
        assert items(link["href"]) == STATE
    # The forms: a new query, the date form, search within, all keep the rest.
    header = [(i["name"], i["value"]) for i in soup.select("header form input[type=hidden]")]
    assert header == [p for p in rest if p[0] != "q"]
    dates = [(i["name"], i["value"]) for i in soup.select("form.daterange input[type=hidden]")]
    assert dates == [p for p in rest if p[0] not in ("from", "to")]
    assert soup.select_one("form.daterange input[name=to]")["value"] == "2023-12"
    within = [(i["name"], i["value"]) for i in soup.select("form.within input[type=hidden]")]
    assert within == rest
    # Export and advanced search take the state too.
    assert items(submitted(soup, soup.select_one("button.export"))) == [*rest, ("format", "csv")]
    assert items(submitted(soup, soup.select_one("button.feed"))) == rest
    assert items(soup.select_one("header a.advanced-link")["href"]) == rest


def test_article_page_returns_to_the_same_results(metadata_client):
    soup = page(metadata_client, "/search?" + "&".join(f"{k}={v}" for k, v in STATE))
    article = soup.select_one("li.hit .hit-title a")["href"]
    back = page(metadata_client, article).select_one("a.back")
    assert back.get_text() == "返回搜索结果"
    assert urlsplit(back["href"]).path == "/search"
    assert items(back["href"]) == STATE


def test_date_boxes_take_a_year_a_month_or_a_day(client):
    soup = page(client, "/search", q="税", to="2020")
    box = soup.select_one("form.daterange input[name=to]")
    assert box["type"] == "text" and box["value"] == "2020"
    for value in ("2020", "2020-03", "2020-03-01"):
        assert re.fullmatch(box["pattern"], value)
    assert not re.fullmatch(box["pattern"], "03/01/2020")
    assert soup.select_one("form.daterange input[name=title_only]")["type"] == "checkbox"


@pytest.mark.parametrize("q, within, expected", [
    ("条例", "营商环境", "条例 营商环境"),
    ("个税 OR 增值税", "条例", "(个税 OR 增值税) 条例"),
    ("", "条例", "条例"),
    ("条例", "  ", "条例"),
])
def test_combine_within(q, within, expected):
    assert combine_within(q, within) == expected


def test_search_within_results_keeps_the_filters(metadata_client):
    soup = page(metadata_client, "/search", q="条例", level="地方性法规")
    form = soup.select_one("form.within")
    assert form["action"] == "/search" and form.select_one("input[name=within]")
    response = metadata_client.get("/search", query_string=[("q", "条例"), ("level", "地方性法规"),
                                                          ("within", "营商环境")])
    assert response.status_code == 302
    assert items(response.headers["Location"]) == [("q", "条例 营商环境"), ("level", "地方性法规")]
    soup = page(metadata_client, response.headers["Location"])
    assert total(soup) == "共 2 条结果"
    assert soup.select_one("header input[name=q]")["value"] == "条例 营商环境"


# --- messages -------------------------------------------------------------------------------

@pytest.mark.parametrize("params, word", BAD_PARAMETERS)
def test_refused_parameters_are_explained_on_the_page(client, params, word):
    soup = page(client, "/search", status=400, q="税", **params)
    notice = soup.select_one(".notice.error")
    assert notice["role"] == "alert" and word in notice.get_text()
    assert re.search(r"[\u4e00-\u9fff]", notice.get_text())
    assert soup.select("li.hit") == []
    assert len(soup.find_all("h1")) == 1
    for key in ("from", "to"):                       # what was typed stays, to be corrected
        if key in params:
            assert soup.select_one(f"form.daterange input[name={key}]")["value"] == params[key]


def test_contradictory_dates_message(client):
    soup = page(client, "/search", status=400, q="税", **{"from": "2019", "to": "2018"})
    assert soup.select_one(".notice.error").get_text() == "日期范围互相矛盾：起始日期晚于结束日期"
    soup = page(client, "/search", status=400, q="税", year="2019", **{"from": "2020"})
    assert soup.select_one(".notice.error").get_text() == "所选年份不在日期范围之内，请修改年份或日期范围"


def test_took_text():
    assert took_text(0.2) == "不到 1 毫秒"
    assert took_text(12.4) == "12 毫秒"


@pytest.mark.parametrize("q, example", [("qwxzvbn", "税"), ("ab营商", "营"), ("", "税")])
def test_single_character_tip_is_chinese(q, example):
    assert single_example(q) == example


def test_zero_results_tip(client):
    soup = page(client, "/search", q="qwxzvbn")
    tip = soup.select(".empty li a")[-1]
    assert tip.get_text() == "税" and query_of(tip["href"]) == {"q": ["税"]}


def test_correction_notices(client, monkeypatch):
    """The engine will fill corrected_query and did_you_mean; the page says so."""
    real = views.search

    def corrected(ctx, params, timeout=None) -> SearchResults:
        results = real(ctx, params, timeout=timeout)
        results.corrected_query, results.did_you_mean = "个人所得税", "个人所得税法"
        return results

    monkeypatch.setattr(views, "search", corrected)
    soup = page(client, "/search", q="个人所的税", source="国务院")
    notice = soup.select_one(".notice.corrected")
    assert notice.get_text(strip=True) == "已显示“个人所得税”的结果。仍然搜索“个人所的税”"
    assert query_of(notice.a["href"]) == {"q": ["个人所的税"], "source": ["国务院"], "as_typed": ["1"]}
    offer = soup.select_one(".notice.did-you-mean")
    assert offer.get_text(strip=True) == "您是不是要找：个人所得税法"
    assert query_of(offer.a["href"]) == {"q": ["个人所得税法"], "source": ["国务院"]}


@pytest.fixture()
def query_client(query_index_dir):
    from searchapp.web.app import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(query_index_dir)}).test_client()


def test_the_page_says_how_a_question_was_read(query_client):
    soup = page(query_client, "/search", q="出国旅游要注意什么")
    assert soup.select_one(".notice.understood").get_text(strip=True) == \
        "按问题查找：出国、旅游（略去：要、什么）；兼顾：注意。"
    # A question's matches are ranked together: one list, no section of partial matches.
    assert soup.select(".hits") and not soup.select(".partial-matches")
    assert soup.select_one(".hit a").get_text() == "中国公民出国旅游管理办法"


def test_the_page_says_what_else_a_word_finds(query_client):
    soup = page(query_client, "/search", q="退役兵 -现役")
    assert soup.select_one(".notice.understood").get_text(strip=True) == \
        "“退役兵”也查找：退役士兵。排除：现役。"
    assert page(query_client, "/search", q="营商环境").select_one(".notice.understood") is None
