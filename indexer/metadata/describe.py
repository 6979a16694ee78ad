"""``describe(article) -> DocMeta``: the metadata of one document, from that document alone.

It runs for every document of a build, so it stays cheap: a few compiled expressions over
the title and the header, and over the body only searches that start at a literal
character (《, 号, 废止) plus one pass that hashes sentences for the fingerprint.
"""

from __future__ import annotations

import re

from indexer.metadata.delivery import delivery_date
from indexer.metadata.fingerprint import fingerprint
from indexer.metadata.history import effective_date, history, history_lines, stated_dates
from indexer.metadata.issuers import bodies, normalise_source, number_body
from indexer.metadata.levels import LEGISLATION, level_of, region_of
from indexer.metadata.model import DocMeta
from indexer.metadata.references import abolished, mentions, number_references
from indexer.metadata.titles import chain_key, doc_type, title_key
from indexer.sources.article import Article
from indexer.sources.dates import iter_dates
from indexer.sources.docnum import docnum_key

# Path parts that feeds put among a post's categories: where it came from, not its topic.
_FOLDER_NAMES = frozenset({"source", "channel", "_posts", "posts", "post", "categories"})
# A 文号 as it is cited: half-width digits (公安部令第１２５号 → 公安部令第125号), and a
# decree's issuers without the 中华人民共和国 before their names (中华人民共和国国务院、
# 中华人民共和国中央军事委员会令第413号 → 国务院、中央军事委员会令第413号).
_HALF_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_PRC_BODY = re.compile(r"(?:^|(?<=、))中华人民共和国(?!主席)(?=[^令、]+[令、])")


def cited_number(number: str) -> str:
    """A document number in the form it is cited in (see ``_HALF_WIDTH``)."""
    number = number.translate(_HALF_WIDTH)
    return _PRC_BODY.sub("", number) if "令" in number else number
# Levels whose documents are never in force or out of force, so have no 施行/history.
_NO_STATUS = frozenset({"新闻", "工作报告"})


def _doc_type(article: Article, number_key: str) -> str:
    if found := doc_type(article.title):
        return found
    # Replies (…建议的答复) go out as 函 (国办函〔2006〕69号); decrees as 令.
    prefix = number_key.rstrip("0123456789-")
    if prefix.endswith("函"):
        return "函"
    return "命令" if prefix.endswith("令") else ""


def clean_categories(article: Article) -> list[str]:
    """The source's own topics: not a regulation file's folders (they give level and
    region), not a feed's outlet and channel (新媒体/ZAKER/source → 新媒体)."""
    if article.kind == "text":
        return []
    found = []
    for category in article.categories:
        if article.kind == "post" and category == article.source:
            break
        if category.lower() not in _FOLDER_NAMES:
            found.append(category)
    return found


def _own_number(article: Article) -> tuple[str, list[str]]:
    own = docnum_key(article.doc_number) if article.doc_number else None
    keys = list(dict.fromkeys([own, *article.doc_number_keys] if own else article.doc_number_keys))
    return own or "", keys


def _contradicted(article: Article, number_key: str, level: str) -> bool:
    """Whether a regulation file's date comes from its file name alone (no dated header)
    and the text contradicts it: its own 文号 is of another year (劳社部发[2008]3号 in a
    file named 2009-03-29), or, for a document that is re-issued whole rather than amended
    (a 规范 or 通知, not a rule whose revised text keeps its first 施行 clause), it took
    effect more than a year before (本规范自2009年1月1日起实施 in a file named 2018-01-25).
    Such a date is no date of the document's."""
    if article.kind != "text" or not article.date or any(iter_dates("\n".join(article.header))):
        return False
    year = re.search(r"(\d{4})-\d+$", number_key)
    if year and year[1] != article.date[:4]:
        return True
    before = f"{int(article.date[:4]) - 1}{article.date[4:]}"
    return level not in LEGISLATION and any(d < before for d in stated_dates(article.body))


def own_date(article: Article, level: str, number_key: str = "") -> str:
    """The document's own date: the reader's (成文日期, a regulation's version date, a
    post's date), except that a report or speech without a 成文日期 is dated by its
    delivery line (a site's 发布日期 is when it re-posted the text), and a file name's
    date the text contradicts is none."""
    if _contradicted(article, number_key, level):
        return ""
    if article.written_date or level in LEGISLATION or level == "新闻":
        return article.date or ""
    return delivery_date(article.body) or article.date or ""


def _issuer(article: Article, number_key: str) -> str:
    """The source as read, unless it is only the folder a collection files the document in
    (人力资源社会保障部/) and the document's own 文号 names another body (劳社部发 →
    劳动和社会保障部, whose work the later ministry took over)."""
    if article.kind == "text" and article.categories[1:2] == [article.source]:
        if (named := number_body(number_key)) and named != normalise_source(article.source, ""):
            return named
    return article.source


def describe(article: Article) -> DocMeta:
    """Everything ``DocMeta`` holds for one article (see ``indexer.metadata``)."""
    number_key, number_keys = _own_number(article)
    source = _issuer(article, number_key)
    issuers = bodies(source)
    kind = _doc_type(article, number_key)
    level = level_of(article, kind, issuers, number_key)
    date = own_date(article, level, number_key)
    meta = DocMeta(
        title=article.title, path=article.path, date=date,
        published_date=article.published_date or "",
        doc_type="" if level == "新闻" else kind, level=level,
        region=region_of(article, level, issuers, number_key),
        source=normalise_source(source, level),
        doc_number=cited_number(article.doc_number),
        categories=clean_categories(article), title_key=title_key(article.title),
        chain_key=chain_key(article.title), number_key=number_key, number_keys=number_keys,
        fingerprint=fingerprint(article.body),
    )
    if level not in _NO_STATUS:
        meta.history = history(history_lines(article.header, article.body))
        meta.effective_date = effective_date(meta.history, article.body, date)
    meta.mentions = mentions(article.body, meta.chain_key)
    meta.abolishes = abolished(article.body, meta.chain_key)
    meta.numbers = number_references(article.body, number_keys)
    return meta
