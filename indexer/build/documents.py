"""Article → the document the index stores: ids, content hashes, terms, columns, stored values."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from indexer.analysis.normalize import fold, normalize, to_simplified
from indexer.analysis.tokens import CharTokens, WordTokens
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


def doc_id(path: str) -> str:
    """A short, stable, URL-safe id for a document path."""
    return hashlib.blake2b(path.encode("utf-8"), digest_size=8).hexdigest()


def title_key(title: str) -> str:
    """Normalised title without spaces or punctuation, for exact-title matches."""
    return _SPACE_OR_PUNCT.sub("", normalize(title))


def content_hash(article: Article, folded_body: str | None = None) -> str:
    """Hash of normalised title and body: equal for exact duplicates under other paths.

    ``folded_body`` is ``fold(article.body)`` when the caller has it already.
    """
    folded = fold(article.body) if folded_body is None else folded_body
    text = title_key(article.title) + "\x00" + _SPACE_OR_PUNCT.sub("", folded)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _meta_text(article: Article) -> str:
    return " ".join([article.source, article.doc_number, *article.categories, *article.tags])


def prepare(article: Article) -> Prepared:
    """Tokenise an article once into everything the index holds for it."""
    body = article.body
    folded = fold(body)
    title, norm_body = normalize(article.title), to_simplified(folded)
    date = article.date or ""
    ident = doc_id(article.path)
    doc = Document(
        text={"title": WordTokens(title), "content": WordTokens(norm_body),
              "meta": WordTokens(normalize(_meta_text(article))),
              "title_chars": CharTokens(title), "chars": CharTokens(norm_body)},
        keywords={"id": [ident], "docnum": list(article.doc_number_keys),
                  "title_key": [title_key(article.title)],
                  "source": [article.source] if article.source else [],
                  "categories": list(article.categories), "year": [date[:4]] if date else []},
        columns={"date": date, "year": date[:4], "source": article.source,
                 "category_list": "|".join(article.categories)},
        stored={"id": ident, "path": article.path, "title": article.title, "body": body,
                "date": date, "written_date": article.written_date or "",
                "source": article.source, "categories": list(article.categories),
                "tags": list(article.tags), "doc_number": article.doc_number,
                "url": article.url, "length": len(body)},
    )
    return Prepared(ident, article.path, content_hash(article, folded),
                    len(body.encode("utf-8")), doc)
