"""Article → Whoosh document: ids, content hashes and pre-analysed field values."""

from __future__ import annotations

import hashlib
import re

from whoosh.fields import Schema

from indexer.sources.files import Article
from indexer.analysis.normalize import fold, normalize, to_simplified
from indexer.schema import CHAR_FIELDS, pre_analyze

_SPACE_OR_PUNCT = re.compile(r"[\W_]+")


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


def document_fields(article: Article, schema: Schema) -> dict:
    """All field values for one article, text fields already tokenised; ``_hash`` is its
    ``content_hash``."""
    body = article.body
    folded = fold(body)
    title, norm_body = normalize(article.title), to_simplified(folded)
    texts = {"title": title, "content": norm_body, "meta": normalize(_meta_text(article)),
             "title_chars": title, "chars": norm_body}
    doc = {name: pre_analyze(schema[name], text, "chars" if name in CHAR_FIELDS else "words",
                             normalized=True)
           for name, text in texts.items()}
    date = article.date or ""
    doc.update(
        _hash=content_hash(article, folded),
        id=doc_id(article.path),
        path=article.path,
        _stored_title=article.title,
        title_key=title_key(article.title),
        title_raw=article.title,
        body=body,
        date=date,
        written_date=article.written_date or "",
        year=date[:4],
        source=article.source,
        categories=",".join(c.replace(",", " ") for c in article.categories),
        category_list="|".join(article.categories),
        tags=",".join(t.replace(",", " ") for t in article.tags),
        doc_number=article.doc_number,
        docnum=" ".join(article.doc_number_keys),
        url=article.url,
        length=len(body),
    )
    return doc
