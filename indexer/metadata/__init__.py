"""Policy metadata: what each document is, and how the documents of an index relate.

Per document, from the ``Article`` alone (cheap enough for every document of a build)::

    meta = describe(article)          # DocMeta: date, doc_type, level, region, source,
    meta.to_json()                    #   effective_date, history, categories + the keys below

Over all documents, from their ``DocMeta`` records alone (a build keeps ``to_json()`` of
each in its manifest and recomputes this after an incremental update)::

    relations = relate({doc_id: meta, ...}, today="2026-12-02")
    relations.get(doc_id)             # DocRelations: status, chain, versions, versions_count,
                                      #   representative, sources, cites, cited_by
    relations.citations               # counts and the most-cited unresolved titles

A regulation's text::

    articles(body)                    # [Part]: 编/章/节 headings and 第N条 articles
    compare(old_body, new_body)       # [{"article", "kind", "old_article", "old", "new"}]

Modules: ``describe`` (one document), ``titles`` (keys and 文种), ``levels`` (效力级别 and
region), ``issuers`` (one spelling per body), ``regions`` (province table), ``history``
(公布/修订/施行 and 施行日期), ``references`` (《》 mentions, 文号, 废止), ``fingerprint``
(near-identical texts), ``relate`` with ``duplicates``, ``chains`` and ``links``, and
``structure`` (articles and compare).
"""

from __future__ import annotations

from indexer.metadata.chains import STATUSES
from indexer.metadata.coverage import coverage
from indexer.metadata.describe import describe
from indexer.metadata.levels import LEVELS
from indexer.metadata.model import INDEX_FIELDS, DocMeta
from indexer.metadata.relate import (
    CitationSummary,
    DocRelations,
    Relations,
    relate,
    relations_from_json,
)
from indexer.metadata.status import ABOLISHED_BY, FUTURE, NEWEST, SUPERSEDED_BY
from indexer.metadata.structure import Part, articles, compare

__all__ = [
    "ABOLISHED_BY", "FUTURE", "NEWEST", "SUPERSEDED_BY",
    "INDEX_FIELDS", "LEVELS", "STATUSES", "CitationSummary", "DocMeta", "DocRelations", "Part",
    "Relations", "articles", "compare", "coverage", "describe", "relate", "relations_from_json",
]
