"""The Article record and the text clean-up shared by every input format."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from indexer.chars import CONTROL, SURROGATE
from indexer.errors import ArticleError
from indexer.sources.dates import parse_date
from indexer.sources.docnum import docnum_key, find_doc_number, find_doc_number_keys


@dataclass
class Article:
    """One document as read from a file.

    ``date`` is the document's own date: its 成文日期 where the source gives one, else its
    发布/公布 date (for a regulation, the date of the version in the file). The date a
    page was (re-)posted is ``published_date`` and never replaces the document's own.
    """

    path: str
    title: str
    body: str
    date: str | None = None
    written_date: str | None = None
    source: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    doc_number: str = ""
    doc_number_keys: list[str] = field(default_factory=list)
    url: str = ""
    warnings: list[str] = field(default_factory=list)
    published_date: str | None = None   # 发布日期 (a page's or post's publication date) as given
    region: str = ""                    # a region column of a table (province), as given
    header: list[str] = field(default_factory=list)  # a regulation's lines before its text
    kind: str = ""                      # "post" (front matter), "text", "html", "row" or "file"
    # Document files (PDF, Word, OFD, spreadsheets: ``indexer.sources.documents``)
    file_kind: str = ""                 # the file's format: "pdf", "docx", "xlsx" …
    pages: list[int] = field(default_factory=list)       # offset in body where each page starts
    ocr_pages: list[int] = field(default_factory=list)   # 1-based pages read by OCR
    needs_ocr: bool = False             # scanned pages were left unread (OCR was off)
    # 附件: the document files a page links, and the pages that link a file
    attachments: list[str] = field(default_factory=list)
    attachment_titles: dict[str, str] = field(default_factory=dict)   # file -> the link's text
    attachment_of: list[str] = field(default_factory=list)
    inherited: list[str] = field(default_factory=list)  # fields filled from the linking page


_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")

# Page furniture that survives as standalone lines when a page is saved as
# text (the provincial reports, gov sites): it is noise for search and snippets.
_TOOLBAR = {
    "下载", "打印", "全屏", "收藏", "加大", "还原", "减小", "】", "关闭", "关闭窗口",
    "打印本页", "【打印】", "【关闭】", "【关闭窗口】", "分享", "分享:", "分享：", "分享到",
    "分享到:", "分享到：", "扫一扫在手机打开当前页", "【字号：", "【字号:", "【字体：", "【字体:",
}
_FONT_GROUP_START = re.compile(r"^【字[号体]\s*[:：]?$")
_FONT_GROUP_ITEMS = {"大", "中", "小", "默认", "加大", "还原", "减小", "A+", "A-", "A"}
_CRUMB_START = re.compile(r"^(?:您的位置|当前位置|您现在的位置|您当前的位置|所在位置)\s*[:：]?")
_CRUMB_SEPARATORS = {">", "＞", "»", "›", ">>", "/"}
_CHROME_ZONE = 40
# Link-list headings and widget remnants that pages leave after the text.
_TRAILING = re.compile(
    r"^(?:相关(?:报道|文档|链接|新闻|阅读|文章)\s*[:：]?|分享到\S{0,6}|[|×【】\[\]]"
    r"|》》.{0,15}《《|>>.{0,15}<<)$"
)


_CONTROL = re.compile(f"[{CONTROL}]")
_SURROGATE = re.compile(f"[{SURROGATE}]")


def collapse(text: str) -> str:
    """One line of clean text: spaces collapsed, control characters and lone surrogates
    (from JSON escapes or broken files) removed, as no page or API field can carry them."""
    if text.isprintable() and "  " not in text:
        # Nothing to remove or collapse: a printable line has no control, format or
        # surrogate characters and no whitespace but U+0020 (most lines; saves three
        # regular-expression passes each).
        return text.strip()
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
    return _SPACE.sub(" ", text).strip()


def _skip_breadcrumb(lines: list[str], i: int) -> int:
    """Index after a breadcrumb that starts at lines[i] (首页 > 栏目 > 栏目 …)."""
    last = ""
    j = i + 1 if _CRUMB_START.match(lines[i]) else i
    while j < len(lines):
        if lines[j] == "首页" or lines[j] in _CRUMB_SEPARATORS:
            j += 1
        elif j > 0 and lines[j - 1] in _CRUMB_SEPARATORS:
            last = lines[j]
            j += 1
        else:
            break
    # Some sites repeat the current section right after the trail.
    return j + 1 if last and j < len(lines) and lines[j] == last else j


def _is_crumb_start(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _CRUMB_START.match(line):
        return len(line) <= 60
    return line == "首页" and i + 1 < len(lines) and lines[i + 1] in _CRUMB_SEPARATORS


def strip_chrome(lines: list[str]) -> list[str]:
    """Drop toolbar, font-size and breadcrumb lines; lines must be collapsed already."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FONT_GROUP_START.match(line):
            i += 1
            while i < len(lines) and lines[i] in _FONT_GROUP_ITEMS:
                i += 1
            if i < len(lines) and lines[i] == "】":
                i += 1
            continue
        if i < _CHROME_ZONE and _is_crumb_start(lines, i):
            i = _skip_breadcrumb(lines, i)
            continue
        if line not in _TOOLBAR:
            out.append(line)
        i += 1
    while out and _TRAILING.match(out[-1]):
        out.pop()
    return out


def clean_lines(lines: Iterable[str]) -> list[str]:
    collapsed = [c for c in (collapse(line) for line in lines) if c]
    return strip_chrome(collapsed)


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return " ".join(t for t in (as_text(v) for v in value) if t)
    return collapse(str(value))


def as_list(value: object, split: str | None = None) -> list[str]:
    """Strings from a scalar or (nested) list; ``split`` is a regex for scalars."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [item for v in value for item in as_list(v, split)]
    if isinstance(value, dict):
        return [item for v in value.values() for item in as_list(v, split)]
    text = as_text(value)
    parts = re.split(split, text) if split else [text]
    return [p.strip() for p in parts if p.strip()]


def take_date(value: object, warnings: list[str]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    iso = parse_date(value)
    if iso is None:
        warnings.append(f"unreadable date {as_text(value)[:40]!r}")
    return iso


def _standalone_doc_number(lines: list[str]) -> str:
    # Only short lines count: a number quoted in a news sentence is someone
    # else's document, while a document's own number stands on its own line.
    for line in lines[:10]:
        if len(line) <= 40 and (found := find_doc_number(line)):
            return found
    return ""


def finish(article: Article, header: str = "") -> Article:
    """Fill derived fields; raise if there is neither a title nor any text."""
    if not article.title and not article.body:
        raise ArticleError(article.path, "no text")
    lines = article.body.split("\n") if article.body else []
    if not article.doc_number:
        article.doc_number = _standalone_doc_number(lines)
    keys = [docnum_key(article.doc_number)] if article.doc_number else []
    keys += find_doc_number_keys(header)
    article.doc_number_keys = list(dict.fromkeys(k for k in keys if k))
    if not article.title:
        article.title = lines[0][:60] if lines else PurePosixPath(article.path).stem
    article.categories = list(dict.fromkeys(article.categories))
    article.tags = list(dict.fromkeys(article.tags))
    return article
