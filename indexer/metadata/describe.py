"""``describe(article) -> DocMeta``: the metadata of one document, from that document alone.

It runs for every document of a build, so it stays cheap: a few compiled expressions over
the title and the header, and over the body only searches that start at a literal
character (《, 号, 废止) plus one pass that hashes sentences for the fingerprint.
"""

from __future__ import annotations

from indexer.metadata.fingerprint import fingerprint
from indexer.metadata.history import effective_date, history, history_lines
from indexer.metadata.issuers import bodies, normalise_source
from indexer.metadata.levels import level_of, region_of
from indexer.metadata.model import DocMeta
from indexer.metadata.references import abolished, mentions, number_references
from indexer.metadata.titles import chain_key, doc_type, title_key
from indexer.sources.article import Article
from indexer.sources.docnum import docnum_key

# Path parts that feeds put among a post's categories: where it came from, not its topic.
_FOLDER_NAMES = frozenset({"source", "channel", "_posts", "posts", "post", "categories"})
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


def describe(article: Article) -> DocMeta:
    """Everything ``DocMeta`` holds for one article (see ``indexer.metadata``)."""
    number_key, number_keys = _own_number(article)
    issuers = bodies(article.source)
    kind = _doc_type(article, number_key)
    level = level_of(article, kind, issuers, number_key)
    date = article.date or ""
    meta = DocMeta(
        title=article.title, path=article.path, date=date,
        published_date=article.published_date or "",
        doc_type="" if level == "新闻" else kind, level=level,
        region=region_of(article, level, issuers, number_key),
        source=normalise_source(article.source, level), doc_number=article.doc_number,
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
