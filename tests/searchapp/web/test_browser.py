"""The site in a real browser: Playwright driving the system's Chromium against ``live_server``.

Any JavaScript dialog fails the test (an ``alert`` means injected script ran), and so does
any uncaught error in the page's own script.

The README's screenshots are written by ``test_browser_ui.py`` when ``UPDATE_SCREENSHOT=1``
is set; a normal run leaves the committed pictures alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from indexer.build.documents import doc_id
from tests.support import CHROMIUM, watch

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium')", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = pytest.mark.browser

GOVCN_707 = "govcn-pages/www.gov.cn/zhengce/content/2018-12/22/content_5351177.htm"
IIT_TITLE = "中华人民共和国个人所得税法实施条例"
DOUBLE_RANDOM_TITLE = "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"
TIMEOUT_MS = 10_000


@pytest.fixture()
def page(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                   color_scheme="light", base_url=live_server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    dialogs, errors = watch(page)
    yield page
    context.close()
    assert not dialogs, f"a JavaScript dialog was opened (script injection?): {dialogs}"
    assert not errors, f"uncaught errors in the page: {errors}"


def params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def search_url(**query) -> str:
    return "/search?" + "&".join(f"{k}={quote(str(v))}" for k, v in query.items())


def platform_fonts(page: Page, selector: str) -> list[str]:
    """The font families Chromium actually used to draw the text of an element."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [f["familyName"] for f in used]
    finally:
        cdp.detach()


def test_type_query_and_press_enter(page):
    page.goto("/")
    box = page.locator("#q")
    expect(box).to_be_focused()                       # autofocus on the home page
    box.fill("个人所得税")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert params(page)["q"] == ["个人所得税"]
    expect(page.locator(".summary .total")).to_have_text("共 1 条结果")   # two copies, one entry
    expect(page.locator("li.hit")).to_have_count(1)
    expect(page.locator("li.hit .hit-title mark").first).to_have_text("个人所得税")
    assert set(page.locator("li.hit mark").all_inner_texts()) == {"个人所得税"}
    expect(page.locator("#q")).to_have_value("个人所得税")


def test_facet_filter_apply_and_remove(page):
    page.goto(search_url(q="税"))
    expect(page.locator(".summary .total")).to_have_text("共 3 条结果")
    page.locator(".facet-source .pick", has_text="国务院").click()
    page.wait_for_url(re.compile(r"source="))
    assert params(page) == {"q": ["税"], "source": ["国务院"]}
    expect(page.locator(".summary .total")).to_have_text("共 2 条结果")
    chip = page.locator(".active-filters a.chip")
    expect(chip).to_have_text("来源：国务院 ✕")
    chip.click()
    page.wait_for_url(lambda url: "source=" not in url)
    assert params(page) == {"q": ["税"]}
    expect(page.locator(".summary .total")).to_have_text("共 3 条结果")
    expect(page.locator(".active-filters")).to_have_count(0)


def test_switch_to_date_order(page):
    page.goto(search_url(q="税"))
    page.locator("nav.sort a", has_text="按时间").click()
    page.wait_for_url(re.compile(r"sort=date"))
    expect(page.locator("nav.sort strong")).to_have_text("按时间")
    dates = page.locator("li.hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates, reverse=True) and len(dates) == 3


def test_second_page(page):
    page.goto(search_url(q="税", per_page=1))
    first = page.locator("li.hit .hit-title a").get_attribute("href")
    page.locator("nav.pagination button.next").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator("nav.pagination strong[aria-current=page]")).to_have_text("2")
    expect(page.locator("li.hit")).to_have_count(1)
    assert page.locator("li.hit .hit-title a").get_attribute("href") != first
    assert page.locator("ol.hits").get_attribute("start") == "2"


def test_open_article_then_search_again_from_its_header(page):
    page.goto(search_url(q="国令第707号", all_versions=1))
    page.locator("li.hit .hit-title a").first.click()
    page.wait_for_url(re.compile(rf"/articles/{doc_id(GOVCN_707)}\?q="))
    expect(page.locator("article h1")).to_have_text(IIT_TITLE)
    expect(page.locator("dl.article-meta")).to_contain_text("国令第707号")

    page.goto(f"/articles/{doc_id(GOVCN_707)}?q={quote('个人所得税')}")
    marks = page.locator(".article-body mark")
    assert marks.count() > 10
    expect(marks.first).to_have_text("个人所得税")
    expect(marks.first).to_be_visible()
    related = page.locator("aside.related li a")
    assert related.count() >= 1
    hrefs = related.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert f"/articles/{doc_id(GOVCN_707)}" not in hrefs

    box = page.locator("header #q")
    box.fill("春运")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    expect(page.locator("li.hit .hit-title a").first).to_have_text("2022年春运今日开启")


def test_suggestions_while_typing(page):
    page.goto("/")
    box = page.locator("#q")
    box.press_sequentially("中华", delay=30)
    items = page.locator("#suggestions li")
    expect(items.first).to_be_visible()
    texts = items.all_inner_texts()
    assert IIT_TITLE in texts
    assert all("中华" in t for t in texts)
    box.press("ArrowDown")
    expect(items.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert params(page)["q"] == [texts[0]]
    expect(page.locator("li.hit").first).to_be_visible()


def test_document_number_suggestions_show_their_titles(page):
    page.goto("/")
    page.locator("#q").press_sequentially("国发", delay=30)
    first = page.locator("#suggestions li").first
    expect(first).to_have_text("国发〔2019〕5号 " + DOUBLE_RANDOM_TITLE)
    expect(first.locator("small")).to_have_text(DOUBLE_RANDOM_TITLE)
    first.click()                              # the number alone goes into the box
    page.wait_for_url(re.compile(r"/search\?"))
    assert params(page)["q"] == ["国发〔2019〕5号"]
    expect(page.locator("li.hit .hit-title a").first).to_have_text(DOUBLE_RANDOM_TITLE)


def test_slash_focuses_the_search_box(page):
    page.goto(search_url(q="个人所得税"))
    page.locator("li.hit .snippet").first.click()
    expect(page.locator("#q")).not_to_be_focused()
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    expect(page.locator("#q")).to_have_value("个人所得税")     # "/" is not typed into it


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_script_in_query_is_text(page, q):
    page.goto("/")
    page.locator("#q").fill(q)
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    page.wait_for_load_state("load")
    expect(page.locator("#q")).to_have_value(q)
    assert page.title() == f"{q} - 政策文章搜索"
    assert page.locator("script").count() == 1
    assert page.locator("main img").count() == 0
    # Typed into the box, it goes to the suggestion endpoint and back as text only.
    page.locator("#q").fill("")
    with page.expect_response(lambda r: "/api/suggest?" in r.url) as response:
        page.locator("#q").press_sequentially("<img src=x onerror=alert(2)>", delay=10)
    assert response.value.ok
    assert page.locator("#suggestions img").count() == 0


def test_results_are_drawn_with_a_cjk_font(page):
    page.goto(search_url(q="个人所得税"))
    expect(page.locator("li.hit").first).to_be_visible()
    # CJK text must be drawn with a real CJK font (Debian: fonts-noto-cjk), not tofu boxes.
    fonts = platform_fonts(page, "li.hit .hit-title a")
    assert any("CJK" in name or "Hei" in name or "Han" in name for name in fonts), fonts
