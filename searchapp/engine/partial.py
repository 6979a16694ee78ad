"""Partial matches: documents that lack one of the query's words, listed after the full ones.

Plain words all have to match, and ``total`` counts only the documents that have all of
them. Documents that lack exactly one word follow the full matches in a section of their
own (each saying which word it lacks; ``partial_total`` counts them). When no document
has all the words, documents with any of them are shown instead, flagged as a fallback.

They are ordered by how much the words they do have say, the sum of those words' idf, so a
document missing a common word such as 办法 comes before one missing 节假日; a typed token
whose characters no document holds together counts for little (its scattered words are
rare, but not what was meant); BM25 of the words breaks ties.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from searchapp.engine import docsets
from searchapp.engine.match import Matcher
from searchapp.engine.plan import Or, Term, leaves
from searchapp.engine.rank import Ranker

JUNK_WEIGHT = 0.25


@dataclass
class Partials:
    """The partial matches of a search: ``docs`` ascending; ``ranked(n)`` the first n in order."""

    docs: np.ndarray
    weight: np.ndarray               # per document of ``docs``: idf of the parts it has
    part_docs: list[np.ndarray]
    scorer: object                   # (documents) → BM25 of the query's words, to break ties

    def __len__(self) -> int:
        return len(self.docs)

    def keep(self, docs: np.ndarray) -> None:
        """Keep only ``docs`` (a subset, ascending) among the partial matches."""
        at = np.searchsorted(self.docs, docs)
        self.docs, self.weight = docs, self.weight[at]

    def ranked(self, limit: int) -> np.ndarray:
        """The first ``limit`` partial matches, best first: by weight, then BM25, then
        document number. Only the documents that can be among them are scored, so the order
        of a page never depends on how many were asked for."""
        weight = np.round(self.weight, 6)
        pool = np.arange(len(self.docs))
        if limit < len(pool):
            edge = -np.partition(-weight, limit - 1)[limit - 1]
            pool = np.flatnonzero(weight >= edge)       # every tie at the edge
        docs = self.docs[pool]
        order = np.lexsort((docs, -self.scorer(docs), -weight[pool]))
        return docs[order][:limit]

    def lacking(self, doc: int) -> list[int]:
        """Indexes of the parts ``doc`` lacks."""
        return [k for k, docs in enumerate(self.part_docs)
                if not (len(docs) and docs[min(np.searchsorted(docs, doc), len(docs) - 1)] == doc)]


def partial_matches(matcher: Matcher, parts: list, full: np.ndarray, within, *,
                    any_part: bool, meaningful: list[bool] | None = None) -> Partials | None:
    """Documents matching all parts but one (any part, with ``any_part``); None when there
    are not enough parts for partial matches. A part not ``meaningful`` (typed words whose
    compound no document holds: 不存在的词语) counts for little, however rare its words."""
    if len(parts) < 2 and not any_part:
        return None
    ctx = matcher.ctx
    size = ctx.size
    part_docs = [matcher.docs(q, within) for q in parts]
    count = np.zeros(size, dtype=np.int16)
    weight = np.zeros(size)
    total = max(ctx.view.doc_count, 1)
    for i, docs in enumerate(part_docs):
        count[docs] += 1
        idf = math.log(1 + total / (1 + len(docs)))
        weight[docs] += idf if meaningful is None or meaningful[i] else idf * JUNK_WEIGHT
    threshold = 1 if any_part else len(parts) - 1
    candidates = docsets.difference(np.flatnonzero(count >= threshold), full, size)
    words = Or(tuple(leaf for q in parts for leaf in leaves(q) if isinstance(leaf, Term)))

    def scorer(docs: np.ndarray) -> np.ndarray:
        return Ranker(ctx, matcher, docs).scores(words) if words.children else np.zeros(len(docs))

    return Partials(candidates, weight[candidates], part_docs, scorer)
