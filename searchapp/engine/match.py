"""Which documents a query matches, by set operations on posting lists.

Whoosh finds matches by walking its matchers one document at a time in Python, and checks
a phrase position by position on every document that has all of its characters, even those
another part of the query or a filter rules out. Counting every match (for the total and the
facets) that way is most of the time a common query takes. Here the same answer comes from
sets: a term's documents are read a whole posting block at a time, ``And`` intersects the
cheapest parts first and hands the survivors down as ``within``, and a phrase checks
positions only on candidates nothing else has already decided. Ranking then scores only
these documents (``scores.py``).

Query types this module does not know are answered by Whoosh itself, so the result is always
the set Whoosh would match.
"""

from __future__ import annotations

import bisect
import copy
from collections import OrderedDict

from whoosh import matching
from whoosh import query as wq

from indexer.storage.codec import SplitLeafMatcher
from searchapp.engine.facets import live_docs
from searchapp.engine.phrase import in_sequence, posting_values

TERM_CACHE_POSTINGS = 400_000     # documents held in cached term sets, per searcher
PHRASE_CACHE_DOCS = 400_000       # documents held in cached phrase checks, per searcher


class MatchSets:
    """Match sets over one searcher (reused while the index generation lasts)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self.starts = [offset for _, offset in self.leaves]
        cache = searcher.__dict__.setdefault("_policy_matchsets", {})
        self._terms: OrderedDict = cache.setdefault("terms", OrderedDict())
        self._held = cache.setdefault("held", [0])
        # (field, words) → (documents checked, those that have the phrase)
        self._phrases: OrderedDict = cache.setdefault("phrases", OrderedDict())
        self._phrases_held = cache.setdefault("phrases_held", [0])
        self.live: set[int] = live_docs(searcher)

    def docs(self, q: wq.Query, within: set[int] | None = None) -> set[int]:
        """The live documents ``q`` matches (only those in ``within``, when given)."""
        return self._docs(q, within, set()) & self.live

    def for_scoring(self, q: wq.Query, docs: set[int]) -> wq.Query:
        """``q`` restricted to ``docs`` (its matches), each phrase pinned to the documents
        that have it, so scoring reads no positions and walks no other document."""
        return Only(self._pin(q, docs), docs, self.searcher)

    def _pin(self, q, docs):
        if isinstance(q, wq.Phrase) and q.slop == 1 and len(q.words) > 1:
            terms = wq.And([wq.Term(q.fieldname, w) for w in q.words])
            return Only(terms, self._phrase(q, docs, set()), self.searcher, boost=q.boost)
        if isinstance(q, (wq.CompoundQuery, wq.BinaryQuery, wq.Not)):
            q = copy.copy(q)        # keeps attributes such as ``matcher_type``
            if isinstance(q, wq.CompoundQuery):
                q.subqueries = [self._pin(p, docs) for p in q.subqueries]
            elif isinstance(q, wq.BinaryQuery):
                q.a, q.b = self._pin(q.a, docs), self._pin(q.b, docs)
            else:
                q.query = self._pin(q.query, docs)
        return q

    # --- per query type -----------------------------------------------------------------

    def _docs(self, q, within, known) -> set[int]:
        """Documents of ``q`` in ``within``; may leave out members of ``known`` (a caller's
        union already holds them), which spares phrase checks."""
        if isinstance(q, wq.Term):
            return _restrict(self.term(q.fieldname, q.text), within)
        if isinstance(q, wq.Phrase):
            return self._phrase(q, within, known)
        if isinstance(q, wq.And):
            return self._and(q.subqueries, within)
        if isinstance(q, (wq.Or, wq.DisjunctionMax)):
            return self._or(q.subqueries, within, known)
        if isinstance(q, wq.AndMaybe):
            return self._docs(q.a, within, known)
        if isinstance(q, wq.AndNot):
            return self._and([q.a, wq.Not(q.b)], within)
        if isinstance(q, wq.Not):
            return self._and([wq.Every(), q], within)
        if isinstance(q, wq.Every):
            return set(self.live) if within is None else within & self.live
        if isinstance(q, wq.NullQuery.__class__):
            return set()
        return _restrict(set(self.searcher.docs_for_query(q)), within)

    def _and(self, parts, within) -> set[int]:
        positive = sorted((p for p in parts if not isinstance(p, wq.Not)), key=self.cost)
        negative = [p.query for p in parts if isinstance(p, wq.Not)]
        if not positive:
            positive = [wq.Every()]
        found = within
        for part in positive:
            found = self._docs(part, found, set())
            if not found:
                return set()
        for part in negative:
            found = found - self._docs(part, found, set())
        return found

    def _or(self, parts, within, known) -> set[int]:
        found: set[int] = set()
        for part in sorted(parts, key=self.cost):
            found |= self._docs(part, within, known | found if known else found)
        return found

    def _phrase(self, q: wq.Phrase, within, known) -> set[int]:
        words = q.words
        if q.slop != 1:
            return _restrict(set(self.searcher.docs_for_query(q)), within)
        if len(words) == 1:
            return _restrict(self.term(q.fieldname, words[0]), within)
        sets = sorted((self.term(q.fieldname, w) for w in words), key=len)
        candidates = sets[0] if within is None else within & sets[0]
        for s in sets[1:]:
            candidates = candidates & s
            if not candidates:
                return set()
        # Each document is checked once per searcher, however often the phrase is asked
        # (within other parts of the query, again when scoring, by later searches).
        key = (q.fieldname, tuple(words))
        checked, found = self._phrases.setdefault(key, (set(), set()))
        self._phrases.move_to_end(key)
        todo = candidates - known - checked
        before = len(found)
        for (reader, offset), local in self._by_segment(todo):
            field = reader.schema[q.fieldname]
            values = [posting_values(raw_postings(reader, q.fieldname, field.to_bytes(w)), local)
                      for w in words]
            found.update(d + offset for d in local if in_sequence(values, d))
        checked |= todo
        self._hold_phrases(len(todo) + len(found) - before)
        return found & candidates

    def _hold_phrases(self, added: int) -> None:
        held = self._phrases_held
        held[0] += added
        while held[0] > PHRASE_CACHE_DOCS and len(self._phrases) > 1:
            _, (checked, found) = self._phrases.popitem(last=False)
            held[0] -= len(checked) + len(found)

    # --- terms --------------------------------------------------------------------------

    def term(self, fieldname: str, text) -> set[int]:
        """All documents (deleted ones included) with the term; cached per searcher."""
        key = (fieldname, text)
        terms = self._terms
        if key in terms:
            terms.move_to_end(key)
            return terms[key]
        found: set[int] = set()
        for reader, offset in self.leaves:
            if fieldname not in reader.schema:
                break
            btext = reader.schema[fieldname].to_bytes(text) if isinstance(text, str) else text
            if (fieldname, btext) in reader:
                ids = _posting_ids(raw_postings(reader, fieldname, btext))
                found.update(ids if not offset else (i + offset for i in ids))
        terms[key] = found
        self._held[0] += len(found)
        while self._held[0] > TERM_CACHE_POSTINGS and len(terms) > 1:
            _, dropped = terms.popitem(last=False)
            self._held[0] -= len(dropped)
        return found

    def cost(self, q) -> float:
        """A rough price of computing ``q``: documents to read, phrases dearer per document."""
        if isinstance(q, wq.Term):
            return self._df(q.fieldname, q.text)
        if isinstance(q, wq.Phrase):
            return 8 * min((self._df(q.fieldname, w) for w in q.words), default=0)
        if isinstance(q, wq.And):
            return min((self.cost(p) for p in q.subqueries), default=0)
        if isinstance(q, (wq.Or, wq.DisjunctionMax)):
            return sum(self.cost(p) for p in q.subqueries)
        if isinstance(q, wq.AndMaybe):
            return self.cost(q.a)
        if isinstance(q, wq.AndNot):
            return self.cost(q.a)
        return float(self.reader.doc_count_all())

    def _df(self, fieldname, text) -> int:
        try:
            return self.reader.doc_frequency(fieldname, text)
        except (KeyError, ValueError):
            return 0

    def _by_segment(self, docs: set[int]):
        """``((reader, offset), sorted local docnums)`` for the segments holding ``docs``."""
        if len(self.leaves) == 1:
            if docs:
                yield self.leaves[0], sorted(docs)
            return
        groups: dict[int, list[int]] = {}
        for d in docs:
            i = bisect.bisect_right(self.starts, d) - 1
            groups.setdefault(i, []).append(d - self.starts[i])
        for i in sorted(groups):
            yield self.leaves[i], sorted(groups[i])


def _restrict(found: set[int], within: set[int] | None) -> set[int]:
    if within is None:
        return set(found)
    return within & found if len(within) <= len(found) else found & within


def raw_postings(reader, fieldname: str, btext: bytes):
    """The segment's own posting reader, without Whoosh's deleted-document wrapper
    (deletions are taken out once, at the end)."""
    return reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)


def _posting_ids(m) -> list[int]:
    """Every document number of a posting list, a block at a time."""
    if isinstance(m, SplitLeafMatcher):
        ids: list[int] = []
        while m.is_active():
            ids.extend(m.block_ids())
            m._next_block()
        return ids
    return list(m.all_ids())


class Only(wq.Query):
    """``child`` scored on a known set of documents only (a match set, usually).

    The set drives the matching, so Whoosh scores those documents and skips the rest of
    every posting list instead of walking it.
    """

    def __init__(self, child: wq.Query, docs: set[int], searcher, boost: float = 1.0):
        self.child = child
        self.docs = docs
        self.boost = boost
        self._segments = {id(sub): offset for sub, offset in searcher.leaf_searchers()}

    def __repr__(self):
        return f"Only({self.child!r}, {len(self.docs)} documents)"

    def estimate_size(self, ixreader):
        return len(self.docs)

    def matcher(self, searcher, context=None):
        offset = self._segments[id(searcher)]
        end = offset + searcher.reader().doc_count_all()
        local = sorted(d - offset for d in self.docs if offset <= d < end)
        if not local:
            return matching.NullMatcher()
        inner = self.child.matcher(searcher, context)
        if not inner.is_active():
            return inner
        m = matching.IntersectionMatcher(_Listed(local), inner)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class _Listed(matching.ListMatcher):
    """Document numbers that add nothing to the score."""

    def score(self):
        return 0.0
