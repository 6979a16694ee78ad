"""Phrases: terms at consecutive positions, checked with sets instead of span objects.

Whoosh's ``Phrase`` builds a ``Span`` object for every position of every term in every
candidate document; over the character fields, where a phrase is a run of common
characters, that was most of a phrase query's time. ``Phrase`` here matches and scores
exactly as Whoosh's does (the intersection of its terms, scored as their sum) but checks a
document by decoding each term's positions into a set, stopping at the first term that
cannot continue the sequence.
"""

from __future__ import annotations

from itertools import accumulate
from pickle import loads

from whoosh import matching
from whoosh import query as wq
from whoosh.query.spans import SpanWrappingMatcher
from whoosh.util import make_binary_tree

from indexer.storage.codec import SplitLeafMatcher


class Phrase(wq.Phrase):
    """``whoosh.query.Phrase`` (adjacent words only) with a faster position check."""

    def matcher(self, searcher, context=None):
        if self.slop != 1 or len(self.words) < 2:
            return super().matcher(searcher, context)
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, btext) not in reader:
                return matching.NullMatcher()
            terms.append(wq.Term(fieldname, btext))
        leaves = [t.matcher(searcher, context) for t in terms]
        m = PhraseMatcher(make_binary_tree(matching.IntersectionMatcher, leaves), leaves)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class PhraseMatcher(SpanWrappingMatcher):
    """Documents where the ``leaves`` (term matchers under ``child``, in phrase order) are
    adjacent; scores are the child's."""

    def __init__(self, child, leaves):
        self._leaves = leaves
        super().__init__(child)

    def copy(self):
        child = self.child.copy()
        return self.__class__(child, _leaves(child))

    def _replacement(self, newchild):
        return self.__class__(newchild, _leaves(newchild))

    def replace(self, minquality=0):
        return self if self.is_active() else matching.NullMatcher()

    def _get_spans(self):
        return [True] if _adjacent(m.value() for m in self._leaves) else []


def _leaves(m) -> list:
    """The term matchers of a binary tree of intersections, left to right."""
    if isinstance(m, matching.IntersectionMatcher):
        return _leaves(m.a) + _leaves(m.b)
    return [m]


def positions(value: bytes):
    """Positions of a ``Positions``-format posting (a count, then pickled gaps)."""
    if not value.endswith(b"."):
        value += b"."
    return accumulate(loads(value[4:]))


def _adjacent(values) -> bool:
    """True when the terms whose posting values these are stand in sequence somewhere."""
    starts: set[int] | None = None
    for i, value in enumerate(values):
        if starts is None:
            starts = set(positions(value))
        else:
            starts.intersection_update([p - i for p in positions(value)])
            if not starts:
                return False
    return True


def posting_values(m, docs: list[int]) -> dict[int, bytes]:
    """The posting values of a term's reader at ``docs`` (sorted, all present): each
    block is read once, and blocks without any of ``docs`` are not read at all."""
    if not isinstance(m, SplitLeafMatcher):
        wanted = set(docs)
        return {d: v for d, v in m.all_items() if d in wanted}
    out: dict[int, bytes] = {}
    i, n = 0, len(docs)
    while i < n and m.is_active():
        if docs[i] <= m._maxid:
            block = dict(zip(m.block_ids(), m.block_values(), strict=True))
            while i < n and docs[i] <= m._maxid:
                out[docs[i]] = block[docs[i]]
                i += 1
        m._next_block()
    return out


def in_sequence(values: list[dict[int, bytes]], doc: int) -> bool:
    """True when the terms whose ``posting_values`` these are stand in sequence in ``doc``."""
    return _adjacent(v[doc] for v in values)
