"""``search(ctx, params)``: the one search function behind the web page, API, feed and CLI.

Pure library code (no Flask). A search walks the stages once, each taking the previous
one's output:

    parse → understand → plan → match → rank → highlight
    (parse.py) (understand.py) (compile.py) (match.py) (rank.py) (highlight.py)

Parsing gives the query's structure; understanding decides what it asks for (content
words, question words dropped, everyday forms, a correction as an alternative reading);
planning compiles every reading once; matching finds each reading's documents after the
filters and picks the reading shown, with partial matches and facet counts; ranking orders
the page (BM25F with a prior by kind of document; partial matches by the share of the query
they cover); highlighting makes titles and snippets.

A search that reaches its time limit stops and answers with what it has, ``timed_out``.
"""

from __future__ import annotations

import math
import time

import numpy as np

from searchapp.engine import docsets
from searchapp.engine.compile import compile_plan
from searchapp.engine.context import SearchContext
from searchapp.engine.deadline import Deadline, TimedOut
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.highlight import highlight_all, page_of, snippet_at
from searchapp.engine.match import Matched, match
from searchapp.engine.params import FILTERS, MAX_PAGE, MAX_PER_PAGE, BadParameter, SearchParams
from searchapp.engine.parse import parse
from searchapp.engine.partial import Partials
from searchapp.engine.plan import Every
from searchapp.engine.rank import (
    Ranker,
    prior,
    rank_partials,
    top,
)
from searchapp.engine.results import Hit, SearchResults
from searchapp.engine.understand import understand

# The share of a search's time limit the typo check may take; the rest is the search's.
CORRECTION_SHARE = 0.5


def search(ctx: SearchContext, params: SearchParams, timeout: float | None = None) -> SearchResults:
    """Run a search; raises ``BadParameter`` for unusable parameters, nothing else.

    ``timeout`` (seconds) stops the search when reached; the result then says ``timed_out``
    and holds what was found by then. ``as_typed`` turns spelling corrections off.
    """
    started = time.perf_counter()
    params.validate()
    result = SearchResults(query=params.q, page=params.page, per_page=params.per_page)
    deadline = Deadline(timeout)
    with ctx.view.holding():
        try:
            _stages(ctx, params, deadline, result)
        except TimedOut:
            result.timed_out = True
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


def _stages(ctx: SearchContext, params: SearchParams, deadline: Deadline,
            result: SearchResults) -> None:
    tree = parse(params.q)
    typo_time = None if deadline.at is None else deadline.left() * CORRECTION_SHARE
    found = understand(ctx, tree, params.q, evaluator=Evaluator(ctx, deadline),
                       corrections=not params.as_typed, correction_time=typo_time)
    result.understood = found.to_json()         # until matching says which reading is shown
    readings = compile_plan(found, ctx.view, title_only=params.title_only)
    result.highlights = readings[0].highlights
    if readings[0].query is None and not params.filters() and not any(params.date_bounds()):
        result.message = "请输入要搜索的词" if not params.q.strip() else "查询中没有可搜索的词"
        return
    matched = match(ctx, params, readings, deadline)
    result.understood = found.to_json(matched.corrected, matched.offer_correction)
    if matched.corrected:
        result.corrected_query = found.corrected.query
        result.highlights = matched.reading.highlights
    elif matched.offer_correction:
        result.did_you_mean = found.corrected.query
    _count(matched, params, result)
    result.hits = _hits(ctx, _page(ctx, matched, params, deadline), result.highlights)


def query_highlights(q: str, ctx: SearchContext | None = None, *, seconds: float | None = None,
                     as_typed: bool = False) -> tuple[str, ...]:
    """The strings a search for ``q`` highlights, as typed and corrected unless ``as_typed``
    (an article opened from the results highlights what the results did); without ``ctx``,
    by the shipped synonym rules only. Reading the query keeps to ``seconds`` as a search
    does; past them, the shipped rules' highlights."""
    if not q.strip():
        return ()
    tree = parse(q)
    try:
        deadline = Deadline(seconds)
        found = understand(ctx, tree, q, evaluator=Evaluator(ctx, deadline) if ctx else None,
                           corrections=ctx is not None and not as_typed,
                           correction_time=None if seconds is None else seconds * CORRECTION_SHARE)
    except TimedOut:
        ctx, found = None, understand(None, tree, q)
    readings = compile_plan(found, ctx.view if ctx is not None else None)
    return tuple(dict.fromkeys(t for r in readings if r is not None for t in r.highlights))


def _count(matched: Matched, params: SearchParams, result: SearchResults) -> None:
    """``total`` (documents with every content word: none in a fallback), ``partial_total``
    (the documents listed after them, lacking a word), pages and facets."""
    partials = matched.partials
    result.fallback, result.best_match = matched.fallback, matched.best_match
    result.total = len(matched.docs)
    result.partial_total = len(partials) if partials is not None else 0
    if matched.best_match:
        result.partial_total -= len(matched.docs)
    shown = result.total + result.partial_total
    result.pages = math.ceil(shown / params.per_page) if shown else 0
    result.facets = matched.facets


def _page(ctx: SearchContext, matched: Matched, params: SearchParams,
          deadline: Deadline) -> list[tuple[int, float, list[str]]]:
    """(document, score, labels of the parts it lacks) of each hit of the page, in order."""
    docs, partials, reading = matched.docs, matched.partials, matched.reading
    first = (params.page - 1) * params.per_page
    last = first + params.per_page
    page: list[tuple[int, float, list[str]]] = []
    if matched.best_match:
        docs = docsets.EMPTY                  # ranked with the partial matches
    if first < len(docs):
        order, scores = _order(ctx, params, reading.query or Every(), docs, min(last, len(docs)),
                               deadline)
        page += [(int(docs[i]), float(s), [])
                 for i, s in zip(order[first:last], scores[first:last], strict=True)]
    if partials is not None and last > len(docs):
        ranked, scores = rank_partials(ctx, partials, reading.any_part, last - len(docs),
                                       deadline, question=matched.best_match)
        skip = max(0, first - len(docs))
        page += [(int(d), float(s), [reading.labels[k] for k in partials.lacking(int(d))])
                 for d, s in zip(ranked[skip:], scores[skip:], strict=True)]
    return page


def _order(ctx: SearchContext, params: SearchParams, query, docs: np.ndarray, limit: int,
           deadline: Deadline) -> tuple[np.ndarray, np.ndarray]:
    """Indexes into ``docs`` of the first ``limit`` in result order, and their scores."""
    if params.sort == "date":
        # Newest first; equal dates: the higher document number first.
        keys = ctx.date_keys()[docs]
        order = top(keys, -docs, limit)
        return order, np.zeros(len(order))
    return Ranker(ctx, docs, deadline, prior=prior(ctx)).best(query, limit)


def _hits(ctx: SearchContext, page: list[tuple[int, float, list[str]]],
          terms: tuple[str, ...]) -> list[Hit]:
    hits = []
    for docnum, score, missing in page:
        stored = ctx.view.stored(docnum)
        rel = ctx.relations.get(stored["id"])
        hit = _hit(stored, score, terms, missing)
        hit.status, hit.status_basis = rel.status, rel.status_basis
        hit.versions_count = rel.versions_count
        hit.cited_by_count = len(rel.cited_by)
        hit.sources = rel.sources
        hits.append(hit)
    return hits


def _hit(stored: dict, score: float, terms: tuple[str, ...], missing: list[str]) -> Hit:
    title = stored.get("title") or stored.get("path", "")
    snippet_html, at = snippet_at(stored.get("body") or "", terms)
    return Hit(
        id=stored["id"], path=stored.get("path", ""), title=title,
        title_html=highlight_all(title, terms), page=page_of(stored.get("pages"), at or 0),
        snippet_html=snippet_html,
        date=stored.get("date") or "", source=stored.get("source") or "",
        doc_number=stored.get("doc_number") or "", categories=list(stored.get("categories") or []),
        url=stored.get("url") or "", score=float(score), missing=missing,
        doc_type=stored.get("doc_type") or "", level=stored.get("level") or "",
        region=stored.get("region") or "", published_date=stored.get("published_date") or "",
        effective_date=stored.get("effective_date") or "")


__all__ = ["FILTERS", "MAX_PAGE", "MAX_PER_PAGE", "BadParameter", "Hit", "Partials",
           "SearchParams", "SearchResults", "query_highlights", "search"]
