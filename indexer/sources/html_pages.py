"""Plain text and metadata from HTML pages and HTML post bodies."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, CData, Comment, NavigableString, Tag
from lxml import etree

from indexer.chars import SURROGATE
from indexer.sources.article import clean_lines, collapse

_DROP_TAGS = [
    "script", "style", "noscript", "template", "iframe", "svg", "nav", "header", "footer",
    "form", "button", "select", "img", "object", "embed", "video", "audio", "canvas",
    "input", "textarea", "map", "head",
]
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "tr", "table", "tbody", "thead", "tfoot", "caption",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "aside", "blockquote", "pre",
    "dl", "dt", "dd", "figure", "figcaption", "address", "center", "hr", "main", "body",
}
_CELL_TAGS = {"td", "th"}
_CHROME_ATTR = re.compile(
    r"img_?box|imagebox|toolbar|tool-bar|share|breadcrumb|crumb|position|"
    r"(?:^|[-_])nav(?:$|[-_])|^nav|menu|print|qr_?code|qr_?container",
    re.I,
)
_CONTAINERS = ["#UCAP-CONTENT", "article", ".article", "#content", "main"]
_HTML_HINT = re.compile(
    r"<(?:p|div|br|span|a|img|h[1-6]|ul|ol|li|table|tr|td|strong|em|b|i|section|article|"
    r"font|blockquote|pre|iframe|video|html|body)\b[^>]*>",
    re.I,
)
_MARK = "\ue000"

# gov.cn-style metadata tables: normalised label -> field.
_TABLE_LABELS = {
    "标题": "title", "名称": "title", "发文机关": "source", "发布机构": "source",
    "成文日期": "written_date", "发布日期": "date", "发文字号": "doc_number", "文号": "doc_number",
    "主题分类": "categories", "主题词": "tags",
}
_META_TITLE = ("articletitle", "og:title", "title")
_META_DATE = ("article:published_time", "pubdate", "publishdate", "firstpublishedtime", "dc.date")
_META_SOURCE = ("contentsource", "source", "author", "article:author")
_META_URL = ("og:url", "url")


@dataclass
class HtmlPage:
    title: str = ""
    date: str = ""
    written_date: str = ""
    source: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    doc_number: str = ""
    url: str = ""
    lines: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)   # (href, text) of every link


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))


def _soup(html: str) -> BeautifulSoup:
    # bs4 warns about XHTML parsed as HTML and about text that looks like a
    # file name; both are expected here and must not abort a build.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "lxml")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    return soup


def _is_chrome(tag: Tag, keep: Tag | None) -> bool:
    attrs = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    if not attrs or not any(_CHROME_ATTR.search(a) for a in attrs.split()):
        return False
    # Tags compare by content in bs4, so ancestry is checked by identity.
    if keep is not None and (tag is keep or any(parent is tag for parent in keep.parents)):
        return False
    # Such names also appear on wrappers of the article itself (id="printContent"),
    # so a long element is only chrome if it is mostly link text, like a menu.
    text_length = len(tag.get_text(strip=True))
    if text_length < 300:
        return True
    link_length = sum(len(a.get_text(strip=True)) for a in tag.find_all("a"))
    return link_length > text_length / 2


def _strip_chrome_elements(root: Tag, keep: Tag | None = None) -> None:
    for tag in root.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in root.find_all(True):
        # Not ``tag.decomposed``: for a tag never decomposed, bs4 looks the attribute up
        # as a child tag named "_decomposed", a search of the whole subtree per tag.
        if not tag.__dict__.get("_decomposed") and _is_chrome(tag, keep):
            tag.decompose()


def _element_lines(root: Tag) -> list[str]:
    for br in root.find_all("br"):
        br.replace_with(_MARK)
    for tag in root.find_all(True):
        is_layout_cell = tag.name in _CELL_TAGS and tag.find(_BLOCK_TAGS) is not None
        if tag.name in _BLOCK_TAGS or is_layout_cell:
            tag.insert_before(_MARK)
            tag.append(_MARK)
        elif tag.name in _CELL_TAGS:
            # Cells of a data table stay on one line per row.
            tag.append(" ")
    return clean_lines(root.get_text().split(_MARK))


def html_lines(html: str) -> list[str]:
    """Clean text lines of an HTML fragment such as a post body.

    One walk over the tree collects the text, with line breaks at block elements and
    ``<br>``, skipping dropped and chrome elements, without changing the tree: building
    the tree is what parsing costs, and every ``find_all`` pass or insertion on top of it
    cost as much again (a post body is parsed for every document of a large build).

    The tree is lxml's own (the parser bs4 uses here, without bs4's tree of Python objects
    on top, which was a fifth of a large build's time), unless an element's id or class
    names page chrome: judging chrome needs bs4's text rules, so such bodies go through bs4.
    """
    # A lone surrogate (undecodable bytes) becomes U+FFFD, as in every other text line:
    # lxml stopped at it without a word, bs4 failed on the whole file.
    html = _SURROGATE.sub("\ufffd", html)
    root = None
    if not _AFTER_HTML_END.search(html):          # lxml's tree drops what follows </html>
        try:
            root = etree.fromstring(html, _FRAGMENT_PARSER)
        except (ValueError, etree.LxmlError):
            root = None
    if root is not None and not _has_chrome_names(root):
        return clean_lines("".join(_element_text(root)).split(_MARK))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "lxml")
    return clean_lines("".join(_text_with_breaks(soup)).split(_MARK))


# huge_tree: without it libxml2 stops at 256 levels of nesting (unclosed inline tags reach
# that) or at a text of 10 MB, and keeps what it had without an error.
_FRAGMENT_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
_AFTER_HTML_END = re.compile(r"</html\s*>\s*\S", re.I)
_SURROGATE = re.compile(f"[{SURROGATE}]")


def _has_chrome_names(root) -> bool:
    return any(_CHROME_ATTR.search(name)
               for el in root.iter(etree.Element) if el.get("id") or el.get("class")
               for name in f"{el.get('id') or ''} {el.get('class') or ''}".split())


def _element_text(root) -> list[str]:
    """``_text_with_breaks`` over an lxml tree: an element's text, its children, the mark
    that closes it, then its tail (the text after it, inside its parent)."""
    out: list[str] = []
    stack = [(root, False)]                      # (element, closing)
    while stack:
        el, closing = stack.pop()
        if closing:
            name = el.tag
            if name in _BLOCK_TAGS or (name in _CELL_TAGS and _holds_blocks(el)):
                out.append(_MARK)
            elif name in _CELL_TAGS:
                out.append(" ")
            if el.tail and el is not root:
                out.append(el.tail)
            continue
        name = el.tag
        if not isinstance(name, str) or name in _DROP_SET:
            if el.tail and el is not root:
                out.append(el.tail)
            continue
        if name == "br":
            out.append(_MARK)
            if el.tail:
                out.append(el.tail)
            continue
        if name in _BLOCK_TAGS or (name in _CELL_TAGS and _holds_blocks(el)):
            out.append(_MARK)
        if el.text:
            out.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    return out


def _holds_blocks(el) -> bool:
    return next(el.iterdescendants(*_BLOCK_TAGS), None) is not None


_DROP_SET = frozenset(_DROP_TAGS)
_TEXT_TYPES = (NavigableString, CData)


def _text_with_breaks(root: Tag) -> list[str]:
    out: list[str] = []
    stack = [(iter(root.contents), "")]          # an explicit stack: no recursion limit
    while stack:
        child = next(stack[-1][0], None)
        if child is None:
            out.append(stack.pop()[1])
            continue
        if not isinstance(child, Tag):
            if type(child) in _TEXT_TYPES:       # not comments, doctypes, declarations
                out.append(child)
            continue
        name = child.name
        if name in _DROP_SET or ((child.get("id") or child.get("class")) and _is_chrome(child, None)):
            continue
        if name == "br":
            out.append(_MARK)
        elif name in _BLOCK_TAGS or (name in _CELL_TAGS and child.find(_BLOCK_TAGS) is not None):
            out.append(_MARK)
            stack.append((iter(child.contents), _MARK))
        else:
            stack.append((iter(child.contents), " " if name in _CELL_TAGS else ""))
    return out


def _cell_text(tag: Tag) -> str:
    return collapse(tag.get_text(" "))


def _label_cells(soup: BeautifulSoup):
    for cell in soup.find_all(["td", "th"]):
        raw = cell.get_text()
        label = re.sub(r"\s+", "", raw).rstrip("：:")
        if label in _TABLE_LABELS and len(raw.strip()) <= 20 and re.search(r"[：:]\s*$", raw):
            yield cell, _TABLE_LABELS[label]


def _table_metadata(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for cell, key in _label_cells(soup):
        value_cell = cell.find_next_sibling(["td", "th"])
        if value_cell is not None and key not in found:
            found[key] = _cell_text(value_cell)
    return found


def _meta_values(soup: BeautifulSoup) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        content = collapse(meta.get("content") or "")
        if name and content:
            values.setdefault(name, content)
    return values


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((values[k] for k in keys if values.get(k)), "")


def _page_title(soup: BeautifulSoup, meta: dict[str, str]) -> str:
    if title := _first(meta, _META_TITLE):
        return title
    h1 = soup.find("h1")
    if h1 and (text := _cell_text(h1)):
        return text
    if soup.title and (text := collapse(soup.title.get_text())):
        # "<article title> - <site name>": the site name is not part of the title.
        head, sep, tail = max(
            (text.rpartition(s) for s in (" - ", "_", "|", "｜", " — ")), key=lambda p: len(p[0])
        )
        return head.strip() if sep and head.strip() and len(tail) <= 20 else text
    return ""


def _container(soup: BeautifulSoup) -> Tag:
    for selector in _CONTAINERS:
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return found
    return soup.body or soup


def parse_html_page(html: str) -> HtmlPage:
    soup = _soup(html)
    table = _table_metadata(soup)
    meta = _meta_values(soup)
    canonical = soup.find("link", rel="canonical")
    page = HtmlPage(
        title=table.get("title") or _page_title(soup, meta),
        date=table.get("date") or _first(meta, _META_DATE),
        written_date=table.get("written_date", ""),
        source=table.get("source") or _first(meta, _META_SOURCE),
        # 主题分类 levels are separated by a backslash (市场监管、安全生产监管\工商).
        categories=[c.strip() for c in table.get("categories", "").split("\\") if c.strip()],
        tags=[t for t in re.split(r"[\s、，,;；]+", table.get("tags", "")) if t],
        doc_number=table.get("doc_number", ""),
        url=(canonical.get("href") if canonical else "") or _first(meta, _META_URL),
    )
    page.links = [(a["href"], _cell_text(a)) for a in soup.find_all("a", href=True)]
    container = _container(soup)
    if container is soup or container is soup.body:
        # Without a content container the metadata table would lead the body text.
        for cell, _ in list(_label_cells(soup)):
            if not cell.decomposed and (holder := cell.find_parent("table")) is not None:
                holder.decompose()
    _strip_chrome_elements(soup, keep=container)
    if container.decomposed:
        container = soup
    page.lines = _element_lines(container)
    return page
