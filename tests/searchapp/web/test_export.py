"""CSV export of a result list: /api/search?...&format=csv."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest

from searchapp.web import export, views
from tests.support import submitted

COLUMNS = ["标题", "文号", "发文机关", "文种", "效力级别", "地域", "日期", "时效性", "原文链接", "本站链接",
           "发布日期", "施行日期", "时效性依据", "missing"]


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())          # the BOM Excel needs
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def test_csv_of_a_filtered_search(metadata_client):
    response = metadata_client.get("/api/search", query_string={"q": "条例", "level": "地方性法规",
                                                                "sort": "date", "format": "csv"})
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="policy-search.csv"; filename*=UTF-8\'\'')
    header, *rows = rows_of(response)
    assert header == COLUMNS
    # Regulations known from one file each: the newest version of their chains.
    assert [r[:8] + r[10:] for r in rows] == [
        ["上海市优化营商环境条例", "", "上海市人民代表大会常务委员会", "条例", "地方性法规", "上海市",
         "2020-04-10", "现行有效", "", "2020-04-10", "newest version of a chain", ""],
        ["商丘市优化营商环境条例", "", "商丘市人民代表大会常务委员会", "条例", "地方性法规", "河南省",
         "2020-03-31", "现行有效", "", "2020-04-30", "newest version of a chain", ""],
        ["东营市城镇容貌和环境卫生管理条例", "", "东营市人民代表大会常务委员会", "条例", "地方性法规",
         "山东省", "2016-09-23", "现行有效", "", "", "newest version of a chain", ""]]
    api = metadata_client.get("/api/search?q=条例&level=地方性法规&sort=date").get_json()["results"]
    assert [r[9] for r in rows] == [f"http://localhost/articles/{r['id']}" for r in api]


def test_csv_has_every_result_not_one_page(metadata_client, monkeypatch):
    monkeypatch.setattr(views, "MAX_PER_PAGE", 5)         # pages of 5: three pages for 12 results
    _, *rows = rows_of(metadata_client.get("/api/search?q=条例&format=csv&page=3&per_page=1"))
    assert len(rows) == 12
    monkeypatch.setattr(export, "MAX_ROWS", 10)
    _, *rows = rows_of(metadata_client.get("/api/search?q=条例&format=csv"))
    assert len(rows) == 10


def test_csv_refuses_bad_parameters_like_the_api(client):
    response = client.get("/api/search?q=税&from=abc&format=csv")
    assert response.status_code == 400 and response.get_json()["status"] == 400


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("国发〔2019〕5号", "国发〔2019〕5号"),
    ("", ""),
])
def test_cells_are_escaped_against_formulas(value, expected):
    assert export.cell(value) == expected


def test_row_escapes_every_field_and_keeps_only_web_links():
    hit = SimpleNamespace(title="=cmd|' /C calc'!A0", doc_number="-2", source="@x", doc_type="通知",
                          level="", region="", date="2020-01-01", status="", url="javascript:alert(1)",
                          published_date="", effective_date="", status_basis="=1+1",
                          missing=["-x", "税"])
    row = export.row(hit, "http://localhost/articles/x")
    assert row[:3] == ["'=cmd|' /C calc'!A0", "'-2", "'@x"]
    assert row[8:] == ["", "http://localhost/articles/x", "", "", "'=1+1", "'-x 税"]
    data = export.csv_bytes([row]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(data, newline="")))[1] == row


def test_results_page_links_to_the_export(metadata_client):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(metadata_client.get("/search?q=条例&level=行政法规&page=2&per_page=2").data,
                         "html.parser")
    button = soup.select_one("button.export")
    assert button.get_text() == "导出 CSV"
    assert submitted(soup, button) == (
        "/api/search?q=%E6%9D%A1%E4%BE%8B&level=%E8%A1%8C%E6%94%BF%E6%B3%95%E8%A7%84&per_page=2&format=csv")
