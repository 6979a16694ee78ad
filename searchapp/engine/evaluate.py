"""Which documents a plan node matches: set operations on posting lists, as arrays.

The evaluator beneath the stages: matching (the result's sets) and ranking (which of its
documents a phrase or a bonus holds for) evaluate plans with it, and understanding asks it
whether a word or a correction occurs at all. Every node gives a sorted array of live
document numbers. ``And`` computes its cheapest
part first and hands the survivors down as ``within``, so a phrase or a long posting list
is only intersected with what is still possible; ``Not`` parts are subtracted at the end.
Phrases are checked with positions only for the candidates that have all their terms
(``phrase.py``). The work grows with the number of terms and the lengths of their
posting lists, never with a Python loop over documents.
"""

from __future__ import annotations

import numpy as np

from indexer.analysis import is_word
from indexer.schema import WORD_FIELDS
from searchapp.engine import docsets
from searchapp.engine.context import SearchContext
from searchapp.engine.deadline import NO_DEADLINE, Deadline
from searchapp.engine.phrase import near_docs, phrase_docs, phrase_exists
from searchapp.engine.plan import (
    And,
    Bonus,
    DateRange,
    DisMax,
    Every,
    Maybe,
    Near,
    Not,
    Or,
    Phrase,
    Term,
)


class Evaluator:
    """Plan nodes → the documents they match, over one search context."""

    def __init__(self, ctx: SearchContext, deadline: Deadline = NO_DEADLINE):
        self.ctx = ctx
        self.view = ctx.view
        self.size = ctx.size
        self.deadline = deadline

    def docs(self, node, within: np.ndarray | None = None) -> np.ndarray:
        """The live documents ``node`` matches (only those in ``within``, when given)."""
        self.deadline.check()
        if isinstance(node, Term):
            return self._restrict(self.view.postings(node.field, node.text).docs, within)
        if isinstance(node, Phrase):
            return phrase_docs(self.ctx, node.field, node.terms, within, self.deadline)
        if isinstance(node, Near):
            return near_docs(self.ctx, node.field, node.parts, node.gap, within, self.deadline)
        if isinstance(node, And):
            return self._and(node.children, within)
        if isinstance(node, (Or, DisMax)):
            return docsets.union([self.docs(c, within) for c in node.children], self.size)
        if isinstance(node, Maybe):
            return self.docs(node.required, within)
        if isinstance(node, Bonus):
            return self.docs(node.child, within)
        if isinstance(node, Not):
            return self._and((Every(), node), within)
        if isinstance(node, Every):
            return self.ctx.all_docs() if within is None else within
        if isinstance(node, DateRange):
            return self._restrict(date_docs(self.ctx, node.low, node.high), within)
        raise TypeError(f"not a plan node: {node!r}")

    def any(self, node) -> bool:
        """Whether ``node`` matches any live document (for a phrase: settled as soon as
        one is found)."""
        if isinstance(node, Phrase):
            self.deadline.check()
            return phrase_exists(self.ctx, node.field, node.terms, self.deadline)
        return bool(len(self.docs(node)))

    def _restrict(self, docs: np.ndarray, within: np.ndarray | None) -> np.ndarray:
        return docs if within is None else docsets.intersect(docs, within, self.size)

    def _and(self, parts, within) -> np.ndarray:
        positive = sorted((p for p in parts if not isinstance(p, Not)), key=self.cost)
        negative = [p.child for p in parts if isinstance(p, Not)]
        found = within
        for part in positive or [Every()]:
            found = self.docs(part, found)
            if not len(found):
                return docsets.EMPTY
        for part in negative:
            found = docsets.difference(found, self.docs(part, found), self.size)
        return found

    def cost(self, node) -> float:
        """A rough price of computing ``node``: documents to read, phrases dearer."""
        if isinstance(node, Term):
            return self.view.doc_frequency(node.field, node.text)
        if isinstance(node, Phrase):
            return 8 * min((self.view.doc_frequency(node.field, t) for t in node.terms if t),
                           default=0)
        if isinstance(node, Near):
            return 8 * min((self.view.doc_frequency(node.field, t) for p in node.parts for t in p),
                           default=0)
        if isinstance(node, And):
            return min((self.cost(p) for p in node.children if not isinstance(p, Not)),
                       default=self.size)
        if isinstance(node, (Or, DisMax)):
            return sum(self.cost(p) for p in node.children)
        if isinstance(node, Maybe):
            return self.cost(node.required)
        if isinstance(node, Bonus):
            return self.cost(node.child)
        if isinstance(node, DateRange):
            return len(date_docs(self.ctx, node.low, node.high))
        return float(self.size)


def date_docs(ctx: SearchContext, low: str | None, high: str | None) -> np.ndarray:
    """Live documents dated from ``low`` to ``high`` (ISO, inclusive; None: open end).
    Documents without a date are in no range."""
    docs = ctx.all_docs()
    dates = ctx.cached("live_dates", lambda: ctx.date_keys()[docs])
    if not (low or high):
        return docs[dates > 0]
    keep = dates >= (_key(low) if low else 1)
    if high:
        keep &= dates <= _key(high)
    return docs[keep]


def _key(iso: str) -> int:
    return int(iso.replace("-", ""))


def indexed(view, ws: list[str], fields=WORD_FIELDS) -> bool:
    """Whether every word is a term of one of ``fields`` of the index (a word of the
    dictionary, without an index: ``view`` None)."""
    if view is None:
        return all(is_word(w) for w in ws)
    return all(any(view.doc_frequency(f, w) for f in fields) for w in ws)
