"""axe-core (from the npm registry: ``npm ci`` installs the version package-lock.json pins)
on every kind of page, at a desktop (1366 px) and a phone (375 px) width: no violations.

axe is evaluated into the page through the DevTools protocol, which the pages' CSP (no
inline script) does not block. Without ``node_modules/axe-core`` the test is skipped with
the command to run, except in CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from indexer.build.documents import doc_id
from tests.support import CHROMIUM, REPO, watch

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium')", allow_module_level=True)
if not AXE.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{AXE} is missing: .ci/run installs it with `npm ci`")
    pytest.skip("axe-core is not installed: run `npm ci` in the checkout", allow_module_level=True)

pytestmark = pytest.mark.browser

ROAD = "metadata-corpus/lawrefbook-laws/行政法规/道路运输条例({}).md"
GOVCN = "corpus/govcn-pages/www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
PAGES = {
    "home": "/",
    "results": "/search?q=" + quote("条例"),
    "results with partial matches": "/search?q=" + quote("营商环境 条例 上海"),
    "empty results": "/search?q=" + quote("qwxzvbn"),
    "article": f"/articles/{doc_id(GOVCN)}?q=" + quote("监管"),
    "long law": f"/articles/{doc_id(ROAD.format('2019-03-02'))}",
    "compare": f"/articles/{doc_id(ROAD.format('2019-03-02'))}/compare/{doc_id(ROAD.format('2023-07-20'))}",
    "advanced": "/advanced",
    "subscribe": "/subscribe?q=" + quote("条例"),
}
WIDTHS = {"desktop": (1366, 768), "phone": (375, 667)}


def violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(f"{' '.join(map(str, n['target']))}: {n['failureSummary']}" for n in v["nodes"][:5])
            for v in found]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(chromium, metadata_live_server, name, width):
    w, h = WIDTHS[width]
    context = chromium.new_context(viewport={"width": w, "height": h}, locale="zh-CN", color_scheme="light",
                                   base_url=metadata_live_server, is_mobile=width == "phone",
                                   has_touch=width == "phone")
    try:
        page = context.new_page()
        dialogs, errors = watch(page)
        page.goto(PAGES[name])
        page.wait_for_load_state("networkidle")
        assert violations(page) == []
        assert not dialogs and not errors
    finally:
        context.close()


def test_axe_reports_the_faults_it_is_here_for(chromium):
    """The two faults found on the pages before (a link told apart by colour alone inside
    text, links inside an SVG image) are reported on a page that has them: axe runs, and
    with those rules."""
    page = chromium.new_page()
    try:
        page.set_content('<html lang="zh-CN"><head><title>t</title></head><body><main><h1>t</h1>'
                         '<p style="color:#1f2328">正文 <a href="/x" '
                         'style="color:#0b57d0;text-decoration:none">链接</a> 正文。</p>'
                         '<svg role="img" aria-label="图"><a href="/y"><rect width="8" height="8"/></a>'
                         '</svg></main></body></html>')
        assert {v.split(" ")[0] for v in violations(page)} >= {"link-in-text-block", "nested-interactive"}
    finally:
        page.close()
