"""Ways into the corpus without a query: the newest documents and the counts of each facet
over everything, for the home page and the advanced search form.

Counted the way a search lists documents (one entry per version chain and per duplicate
group), so a count matches the total of the filtered search it links to. Computed once
per open index (``SearchContext.cached``), not per request.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from searchapp.engine.context import SearchContext
from searchapp.engine.filters import FACETS, all_counts

NEWEST = 8
NEWS = "新闻"          # feed posts: not what "newest documents" should be full of


@dataclass
class Overview:
    facets: dict[str, list[tuple[str, int]]]
    newest: list[dict]      # {id, title, date, source, level, doc_number}


def overview(ctx: SearchContext) -> Overview:
    return ctx.cached(("web", "overview"), lambda: _compute(ctx))


def _compute(ctx: SearchContext) -> Overview:
    docs = ctx.relations.collapse(ctx.all_docs(), ctx.date_keys())
    facets = all_counts(ctx, FACETS, docs)
    codes, values = ctx.view.codes(FACETS["level"])
    news = [i for i, v in enumerate(values) if v == NEWS]
    policy = docs[~np.isin(codes[docs], news)] if news else docs
    dates = ctx.date_keys()[policy]
    order = np.lexsort((-policy, -dates))[:NEWEST]
    newest = []
    for docnum in policy[order].tolist():
        stored = ctx.view.stored(docnum)
        newest.append({key: stored.get(key) or "" for key in
                       ("id", "title", "date", "source", "level", "doc_number")})
    return Overview(facets, newest)
