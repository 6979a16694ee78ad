"""The Whoosh schema: one place that says what every indexed document holds.

``searchapp`` imports this module (and ``analysis``) so indexing and querying can never
disagree about fields or analysis.
"""

from __future__ import annotations

from operator import sub
from pickle import dumps

from whoosh import fields
from whoosh.formats import Positions
from whoosh.system import pack_uint

from indexer.analysis.tokens import char_analyzer, index_terms, word_analyzer

# Bumped whenever a field or the analysis changes: an index with another version is
# refused with a message to run ``policy-search reindex --full``.
SCHEMA_VERSION = 2

TITLE_BOOST = 4.0
TITLE_CHARS_BOOST = 2.0
META_BOOST = 1.5
CHARS_BOOST = 0.6


class PreAnalyzed:
    """A field value already tokenised: term → positions, and the field's boost.

    Tokenising is the expensive part of indexing and happens once per document; Whoosh's
    writer takes the postings ``(btext, freq, weight, valuestring)`` by iterating this
    (``AnalyzedText.index``), ``postings.MemorySegmentWriter`` reads ``terms`` directly.
    """

    __slots__ = ("terms", "boost")

    def __init__(self, terms: dict[str, list[int]], boost: float):
        self.terms = terms
        self.boost = boost

    def __iter__(self):
        boost = self.boost
        for term, positions in self.terms.items():
            yield (term.encode("utf-8"), len(positions), len(positions) * boost,
                   encode_positions(positions))


class AnalyzedText(fields.TEXT):
    """A TEXT field that also accepts ``PreAnalyzed`` values."""

    def index(self, value, **kwargs):
        if isinstance(value, PreAnalyzed):
            return iter(value)
        return super().index(value, **kwargs)


def pre_analyze(field: fields.FieldType, text: str, kind: str,
                normalized: bool = False) -> PreAnalyzed:
    """What ``field.index(text)`` would give, from ``analysis.index_terms``."""
    if type(field.format) is not Positions:     # subclasses encode other values
        raise TypeError("pre-analysed values are for fields with positions")
    return PreAnalyzed(index_terms(text, kind, normalized=normalized), field.format.field_boost)


_SINGLE_POSITIONS: dict[int, bytes] = {}


def encode_positions(positions: list[int]) -> bytes:
    """``Positions.encode`` (a count, then the pickled gaps), faster.

    Most postings hold one position, so those encodings are kept and reused; a build
    encodes one value per term per document per field.
    """
    if len(positions) == 1:
        pos = positions[0]
        found = _SINGLE_POSITIONS.get(pos)
        if found is None:
            found = pack_uint(1) + dumps([pos], 2)
            if pos < 100_000:
                _SINGLE_POSITIONS[pos] = found
        return found
    gaps = [positions[0], *map(sub, positions[1:], positions)]
    return pack_uint(len(gaps)) + dumps(gaps, 2)


def _words(boost: float = 1.0, stored: bool = False) -> AnalyzedText:
    return AnalyzedText(analyzer=word_analyzer(), phrase=True, stored=stored, field_boost=boost)


def _chars(boost: float = 1.0) -> AnalyzedText:
    return AnalyzedText(analyzer=char_analyzer(), phrase=True, field_boost=boost)


def make_schema() -> fields.Schema:
    """A fresh schema object (Whoosh fields keep state, so never share one between indexes)."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        title=_words(TITLE_BOOST, stored=True),
        content=_words(),
        title_chars=_chars(TITLE_CHARS_BOOST),
        chars=_chars(CHARS_BOOST),
        meta=_words(META_BOOST),
        title_key=fields.ID(),
        title_raw=fields.ID(sortable=True),     # a column of titles, for suggestions
        body=fields.STORED(),
        date=fields.ID(stored=True, sortable=True),
        written_date=fields.STORED(),
        year=fields.ID(stored=True, sortable=True),
        source=fields.ID(stored=True, sortable=True),
        # Terms for filtering; ``category_list`` is the "|"-joined column facets count from.
        categories=fields.KEYWORD(stored=True, commas=True, scorable=False, lowercase=False),
        category_list=fields.ID(sortable=True),
        tags=fields.KEYWORD(stored=True, commas=True, lowercase=False),
        doc_number=fields.STORED(),
        docnum=fields.KEYWORD(lowercase=False, scorable=True),
        url=fields.STORED(),
        length=fields.STORED(),
    )


WORD_FIELDS = ("title", "content", "meta")
CHAR_FIELDS = ("title_chars", "chars")
