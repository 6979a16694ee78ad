"""Ranking: BM25F over a known set of matches, as arrays, with a prior per kind of document.

Once matching knows which documents match (``docs``, sorted), ranking is arithmetic: every
plan node gives an array of scores aligned with ``docs``. A term's score is BM25 with the
field's weight applied to its frequency (``indexer.schema.BOOSTS``) and the field's length
normalisation; ``And``, ``Or`` and ``Phrase`` add their parts, ``DisMax`` takes the best,
``Maybe`` adds the optional part where it matches. Keyword fields (document numbers, exact
titles, sources) score their frequency times the node's boost.

Term scores are multiplied by the document's prior (``prior``): an official document
(a law, a regulation, a normative document) a little above a work report, and both above a
news post, so that where they match a query equally the official text comes first, while
a news story that matches better stays above it. Partial matches (``rank_partials``) are
scored as the query's parts, any of them, times the share of the query they cover.
"""

from __future__ import annotations

import math

import numpy as np

from indexer.schema import BOOSTS, TEXT_FIELDS
from indexer.vocabulary import CENTRAL, OFFICIAL_LEVELS
from searchapp.engine import docsets
from searchapp.engine.context import SearchContext
from searchapp.engine.deadline import NO_DEADLINE, Deadline
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.partial import Partials
from searchapp.engine.plan import (
    And,
    Bonus,
    DateRange,
    DisMax,
    Every,
    Maybe,
    Not,
    Or,
    Phrase,
    Term,
    find,
)

K1 = 1.2
# Long documents (work reports of 10-30k characters) are about many things at once; full
# length normalisation on the body fields buried them (measured with bench/relevance.py).
B = {"content": 0.5, "chars": 0.5}
DEFAULT_B = 0.75
# Up to this many matches, every one is scored in full: bounding first costs more than it saves.
EXHAUSTIVE = 2048
# Documents scored in full first to find how high the first page's scores are (``_probe``).
PROBE = 256
# Score factors by 效力级别 (levels not listed: 1). Small: a tie-breaker between documents
# that match alike, never a reason for a worse match to rank first.
OFFICIAL_PRIOR = 1.1
REPORT_PRIOR = 1.05           # 工作报告: an official text, not a rule
# A partial match's score is its parts' score times the share of the query it covers to
# this power: how much of the query a document has decides first (a document with the
# rare, meaningful word before those with common words), its score among equals.
COVERAGE_POWER = 8         # (for a query of keywords: the share decides, the score orders equals)
# In a question the words besides its topic are the asker's own (孩子, 一直, 老家): the
# share counts little, and BM25's own idf already puts the rare word's documents first.
QUESTION_COVERAGE_POWER = 0.25
# A question (怎么办, 能不能, 需要…吗) asks what the rules say: where a regulation and a post
# match it alike, the regulation is the answer. Still a factor: a post that matches the
# question's topic far better stays first (燕窝还值得买吗).
QUESTION_OFFICIAL_PRIOR = 1.3
# ... and a national rule (region 中央) applies wherever the asker lives: it answers a question
# before a province's or a city's rule that matches alike. A question naming a place still
# finds that place's rules first, by the place's own word (bench/eval questions: top 3 0.890
# -> 0.915, the place-naming ones 7 -> 8 of 8).
QUESTION_NATIONAL_PRIOR = 1.2


class Ranker:
    """Scores plan nodes on one sorted array of matching documents."""

    def __init__(self, ctx: SearchContext, docs: np.ndarray, deadline: Deadline = NO_DEADLINE,
                 prior: np.ndarray | None = None, factor: np.ndarray | None = None):
        self.ctx = ctx
        self.view = ctx.view
        self.evaluator = Evaluator(ctx, deadline)
        self.deadline = deadline
        self.docs = docs
        # Per document number: what its text fields' term scores are multiplied by (its
        # kind: not the bonuses, whose sizes are fixed preferences), and what its whole
        # score is (the share of the query a partial match covers).
        self.prior = prior
        self.factor = factor
        self._index: np.ndarray | None = None
        # Positional nodes settled so far: node -> which of ``docs`` have it (``best`` only).
        self._known: dict | None = None
        self._terms: dict = {}                # (field, text) -> its scores on ``docs``

    def scores(self, node) -> np.ndarray:
        """Each document's score for ``node`` (0 where it does not match)."""
        low, _ = self._root(node)
        return low

    def best(self, node, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """Indexes into ``docs`` of the ``limit`` best-scoring documents, best first (equal
        scores: lower document number first), and their scores.

        A phrase's or a bonus's share of a score needs positions, which cost far more than
        term scores; most matching documents cannot reach the first page whatever their
        phrases say. So every document gets bounds (the positional parts counted as absent,
        then as present) and those whose upper bound is below the ``limit``-th best lower
        bound are dropped before each positional part is settled on the rest, cheapest
        first. The scores that remain are the exact ones: the same order as scoring all."""
        if len(self.docs) <= EXHAUSTIVE:
            scores = self.scores(node)
            order = top(scores, self.docs, limit)
            return order, scores[order]
        indexes = np.arange(len(self.docs))
        self._known = {}
        pending = sorted(set(find(node, (Phrase, Bonus))), key=self._price)
        low, high = self._root(node)
        floor = self._probe(node, high, limit) if pending else -np.inf
        while True:
            if limit < len(low):
                threshold = max(np.partition(low, len(low) - limit)[len(low) - limit], floor)
                keep = high >= threshold
                if not keep.all():
                    self._keep(keep)
                    indexes, low = indexes[keep], low[keep]
            if not pending:
                break
            part = pending.pop(0)
            self._known[part] = self._have(part)
            low, high = self._root(node)
        order = top(low, self.docs, limit)
        return indexes[order], low[order]

    def _probe(self, node, high: np.ndarray, limit: int) -> float:
        """A score that ``limit`` documents reach: the ``limit``-th best exact score of the
        documents with the highest upper bounds ``high``. Positions are read for only these
        few, and the threshold starts where the best documents are rather than at the
        bonuses' zero."""
        size = max(PROBE, 4 * limit)
        if size >= len(high):
            return -np.inf
        few = np.sort(np.argpartition(-high, size - 1)[:size])
        exact = Ranker(self.ctx, self.docs[few], self.deadline, self.prior, self.factor).scores(node)
        return float(np.partition(exact, len(exact) - limit)[len(exact) - limit])

    def _keep(self, keep: np.ndarray) -> None:
        self.docs = self.docs[keep]
        self._index = None
        self._known = {n: have[keep] for n, have in self._known.items()}
        self._terms = {k: s[keep] for k, s in self._terms.items()}

    def _price(self, node) -> tuple:
        """Settle title fields first (short, and a title match is the largest bonus),
        then by the evaluator's estimate of their cost."""
        child = _matched(node)
        return (not getattr(child, "field", "").startswith("title"), self.evaluator.cost(child))

    def _have(self, node) -> np.ndarray:
        """Which of ``docs`` a positional node matches."""
        return docsets.member(self.docs, self.evaluator.docs(_matched(node), self.docs),
                              self.ctx.size)

    def _root(self, node) -> tuple[np.ndarray, np.ndarray]:
        """``_bounds`` of the whole query, with each document's factor applied."""
        low, high = self._bounds(node)
        if self.factor is None:
            return low, high
        factor = self.factor[self.docs]
        scaled = low * factor
        return scaled, (scaled if high is low else high * factor)

    def _bounds(self, node) -> tuple[np.ndarray, np.ndarray]:
        """(lowest, highest) score of each document for ``node``; equal once every
        positional part is known (always, outside ``best``)."""
        self.deadline.check()
        if isinstance(node, Term):
            s = _scaled(self._term(node.field, node.text), node.boost)
            return s, s
        if isinstance(node, Phrase):
            total = sum(self._term(node.field, t) for t in node.terms if t is not None)
            return self._settled(node, _scaled(total, node.boost))
        if isinstance(node, (And, Or)):
            parts = [self._bounds(c) for c in node.children if not isinstance(c, Not)]
            n = len(self.docs)
            return _combine(lambda xs: _total(xs, n), parts, node.boost)
        if isinstance(node, DisMax):
            return _combine(np.maximum.reduce, [self._bounds(c) for c in node.children],
                            node.boost)
        if isinstance(node, Maybe):
            parts = [self._bounds(node.required), self._bounds(node.optional)]
            return _combine(lambda xs: xs[0] + xs[1], parts, node.boost)
        if isinstance(node, Bonus):
            return self._settled(node, np.full(len(self.docs), float(node.value)))
        if isinstance(node, (Every, DateRange, Not)):
            zero = np.zeros(len(self.docs))
            return zero, zero
        raise TypeError(f"not a plan node: {node!r}")

    def _settled(self, node, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Bounds of a positional node scoring ``present`` where it matches."""
        if self._known is None or node in self._known:
            have = self._have(node) if self._known is None else self._known[node]
            s = np.where(have, present, 0.0)
            return s, s
        zero = np.zeros(len(self.docs))
        return np.minimum(zero, present), np.maximum(zero, present)

    def _term(self, field: str, text: str) -> np.ndarray:
        key = (field, text)
        if key not in self._terms:
            self._terms[key] = self._term_scores(field, text)
        return self._terms[key]

    def _term_scores(self, field: str, text: str) -> np.ndarray:
        postings = self.view.postings(field, text)
        out = np.zeros(len(self.docs))
        where, tfs, docs = self._align(postings.docs, postings.tfs)
        if not len(where):
            return out
        if field in TEXT_FIELDS:
            out[where] = self._bm25(field, text, tfs * BOOSTS[field], docs)
            if self.prior is not None:
                out[where] *= self.prior[docs]
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
            # 32 bits: half the memory to write and read, for a million documents.
            self._index = np.full(self.ctx.size, -1, dtype=np.int32)
            self._index[self.docs] = np.arange(len(self.docs), dtype=np.int32)
        return self._index

    def _bm25(self, field: str, text: str, tf: np.ndarray, docs: np.ndarray) -> np.ndarray:
        view = self.view
        idf = math.log(view.doc_count_all / (view.doc_frequency(field, text) + 1)) + 1
        return idf * (tf * (K1 + 1)) / (tf + norms(self.ctx, field)[docs])


def prior(ctx: SearchContext) -> np.ndarray:
    """Per document, the factor its scores are multiplied by (cached per open index)."""
    def compute():
        codes, values = ctx.view.codes("level")
        table = np.array([OFFICIAL_PRIOR if v in OFFICIAL_LEVELS else
                          REPORT_PRIOR if v == "工作报告" else 1.0 for v in values] or [1.0])
        return table[codes] if len(codes) else np.ones(ctx.size)
    return ctx.cached("prior", compute)


def official(ctx: SearchContext) -> np.ndarray:
    """Per document, whether it is an official document (a law, a regulation, a normative
    document: ``OFFICIAL_LEVELS``), as a mask (cached per open index)."""
    def compute():
        codes, values = ctx.view.codes("level")
        if not len(codes):
            return np.zeros(ctx.size, dtype=bool)
        return np.array([v in OFFICIAL_LEVELS for v in values], dtype=bool)[codes]
    return ctx.cached("official", compute)


def question_prior(ctx: SearchContext) -> np.ndarray:
    """``prior`` with official documents at ``QUESTION_OFFICIAL_PRIOR``, national ones
    ``QUESTION_NATIONAL_PRIOR`` times that (cached)."""
    def compute():
        codes, values = ctx.view.codes("region")
        central = np.array([v == CENTRAL for v in values], dtype=bool)[codes] if len(codes) else False
        factors = np.where(official(ctx), QUESTION_OFFICIAL_PRIOR, prior(ctx))
        return np.where(official(ctx) & central, factors * QUESTION_NATIONAL_PRIOR, factors)
    return ctx.cached("question prior", compute)


def rank_partials(ctx: SearchContext, partials: Partials, query, limit: int,
                  deadline: Deadline = NO_DEADLINE, question: bool = False
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The first ``limit`` partial matches, best first, and their scores: the score of
    ``query`` (the parts of the query, any of them; term scores with the document's prior)
    times the share of the query each covers (to ``COVERAGE_POWER``, or for a ``question``
    ``QUESTION_COVERAGE_POWER`` with ``question_prior``); ties: the lower document number
    first. The share is a factor of the whole score, so the bounds that settle phrases only
    for the documents that can reach the page still hold."""
    docs = partials.docs
    if not len(docs):
        return docs, np.zeros(0)
    factor = np.zeros(ctx.size)
    factor[docs] = partials.coverage() ** (QUESTION_COVERAGE_POWER if question else COVERAGE_POWER)
    kind = question_prior(ctx) if question else prior(ctx)
    order, scores = Ranker(ctx, docs, deadline, kind, factor).best(query, limit)
    return docs[order], scores


def norms(ctx: SearchContext, field: str) -> np.ndarray:
    """Per document, BM25's ``k1 * ((1 - b) + b * length / average length)`` (cached)."""
    return ctx.cached(("norms", field), lambda: _norms(ctx.view, field))


def _norms(view, field: str) -> np.ndarray:
    lengths = view.lengths(field)
    average = view.total_length(field) / max(view.doc_count_all, 1) or 1.0
    b = B.get(field, DEFAULT_B)
    return K1 * ((1 - b) + b * lengths / average)


def top(keys: np.ndarray, ties: np.ndarray, limit: int) -> np.ndarray:
    """Indexes of the ``limit`` largest keys, best first; equal keys by ``ties`` ascending
    (document numbers for scores, as Whoosh kept them; negated ones for dates)."""
    if limit < len(keys):
        cut = np.argpartition(-keys, limit - 1)[:limit]
        threshold = keys[cut].min()
        cut = np.flatnonzero(keys >= threshold)          # keep every tie at the edge
    else:
        cut = np.arange(len(keys))
    order = np.lexsort((ties[cut], -keys[cut]))
    return cut[order][:limit]


def _matched(node):
    """What decides whether a positional node counts: a bonus's child, or the phrase."""
    return node.child if isinstance(node, Bonus) else node


def _combine(join, parts: list[tuple[np.ndarray, np.ndarray]], boost: float):
    """Bounds of a node joining its parts' bounds with ``join`` (computed once when every
    part's bounds are equal: the only case outside ``Ranker.best``)."""
    low = _scaled(join([lo for lo, _ in parts]), boost)
    if all(lo is hi for lo, hi in parts):
        return low, low
    high = _scaled(join([hi for _, hi in parts]), boost)
    return (low, high) if boost >= 0 else (high, low)       # a negative boost turns them


def _scaled(scores: np.ndarray, boost: float) -> np.ndarray:
    return scores if boost == 1 else scores * boost


def _total(parts: list[np.ndarray], n: int) -> np.ndarray:
    if not parts:
        return np.zeros(n)
    total = parts[0].copy()
    for p in parts[1:]:
        total += p
    return total
