"""Article → the document the index stores: ids, content hashes, terms, columns, stored values."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from indexer.analysis.abbreviations import find_abbreviations
from indexer.analysis.normalize import fold, normalize, to_simplified
from indexer.analysis.tokens import CharTokens, WordTokens
from indexer.metadata import DocMeta, describe
from indexer.metadata.describe import cited_number
from indexer.metadata.titles import title_key, title_keys
from indexer.sources.article import Article
from indexer.storage.segment_writer import Document

_SPACE_OR_PUNCT = re.compile(r"[\W_]+")


@dataclass
class Prepared:
    """A parsed article ready to write, with what the build's bookkeeping needs."""

    id: str
    path: str
    hash: str              # content_hash: equal for exact duplicates
    text_bytes: int
    doc: Document
    meta: DocMeta          # what relations between documents are computed from
    abbreviations: list[tuple[str, str]]     # (short form, full term) the text defines


def doc_id(path: str) -> str:
    """A short, stable, URL-safe id for a document path."""
    return hashlib.blake2b(path.encode("utf-8"), digest_size=8).hexdigest()


# What makes two files one document besides title and text: the header (a regulation's
# history lines: a file that adds the latest revision to the same text is another version)
# and every field a researcher cites.
_IDENTITY = ("date", "published_date", "effective_date", "doc_type", "level", "region", "source",
             "doc_number")


def content_hash(article: Article, folded_body: str | None = None, meta: DocMeta | None = None) -> str:
    """Hash of normalised title and body, the header and the metadata (``_IDENTITY``): equal
    for exact duplicates under other paths, and only for them.

    ``folded_body`` is ``fold(article.body)`` and ``meta`` is ``describe(article)`` when the
    caller has them already.
    """
    folded = fold(article.body) if folded_body is None else folded_body
    meta = describe(article) if meta is None else meta
    parts = [title_key(article.title), _SPACE_OR_PUNCT.sub("", folded), "\n".join(article.header),
             *(getattr(meta, name) for name in _IDENTITY)]
    return hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=12).hexdigest()


def _meta_text(article: Article, meta: DocMeta) -> str:
    return " ".join([meta.source, article.doc_number, *meta.categories, *article.tags,
                     meta.doc_type, meta.level, meta.region])


def prepare(article: Article) -> Prepared:
    """Tokenise an article once into everything the index holds for it."""
    meta = describe(_own(article))
    body = article.body
    folded = fold(body)
    title, norm_body = normalize(article.title), to_simplified(folded)
    date = meta.date
    ident = doc_id(article.path)
    doc = Document(
        text={"title": WordTokens(title), "content": WordTokens(norm_body),
              "meta": WordTokens(normalize(_meta_text(article, meta))),
              "title_chars": CharTokens(title), "chars": CharTokens(norm_body)},
        keywords={"id": [ident], "docnum": list(meta.number_keys or article.doc_number_keys),
                  "title_key": title_keys(article.title),
                  "source": [meta.source] if meta.source else [],
                  "categories": list(meta.categories), "year": [date[:4]] if date else [],
                  **{name: [getattr(meta, name)] if getattr(meta, name) else []
                     for name in ("doc_type", "level", "region")}},
        columns={"date": date, "year": date[:4], "source": meta.source,
                 "category_list": "|".join(meta.categories), "doc_type": meta.doc_type,
                 "level": meta.level, "region": meta.region},
        stored={"id": ident, "path": article.path, "title": article.title, "body": body,
                **meta.index_fields(), "written_date": article.written_date or "",
                "tags": list(article.tags),
                # A 附件's inherited 文号 is shown, though it is not the file's own (``_own``).
                "doc_number": meta.doc_number or cited_number(article.doc_number),
                "url": article.url, "length": len(body), **_file_fields(article)},
    )
    return Prepared(ident, article.path, content_hash(article, folded, meta),
                    len(body.encode("utf-8")), doc, meta, _abbreviations(article))


def _own(article: Article) -> Article:
    """The article as far as it speaks for itself: a 附件's 文号 taken from the page that
    links it is shown and searchable, but does not make the two one document (relations
    group copies by 文号 and date)."""
    if "doc_number" not in article.inherited:
        return article
    return replace(article, doc_number="", doc_number_keys=[])


def _file_fields(article: Article) -> dict:
    """What a document file's page shows besides the text (nothing for other articles)."""
    return {name: value for name in ("file_kind", "pages", "ocr_pages", "attachments",
                                     "attachment_of", "inherited")
            if (value := getattr(article, name))}


def _abbreviations(article: Article) -> list[tuple[str, str]]:
    """The abbreviations the article defines (（以下简称X）); the look-up is only run on texts
    that say 称 at all (most do not)."""
    text = article.title + "\n" + article.body
    return find_abbreviations(text) if "称" in text else []
