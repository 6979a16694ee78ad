"""BM25F scores for a known set of matches, a posting block at a time.

Once ``matchset`` knows which documents match, ranking them is arithmetic: every query
node's score is a sum (``And``, ``Or``, phrases), a maximum (``DisjunctionMax``) or a
boosted term score. Whoosh would compute it walking a tree of matchers document by document,
a dozen Python calls per posting; here each term's postings are read block by block (the
blocks that hold wanted documents only) and scored with the same scorer objects and the
same formula, so the scores are Whoosh's own, to rounding. Query types not handled here make
``scores`` return None, and the caller lets Whoosh score.
"""

from __future__ import annotations

import bisect
from array import array

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import FixedBytesColumn
from whoosh.scoring import BM25FScorer, WeightLengthScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

from indexer.storage.codec import SplitLeafMatcher
from searchapp.engine.match import MatchSets, raw_postings

# Field length bytes → lengths; a document without the field counts as length 1, as in
# Whoosh's scorers (``doc_field_length(docnum, fieldname, 1)``).
_LENGTHS = [byte_to_length(b) for b in range(256)]
_LENGTHS[0] = 1


class Unsupported(Exception):
    """A query node this module does not score."""


class Scores:
    """Scores of match-set documents on one searcher (with its weighting model)."""

    def __init__(self, sets: MatchSets):
        self.sets = sets
        self.searcher = sets.searcher
        self.weighting = self.searcher.weighting
        self.leaves = list(self.searcher.leaf_searchers())
        self._lengths = self.searcher.__dict__.setdefault("_policy_lengths", {})
        self._splits: dict[int, tuple[set[int], list[list[int]]]] = {}

    def scores(self, q: wq.Query, docs: set[int]) -> dict[int, float] | None:
        """docnum → score for the ``docs`` (all matching ``q``), or None if ``q`` has a
        node this module does not score."""
        try:
            return self._score(q, docs)
        except Unsupported:
            return None

    def _score(self, q, docs: set[int]) -> dict[int, float]:
        """Scores of the documents of ``docs`` that ``q`` matches."""
        if not docs:
            return {}
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text, q.boost, docs)
        if isinstance(q, wq.Phrase):
            if q.slop != 1:
                raise Unsupported
            have = self.sets.docs(q, within=docs)
            parts = [self._term(q.fieldname, w, 1.0, have) for w in q.words]
            return _combine(parts, sum, q.boost)
        if isinstance(q, wq.And):
            if len(q.subqueries) == 1:            # Whoosh applies no boost to a lone child
                return self._score(q.subqueries[0], docs)
            have = self.sets.docs(q, within=docs)
            # A ``Not`` child matches through an inverse matcher that adds its weight, 1.0.
            parts = [dict.fromkeys(have, 1.0) if isinstance(p, wq.Not) else self._score(p, have)
                     for p in q.subqueries]
            return _combine(parts, sum, q.boost)
        if isinstance(q, (wq.Or, wq.DisjunctionMax)):
            if len(q.subqueries) == 1:
                return self._score(q.subqueries[0], docs)
            if any(isinstance(p, wq.Not) for p in q.subqueries):
                raise Unsupported
            parts = [self._score(p, docs) for p in q.subqueries]
            return _combine(parts, sum if isinstance(q, wq.Or) else max, q.boost)
        if isinstance(q, wq.AndMaybe):
            a = self._score(q.a, docs)
            b = self._score(q.b, set(a))
            return {d: s + b[d] if d in b else s for d, s in a.items()}
        if isinstance(q, wq.AndNot):
            a = self._score(q.a, docs)
            return {d: a[d] for d in self.sets.docs(q, within=set(a))}
        if isinstance(q, wq.Not):                   # an inverse matcher: its weight, 1.0
            return dict.fromkeys(self.sets.docs(q, within=docs), 1.0)
        if isinstance(q, wq.Every) and not q.fieldname:
            return dict.fromkeys(docs, q.boost or 0.0)
        raise Unsupported

    def _term(self, fieldname: str, text, boost: float, docs: set[int]) -> dict[int, float]:
        out: dict[int, float] = {}
        if fieldname not in self.searcher.schema:
            return out
        field = self.searcher.schema[fieldname]
        btext = field.to_bytes(text) if isinstance(text, str) else text
        for (sub, offset), local in zip(self.leaves, self._split(docs), strict=True):
            reader = sub.reader()
            if not local or (fieldname, btext) not in reader:
                continue
            scorer = self.weighting.scorer(sub, fieldname, btext)
            wanted = set(local)
            postings = raw_postings(reader, fieldname, btext)
            if type(scorer) is BM25FScorer:
                # whoosh.scoring.bm25, inlined, with each document's length part computed
                # once per searcher: idf * ((tf * (k1 + 1)) / (tf + norm[d])).
                idf, k1_1 = scorer.idf, scorer.K1 + 1
                norms = self._norms(reader, fieldname, scorer)
                for ids, weights in _blocks(postings, local):
                    out.update({d + offset: idf * ((tf * k1_1) / (tf + norms[d]))
                                for d, tf in zip(ids, weights, strict=True) if d in wanted})
            elif isinstance(scorer, WeightLengthScorer):
                lengths = self._field_lengths(reader, fieldname)
                for ids, weights in _blocks(postings, local):
                    for d, tf in zip(ids, weights, strict=True):
                        if d in wanted:
                            out[d + offset] = scorer._score(tf, lengths[d])
            elif isinstance(scorer, WeightScorer):
                for ids, weights in _blocks(postings, local):
                    for d, tf in zip(ids, weights, strict=True):
                        if d in wanted:
                            out[d + offset] = tf
            else:
                raise Unsupported
        if boost != 1.0:
            out = {d: s * boost for d, s in out.items()}
        return out

    def _split(self, docs: set[int]) -> list[list[int]]:
        """``docs`` as sorted local document numbers, per segment (kept for the sets that
        several terms are scored on)."""
        key = id(docs)
        if key not in self._splits:
            ordered = sorted(docs)
            parts, lo = [], 0
            for sub, offset in self.leaves:
                hi = bisect.bisect_left(ordered, offset + sub.reader().doc_count_all(), lo)
                parts.append([d - offset for d in ordered[lo:hi]] if offset else ordered[lo:hi])
                lo = hi
            self._splits[key] = (docs, parts)    # holding docs keeps its id from being reused
        return self._splits[key][1]

    def _norms(self, reader, fieldname: str, scorer: BM25FScorer) -> array:
        """Per document, BM25's ``k1 * ((1 - b) + b * length / average length)``."""
        key = (id(reader), fieldname, scorer.avgfl, scorer.B, scorer.K1)
        if key not in self._lengths:
            avgfl, b, k1 = scorer.avgfl, scorer.B, scorer.K1
            self._lengths[key] = array("d", (k1 * ((1 - b) + b * fl / avgfl)
                                             for fl in self._field_lengths(reader, fieldname)))
        return self._lengths[key]

    def _field_lengths(self, reader, fieldname: str) -> array:
        key = (id(reader), fieldname)
        if key not in self._lengths:
            self._lengths[key] = _read_lengths(reader, fieldname)
        return self._lengths[key]


def _read_lengths(reader, fieldname: str) -> array:
    """Every document's length in a field (1 where it has none), as Whoosh's scorers see it.

    The column holds one byte per document: read at once, not a Python call per document
    through the column reader (half a second per field at 100,000 documents).
    """
    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return array("I", [1]) * count
    if isinstance(column, FixedBytesColumn.Reader) and column._fixedlen == 1:
        raw = column._dbfile.get(column._basepos, min(column._count, count))
        lengths = array("I", map(_LENGTHS.__getitem__, raw))
        return lengths + array("I", [_LENGTHS[0]]) * (count - len(lengths))
    return array("I", (_LENGTHS[b] for b in column))


def _combine(parts: list[dict[int, float]], how, boost: float) -> dict[int, float]:
    """Per document, the ``how`` (sum or max) of the parts that have it, times ``boost``.

    Parts are added in order; Whoosh's matcher tree may group three or more children
    differently, so sums agree with its scores to rounding.
    """
    parts = [p for p in parts if p]
    if not parts:
        return {}
    out = dict(parts[0])
    for part in parts[1:]:
        get = out.get
        if how is max:
            out.update({d: max(get(d, s), s) for d, s in part.items()})
        else:
            out.update({d: get(d, 0.0) + s for d, s in part.items()})
    if boost != 1.0:
        return {d: s * boost for d, s in out.items()}
    return out


def _blocks(m, local: list[int]):
    """(document numbers, weights) of the posting blocks that hold any of ``local`` (sorted)."""
    if not isinstance(m, SplitLeafMatcher):      # a short list inlined in the term index
        ids = list(m._ids)
        if m._all_weights:
            weights = [m._all_weights] * len(ids)
        else:
            weights = list(m._weights) if m._weights is not None else [1.0] * len(ids)
        yield ids, weights
        return
    i, n = 0, len(local)
    while i < n and m.is_active():
        if local[i] <= m._maxid:
            yield m.block_ids(), m.block_weights()
            while i < n and local[i] <= m._maxid:
                i += 1
        m._next_block()
