"""Issue 23's rough edges, each pinned in Debian's Chromium (Playwright) on the metadata index:
long queries, partial matches apart, nothing offered on zero results, 订阅, undated documents,
the home page's lists, comparing any two versions, the contents and panels of a long law on a
desktop and a phone, citations without a local address, small polish, cached static files.

As elsewhere, a JavaScript dialog or an uncaught page error fails the test.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from indexer.build.documents import doc_id
from tests.support import CHROMIUM, running_server, watch

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium')", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

META = "metadata-corpus/lawrefbook-laws/"
ROAD = META + "行政法规/道路运输条例({}).md"
ROAD_2019, ROAD_2022, ROAD_2023 = (ROAD.format(d) for d in ("2019-03-02", "2022-03-29", "2023-07-20"))
BUSINESS = META + "行政法规/优化营商环境条例(2019-10-22).md"
NEWS_OUTLETS = {"ZAKER", "观察者网", "新浪财经"}
TIMEOUT_MS = 10_000


def browse(chromium, base_url: str, width: int = 1366, height: int = 900, **options):
    phone = width < 500
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                   color_scheme="light", base_url=base_url, is_mobile=phone,
                                   has_touch=phone, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture()
def desktop(chromium, metadata_live_server):
    context = browse(chromium, metadata_live_server, accept_downloads=True)
    page = context.new_page()
    dialogs, errors = watch(page)
    yield page
    context.close()
    assert not dialogs and not errors, (dialogs, errors)


@pytest.fixture()
def phone(chromium, metadata_live_server):
    context = browse(chromium, metadata_live_server, width=375, height=667)
    page = context.new_page()
    dialogs, errors = watch(page)
    yield page
    context.close()
    assert not dialogs and not errors, (dialogs, errors)


def pairs(page) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query)


def search(page, q: str) -> None:
    page.goto("/search?q=" + quote(q))


# --- long queries ---------------------------------------------------------------------------

def test_a_long_query_typed_into_the_box_is_cut_with_a_notice(desktop):
    """The box takes 2,000 characters; the page searches the first 500 and says so, in a page
    under 100 KB however many links it has (facets, pages, export: one state form)."""
    desktop.goto(f"/articles/{doc_id(ROAD_2019)}")
    text = re.sub(r"\s+", "", desktop.locator(".article-body").inner_text())[:700]   # a pasted passage
    desktop.goto("/")
    box = desktop.locator("#q")
    assert box.get_attribute("maxlength") == "2000"
    box.fill(text)
    with desktop.expect_response(lambda r: "/search?" in r.url) as answer:
        box.press("Enter")
    response = answer.value
    assert response.status == 200
    assert len(response.body()) < 100_000
    expect(desktop.locator(".notice.query-cut")).to_have_text("搜索词过长（700 字），只搜索了前 500 字。")
    expect(desktop.locator("#q")).to_have_value(text[:500])
    expect(desktop.locator("li.hit").first).to_be_visible()
    # Every way on from the page carries the cut query, not the 700 characters.
    assert dict(pairs(desktop))["q"] == text
    desktop.locator("nav.sort a", has_text="按时间").click()
    desktop.wait_for_url(re.compile("sort=date"))
    assert dict(pairs(desktop))["q"] == text[:500]
    expect(desktop.locator(".notice.query-cut")).to_have_count(0)


def test_a_paste_longer_than_the_box_is_cut_by_the_box_and_the_page(desktop):
    desktop.goto("/")
    desktop.locator("#q").fill("税" * 5000)               # fill() types it: the box keeps 2,000
    expect(desktop.locator("#q")).to_have_value("税" * 2000)
    desktop.locator("#q").press("Enter")
    expect(desktop.locator(".notice.query-cut")).to_have_text("搜索词过长（2000 字），只搜索了前 500 字。")


# --- partial matches, zero results, 订阅 -----------------------------------------------------

def test_partial_matches_have_a_section_and_a_csv_column(desktop):
    search(desktop, "营商环境 条例 上海")
    expect(desktop.locator(".summary .total")).to_have_text("共 1 条结果")
    full = desktop.locator("main > .results-layout > .results > ol.hits > li.hit")
    expect(full).to_have_count(1)
    expect(full.locator(".missing")).to_have_count(0)
    section = desktop.locator("section.partial-matches")
    expect(section.locator("h2")).to_have_text("缺少部分词语的结果（共 4 条）")
    partial = section.locator("li.hit")
    expect(partial).to_have_count(4)
    expect(partial.locator(".missing")).to_have_text(["缺少：上海"] * 4)
    assert section.bounding_box()["y"] > full.bounding_box()["y"]        # after the full matches
    titles = desktop.locator("li.hit .hit-title a").all_inner_texts()
    with desktop.expect_download() as download:
        desktop.locator("button.export").click()
    data = Path(download.value.path()).read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(data, newline="")))
    assert header[-1] == "missing"
    assert [r[0] for r in rows] == titles
    assert [r[-1] for r in rows] == ["", "上海", "上海", "上海", "上海"]


def test_nothing_that_cannot_work_on_zero_results(desktop):
    search(desktop, "qwxzvbn")
    expect(desktop.locator(".summary .total")).to_have_text("共 0 条结果")
    for selector in ("button.export", "button.feed", "form.within", "nav.sort", "details.filters",
                     "nav.pagination", "link[rel=alternate]"):
        expect(desktop.locator(selector)).to_have_count(0)
    expect(desktop.locator(".empty")).to_contain_text("没有找到与 “qwxzvbn” 相关的文章")
    # With results, all of them are there.
    search(desktop, "条例")
    for selector in ("button.export", "button.feed", "form.within", "nav.sort", "details.filters"):
        expect(desktop.locator(selector)).to_have_count(1)


def test_subscribe_explains_itself_and_gives_the_feed_address(chromium, metadata_live_server):
    context = browse(chromium, metadata_live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=metadata_live_server)
    page = context.new_page()
    try:
        page.goto(f"/search?q={quote('条例')}&level={quote('行政法规')}&sort=date&page=2&per_page=2")
        page.locator("button.feed").click()
        page.wait_for_url(re.compile("/subscribe"))
        assert page.evaluate("document.contentType") == "text/html"
        expect(page.locator("h1")).to_have_text("订阅“条例”")
        expect(page.locator(".subscribe > p").first).to_contain_text("阅读器")
        feed = page.locator("#feed-url").input_value()
        assert feed == (f"{metadata_live_server}/feed?q=%E6%9D%A1%E4%BE%8B"
                        "&level=%E8%A1%8C%E6%94%BF%E6%B3%95%E8%A7%84")
        page.locator("button.copy-citation").click()
        expect(page.locator("#feed-copy-status")).to_have_text("已复制")
        assert page.evaluate("navigator.clipboard.readText()") == feed
        expect(page.locator("ol.feed-preview li")).to_have_count(6)
        response = page.request.get(feed)
        assert response.headers["content-type"].startswith("application/atom+xml")
        assert response.text().count("<entry>") == 6
    finally:
        context.close()


# --- facets and the home page ---------------------------------------------------------------

def test_undated_documents_are_counted_and_can_be_chosen(desktop):
    search(desktop, "的")
    undated = desktop.locator(".facet-year li.facet-value",
                              has=desktop.locator(".pick", has_text="未注明日期"))
    desktop.locator(".facet-year details.more summary").click()      # the 9th value and after
    # A news post with an unreadable date, and a notice whose file name's date its own 文号
    # contradicts (劳社部发[2008]3号 filed as 2009).
    expect(undated.locator(".count")).to_have_text("2")
    expect(desktop.locator(".year-chart .undated")).to_have_text("另有 2 篇未注明日期")
    # The last of the year list, after every year.
    values = desktop.locator(".facet-year li.facet-value .pick").all_text_contents()
    assert values[-1] == "未注明日期" and all(v.isdigit() for v in values[:-1])
    undated.locator(".pick").click()
    desktop.wait_for_url(re.compile("year="))
    expect(desktop.locator(".summary .total")).to_have_text("共 2 条结果")
    expect(desktop.locator("li.hit time")).to_have_count(0)
    expect(desktop.locator(".active-filters a.chip")).to_have_text(["年份：未注明日期 ✕"])


def test_a_single_year_draws_no_chart(desktop):
    search(desktop, "春运")
    expect(desktop.locator(".facet-year li.facet-value")).to_have_count(1)
    expect(desktop.locator(".year-chart")).to_have_count(0)


def test_home_lists_issuers_and_media_apart_and_varied_newest(desktop):
    desktop.goto("/")
    issuers = desktop.locator(".browse-source li a").all_inner_texts()
    media = desktop.locator(".browse-media li a").all_inner_texts()
    expect(desktop.locator("#browse-source-title")).to_have_text("按发文机关")
    expect(desktop.locator("#browse-media-title")).to_have_text("媒体来源")
    assert "国务院" in issuers and not NEWS_OUTLETS & set(issuers)
    assert {"ZAKER", "观察者网"} <= set(media) and not set(media) & set(issuers)
    # Each count is what its link finds.
    for kind in ("source", "media"):
        item = desktop.locator(f".browse-{kind} li").first
        count = item.locator(".count").inner_text()
        item.locator("a").click()
        desktop.wait_for_url(re.compile("/search"))
        expect(desktop.locator(".summary .total")).to_have_text(f"共 {count} 条结果")
        desktop.go_back()
    levels = [m.split()[1] for m in desktop.locator(".newest li .meta").all_inner_texts()]
    assert len(set(levels)) >= 3 and levels.count("行政法规") < len(levels) - 2
    # No empty bordered strip above the search box: the home page has no site header.
    expect(desktop.locator("header.site-header")).to_have_count(0)


# --- versions, contents, panels -------------------------------------------------------------

def test_any_two_versions_can_be_compared(desktop):
    desktop.goto(f"/articles/{doc_id(ROAD_2023)}?q=" + quote("道路"))
    panel = desktop.locator(".panel.versions")
    # Marks stand apart from the status ("现行版本本页" ran together).
    expect(panel.locator("li").first).to_have_text(re.compile(r"^\s*2023-07-20\s+现行有效\s+（现行版本，本页）\s*$"))
    expect(panel.locator("#compare-old")).to_have_value(doc_id(ROAD_2022))       # the one before
    expect(panel.locator("#compare-new")).to_have_value(doc_id(ROAD_2023))
    panel.locator("#compare-old").select_option(doc_id(ROAD_2019))
    panel.locator("#compare-new").select_option(doc_id(ROAD_2022))
    panel.locator("form.compare-any button").click()
    desktop.wait_for_url(re.compile(f"/articles/{doc_id(ROAD_2019)}/compare/{doc_id(ROAD_2022)}"))
    assert pairs(desktop) == [("q", "道路")]
    expect(desktop.locator(".versions-compared a")).to_have_text(["2019-03-02 版", "2022-03-29 版"])
    # Picked the other way round, the older one still comes first.
    desktop.goto(f"/articles/{doc_id(ROAD_2023)}")
    desktop.locator("#compare-old").select_option(doc_id(ROAD_2023))
    desktop.locator("#compare-new").select_option(doc_id(ROAD_2019))
    desktop.locator("form.compare-any button").click()
    desktop.wait_for_url(re.compile(f"/articles/{doc_id(ROAD_2019)}/compare/{doc_id(ROAD_2023)}"))
    assert desktop.locator("ol.changes > li.change").count() > 10


def test_the_contents_stay_in_view_on_a_long_law(desktop):
    desktop.goto(f"/articles/{doc_id(ROAD_2019)}")
    toc = desktop.locator("nav.toc")
    expect(toc).to_be_in_viewport()
    for anchor in ("第三十条", "第六十条", "第八十条"):
        desktop.goto(f"/articles/{doc_id(ROAD_2019)}#{quote(anchor)}")
        expect(desktop.locator(f"section.tiao[id='{anchor}']")).to_be_in_viewport()
        expect(toc).to_be_in_viewport()
        if anchor != "第八十条":      # near the end the column rests on the text's last line
            expect(desktop.locator(".panel.versions h2")).to_be_in_viewport()
    toc.locator("a", has_text="第七章").click()
    expect(desktop.locator("h2#第七章")).to_be_in_viewport()
    assert desktop.evaluate("window.scrollY") > 2000


def test_on_a_phone_the_panels_and_contents_are_reached_from_the_top(phone):
    phone.goto(f"/articles/{doc_id(ROAD_2019)}")
    jumps = phone.locator("nav.page-jumps a")
    expect(jumps).to_have_text(["目录", "版本（3）", "历史沿革", "引用"])
    assert jumps.first.bounding_box()["y"] < 300
    assert phone.evaluate("document.documentElement.scrollHeight") > 10 * 667
    phone.goto(f"/articles/{doc_id(ROAD_2019)}#{quote('第五十条')}")
    expect(phone.locator("nav.page-jumps")).to_be_in_viewport()          # it stays at the top
    phone.locator("nav.page-jumps a", has_text="版本").click()
    expect(phone.locator(".panel.versions h2")).to_be_in_viewport()
    expect(phone.locator("nav.page-jumps")).to_be_in_viewport()
    phone.locator("nav.page-jumps a", has_text="目录").click()
    expect(phone.locator("nav.toc h2")).to_be_in_viewport()
    phone.locator("nav.toc a", has_text="第三章").click()
    heading = phone.locator("h2#第三章")
    expect(heading).to_be_in_viewport()
    jumps_box = phone.locator("nav.page-jumps").bounding_box()
    assert heading.bounding_box()["y"] >= jumps_box["y"] + jumps_box["height"] - 1   # not under the bar
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_citations_never_name_a_local_address(desktop, chromium, metadata_index_dir):
    desktop.goto(f"/articles/{doc_id(BUSINESS)}")
    reference = desktop.locator("#citation-text").inner_text()
    assert reference.startswith("国务院. 优化营商环境条例: 国令第722号[A/OL]. (2019-10-22)[")
    assert "http" not in reference and "127.0.0.1" not in reference and "localhost" not in reference
    with running_server(metadata_index_dir, PUBLIC_URL="https://policy.example.org") as url:
        context = browse(chromium, url)
        try:
            page = context.new_page()
            page.goto(f"/articles/{doc_id(BUSINESS)}")
            expect(page.locator("#citation-text")).to_have_text(re.compile(
                rf"\]\. https://policy\.example\.org/articles/{doc_id(BUSINESS)}\.$"))
        finally:
            context.close()


# --- polish ---------------------------------------------------------------------------------

PLACEHOLDER_FITS = """el => {
  const style = getComputedStyle(el);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return ctx.measureText(el.placeholder).width <= room;
}"""


@pytest.mark.parametrize("width", [1366, 375])
def test_placeholders_fit_their_boxes_and_the_key_tip_is_for_keyboards(chromium, metadata_live_server, width):
    context = browse(chromium, metadata_live_server, width=width, height=800)
    try:
        page = context.new_page()
        page.goto("/")
        assert page.locator("#q").evaluate(PLACEHOLDER_FITS)
        expect(page.locator(".kbd-tip")).to_be_visible() if width > 500 else expect(
            page.locator(".kbd-tip")).to_be_hidden()
        page.goto("/search?q=" + quote("条例"))
        if width < 500:
            page.locator("details.filters > summary").click()
        for box in page.locator("form.daterange input[type=text]").all():
            assert box.evaluate(PLACEHOLDER_FITS), box.get_attribute("placeholder")
        assert page.locator("#q").evaluate(PLACEHOLDER_FITS)
    finally:
        context.close()


def test_static_files_are_cached_by_content_hash_and_pages_compressed(desktop):
    responses = []
    desktop.on("response", lambda r: responses.append(r))
    search(desktop, "条例")
    document = next(r for r in responses if "/search?" in r.url)
    assert document.headers.get("content-encoding") == "gzip"
    static = [r for r in responses if "/static/" in r.url]
    assert {urlsplit(r.url).path for r in static} == {"/static/style.css", "/static/app.js"}
    for response in static:
        assert re.search(r"\?v=[0-9a-f]{12}$", response.url)
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    # The next page takes them from the browser's cache without asking (transferSize 0).
    search(desktop, "营商环境")
    desktop.wait_for_load_state("load")
    sizes = desktop.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/static/'))
        .map(e => [new URL(e.name).pathname, e.transferSize, e.decodedBodySize])""")
    assert sorted(p for p, _, _ in sizes) == ["/static/app.js", "/static/style.css"]
    assert all(transferred == 0 and body > 0 for _, transferred, body in sizes), sizes
