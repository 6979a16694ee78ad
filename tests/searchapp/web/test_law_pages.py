"""Article pages of regulations on the metadata index: headings, table of contents, an anchor
per 第N条, citations linked, the 版本 panel and the comparison page, 历史沿革, 被引用/引用,
the GB/T 7714 reference; and the pieces behind them (law.py, citation.py, compare_page.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.build.documents import doc_id
from searchapp.web.citation import gbt7714, short_docnum
from searchapp.web.compare_page import inline_diff
from searchapp.web.law import law_text

META = "metadata-corpus/"
ROAD = META + "lawrefbook-laws/行政法规/道路运输条例({}).md"
ROAD_2019, ROAD_2022, ROAD_2023 = (ROAD.format(d) for d in ("2019-03-02", "2022-03-29", "2023-07-20"))
BUSINESS = META + "lawrefbook-laws/行政法规/优化营商环境条例(2019-10-22).md"
SHANGHAI = META + "lawrefbook-laws/DLC/上海地方法规/地方性法规/上海/上海市优化营商环境条例(2020-04-10).md"
SHANGQIU = META + "lawrefbook-laws/DLC/河南地方法规/地方性法规/河南/商丘市优化营商环境条例(2020-04-20).md"
PATENT_MD = META + "lawrefbook-laws/行政法规/专利代理条例(2018-11-06).md"
GUOFA_5 = "corpus/govcn-pages/www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
PATENT_PAGE = META + "govcn-pages/www.gov.cn/zhengce/content/2018-11/19/content_5341736.htm"


def page(client, path: str, status: int = 200, **params) -> BeautifulSoup:
    response = client.get(path, query_string=params or None)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def article(client, path: str, **params) -> BeautifulSoup:
    return page(client, f"/articles/{doc_id(path)}", **params)


def today() -> str:
    return (datetime.now(UTC) + timedelta(hours=8)).date().isoformat()


# --- structure ------------------------------------------------------------------------------

def test_law_page_has_headings_contents_and_article_anchors(metadata_client):
    soup = article(metadata_client, ROAD_2019)
    toc = [(a.get_text(" ", strip=True), a["href"]) for a in soup.select("nav.toc a")]
    assert toc[:5] == [("第一章 总则", "#第一章"), ("第二章 道路运输经营", "#第二章"),
                       ("第一节 客运", "#第二章第一节"), ("第二节 货运", "#第二章第二节"),
                       ("第三节 客运和货运的共同规定", "#第二章第三节")]
    assert toc[-1] == ("第七章 附则", "#第七章")
    body = soup.select_one(".article-body")
    for _, href in toc:                               # every entry leads to its heading
        heading = body.find(id=href[1:])
        assert heading.name in ("h2", "h3")
    assert body.find(id="第一章").name == "h2" and body.find(id="第二章第一节").name == "h3"
    section = body.select_one("section.tiao#第十二条")
    label = section.select_one("a.tiao-label")
    assert (label.get_text(), label["href"]) == ("第十二条", "#第十二条")
    assert section.get_text(" ", strip=True).startswith("第十二条 ")
    ids = [t["id"] for t in body.find_all(id=True)]
    assert len(ids) == len(set(ids))
    # The whole text is there: every line of the body is on the page.
    text = metadata_client.get(f"/api/articles/{doc_id(ROAD_2019)}").get_json()["body"]
    shown = body.get_text("").replace(" ", "")
    lines = [line.strip().replace(" ", "") for line in text.split("\n") if line.strip()]
    assert all(line in shown for line in lines)


def test_law_text_keeps_lines_outside_articles():
    body = "国务院令\n第一章 总则\n本章说明\n第一条 一\n第二条 二\n续行\n第三条 三\n附件一"
    text = law_text(body, (), {})
    kinds = [(b.kind, b.label or str(b.html)) for b in text.blocks]
    assert kinds == [("p", "国务院令"), ("heading", "第一章"), ("p", "本章说明"), ("tiao", "第一条"),
                     ("tiao", "第二条"), ("tiao", "第三条")]
    assert [str(p) for p in text.blocks[4].paragraphs] == ["二", "续行"]
    assert [str(p) for p in text.blocks[5].paragraphs] == ["三", "附件一"]
    assert [(e.label, e.anchor) for e in text.toc] == [("第一章", "第一章")]


def test_law_text_escapes_and_links_only_resolved_mentions():
    body = "第一条 根据《甲条例》和《乙法》<script>\n第二条 二\n第三条 三"
    text = law_text(body, ("条例",), {"《甲条例》": "/articles/0123456789abcdef?q=x&y=<z>"})
    html = str(text.blocks[0].paragraphs[0])
    assert html == ('根据<a class="cite" href="/articles/0123456789abcdef?q=x&amp;y=&lt;z&gt;">'
                    '《甲<mark>条例</mark>》</a>和《乙法》&lt;script&gt;')


def test_a_notice_is_plain_paragraphs(metadata_client):
    soup = article(metadata_client, GUOFA_5)
    assert soup.select("section.tiao") == [] and soup.select_one("nav.toc") is None
    assert len(soup.select(".article-body > p")) > 10
    plain = law_text("第一条 只有一条\n其他", (), {})
    assert [b.kind for b in plain.blocks] == ["p", "p"] and not plain.structured


# --- citations ------------------------------------------------------------------------------

def test_reference_links_to_the_cited_regulation(metadata_client):
    soup = article(metadata_client, SHANGHAI, q="营商环境")
    links = soup.select(".article-body a.cite")
    assert links and {a.get_text() for a in links} == {"《优化营商环境条例》"}
    href = links[0]["href"]
    assert urlsplit(href).path == f"/articles/{doc_id(BUSINESS)}"
    assert urlsplit(href).query == "q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83"      # the state rides along
    assert links[0].select("mark")                  # still highlighted inside the link
    cites = soup.select(".panel.cites li a")
    assert [a.get_text() for a in cites] == ["优化营商环境条例"]
    target = page(metadata_client, href)
    assert target.select_one("article h1").get_text() == "优化营商环境条例"


def test_cited_by_lists_the_local_regulations(metadata_client):
    soup = article(metadata_client, BUSINESS)
    cited = {a.get_text(): urlsplit(a["href"]).path for a in soup.select(".panel.cited-by li a")}
    assert cited == {"上海市优化营商环境条例": f"/articles/{doc_id(SHANGHAI)}",
                     "商丘市优化营商环境条例": f"/articles/{doc_id(SHANGQIU)}"}
    assert soup.select_one(".panel.cited-by h2").get_text() == "被引用（2）"


def test_history_list(metadata_client):
    soup = article(metadata_client, BUSINESS)
    assert [li.get_text(" ", strip=True) for li in soup.select(".panel.history li")] == [
        "2019-10-08 通过", "2019-10-22 公布", "2020-01-01 施行"]


def test_one_regulation_from_two_sources(metadata_client):
    soup = article(metadata_client, PATENT_MD)
    meta = {dt.get_text(): dt.find_next_sibling("dd") for dt in soup.select("dl.article-meta dt")}
    links = [urlsplit(a["href"]).path for a in meta["来源文件"].select("a")]
    assert links == [f"/articles/{doc_id(PATENT_PAGE)}"] and "（本页）" in meta["来源文件"].get_text()


# --- versions and comparison ----------------------------------------------------------------

def test_version_panel_of_an_old_version(metadata_client):
    soup = article(metadata_client, ROAD_2019, q="道路", level="行政法规")
    panel = soup.select_one(".panel.versions")
    assert panel.h2.get_text() == "版本（3）"
    rows = [li.get_text(" ", strip=True) for li in panel.select("li")]
    assert rows == ["2023-07-20 现行有效 （现行版本）", "2022-03-29 已被修订", "2019-03-02 已被修订 （本页）"]
    assert panel.select("li")[2]["aria-current"] == "page"
    assert [urlsplit(a["href"]).path for a in panel.select("li a")] == [
        f"/articles/{doc_id(ROAD_2023)}", f"/articles/{doc_id(ROAD_2022)}"]
    compare = panel.select_one("a.compare-current")
    assert compare.get_text() == "与现行版本对照"
    assert urlsplit(compare["href"]).path == f"/articles/{doc_id(ROAD_2019)}/compare/{doc_id(ROAD_2023)}"
    assert parse_qsl(urlsplit(compare["href"]).query) == [("q", "道路"), ("level", "行政法规")]
    assert panel.select_one("a.compare-previous") is None
    # Said at the top too (on a phone the panel comes after the text).
    notice = soup.select_one(".version-notice")
    assert notice.get_text(" ", strip=True).startswith(
        "此为 2019-03-02 版本（已被修订）。 查看现行版本（2023-07-20）")
    assert [urlsplit(a["href"]).path for a in notice.select("a")] == [
        f"/articles/{doc_id(ROAD_2023)}", urlsplit(compare["href"]).path]


def test_the_status_with_its_basis_linked(metadata_client):
    soup = article(metadata_client, ROAD_2019, q="道路")
    status = soup.select_one("dd.status-text")
    assert status.get_text() == "已被修订（依据：已被2022-03-29版本修订取代）"
    link = status.select_one(".status-basis a")
    assert (urlsplit(link["href"]).path, parse_qsl(urlsplit(link["href"]).query)) == \
        (f"/articles/{doc_id(ROAD_2022)}", [("q", "道路")])
    abolished = article(metadata_client, META + "lawrefbook-laws/行政法规/个体工商户条例(2016-02-06).md")
    assert abolished.select_one("dd.status-text").get_text() == \
        "已废止（依据：已被《促进个体工商户发展条例》废止）"
    # A regulation known from this one file: the newest version indexed.
    assert article(metadata_client, BUSINESS).select_one("dd.status-text").get_text() == \
        "现行有效（依据：本文件为已收录的最新版本）"
    # A State Council notice of 1997: nothing indexed says it is in force, or not.
    notice = META + "govcn-pages/www.gov.cn/zhengce/content/2018-12/02/content_5345291.htm"
    assert article(metadata_client, notice).select_one("dd.status-text").get_text() == "未标注"


def test_version_panel_of_the_current_version(metadata_client):
    soup = article(metadata_client, ROAD_2023)
    panel = soup.select_one(".panel.versions")
    assert panel.select_one("a.compare-current") is None and soup.select_one(".version-notice") is None
    previous = panel.select_one("a.compare-previous")
    assert urlsplit(previous["href"]).path == f"/articles/{doc_id(ROAD_2022)}/compare/{doc_id(ROAD_2023)}"
    assert article(metadata_client, BUSINESS).select_one(".panel.versions") is None   # one version


def test_comparison_page_shows_changes_article_by_article(metadata_client):
    old, new = doc_id(ROAD_2022), doc_id(ROAD_2023)
    soup = page(metadata_client, f"/articles/{old}/compare/{new}")
    assert soup.h1.get_text() == "版本对照：中华人民共和国道路运输条例"
    api = metadata_client.get(f"/api/articles/{old}/compare/{new}").get_json()["changes"]
    items = soup.select("ol.changes > li.change")
    assert len(items) == len(api) > 0
    for item, change in zip(items, api, strict=True):
        title = item.h2.get_text(" ", strip=True)
        assert title.startswith(change["article"])
        assert {"added": "新增", "removed": "删除", "changed": "修改"}[change["kind"]] in title
        if change["kind"] == "changed":
            assert item.select_one(".old").get_text().endswith(change["old"])
            assert item.select_one(".new").get_text().endswith(change["new"])
            assert item.select("del") or item.select("ins")
    links = [urlsplit(a["href"]).path for a in soup.select(".versions-compared a")]
    assert links == [f"/articles/{old}", f"/articles/{new}"]
    assert soup.select_one("p.summary").get_text(strip=True).startswith(f"共 {len(api)} 处变化")


def test_inline_diff_marks_only_real_changes():
    old, new = inline_diff("(一)由县级<b>机构</b>负责", "（一）由市级<b>部门</b>负责")
    assert str(old) == "(一)由<del>县</del>级&lt;b&gt;<del>机构</del>&lt;/b&gt;负责"
    assert str(new) == "（一）由<ins>市</ins>级&lt;b&gt;<ins>部门</ins>&lt;/b&gt;负责"


def test_compare_unknown_version_is_404(metadata_client):
    soup = page(metadata_client, f"/articles/{doc_id(ROAD_2022)}/compare/ffffffffffffffff", status=404)
    assert soup.h1.get_text() == "404 · 页面不存在"


# --- GB/T 7714 ------------------------------------------------------------------------------

def test_reference_on_the_page(metadata_client):
    """No original link: the page's public address, and without PUBLIC_URL no address at all
    (never the one the page was read at, such as http://localhost or 127.0.0.1)."""
    soup = article(metadata_client, BUSINESS)
    text = soup.select_one("#citation-text").get_text()
    assert text == f"国务院. 优化营商环境条例: 国令第722号[A/OL]. (2019-10-22)[{today()}]."
    metadata_client.application.config["PUBLIC_URL"] = "https://policy.example.org/"
    soup = article(metadata_client, BUSINESS)
    assert soup.select_one("#citation-text").get_text() == (
        f"国务院. 优化营商环境条例: 国令第722号[A/OL]. (2019-10-22)[{today()}]. "
        f"https://policy.example.org/articles/{doc_id(BUSINESS)}.")
    button = soup.select_one("button.copy-citation")
    assert button.get_text() == "复制引用" and button["data-copies"] == "citation-text"


@pytest.mark.parametrize("fields, expected", [
    ({"title": "优化营商环境条例", "source": "国务院", "doc_number": "中华人民共和国国务院令第722号",
      "date": "2019-10-22", "url": "http://www.gov.cn/x.htm", "level": "行政法规"},
     "国务院. 优化营商环境条例: 国令第722号[A/OL]. (2019-10-22)[2026-12-02]. http://www.gov.cn/x.htm."),
    ({"title": "关于x的通知", "source": "", "doc_number": "", "date": "", "url": "http://h/a", "level": ""},
     "关于x的通知[A/OL]. [2026-12-02]. http://h/a."),
    ({"title": "春运开启", "source": "ZAKER", "doc_number": "", "date": "2022-01-17", "url": "http://h/b",
      "level": "新闻"},
     "ZAKER. 春运开启[EB/OL]. (2022-01-17)[2026-12-02]. http://h/b."),
])
def test_gbt7714(fields, expected):
    assert gbt7714(**fields, today="2026-12-02") == expected


def test_short_docnum():
    assert short_docnum("中华人民共和国国务院令第707号") == "国令第707号"
    assert short_docnum("国务院令 第 5 号") == "国令第5号"
    assert short_docnum("国发〔2019〕5号") == "国发〔2019〕5号"


def test_any_two_versions_from_the_panel_form(metadata_client):
    soup = article(metadata_client, ROAD_2019, q="道路")
    form = soup.select_one(".panel.versions form.compare-any")
    assert form["action"] == "/compare"
    assert [(i["name"], i["value"]) for i in form.select("input[type=hidden]")] == [("q", "道路")]
    options = [o["value"] for o in form.select("#compare-old option")]
    assert options == [doc_id(ROAD_2023), doc_id(ROAD_2022), doc_id(ROAD_2019)]
    # On an old version it starts with that one and the current one.
    assert form.select_one("#compare-old option[selected]")["value"] == doc_id(ROAD_2019)
    assert form.select_one("#compare-new option[selected]")["value"] == doc_id(ROAD_2023)
    # Any order in, older first out, the search state kept.
    response = metadata_client.get(f"/compare?old={doc_id(ROAD_2022)}&new={doc_id(ROAD_2019)}&q=道路")
    assert response.status_code == 302
    assert response.headers["Location"] == (f"/articles/{doc_id(ROAD_2019)}/compare/{doc_id(ROAD_2022)}"
                                            "?q=%E9%81%93%E8%B7%AF")
    for bad in (f"old={doc_id(ROAD_2019)}&new=ffffffffffffffff", "old=x&new=y", ""):
        assert metadata_client.get(f"/compare?{bad}").status_code == 404


def test_a_reference_without_an_address_ends_at_the_citing_date():
    assert gbt7714(title="优化营商环境条例", source="国务院", doc_number="国令第722号", date="2019-10-22",
                   url="", level="行政法规", today="2026-12-02") == (
        "国务院. 优化营商环境条例: 国令第722号[A/OL]. (2019-10-22)[2026-12-02].")
