"""The schema: one place that says what every indexed document holds.

``searchapp`` imports this module so indexing and querying never disagree about fields.
The Whoosh ``Schema`` object describes the fields to Whoosh (it is stored in the index's
table of contents); the tables below say how our segment writer fills them.

- Text fields hold terms with positions: the word fields (jieba words and their
  sub-words) and the character fields (one term per CJK character), see
  ``indexer.analysis.tokens``. Their lengths are columns (``length_column``) for BM25F.
- Keyword fields hold exact terms without positions, for filters and exact lookups.
- Columns hold one value per document, read as arrays (``indexer.storage.columns``).
"""

from __future__ import annotations

from whoosh import fields

from indexer.analysis.tokens import char_analyzer, word_analyzer

# Bumped whenever a field, the analysis or the storage format changes: an index with
# another version is refused with a message to run ``policy-search reindex --full``.
SCHEMA_VERSION = 6

WORD_FIELDS = ("title", "content", "meta")
CHAR_FIELDS = ("title_chars", "chars")
TEXT_FIELDS = WORD_FIELDS + CHAR_FIELDS
# Field weights in BM25F: a match in a title counts more than one in the body.
BOOSTS = {"title": 4.0, "content": 1.0, "meta": 1.5, "title_chars": 2.0, "chars": 0.6}
KEYWORD_FIELDS = ("id", "docnum", "title_key", "source", "categories", "doc_type", "level",
                  "region", "year")
# Columns read as arrays: facets, filters, sorting.
CODE_COLUMNS = ("date", "year", "source", "category_list", "doc_type", "level", "region")
STORED_FIELDS = ("id", "path", "title", "body", "date", "published_date", "written_date",
                 "source", "sources", "categories", "tags", "doc_number", "url", "doc_type",
                 "level", "region", "effective_date", "history", "length",
                 # document files: format, page starts, OCRed pages, 附件 links both ways
                 "file_kind", "pages", "ocr_pages", "attachments", "attachment_of", "inherited")


def length_column(field: str) -> str:
    """The column holding each document's number of terms in a text field."""
    return f"_{field}_length"


def make_schema() -> fields.Schema:
    """A fresh Whoosh schema (Whoosh fields keep state: never share one between indexes)."""
    schema = fields.Schema()
    for name in TEXT_FIELDS:
        analyzer = word_analyzer() if name in WORD_FIELDS else char_analyzer()
        schema.add(name, fields.TEXT(analyzer=analyzer, phrase=True, field_boost=BOOSTS[name],
                                     stored=name in STORED_FIELDS))
    for name in KEYWORD_FIELDS:
        schema.add(name, fields.KEYWORD(lowercase=False, commas=True, scorable=False,
                                        unique=name == "id", stored=name in STORED_FIELDS))
    for name in STORED_FIELDS:
        if name not in schema:
            schema.add(name, fields.STORED())
    return schema
