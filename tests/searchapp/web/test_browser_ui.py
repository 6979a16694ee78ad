"""Issue 14's researcher UI in a real browser: Playwright driving Debian's Chromium against the
metadata index (three versions of 道路运输条例, 优化营商环境条例 cited by Shanghai and
Shangqiu, 专利代理条例 from two sources).

As in ``test_browser.py``, a JavaScript dialog or an uncaught page error fails the test.
``UPDATE_SCREENSHOT=1`` also writes the README's screenshots into ``docs/``; a normal run
never writes into the source tree.
"""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, quote, urlsplit

import pytest

from indexer.build.documents import doc_id
from tests.support import CHROMIUM, REPO, watch

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium')", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = pytest.mark.browser

META = "metadata-corpus/"
ROAD = META + "lawrefbook-laws/行政法规/道路运输条例({}).md"
ROAD_2019, ROAD_2023 = ROAD.format("2019-03-02"), ROAD.format("2023-07-20")
BUSINESS = META + "lawrefbook-laws/行政法规/优化营商环境条例(2019-10-22).md"
SHANGHAI = META + "lawrefbook-laws/DLC/上海地方法规/地方性法规/上海/上海市优化营商环境条例(2020-04-10).md"
TIMEOUT_MS = 10_000


def open_page(chromium, base_url: str, width: int = 1280, height: int = 900, **options):
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                   color_scheme="light", base_url=base_url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture()
def page(chromium, metadata_live_server):
    context, page = open_page(chromium, metadata_live_server, accept_downloads=True)
    dialogs, errors = watch(page)
    yield page
    context.close()
    assert not dialogs, f"a JavaScript dialog was opened (script injection?): {dialogs}"
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture()
def phone(chromium, metadata_live_server):
    context, page = open_page(chromium, metadata_live_server, width=375, height=667,
                              device_scale_factor=2, is_mobile=True, has_touch=True)
    dialogs, errors = watch(page)
    yield page
    context.close()
    assert not dialogs and not errors, (dialogs, errors)


def params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def pairs(page: Page) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query)


def total(page: Page):
    return page.locator(".summary .total")


def facet_link(page: Page, facet: str, value: str):
    return page.locator(f".facet-{facet} li.facet-value").filter(
        has=page.locator(".pick", has_text=re.compile(f"^(已选：|已排除：)?{value}$")))


# --- facets ---------------------------------------------------------------------------------

def test_choose_two_values_of_a_facet_then_exclude_one(page):
    page.goto("/search?q=" + quote("条例"))
    expect(total(page)).to_have_text("共 12 条结果")
    facet_link(page, "level", "行政法规").locator(".pick").click()
    page.wait_for_url(re.compile("level="))
    expect(total(page)).to_have_text("共 6 条结果")
    facet_link(page, "level", "地方性法规").locator(".pick").click()
    expect(total(page)).to_have_text("共 9 条结果")
    assert params(page)["level"] == ["行政法规", "地方性法规"]
    expect(page.locator(".facet-level a.pick.selected")).to_have_count(2)
    levels = set(page.locator("li.hit .level").all_inner_texts())
    assert levels == {"行政法规", "地方性法规"}

    # Exclude a region: AND with the level choice.
    facet_link(page, "region", "上海市").locator(".exclude").click()
    page.wait_for_url(re.compile("exclude_region="))
    expect(total(page)).to_have_text("共 8 条结果")
    expect(page.locator(".active-filters a.chip", has_text="排除地域：上海市")).to_be_visible()
    expect(page.locator(".facet-region li.is-excluded s")).to_have_text("上海市")
    assert "上海市优化营商环境条例" not in page.locator("li.hit .hit-title").all_inner_texts()
    # Undo the exclusion from its facet.
    page.locator(".facet-region li.is-excluded a.pick").click()
    page.wait_for_url(lambda url: "exclude_region" not in url)
    expect(total(page)).to_have_text("共 9 条结果")


def test_more_shows_the_rest_of_a_facet(page):
    page.goto("/search?q=" + quote("条例"))
    hidden = page.locator(".facet-year details.more .pick", has_text="1996")
    expect(hidden).to_be_hidden()
    page.locator(".facet-year details.more summary").click()
    expect(hidden).to_be_visible()
    hidden.click()
    page.wait_for_url(re.compile("year=1996"))
    expect(total(page)).to_have_text("共 1 条结果")


def test_year_chart_bars_match_the_counts(page):
    page.goto("/search?q=" + quote("条例"))
    listed = {}
    for item in page.locator(".facet-year li.facet-value").all():
        # text_content: values under a closed 更多 have no rendered text
        listed[item.locator(".pick").text_content()] = int(item.locator(".count").text_content())
    bars = page.locator(".facet-year .year-bars .bar")
    drawn = bars.evaluate_all("""els => els.map(e => {
        const rect = e.querySelector('rect'), box = (rect || e).getBoundingClientRect();
        return {year: e.dataset.year, count: +e.dataset.count,
                height: rect ? box.height : 0, bottom: box.bottom}; })""")
    assert {b["year"]: b["count"] for b in drawn if b["count"]} == listed
    tallest = max(b["height"] for b in drawn)
    most = max(listed.values())
    assert tallest > 30                                  # a chart one can read
    for bar in drawn:                                    # heights in proportion, one baseline
        assert bar["height"] == pytest.approx(bar["count"] / most * tallest, abs=1)
        assert bar["bottom"] == pytest.approx(drawn[0]["bottom"], abs=1)
    # A bar chooses its year.
    page.locator(".facet-year .year-bars .bar[data-year='2020']").click()
    page.wait_for_url(re.compile("year=2020"))
    expect(total(page)).to_have_text(f"共 {listed['2020']} 条结果")


# --- advanced search, search within, state --------------------------------------------------

def test_advanced_search_round_trip(page):
    page.goto("/")
    page.locator(".home a.advanced-link").click()
    page.wait_for_url(re.compile("/advanced"))
    page.fill("#adv-words", "营商环境 条例")
    page.check("input[name=match][value=exact]")
    page.fill("#adv-none", "上海")
    page.fill("#adv-issuer", "商丘市人民代表大会常务委员会")
    page.check("input[name=level][value='地方性法规']")
    page.fill("#adv-from", "2020")
    page.fill("#adv-to", "2020-12")
    page.check("input[name=scope][value=all]")
    page.locator("form.advanced-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/search\?"))
    query = '"营商环境" "条例" -"上海" source:商丘市人民代表大会常务委员会'
    assert pairs(page) == [("q", query), ("level", "地方性法规"), ("from", "2020"), ("to", "2020-12")]
    expect(page.locator("#q")).to_have_value(query)            # the equivalent query, shown
    expect(page.locator("li.hit .hit-title a")).to_have_text(["商丘市优化营商环境条例"])

    page.locator("header a.advanced-link").click()
    page.wait_for_url(re.compile("/advanced"))
    expect(page.locator("#adv-words")).to_have_value("营商环境 条例")
    expect(page.locator("input[name=match][value=exact]")).to_be_checked()
    expect(page.locator("#adv-none")).to_have_value("上海")
    expect(page.locator("#adv-issuer")).to_have_value("商丘市人民代表大会常务委员会")
    expect(page.locator("input[name=level][value='地方性法规']")).to_be_checked()
    expect(page.locator("input[name=level]:checked")).to_have_count(1)
    expect(page.locator("#adv-from")).to_have_value("2020")
    expect(page.locator("#adv-to")).to_have_value("2020-12")
    expect(page.locator("input[name=scope][value=all]")).to_be_checked()
    # Submitted again unchanged, it is the same search.
    first = page.url
    page.locator("form.advanced-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/search\?"))
    assert pairs(page) == [("q", query), ("level", "地方性法规"), ("from", "2020"), ("to", "2020-12")]
    assert first != page.url


def test_search_within_results(page):
    page.goto("/search?q=" + quote("条例") + "&level=" + quote("地方性法规"))
    expect(total(page)).to_have_text("共 3 条结果")
    page.fill("#within", "营商环境")
    page.locator("form.within button").click()
    page.wait_for_url(re.compile("%E8%90%A5%E5%95%86"))
    assert pairs(page) == [("q", "条例 营商环境"), ("level", "地方性法规")]
    expect(total(page)).to_have_text("共 2 条结果")
    expect(page.locator("#q")).to_have_value("条例 营商环境")


def test_filters_survive_sort_page_and_a_visit_to_an_article(page):
    page.goto("/search?q=" + quote("条例") + "&exclude_level=" + quote("工作报告") + "&per_page=3")
    page.locator("nav.sort a", has_text="按时间").click()
    page.wait_for_url(re.compile("sort=date"))
    page.locator("nav.pagination button", has_text="2").first.click()
    page.wait_for_url(re.compile("page=2"))
    listing = pairs(page)
    assert dict(listing) == {"q": "条例", "exclude_level": "工作报告", "per_page": "3", "sort": "date",
                             "page": "2"}
    first = page.locator("li.hit .hit-title a").first.inner_text()
    page.locator("li.hit .hit-title a").first.click()
    page.wait_for_url(re.compile("/articles/"))
    page.locator("a.back", has_text="返回搜索结果").click()
    page.wait_for_url(re.compile(r"/search\?"))
    assert pairs(page) == listing
    expect(page.locator("nav.sort strong")).to_have_text("按时间")
    expect(page.locator("nav.pagination strong[aria-current=page]")).to_have_text("2")
    expect(page.locator("li.hit .hit-title a").first).to_have_text(first)
    expect(page.locator(".active-filters a.chip")).to_have_text(["排除效力级别：工作报告 ✕"])
    # The date form keeps everything else and a year-only end date (type=date dropped it).
    page.fill("form.daterange input[name=to]", "2020")
    page.check("form.daterange input[name=title_only]")
    page.locator("form.daterange button").click()
    page.wait_for_url(re.compile("title_only=1"))
    assert dict(pairs(page)) == {"q": "条例", "exclude_level": "工作报告", "per_page": "3", "sort": "date",
                                 "to": "2020", "title_only": "1"}


def test_invalid_filter_gets_a_chinese_message(page):
    page.goto("/search?q=" + quote("条例"))
    page.fill("form.daterange input[name=from]", "2020")
    page.fill("form.daterange input[name=to]", "2018")
    with page.expect_response(lambda r: "/search?" in r.url) as response:
        page.locator("form.daterange button").click()
    assert response.value.status == 400
    expect(page.locator(".notice.error")).to_have_text("日期范围互相矛盾：起始日期晚于结束日期")
    expect(page.locator("form.daterange input[name=to]")).to_have_value("2018")
    # A box with something that is no date is stopped by the browser, with the box's hint.
    page.fill("form.daterange input[name=to]", "明年")
    page.locator("form.daterange button").click()
    assert page.locator("form.daterange input[name=to]").evaluate("e => e.validity.patternMismatch")
    assert params(page)["to"] == ["2018"]                 # not submitted


# --- law pages ------------------------------------------------------------------------------

def test_law_page_contents_and_article_anchor(page):
    page.goto(f"/articles/{doc_id(ROAD_2019)}")
    toc = page.locator("nav.toc a")
    expect(toc.first).to_have_text("第一章 总则")
    page.locator("nav.toc a", has_text="第五章").click()
    page.wait_for_url(re.compile("#%E7%AC%AC%E4%BA%94%E7%AB%A0$"))
    expect(page.locator("h2#第五章")).to_be_in_viewport()
    page.goto(f"/articles/{doc_id(ROAD_2019)}#{quote('第十二条')}")
    section = page.locator("section.tiao[id='第十二条']")
    expect(section).to_be_in_viewport()
    assert section.evaluate("e => e.matches(':target')")
    expect(section.locator("a.tiao-label")).to_have_text("第十二条")


def test_citation_leads_to_the_cited_regulation(page):
    page.goto(f"/articles/{doc_id(SHANGHAI)}")
    page.locator(".article-body a.cite", has_text="《优化营商环境条例》").first.click()
    page.wait_for_url(re.compile(doc_id(BUSINESS)))
    expect(page.locator("article h1")).to_have_text("优化营商环境条例")
    expect(page.locator(".panel.cited-by li a")).to_have_text(
        ["商丘市优化营商环境条例", "上海市优化营商环境条例"])      # oldest first (2020-03-31 批准)


def test_version_panel_and_comparison(page):
    page.goto(f"/articles/{doc_id(ROAD_2019)}")
    panel = page.locator(".panel.versions")
    expect(panel.locator("li")).to_have_count(3)
    expect(panel.locator("li[aria-current=page]")).to_contain_text("2019-03-02")
    expect(panel.locator("li").first).to_contain_text("现行有效")
    expect(panel.locator("li").first).to_contain_text("现行版本")
    panel.locator("a", has_text="与现行版本对照").click()
    page.wait_for_url(re.compile(f"/compare/{doc_id(ROAD_2023)}"))
    expect(page.locator("h1")).to_have_text("版本对照：中华人民共和国道路运输条例")
    changes = page.locator("ol.changes > li.change")
    assert changes.count() > 10
    expect(changes.first.locator("h2")).to_contain_text(re.compile(r"^第.+条"))
    assert page.locator("ol.changes ins").count() > 0 and page.locator("ol.changes del").count() > 0
    page.locator(".versions-compared a").last.click()
    expect(page.locator(".panel.versions li[aria-current=page]")).to_contain_text("2023-07-20")


def test_copy_the_gbt7714_reference(chromium, metadata_live_server):
    context, page = open_page(chromium, metadata_live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=metadata_live_server)
    try:
        page.goto(f"/articles/{doc_id(BUSINESS)}")
        today = (datetime.now(UTC) + timedelta(hours=8)).date().isoformat()
        # No original link and no PUBLIC_URL: no address (never the server's own, 127.0.0.1).
        expected = f"国务院. 优化营商环境条例: 国令第722号[A/OL]. (2019-10-22)[{today}]."
        expect(page.locator("#citation-text")).to_have_text(expected)
        page.locator("button.copy-citation").click()
        expect(page.locator("#copy-status")).to_have_text("已复制")
        assert page.evaluate("navigator.clipboard.readText()") == expected
    finally:
        context.close()


# --- export, phone --------------------------------------------------------------------------

def test_csv_export_downloads_and_parses(page):
    page.goto("/search?q=" + quote("条例") + "&level=" + quote("行政法规"))
    expect(total(page)).to_have_text("共 6 条结果")
    titles = page.locator("li.hit .hit-title a").all_inner_texts()
    with page.expect_download() as download:
        page.locator("button.export").click()
    data = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "搜索结果-条例.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert header[:3] == ["标题", "文号", "发文机关"] and header[-1] == "missing" and len(header) == 14
    assert [r[0] for r in rows] == titles
    assert {r[4] for r in rows} == {"行政法规"}


def test_phone_layout_puts_results_first(phone):
    phone.goto("/search?q=" + quote("条例"))
    first = phone.locator("li.hit").first
    expect(first).to_be_in_viewport()
    assert first.bounding_box()["y"] < 667 / 2               # no scrolling past the facets
    expect(phone.locator("aside.facets")).to_be_hidden()
    # The search box and its button on one line; nothing wider than the screen.
    box, button = phone.locator("#q").bounding_box(), phone.locator(".searchbox button").bounding_box()
    assert abs(box["y"] - button["y"]) < 2 and button["x"] + button["width"] <= 375
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator("details.filters > summary").click()
    expect(phone.locator(".facet-level")).to_be_visible()
    facet_link(phone, "level", "地方性法规").locator(".pick").click()
    phone.wait_for_url(re.compile("level="))
    expect(phone.locator(".summary .total")).to_have_text("共 3 条结果")
    expect(phone.locator("details.filters > summary")).to_have_text("筛选（已选 1 项）")


@pytest.mark.parametrize("width, shown", [(1280, True), (375, False)])
def test_facets_without_javascript(chromium, metadata_live_server, width, shown):
    """Facets show on a desktop and fold behind 筛选 on a phone by CSS alone."""
    context, page = open_page(chromium, metadata_live_server, width=width, java_script_enabled=False)
    try:
        page.goto("/search?q=" + quote("条例"))
        facet = page.locator(".facet-level")
        expect(facet).to_be_visible() if shown else expect(facet).to_be_hidden()
        if not shown:
            page.locator("details.filters > summary").click()
            expect(facet).to_be_visible()
    finally:
        context.close()


# --- README screenshots (only when asked) ---------------------------------------------------

# The reference's date and the test server's port change from run to run.
STABLE_REFERENCE = r"""els => els.forEach(e => e.textContent = e.textContent
    .replace(/\[\d{4}-\d\d-\d\d\]/, '[2026-12-02]')
    .replace(/http:\/\/127\.0\.0\.1:\d+/, 'https://policy-search.example'))"""
SHOTS = {"screenshot-results.png": ("/search?q=" + quote("营商环境 条例 上海"), 1280, 1000),
         "screenshot-law.png": (f"/articles/{doc_id(ROAD_2019)}", 1280, 1000),
         "screenshot-phone.png": ("/search?q=" + quote("营商环境"), 375, 740)}


@pytest.mark.skipif(os.environ.get("UPDATE_SCREENSHOT") != "1",
                    reason="set UPDATE_SCREENSHOT=1 to write docs/")
@pytest.mark.parametrize("name", list(SHOTS))
def test_readme_screenshots(chromium, metadata_live_server, name):
    path, width, height = SHOTS[name]
    context, page = open_page(chromium, metadata_live_server, width=width, height=height)
    try:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        for took in page.locator(".summary .took").all():       # timings vary: keep the picture stable
            took.evaluate("e => e.textContent = '（用时 3 毫秒）'")
        page.locator("#citation-text").evaluate_all(STABLE_REFERENCE)
        target = REPO / "docs" / name
        page.screenshot(path=str(target))
        assert target.stat().st_size > 10_000
    finally:
        context.close()
