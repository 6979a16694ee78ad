"""Advanced search (form → query language and filters → the same form) and the home page's
ways in (newest documents, counts by 效力级别 and by 发文机关)."""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from searchapp.web.advanced import AdvancedForm


def page(client, path: str, status: int = 200, **params) -> BeautifulSoup:
    response = client.get(path, query_string=params or None)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


FORMS = [
    ({"words": "营商环境 条例"}, "营商环境 条例", []),
    ({"words": "营商环境 条例", "match": "exact"}, '"营商环境" "条例"', []),
    ({"words": "条例", "any": "个税 增值税", "none": "征求意见 草案"},
     "条例 (个税 OR 增值税) -征求意见 -草案", []),
    ({"words": "优化", "match": "exact", "none": "征求意见"}, '"优化" -"征求意见"', []),
    ({"issuer": "国务院", "docnum": "国发(2019)5号"}, "source:国务院 docnum:国发〔2019〕5号", []),
    ({"issuer": "国务院 国务院办公厅"}, "(source:国务院 OR source:国务院办公厅)", []),
    ({"words": "条例", "scope": "title", "from": "2019", "to": "2020-06", "level": ["行政法规", "部门规章"],
      "status": "现行有效"},
     "条例", [("level", "行政法规"), ("level", "部门规章"), ("status", "现行有效"), ("from", "2019"),
              ("to", "2020-06"), ("title_only", "1")]),
]


def multidict(fields: dict) -> MultiDict:
    return MultiDict([(k, v) for k, vs in fields.items() for v in (vs if isinstance(vs, list) else [vs])])


@pytest.mark.parametrize("fields, q, filters", FORMS)
def test_form_compiles_to_query_and_filters(fields, q, filters):
    form = AdvancedForm.from_form(multidict(fields))
    assert form.query() == q
    assert form.search_items() == [("q", q), *filters]


@pytest.mark.parametrize("fields, q, filters", FORMS)
def test_form_reads_back_from_its_search(fields, q, filters):
    form = AdvancedForm.from_form(multidict(fields))
    again = AdvancedForm.from_search(MultiDict(form.search_items()))
    assert again == form
    assert again.query() == q


def test_query_the_form_has_no_box_for_stays_in_keywords():
    form = AdvancedForm.from_search(MultiDict([("q", "title:条例 (a OR -b) 税")]))
    assert form.words == "title:条例 (a OR -b) 税" and form.query() == "title:条例 (a OR -b) 税"


def test_advanced_page_submits_to_the_equivalent_search(metadata_client):
    soup = page(metadata_client, "/advanced")
    assert soup.h1.get_text() == "高级搜索"
    form = soup.select_one("form.advanced-form")
    assert form["action"] == "/advanced" and form["method"] == "get"
    levels = {i["value"] for i in form.select("input[name=level]")}
    assert levels >= {"行政法规", "地方性法规", "部门规章"}
    assert {i["value"] for i in form.select("input[name=status]")} >= {"现行有效", "已被修订", "已废止"}
    for name in ("from", "to"):
        box = form.select_one(f"input[name={name}]")
        assert box["type"] == "text" and box.has_attr("pattern")

    response = metadata_client.get("/advanced", query_string=[
        ("advanced", "1"), ("words", "营商环境"), ("none", "上海"), ("match", "fuzzy"), ("scope", "all"),
        ("level", "地方性法规"), ("from", "2020"), ("to", "")])
    assert response.status_code == 302
    target = response.headers["Location"]
    assert urlsplit(target).path == "/search"
    assert parse_qsl(urlsplit(target).query) == [
        ("q", "营商环境 -上海"), ("level", "地方性法规"), ("from", "2020")]
    results = page(metadata_client, target)
    assert results.select_one("header input[name=q]")["value"] == "营商环境 -上海"
    assert [h.a.get_text() for h in results.select("li.hit .hit-title")] == ["商丘市优化营商环境条例"]

    # The results page's 高级搜索 link brings the same form back, filled.
    again = page(metadata_client, results.select_one("a.advanced-link")["href"])
    assert again.select_one("input[name=words]")["value"] == "营商环境"
    assert again.select_one("input[name=none]")["value"] == "上海"
    assert again.select_one("input[name=from]")["value"] == "2020"
    assert [i["value"] for i in again.select("input[name=level][checked]")] == ["地方性法规"]
    assert again.select_one("input[name=match][value=fuzzy]").has_attr("checked")


def test_other_filters_ride_along_through_the_form(metadata_client):
    soup = page(metadata_client, "/advanced", q="条例", source="国务院", exclude_year="2016", sort="date")
    hidden = [(i["name"], i["value"]) for i in soup.select("form.advanced-form input[type=hidden]")]
    assert hidden == [("advanced", "1"), ("source", "国务院"), ("exclude_year", "2016"), ("sort", "date")]


def listed(soup, selector: str) -> dict[str, int]:
    return {li.a.get_text(): int(li.select_one(".count").get_text()) for li in soup.select(selector)}


def test_home_page_ways_in(metadata_client):
    soup = page(metadata_client, "/")
    newest = soup.select(".newest li")
    dates = [li.select_one(".meta").get_text().split()[0] for li in newest]
    assert len(newest) == 8 and dates == sorted(dates, reverse=True)
    levels = {a.get_text(): a["href"] for a in soup.select(".browse-level li a")}
    assert parse_qs(urlsplit(levels["行政法规"]).query) == {"level": ["行政法规"]}
    counts = listed(soup, ".browse-level li")
    # A count is the total of the search it links to.
    for level, count in counts.items():
        assert metadata_client.get("/api/search", query_string={"level": level}).get_json()["total"] == count
    sources = listed(soup, ".browse-source li")
    assert sources["国务院"] == metadata_client.get("/api/search?source=国务院").get_json()["total"]
