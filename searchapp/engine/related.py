"""More like this: the articles sharing an article's key terms, for the article page."""

from __future__ import annotations

from indexer.analysis import words
from searchapp.engine.context import SearchContext
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.plan import Or, Term
from searchapp.engine.rank import Ranker

RELATED_LIMIT = 5
KEY_TERMS = 12
_SAMPLE_CHARS = 3000


def key_terms(doc: dict) -> list[str]:
    """Title words first, then the most frequent longer words of the opening text."""
    counts: dict[str, int] = {}
    for w, *_ in words(doc.get("title") or "", mode="query"):
        counts[w] = counts.get(w, 0) + 100
    for w, *_ in words((doc.get("body") or "")[:_SAMPLE_CHARS], mode="query"):
        if len(w) > 1 and not w.isdigit():
            counts[w] = counts.get(w, 0) + 1
    return sorted(counts, key=counts.get, reverse=True)[:KEY_TERMS]


def related(ctx: SearchContext, doc: dict, limit: int = RELATED_LIMIT) -> list[dict]:
    """More like this: key terms ORed, without the article itself or copies of it."""
    terms = key_terms(doc)
    if not terms:
        return []
    query = Or(tuple(Term(f, t) for t in terms for f in ("title", "content")))
    docs = Evaluator(ctx).docs(query)
    order, _ = Ranker(ctx, docs).best(query, limit * 3 + 1)
    best = docs[order]
    own_title = (doc.get("title") or "").strip()
    out = []
    for docnum in best.tolist():
        hit = ctx.view.stored(docnum)
        if hit["id"] == doc["id"] or (hit.get("title") or "").strip() == own_title:
            continue
        out.append({"id": hit["id"], "title": hit.get("title") or hit.get("path"),
                    "date": hit.get("date") or "", "source": hit.get("source") or ""})
        if len(out) == limit:
            break
    return out
