"""Partial matches: documents that lack one of the query's words, listed after the full ones.

Plain words all have to match, and ``total`` counts only the documents that have all of
them. Documents that lack exactly one word follow the full matches in a section of their
own (each saying which word it lacks; ``partial_total`` counts them). When no document
has all the words, documents with any of them are the result instead, flagged as a
fallback: the best match, as Lucene's ``minimum_should_match`` with BM25 ranks it
(``rank.rank_partials``).

Each partial match carries how much of the query it covers: the sum of the idf of the
parts it has, so a document missing a common word such as 办法 covers more than one missing
节假日; a typed token whose characters no document holds together counts for little (its
scattered words are rare, but not what was meant).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from searchapp.engine import docsets
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.plan import leaves

JUNK_WEIGHT = 0.25


@dataclass
class Partials:
    """The partial matches of a search: ``docs`` ascending, with how much of the query each
    covers (``weight``, of ``total_weight``) and the documents of each part."""

    docs: np.ndarray
    weight: np.ndarray               # per document of ``docs``: idf of the parts it has
    total_weight: float              # idf of every part
    part_docs: list[np.ndarray]

    def __len__(self) -> int:
        return len(self.docs)

    def keep(self, docs: np.ndarray) -> None:
        """Keep only ``docs`` (a subset, ascending) among the partial matches."""
        at = np.searchsorted(self.docs, docs)
        self.docs, self.weight = docs, self.weight[at]

    def coverage(self) -> np.ndarray:
        """Per document, the share of the query it covers (0 to 1)."""
        return self.weight / self.total_weight if self.total_weight else np.zeros(len(self.docs))

    def lacking(self, doc: int) -> list[int]:
        """Indexes of the parts ``doc`` lacks."""
        return [k for k, docs in enumerate(self.part_docs)
                if not (len(docs) and docs[min(np.searchsorted(docs, doc), len(docs) - 1)] == doc)]


def partial_matches(evaluator: Evaluator, parts: list, full: np.ndarray, within, *,
                    any_part: bool, meaningful: list[bool] | None = None,
                    official: np.ndarray | None = None) -> Partials | None:
    """Documents matching all parts but one (any part, with ``any_part``); None when there
    are not enough parts for partial matches. A part not ``meaningful`` (typed words whose
    compound no document holds: 不存在的词语) counts for little, however rare its words;
    so does, given ``official`` (a mask of official documents), a part that no official
    document says and no title holds (老家 in a question: rare in a policy corpus for being
    colloquial, not for being its topic; 燕窝, in a post's title, is a topic)."""
    if len(parts) < 2 and not any_part:
        return None
    ctx = evaluator.ctx
    size = ctx.size
    part_docs = [evaluator.docs(q, within) for q in parts]
    count = np.zeros(size, dtype=np.int16)
    weight = np.zeros(size)
    total = max(ctx.view.doc_count, 1)
    total_weight = 0.0
    for i, docs in enumerate(part_docs):
        count[docs] += 1
        idf = math.log(1 + total / (1 + len(docs)))
        idf *= 1.0 if meaningful is None or meaningful[i] else JUNK_WEIGHT
        if (official is not None and not official[docs].any()
                and not _titled(evaluator, parts[i], within)):
            idf *= JUNK_WEIGHT
        weight[docs] += idf
        total_weight += idf
    threshold = 1 if any_part else len(parts) - 1
    candidates = docsets.difference(np.flatnonzero(count >= threshold), full, size)
    return Partials(candidates, weight[candidates], total_weight, part_docs)


def _titled(evaluator: Evaluator, part, within) -> bool:
    """Whether some document's title has ``part``: then a word only news and reports
    say is still a subject of the corpus (燕窝 in a post about it), not the asker's own."""
    return any(len(evaluator.docs(leaf, within)) for leaf in leaves(part)
               if getattr(leaf, "field", "") == "title")
