"""Partial matches: what follows the full matches when they do not fill the page.

Plain words all have to match. When fewer documents than the page holds have all of them,
documents that lack one of the words follow (and when none has all of them, documents with
any of them, flagged as a fallback). They are ordered by how much the words they do have
say, the sum of those words' idf, so a document missing a common word such as 办法 or 安排
comes before one missing 节假日; BM25 breaks ties. Each says which words it lacks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from searchapp.engine.compile import Compiler, any_of
from searchapp.engine.match import MatchSets, Only
from searchapp.engine.parse import Node

POOL_FACTOR = 3


@dataclass
class Partial:
    docnum: int
    score: float
    missing: list[str]


def _part_docs(searcher, queries, allowed: set[int] | None) -> list[set[int]]:
    sets = MatchSets(searcher)
    return [sets.docs(q, within=allowed) for q in queries]


def partial_matches(searcher, parts: list[Node], exclude: set[int], filt: set[int] | None, *,
                    title_only: bool,
                    need: int, any_part: bool) -> tuple[set[int], list[Partial]]:
    """(all partial matches, the best ``need`` of them in order)."""
    compiler = Compiler(title_only=title_only, reader=searcher.reader())
    compiled = [(p, compiler.compile(p).query) for p in parts]
    compiled = [(p, q) for p, q in compiled if q is not None]
    if len(compiled) < 2 and not any_part:
        return set(), []
    part_docs = _part_docs(searcher, [q for _, q in compiled], filt)
    total = max(searcher.doc_count_all(), 1)
    idf = [math.log(1 + total / (1 + len(d))) for d in part_docs]
    matched: dict[int, list[int]] = {}
    for i, docs in enumerate(part_docs):
        for doc in docs:
            if doc not in exclude:
                matched.setdefault(doc, []).append(i)
    threshold = 1 if any_part else len(compiled) - 1
    candidates = {doc for doc, which in matched.items() if len(which) >= threshold}
    if not candidates or need <= 0:
        return candidates, []
    weight = {doc: sum(idf[i] for i in matched[doc]) for doc in candidates}
    pool = sorted(candidates, key=lambda d: (-weight[d], d))[:need * POOL_FACTOR]
    # BM25 only breaks ties here, so phrases are left out of it.
    words = [q for p, q in compiled if p.kind == "word"]
    either = any_of(words) if len(words) > 1 else (words[0] if words else None)
    scores = {hit.docnum: hit.score or 0.0
              for hit in searcher.search(Only(either, set(pool), searcher), limit=None)} if either else {}
    ranked = sorted(pool, key=lambda d: (-round(weight[d], 6), -scores.get(d, 0.0), d))[:need]
    texts = [p.text or p.kind for p, _ in compiled]
    return candidates, [
        Partial(d, scores.get(d, 0.0), [texts[i] for i in range(len(texts)) if i not in matched[d]])
        for d in ranked]
