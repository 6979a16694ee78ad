"""BM25F over a known set of matches, as arrays.

Once matching knows which documents match (``docs``, sorted), ranking is arithmetic: every
plan node gives an array of scores aligned with ``docs``. A term's score is BM25 with the
field's weight applied to its frequency (``indexer.schema.BOOSTS``) and the field's length
normalisation; ``And``, ``Or`` and ``Phrase`` add their parts, ``DisMax`` takes the best,
``Maybe`` adds the optional part where it matches. Keyword fields (document numbers, exact
titles, sources) score their frequency times the node's boost.
"""

from __future__ import annotations

import math

import numpy as np

from indexer.schema import BOOSTS, TEXT_FIELDS
from searchapp.engine import docsets
from searchapp.engine.context import SearchContext
from searchapp.engine.match import Matcher
from searchapp.engine.plan import And, Bonus, DateRange, DisMax, Every, Maybe, Not, Or, Phrase, Term

K1 = 1.2
# Long documents (work reports of 10-30k characters) are about many things at once; full
# length normalisation on the body fields buried them (measured with bench/relevance.py).
B = {"content": 0.5, "chars": 0.5}
DEFAULT_B = 0.75


class Ranker:
    """Scores plan nodes on one sorted array of matching documents."""

    def __init__(self, ctx: SearchContext, matcher: Matcher, docs: np.ndarray):
        self.ctx = ctx
        self.view = ctx.view
        self.matcher = matcher
        self.docs = docs
        self._index: np.ndarray | None = None

    def scores(self, node) -> np.ndarray:
        """Each document's score for ``node`` (0 where it does not match)."""
        self.matcher.deadline.check()
        if isinstance(node, Term):
            return self._term(node.field, node.text) * node.boost
        if isinstance(node, Phrase):
            have = docsets.member(self.docs, self.matcher.docs(node, self.docs), self.ctx.size)
            total = sum(self._term(node.field, t) for t in node.terms if t is not None)
            return np.where(have, total, 0.0) * node.boost
        if isinstance(node, (And, Or)):
            parts = [self.scores(c) for c in node.children if not isinstance(c, Not)]
            return _total(parts, len(self.docs)) * node.boost
        if isinstance(node, DisMax):
            return np.maximum.reduce([self.scores(c) for c in node.children]) * node.boost
        if isinstance(node, Maybe):
            return (self.scores(node.required) + self.scores(node.optional)) * node.boost
        if isinstance(node, Bonus):
            have = docsets.member(self.docs, self.matcher.docs(node.child, self.docs), self.ctx.size)
            return np.where(have, node.value, 0.0)
        if isinstance(node, (Every, DateRange, Not)):
            return np.zeros(len(self.docs))
        raise TypeError(f"not a plan node: {node!r}")

    def _term(self, field: str, text: str) -> np.ndarray:
        postings = self.view.postings(field, text)
        out = np.zeros(len(self.docs))
        where, tfs, docs = self._align(postings.docs, postings.tfs)
        if not len(where):
            return out
        if field in TEXT_FIELDS:
            out[where] = self._bm25(field, text, tfs * BOOSTS[field], docs)
        else:
            out[where] = tfs
        return out

    def _align(self, pdocs: np.ndarray, ptfs: np.ndarray):
        """(indexes into ``self.docs``, frequencies, documents) of the postings that match."""
        docs = self.docs
        if not len(pdocs) or not len(docs):
            return docsets.EMPTY, docsets.EMPTY, docsets.EMPTY
        if len(docs) * max(1, int(math.log2(len(pdocs)))) < len(pdocs):
            at = np.searchsorted(pdocs, docs)
            at[at == len(pdocs)] = 0
            hit = pdocs[at] == docs
            return np.flatnonzero(hit), ptfs[at[hit]], docs[hit]
        index = self._doc_index()
        where = index[pdocs]
        hit = where >= 0
        return where[hit], ptfs[hit], pdocs[hit]

    def _doc_index(self) -> np.ndarray:
        """Document number → its index in ``self.docs`` (-1: not there)."""
        if self._index is None:
            self._index = np.full(self.ctx.size, -1, dtype=np.int64)
            self._index[self.docs] = np.arange(len(self.docs))
        return self._index

    def _bm25(self, field: str, text: str, tf: np.ndarray, docs: np.ndarray) -> np.ndarray:
        view = self.view
        idf = math.log(view.doc_count_all / (view.doc_frequency(field, text) + 1)) + 1
        return idf * (tf * (K1 + 1)) / (tf + norms(self.ctx, field)[docs])


def norms(ctx: SearchContext, field: str) -> np.ndarray:
    """Per document, BM25's ``k1 * ((1 - b) + b * length / average length)`` (cached)."""
    return ctx.cached(("norms", field), lambda: _norms(ctx.view, field))


def _norms(view, field: str) -> np.ndarray:
    lengths = view.lengths(field)
    average = view.total_length(field) / max(view.doc_count_all, 1) or 1.0
    b = B.get(field, DEFAULT_B)
    return K1 * ((1 - b) + b * lengths / average)


def _total(parts: list[np.ndarray], n: int) -> np.ndarray:
    if not parts:
        return np.zeros(n)
    total = parts[0].copy()
    for p in parts[1:]:
        total += p
    return total
