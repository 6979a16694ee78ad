"""The parsing stage: one file in, a list of clean articles out.

Format-specific work lives in ``articles_text`` (front matter, Markdown,
lawrefbook), ``articles_html`` and ``articles_rows`` (CSV/JSON); this module
reads bytes, settles the encoding and dispatches on the file suffix.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path, PurePosixPath

from charset_normalizer import from_bytes

from indexer.errors import ArticleError
from indexer.sources.article import Article, finish, take_date
from indexer.sources.documents import DOCUMENT_SUFFIXES, MAX_DOCUMENT_BYTES, ConvertOptions, read_document
from indexer.sources.documents.attachments import resolve_link
from indexer.sources.html_pages import parse_html_page
from indexer.sources.markdown import parse_front_matter_post, parse_markdown_doc
from indexer.sources.rows import read_csv, read_json, read_jsonl

__all__ = ["SUPPORTED_SUFFIXES", "Article", "ArticleError", "decode_bytes", "read_articles"]

_TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
_HTML_SUFFIXES = {".htm", ".html", ".xhtml"}
_ROW_SUFFIXES = {".csv", ".json", ".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = frozenset(_TEXT_SUFFIXES | _HTML_SUFFIXES | _ROW_SUFFIXES | DOCUMENT_SUFFIXES)

_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)
# GB2312 and GBK are subsets of GB18030; decoding with the superset avoids
# failures on the extra characters that real "gb2312" pages contain anyway.
_GB_ALIASES = {"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "csgb2312", "gb18030"}
_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.I)
_BINARY_PROBE = 8192
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    if name in _GB_ALIASES:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    m = _DECLARED.search(data[:4096])
    return _codec((m[1] or m[2]).decode("ascii")) if m else None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text of a file's bytes; raises ValueError("binary file" / "cannot decode text …").

    Strict UTF-8 is tried before a declared charset because pages re-saved as
    UTF-8 often keep their old GBK declaration, while GBK bytes are practically
    never valid UTF-8.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:_BINARY_PROBE]:
        raise ValueError("binary file")
    for codec in dict.fromkeys(c for c in ("utf-8", _codec(declared), "gb18030") if c):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise ValueError("cannot decode text (tried utf-8, gb18030)")
    return str(best)


def _url_from_path(rel: str) -> str:
    """Crawled pages are stored under their host name (www.gov.cn/zhengce/…)."""
    parts = PurePosixPath(rel).parts
    for i, part in enumerate(parts[:-1]):
        if _HOST.match(part):
            return "http://" + "/".join(parts[i:])
    return ""


def _html_article(text: str, rel: str) -> Article:
    page = parse_html_page(text)
    warnings: list[str] = []
    written = take_date(page.written_date, warnings)
    published = take_date(page.date, warnings)
    article = Article(
        path=rel,
        title=page.title,
        body="\n".join(page.lines),
        # gov.cn re-posted old documents years later: the 发布日期 of such a page is not
        # the document's date, its 成文日期 is.
        date=written or published,
        written_date=written,
        published_date=published,
        kind="html",
        source=page.source,
        categories=page.categories,
        tags=page.tags,
        doc_number=page.doc_number,
        url=page.url or _url_from_path(rel),
        warnings=warnings,
    )
    for href, text in page.links:
        if (target := resolve_link(href, rel, DOCUMENT_SUFFIXES)) and target not in article.attachments:
            article.attachments.append(target)
            article.attachment_titles[target] = text
    return finish(article)


def _parse(text: str, rel: str, suffix: str) -> list[Article]:
    if suffix in _TEXT_SUFFIXES:
        post = parse_front_matter_post(text, rel)
        return [post if post is not None else parse_markdown_doc(text, rel)]
    if suffix in _HTML_SUFFIXES:
        return [_html_article(text, rel)]
    if suffix == ".csv":
        return read_csv(text, rel)
    if suffix == ".json":
        return read_json(text, rel)
    return read_jsonl(text, rel)


def _check_size(file: Path, rel: str, max_bytes: int) -> None:
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ArticleError(rel, f"cannot read file: {exc.strerror or exc}") from None
    if size > max_bytes:
        mb = f"{size / 1e6:.3g} MB > {max_bytes / 1e6:.3g} MB limit"
        raise ArticleError(rel, f"file too large ({mb})")
    if size == 0:
        raise ArticleError(rel, "empty file")


def _read_text(file: Path, rel: str, max_bytes: int) -> str:
    _check_size(file, rel, max_bytes)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ArticleError(rel, f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise ArticleError(rel, "empty file")
    try:
        text = decode_bytes(data, declared_charset(data))
    except ValueError as exc:
        raise ArticleError(rel, str(exc)) from None
    if not text.strip():
        raise ArticleError(rel, "empty file")
    return text


def read_articles(file: Path, rel_path: str, *, max_bytes: int = 20_000_000,
                  options: ConvertOptions | None = None, sha: str = "") -> list[Article]:
    """Parse one file into articles (several for CSV/JSONL and spreadsheets).

    Document files (PDF, Word, OFD, spreadsheets) are converted in a limited child process
    (``indexer.sources.documents``) with ``options``; ``sha`` keys their OCR cache.
    Raises ArticleError(rel_path, reason) for anything that is not an article.
    """
    file = Path(file)
    rel = rel_path.replace("\\", "/")
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ArticleError(rel, f"unsupported file type {suffix or '(no extension)'}")
    if suffix in DOCUMENT_SUFFIXES:
        _check_size(file, rel, MAX_DOCUMENT_BYTES)
        return read_document(file, rel, options, sha)
    text = _read_text(file, rel, max_bytes)
    try:
        return _parse(text, rel, suffix)
    except RecursionError:
        raise ArticleError(rel, "document nested too deeply to parse") from None
