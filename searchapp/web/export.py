"""The current result list as CSV, for the spreadsheets researchers keep document lists in.

UTF-8 with a byte order mark (without it Excel reads the file as the local code page and
shows Chinese as mojibake). A cell starting with = + - @ (or a tab or carriage return) gets
a leading apostrophe: a spreadsheet would otherwise run it as a formula (CSV injection),
and titles and 文号 come from the documents.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

MAX_ROWS = 1000
# New columns go at the end: spreadsheets and scripts read the older ones by position.
# ``missing``: the query's words a row lacks ("" for a document with all of them); rows
# lacking words follow the full matches, as on the page.
COLUMNS = ("标题", "文号", "发文机关", "文种", "效力级别", "地域", "日期", "时效性", "原文链接", "本站链接",
           "发布日期", "施行日期", "时效性依据", "missing")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A value safe to open in a spreadsheet."""
    value = value or ""
    return "'" + value if value.startswith(_FORMULA) else value


def row(hit, page_url: str) -> list[str]:
    original = hit.url if hit.url.lower().startswith(("http://", "https://")) else ""
    values = (hit.title, hit.doc_number, hit.source, hit.doc_type, hit.level, hit.region,
              hit.date, hit.status, original, page_url, hit.published_date, hit.effective_date,
              hit.status_basis, " ".join(hit.missing))
    return [cell(v) for v in values]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def disposition(q: str) -> str:
    """An attachment name: ASCII for old clients, the query in it for the rest (RFC 6266)."""
    name = f"搜索结果-{q.strip()[:40]}.csv" if q.strip() else "搜索结果.csv"
    return f"attachment; filename=\"policy-search.csv\"; filename*=UTF-8''{quote(name, safe='')}"
