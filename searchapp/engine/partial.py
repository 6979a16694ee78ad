"""Partial matches: documents that lack one of the query's words, listed after the full ones.

Plain words all have to match, and ``total`` counts only the documents that have all of
them. Documents that lack exactly one word follow the full matches in a section of their
own (each saying which word it lacks; ``partial_total`` counts them). When no document
has all the words, documents with any of them are shown instead, flagged as a fallback.

They are ordered by how much the words they do have say, the sum of those words' idf, so a
document missing a common word such as 办法 comes before one missing 节假日; BM25 of the
words breaks ties.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from searchapp.engine import docsets
from searchapp.engine.match import Matcher
from searchapp.engine.plan import Or, Term, leaves
from searchapp.engine.rank import Ranker


@dataclass
class Partials:
    docs: np.ndarray                 # ranked, best first
    missing: list[list[int]] | None  # filled for the documents a page shows
    part_docs: list[np.ndarray]

    def __len__(self) -> int:
        return len(self.docs)

    def lacking(self, i: int) -> list[int]:
        """Indexes of the parts the ``i``-th ranked document lacks."""
        doc = self.docs[i]
        return [k for k, docs in enumerate(self.part_docs)
                if not (len(docs) and docs[min(np.searchsorted(docs, doc), len(docs) - 1)] == doc)]


def partial_matches(matcher: Matcher, parts: list, full: np.ndarray, within, *,
                    any_part: bool) -> Partials | None:
    """Documents matching all parts but one (any part, with ``any_part``), ranked; None when
    there are not enough parts for partial matches."""
    if len(parts) < 2 and not any_part:
        return None
    ctx = matcher.ctx
    size = ctx.size
    part_docs = [matcher.docs(q, within) for q in parts]
    count = np.zeros(size, dtype=np.int16)
    weight = np.zeros(size)
    total = max(ctx.view.doc_count, 1)
    for docs in part_docs:
        count[docs] += 1
        weight[docs] += math.log(1 + total / (1 + len(docs)))
    threshold = 1 if any_part else len(parts) - 1
    candidates = np.flatnonzero(count >= threshold)
    candidates = docsets.difference(candidates, full, size)
    if not len(candidates):
        return Partials(candidates, None, part_docs)
    words = [leaf for q in parts for leaf in leaves(q) if isinstance(leaf, Term)]
    bm25 = Ranker(ctx, matcher, candidates).scores(Or(tuple(words))) if words else 0 * candidates
    order = np.lexsort((candidates, -bm25, -np.round(weight[candidates], 6)))
    return Partials(candidates[order], None, part_docs)
