"""Ways into the corpus without a query: the newest documents and the counts of each facet
over everything, for the home page and the advanced search form.

Counted the way a search lists documents (one entry per version chain and per duplicate
group), so a count matches the total of the filtered search it links to. Computed once
per open index (``SearchContext.cached``), not per request.

The home page's 发文机关 are the sources of policy documents; the sources of news posts
(效力级别 新闻: feeds of outlets such as 观察者网) are listed apart as 媒体来源, each with the
link that finds exactly what it counts. The newest documents are taken in turn from each
效力级别, newest kind first, so that one kind published in a batch (thirty 政府工作报告 of
one week) does not fill the list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from searchapp.engine.context import SearchContext
from searchapp.engine.filters import FACETS, all_counts, counts

NEWEST = 8
NEWS = "新闻"          # feed posts: their sources are outlets, not issuing bodies


@dataclass
class Overview:
    facets: dict[str, list[tuple[str, int]]]
    newest: list[dict]      # {id, title, date, source, level, doc_number}
    issuers: list[tuple[str, int]]      # 发文机关: sources of documents that are not news
    media: list[tuple[str, int]]        # 媒体来源: sources of news posts


def overview(ctx: SearchContext) -> Overview:
    return ctx.cached(("web", "overview"), lambda: _compute(ctx))


def _compute(ctx: SearchContext) -> Overview:
    docs = ctx.relations.collapse(ctx.all_docs(), ctx.date_keys())
    facets = all_counts(ctx, FACETS, docs)
    codes, values = ctx.view.codes(FACETS["level"])
    is_news = np.isin(codes[docs], [i for i, v in enumerate(values) if v == NEWS])
    policy, news = docs[~is_news], docs[is_news]
    dates = ctx.date_keys()
    dated = policy[dates[policy] > 0]         # a document without a date is no newest one
    newest = [_listing(ctx, d) for d in varied_newest(dated, codes, dates, NEWEST)]
    return Overview(facets, newest, counts(ctx, "source", policy), counts(ctx, "source", news))


@dataclass
class BrowseList:
    kind: str
    title: str
    values: list[tuple[str, int, str]]      # value, count, the search finding exactly those


def browse_lists(ov: Overview, search_url) -> list[BrowseList]:
    """The home page's lists; ``search_url(**params)`` builds a search's URL."""
    lists = [("level", "按效力级别", ov.facets.get("level") or [], "level", {}),
             ("source", "按发文机关", ov.issuers, "source", {"exclude_level": NEWS}),
             ("media", "媒体来源", ov.media, "source", {"level": NEWS})]
    return [BrowseList(kind, title, [(v, n, search_url(**{name: v}, **extra)) for v, n in values])
            for kind, title, values, name, extra in lists if values]


def varied_newest(docs: np.ndarray, kinds: np.ndarray, dates: np.ndarray, n: int) -> list[int]:
    """Up to ``n`` of ``docs``, newest first within each kind (``kinds[doc]``), taken one
    kind after another (the kind with the newest document first) until ``n`` are chosen."""
    order = docs[np.lexsort((-docs, -dates[docs]))]
    queues: dict[int, list[int]] = {}
    for doc in order.tolist():
        queue = queues.setdefault(int(kinds[doc]), [])
        if len(queue) < n:
            queue.append(doc)
    chosen: list[int] = []
    while len(chosen) < n and any(queues.values()):
        for queue in queues.values():
            if queue and len(chosen) < n:
                chosen.append(queue.pop(0))
    return sorted(chosen, key=lambda d: (-int(dates[d]), -d))


def _listing(ctx: SearchContext, docnum: int) -> dict:
    stored = ctx.view.stored(docnum)
    return {key: stored.get(key) or "" for key in ("id", "title", "date", "source", "level", "doc_number")}
