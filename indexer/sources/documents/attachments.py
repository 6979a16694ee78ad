"""附件: a document file beside the gov.cn page that links it.

A saved page links its attachments (``<a href="P020190109….pdf">附件1…</a>``). The page
records the files it links (``Article.attachments``, paths relative to the sources as
every document path is), and a file finds the pages beside it that link it
(``Article.attachment_of``): the page's metadata fills what the file does not say itself
(发文机关, 发文字号, dates, topics), and the link's text titles a file that has no title of
its own. The build re-reads the files of a folder whose pages changed (``pipeline.py``).
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from indexer.sources.article import Article

HTML_SUFFIXES = (".htm", ".html", ".xhtml")
_HREF = re.compile(rb"""href\s*=\s*["']?([^"'\s>]+)""", re.I)
_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.I)
# Per process: folder -> (its mtime, file name -> the pages in it that link the name).
_FOLDERS: dict[str, tuple[int, dict[str, list[str]]]] = {}


def resolve_link(href: str, page_rel: str, suffixes) -> str | None:
    """The source-relative path a page's link points at, if it is a document file in the
    sources (relative links, and absolute ones to the page's own host folder)."""
    parts = urlsplit(href.strip())
    path = unquote(parts.path)
    if not path or PurePosixPath(path).suffix.lower() not in suffixes:
        return None
    folder = posixpath.dirname(page_rel)
    if parts.scheme in ("http", "https") or parts.netloc:
        rel_parts = PurePosixPath(page_rel).parts
        hosts = [i for i, p in enumerate(rel_parts[:-1]) if p.lower() == parts.netloc.lower()]
        if not hosts:
            return None
        target = posixpath.join(*rel_parts[:hosts[0] + 1], path.lstrip("/"))
    elif parts.scheme:
        return None
    else:
        target = posixpath.join(folder, path)
    target = posixpath.normpath(target)
    if target.startswith(("../", "/")) or target == "..":
        return None
    return target


def _linking_pages(folder: Path) -> dict[str, list[str]]:
    """File name -> names of the pages in ``folder`` whose raw text links a file so named."""
    key = str(folder)
    try:
        stamp = folder.stat().st_mtime_ns
    except OSError:
        return {}
    cached = _FOLDERS.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    found: dict[str, list[str]] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.name.lower().endswith(HTML_SUFFIXES) or not entry.is_file():
            continue
        try:
            data = Path(entry.path).read_bytes()
        except OSError:
            continue
        for m in _HREF.finditer(data):
            name = PurePosixPath(unquote(m[1].decode("latin-1", "replace")).split("?")[0]).name
            found.setdefault(name, []).append(entry.name)
            # Non-ASCII names are written in the page's own encoding.
            try:
                found.setdefault(PurePosixPath(unquote(m[1].decode("utf-8"))).name, []).append(entry.name)
            except UnicodeDecodeError:
                pass
    if len(_FOLDERS) > 256:
        _FOLDERS.clear()
    _FOLDERS[key] = (stamp, found)
    return found


def parent_pages(file: Path, rel: str) -> list[Article]:
    """The pages beside ``file`` that link it, read."""
    from indexer.errors import ArticleError
    from indexer.sources.files import read_articles

    names = _linking_pages(file.parent).get(file.name, [])
    folder = posixpath.dirname(rel)
    parents = []
    for name in dict.fromkeys(names):
        page_rel = posixpath.join(folder, name) if folder else name
        try:
            pages = read_articles(file.parent / name, page_rel)
        except ArticleError:
            continue
        parents += [p for p in pages if rel in p.attachments]
    return parents


_INHERITED = ("source", "doc_number", "written_date", "published_date", "date")


def inherit(articles: list[Article], file: Path, rel: str) -> list[Article]:
    """``articles`` of ``file`` linked to the pages that list it, with their metadata where
    the file has none."""
    parents = parent_pages(file, rel)
    if not parents:
        return articles
    page = parents[0]
    for article in articles:
        article.attachment_of = [p.path for p in parents]
        for name in _INHERITED:
            if not getattr(article, name) and getattr(page, name):
                setattr(article, name, getattr(page, name))
                article.inherited.append(name)
        if not article.doc_number_keys and page.doc_number_keys:
            article.doc_number_keys = list(page.doc_number_keys)
        article.categories = article.categories or list(page.categories)
        article.tags = article.tags or list(page.tags)
        label = page.attachment_titles.get(rel, "")
        if label and article.title == PurePosixPath(rel).stem:
            article.title = label
    return articles
