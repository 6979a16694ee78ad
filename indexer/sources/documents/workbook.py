"""A workbook's sheets as articles: a list of documents (a header row naming article columns,
as CSV) gives one article per row, any other sheet one article of its rows."""

from __future__ import annotations

from pathlib import PurePosixPath

from indexer.errors import ArticleError
from indexer.sources.article import Article, collapse, finish
from indexer.sources.rows import _articles, _column_map

HEADER_SEARCH = 5          # a title banner may stand above the header row


def _header_at(rows: list[list[str]]) -> int:
    for i, row in enumerate(rows[:HEADER_SEARCH]):
        if {"title", "body"} & set(_column_map([c for c in row if c])):
            return i
    return -1


def _row_articles(rows: list[list[str]], at: int, rel: str) -> list[Article]:
    header = rows[at]
    records = [(at + 1 + n, dict(zip(header, row, strict=False)))
               for n, row in enumerate(rows[at + 1:], start=1) if any(row)]
    return _articles(records, rel)


def _sheet_article(name: str, rows: list[list[str]], rel: str, path: str, several: bool) -> Article:
    first = [c for c in rows[0] if c]
    banner = first[0] if len(first) == 1 and len(first[0]) <= 60 else ""
    stem = PurePosixPath(rel).stem
    title = banner or (f"{stem} {name}" if several else stem)
    lines = [collapse(" ".join(c for c in row if c)) for row in rows[1 if banner else 0:]]
    return Article(path=path, title=title, body="\n".join(x for x in lines if x), kind="file")


def sheet_articles(sheets: list[tuple[str, list[list[str]]]], rel: str, kind: str) -> list[Article]:
    """Articles of a workbook's sheets (paths ``file#row``, or ``file#sheet/row`` and
    ``file#sheet`` when it has several sheets)."""
    several = len(sheets) > 1
    out: list[Article] = []
    for name, rows in sheets:
        at = _header_at(rows)
        found: list[Article] = []
        if at >= 0:
            try:
                found = _row_articles(rows, at, rel)
            except ArticleError:
                found = []
            if several:
                for article in found:
                    article.path = f"{rel}#{name}/{article.path.rsplit('#', 1)[1]}"
        if not found:
            found = [finish(_sheet_article(name, rows, rel, f"{rel}#{name}" if several else rel, several))]
        for article in found:
            article.file_kind = kind
        out += found
    if not out:
        raise ArticleError(rel, "no rows")
    return out
