"""Scores computed over a match set equal the scores Whoosh's matchers give."""

import pytest
from whoosh import query as wq

from searchapp.engine.match import MatchSets
from searchapp.engine.rank import Scores
from searchapp.engine.search import SearchParams, search
from tests.searchapp.engine.test_match import QUERIES, compiled, scores, segmented  # noqa: F401  (fixture)


def reference(searcher, q) -> dict[int, float]:
    """Whoosh's scores, except for ``DisjunctionMax``: Whoosh's matcher returns the higher of
    its two children's *current* scores even when one child already stands on a later
    document, so a document could get another document's score. The reference takes the
    best score among the children that match the document, which is what ``scores`` does."""
    if isinstance(q, wq.DisjunctionMax):
        out: dict[int, float] = {}
        for child in q.subqueries:
            for d, v in reference(searcher, child).items():
                out[d] = max(out.get(d, v), v)
        return {d: v * q.boost for d, v in out.items()}
    if isinstance(q, wq.AndMaybe):
        a, b = reference(searcher, q.a), reference(searcher, q.b)
        return {d: v + b.get(d, 0.0) for d, v in a.items()}
    if isinstance(q, wq.And) and any(isinstance(c, wq.DisjunctionMax) for c in q.subqueries):
        parts = [reference(searcher, c) for c in q.subqueries]
        both = set(searcher.docs_for_query(q))
        return {d: sum(p[d] for p in parts) * q.boost for d in both}
    return scores(searcher, q)


def _ranked(query):
    # The exact-title bonus search() adds, so AndMaybe is covered too.
    return wq.AndMaybe(query, wq.Term("title_key", "x", boost=20.0))


@pytest.mark.parametrize("q", QUERIES)
def test_scores_are_whoosh_scores(segmented, q):  # noqa: F811
    query = compiled(segmented, q)
    if query is None:
        return
    for candidate in (query, _ranked(query)):
        sets = MatchSets(segmented)
        docs = sets.docs(candidate)
        ours = Scores(sets).scores(candidate, docs)
        if ours is None:                       # a node scores.py leaves to Whoosh (date:)
            assert "date:" in q
            continue
        theirs = reference(segmented, candidate)
        assert ours.keys() == theirs.keys() == docs
        assert all(ours[d] == pytest.approx(theirs[d], rel=1e-9) for d in docs)


def test_first_page_is_best_first(segmented):  # noqa: F811
    for q in ("条例", "养老 OR 医疗", "营商环境", '"放管服"改革'):
        hits = [h for h in search(segmented, SearchParams(q=q, per_page=20)).hits if not h.missing]
        assert hits and all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))
        query = _ranked(compiled(segmented, q))
        best = max(reference(segmented, query).values())
        assert hits[0].score == pytest.approx(best) or hits[0].score > best   # the real title key
