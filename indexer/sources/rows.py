"""Tabular inputs (CSV, JSON, JSON Lines): one article per row or object."""

from __future__ import annotations

import csv
import io
import json
import re

from indexer.errors import ArticleError
from indexer.sources.article import Article, as_list, as_text, clean_lines, finish, take_date
from indexer.sources.html_pages import html_lines, looks_like_html

# Whole report texts run to hundreds of KB in one quoted field.
csv.field_size_limit(2**31 - 1)

_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "标题", "name", "名称", "headline", "文章标题"),
    "body": ("content", "fulltext", "body", "text", "正文", "内容", "全文", "article", "html"),
    "date": (
        "date", "publishdate", "pubdate", "published", "publishedat", "publishtime",
        "发布日期", "发布时间", "日期", "时间",
    ),
    "written_date": ("writtendate", "成文日期"),
    "url": ("url", "sourceurl", "link", "链接", "网址", "原文链接"),
    "source": ("source", "来源", "author", "作者", "发文机关", "publisher", "发布机构"),
    "region": ("province", "省份", "地区", "region"),
    "categories": ("category", "categories", "分类", "主题分类"),
    "tags": ("tags", "tag", "keywords", "关键词", "主题词", "标签"),
    "doc_number": ("docnumber", "docno", "发文字号", "文号"),
}
NO_COLUMNS = "no article columns (need a title or content column)"


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.lstrip("\ufeff")).lower()


def _column_map(names: list[str]) -> dict[str, str]:
    """Article field -> the column (or key) that holds it."""
    by_norm: dict[str, str] = {}
    for name in names:
        by_norm.setdefault(_norm(str(name)), name)
    found = {}
    for fld, aliases in _COLUMNS.items():
        if col := next((by_norm[a] for a in aliases if a in by_norm), None):
            found[fld] = col
    return found


def _body(value: object) -> str:
    text = as_text(value) if not isinstance(value, str) else value
    lines = html_lines(text) if looks_like_html(text) else clean_lines(text.splitlines())
    return "\n".join(lines)


def _row_article(row: dict, cols: dict[str, str], path: str) -> Article | None:
    def get(fld: str) -> object:
        return row.get(cols[fld]) if fld in cols else None

    title, body = as_text(get("title")), _body(get("body"))
    if not title and not body:
        return None
    warnings: list[str] = []
    published = take_date(get("date"), warnings)
    written = take_date(get("written_date"), warnings)
    article = Article(
        path=path,
        title=title,
        body=body,
        date=written or published,
        written_date=written,
        published_date=published,
        region=as_text(get("region")),
        kind="row",
        source=as_text(get("source")) or as_text(get("region")),
        categories=as_list(get("categories"), split=r"[\\;；|]"),
        tags=as_list(get("tags"), split=r"[\s,，;；|、]+"),
        doc_number=as_text(get("doc_number")),
        url=as_text(get("url")),
        warnings=warnings,
    )
    return finish(article)


def _articles(records: list[tuple[int, object]], rel: str, single: bool = False) -> list[Article]:
    """Articles from (row number, record) pairs; non-dict records are skipped."""
    articles: list[Article] = []
    pending: list[str] = []
    had_columns = False
    for number, record in records:
        cols = _column_map(list(record)) if isinstance(record, dict) else {}
        if "title" not in cols and "body" not in cols:
            pending.append(f"row {number} skipped: not an object with article fields")
            continue
        had_columns = True
        article = _row_article(record, cols, rel if single else f"{rel}#{number}")
        if article is None:
            pending.append(f"row {number} skipped: no title and no text")
            continue
        # A skipped row is reported on the next article so it is not lost silently.
        article.warnings[:0], pending = pending, []
        articles.append(article)
    if not articles:
        raise ArticleError(rel, NO_COLUMNS if records and not had_columns else "no rows")
    return articles


def _delimiter(header_line: str) -> str:
    return max([",", "\t", ";"], key=header_line.count)


def read_csv(text: str, rel: str) -> list[Article]:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        header = next(reader, None)
        if not header or not {"title", "body"} & set(_column_map(header)):
            raise ArticleError(rel, NO_COLUMNS)
        rows = [
            (n, dict(zip(header, row, strict=False)))
            for n, row in enumerate(reader, start=1)
            if any(row)
        ]
    except csv.Error as exc:
        raise ArticleError(rel, f"malformed CSV: {exc}") from None
    return _articles(rows, rel)


def read_json(text: str, rel: str) -> list[Article]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(rel, f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(data, dict):
        return _articles([(1, data)], rel, single=True)
    if isinstance(data, list):
        return _articles(list(enumerate(data, start=1)), rel)
    raise ArticleError(rel, "JSON is neither an object nor a list of objects")


def read_jsonl(text: str, rel: str) -> list[Article]:
    records = []
    for number, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError:
            records.append((number, None))
    return _articles(records, rel)
