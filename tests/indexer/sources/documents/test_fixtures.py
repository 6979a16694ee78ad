"""Every document fixture (made by LibreOffice, pdftoppm + img2pdf, easyofd and Calc from the
shared corpus, ``tests/data/formats/make_fixtures.sh``), indexed as a user would: found by a
phrase of its body, with its title, 文号, 发文机关 and 成文日期, page markers where it has
pages, and the exact highlighted snippet."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from indexer.build.pipeline import build_index
from searchapp.web.app import create_app
from tests.support import FORMATS, formats_expected

TEXT_FORMATS = ["pdf", "docx", "doc", "wps", "odt", "ofd"]
PAGED = {"pdf": ".pdf", "ofd": ".ofd"}
SUFFIX = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "wps": ".wps", "odt": ".odt", "ofd": ".ofd"}
CASES = [(fmt, doc) for doc in formats_expected() for fmt in doc["formats"] if fmt in TEXT_FORMATS]


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """One index per format folder (the same document in two formats would be one document)."""
    made = {}
    for fmt in TEXT_FORMATS:
        ix = tmp_path_factory.mktemp(f"ix-{fmt}")
        report = build_index([FORMATS / fmt], ix, workers=1)
        assert not report.skipped, report.skipped
        made[fmt] = create_app({"TESTING": True, "INDEX_DIR": str(ix)}).test_client()
    return made


def _phrase(doc: dict) -> str:
    """A phrase of the body: the second sentence of the text after the 主送 line."""
    lines = doc["text"].split("\n")
    body = lines[next(i for i, line in enumerate(lines) if line.endswith("：")) + 1]
    parts = [p for p in re.split(r"[，。；：、（）《》“”！？\s]", body)[1:] if len(p) >= 6]
    return parts[0][:10]


@pytest.mark.parametrize(("fmt", "doc"), CASES, ids=[f"{f}-{d['id']}" for f, d in CASES])
def test_fixture_found_with_its_metadata_and_snippet(clients, fmt, doc):
    client = clients[fmt]
    phrase = _phrase(doc)
    data = client.get("/api/search", query_string={"q": f'"{phrase}"'}).get_json()
    hits = [h for h in data["results"] if h["path"] == f"{doc['id']}{SUFFIX[fmt]}"]
    assert hits, (phrase, [h["path"] for h in data["results"]])
    hit = hits[0]
    assert (hit["title"], hit["doc_number"], hit["source"], hit["date"]) == \
        (doc["title"], doc["doc_number"], doc["source"], doc["date"])
    assert f"<mark>{phrase}</mark>" in hit["snippet_html"]
    article = client.get(f"/api/articles/{hit['id']}").get_json()
    assert article["file_kind"] == fmt
    if fmt in PAGED:
        assert hit["page"] >= 1
        assert article["page_count"] >= 2
        page = BeautifulSoup(client.get(f"/articles/{hit['id']}?q={phrase}").data, "html.parser")
        markers = [p["id"] for p in page.select(".page-marker")]
        assert markers == [f"page-{n}" for n in range(1, article["page_count"] + 1)]
        # The page the hit names holds the phrase.
        marker = page.find(id=f"page-{hit['page']}")
        following = []
        for sibling in marker.find_next_siblings():
            if "page-marker" in (sibling.get("class") or []):
                break
            following.append(sibling.get_text())
        assert phrase in "".join(following).replace(" ", "")
    else:
        assert hit["page"] == 0 and article["page_count"] == 0


def test_fixture_snippet_exact(clients):
    """One snippet in full: the phrase highlighted inside its sentence, as for HTML."""
    data = clients["pdf"].get("/api/search", query_string={"q": "配套幼儿园治理"}).get_json()
    hit = next(h for h in data["results"] if h["path"] == "5360002.pdf")
    assert hit["title_html"] == "国务院办公厅关于开展城镇小区<mark>配套幼儿园治理</mark>工作的通知"
    # Spaces the PDF's layout put around Latin digits (2018 年 11 月) are gone.
    assert hit["snippet_html"].startswith(
        "2018年11月，党中央、国务院印发《关于学前教育深化改革规范发展的若干意见》，提出规范小区"
        "<mark>配套</mark><mark>幼儿园</mark>建设使用，")
    assert hit["page"] == 1


def test_the_command_line_names_the_page_of_a_hit(clients, cli):
    ix = clients["pdf"].application.config["INDEX_DIR"]
    output = cli("search", "配套幼儿园治理", "--index-dir", ix, "--limit", "1").output
    assert "\n   5360002.pdf（第 1 页）\n" in output


@pytest.mark.parametrize("fmt", ["pdf", "ofd"])
def test_headers_footers_and_page_numbers_are_dropped(clients, fmt):
    """Every page prints 中国政府网 www.gov.cn above and — N — below the text."""
    data = clients[fmt].get("/api/search", query_string={"q": "国务院", "per_page": 50}).get_json()
    assert data["total"] == len([d for d in formats_expected() if fmt in d["formats"]])
    for hit in data["results"]:
        body = clients[fmt].get(f"/api/articles/{hit['id']}").get_json()["body"]
        assert "gov.cn" not in body
        assert not re.search(r"^\W*\d+\W*$", body, re.M)


def test_lines_broken_inside_a_sentence_are_joined(clients):
    """The PDF breaks 满足人民群众对 / 幼有所育的期盼 over a page and many lines inside a word:
    the stored text has the source's sentences whole."""
    data = clients["pdf"].get("/api/search", query_string={"q": '"满足人民群众对幼有所育的期盼"'}).get_json()
    assert [h["path"] for h in data["results"]] == ["5360002.pdf"]
    body = clients["pdf"].get(f"/api/articles/{data['results'][0]['id']}").get_json()["body"]
    expected = next(d for d in formats_expected() if d["id"] == "5360002")["text"].split("\n")
    assert set(expected) <= set(body.split("\n"))


def test_results_page_names_the_page_of_a_hit(clients):
    """城镇小区严格依标配建幼儿园 opens the second page of 5360002.pdf."""
    page = BeautifulSoup(clients["pdf"].get("/search?q=%22严格依标配建幼儿园%22").data, "html.parser")
    link = page.select_one(".hit .snippet a.page")
    data = clients["pdf"].get("/api/search", query_string={"q": '"严格依标配建幼儿园"'}).get_json()
    hit = data["results"][0]
    assert (hit["path"], hit["page"]) == ("5360002.pdf", 2)
    assert link.get_text() == "第 2 页"
    assert link["href"].startswith(f"/articles/{hit['id']}?") and link["href"].endswith("#page-2")
