"""``search(ctx, params)``: the one search function behind the web page, API, feed and CLI.

Pure library code (no Flask): parse → compile → filter → match set (every matching
document, ``match.py``; the total and the facets count them all) → rank it (BM25F,
``rank.py``) or sort it by date → the page → snippets. Plain words are ANDed; documents
lacking one of them follow in a section of their own (``partial.py``), and when nothing has
all of them the words are ORed instead and the result says ``fallback``.

A search that reaches its time limit stops and answers with what it has, ``timed_out``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np
from markupsafe import Markup

from indexer.build.documents import title_key
from searchapp.engine.compile import Compiler, date_bound
from searchapp.engine.context import SearchContext
from searchapp.engine.facets import facets, filter_docs
from searchapp.engine.highlight import highlight_all, snippet
from searchapp.engine.match import Deadline, Matcher, TimedOut
from searchapp.engine.parse import Node, parse, plain_terms
from searchapp.engine.partial import Partials, partial_matches
from searchapp.engine.plan import Every, Maybe, Term
from searchapp.engine.rank import Ranker

MAX_PER_PAGE = 100
MAX_PAGE = 1000
TITLE_EXACT_BOOST = 20.0


class BadParameter(ValueError):
    """A search parameter that cannot be used; the message is safe to show."""


@dataclass
class SearchParams:
    q: str = ""
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"            # relevance | date
    date_from: str = ""
    date_to: str = ""
    source: str = ""
    category: str = ""
    year: str = ""
    title_only: bool = False

    def validate(self) -> SearchParams:
        if self.sort not in ("relevance", "date"):
            raise BadParameter("sort must be 'relevance' or 'date'")
        if not 1 <= self.page <= MAX_PAGE:
            raise BadParameter(f"page must be between 1 and {MAX_PAGE}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise BadParameter(f"per_page must be between 1 and {MAX_PER_PAGE}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value and date_bound(value, name == "date_to") is None:
                raise BadParameter(f"{name.replace('date_', '')} is not a date: {value!r}")
        return self


@dataclass
class Hit:
    id: str
    path: str
    title: str
    title_html: Markup
    snippet_html: Markup
    date: str
    source: str
    doc_number: str
    categories: list[str]
    url: str
    score: float
    missing: list[str] = field(default_factory=list)   # query words this partial match lacks


@dataclass
class SearchResults:
    query: str
    total: int = 0
    page: int = 1
    pages: int = 0
    per_page: int = 10
    took_ms: float = 0.0
    fallback: bool = False
    partial_total: int = 0
    timed_out: bool = False
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    highlights: tuple[str, ...] = ()
    message: str = ""

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "page": self.page,
                "pages": self.pages, "took_ms": round(self.took_ms, 2),
                "fallback": self.fallback, "partial_total": self.partial_total,
                "timed_out": self.timed_out, "message": self.message,
                "results": [_hit_json(h) for h in self.hits],
                "facets": {k: [{"value": v, "count": c} for v, c in vals]
                           for k, vals in self.facets.items()}}


def _hit_json(hit: Hit) -> dict:
    data = asdict(hit)
    data["title_html"] = str(hit.title_html)
    data["snippet_html"] = str(hit.snippet_html)
    data["score"] = round(hit.score, 4)
    return data


def _ranked(query, tree: Node | None, text: str):
    """Add optional boosts: an exact title match ranks above scattered words."""
    key = title_key(text)
    if not key or tree is None or tree.kind not in ("word", "phrase", "and"):
        return query
    return Maybe(query, Term("title_key", key, boost=TITLE_EXACT_BOOST))


@dataclass
class _Run:
    """One search under way: what every stage needs."""

    ctx: SearchContext
    params: SearchParams
    matcher: Matcher
    result: SearchResults
    started: float

    def finish(self) -> SearchResults:
        self.result.took_ms = (time.perf_counter() - self.started) * 1000
        return self.result


def search(ctx: SearchContext, params: SearchParams, timeout: float | None = None) -> SearchResults:
    """Run a search; raises ``BadParameter`` for unusable parameters, nothing else.

    ``timeout`` (seconds) stops the search when reached; the result then says ``timed_out``
    and holds what was found by then.
    """
    started = time.perf_counter()
    params.validate()
    run = _Run(ctx, params, Matcher(ctx, Deadline(timeout)),
               SearchResults(query=params.q, page=params.page, per_page=params.per_page), started)
    tree = parse(params.q)
    compiled = Compiler(title_only=params.title_only, view=ctx.view).compile(tree)
    run.result.highlights = tuple(dict.fromkeys(compiled.highlights))
    filt = filter_docs(ctx, params.source, params.category, params.year,
                       date_bound(params.date_from, False) if params.date_from else None,
                       date_bound(params.date_to, True) if params.date_to else None)
    query = compiled.query
    if query is None and filt is None:
        run.result.message = "请输入要搜索的词" if not params.q.strip() else "查询中没有可搜索的词"
        return run.finish()
    try:
        _match_and_page(run, _ranked(query or Every(), tree, params.q), tree, filt)
    except TimedOut:
        run.result.timed_out = True
    return run.finish()


def _match_and_page(run: _Run, query, tree: Node | None, filt) -> None:
    params, result, matcher = run.params, run.result, run.matcher
    docs = matcher.docs(query, within=filt)
    result.total = len(docs)
    result.facets = facets(run.ctx, docs)
    parts = [q for q in (Compiler(title_only=params.title_only, view=run.ctx.view).compile(p).query
                         for p in plain_terms(tree)) if q is not None]
    texts = [p.text or p.kind for p in plain_terms(tree)]
    partials = partial_matches(matcher, parts, docs, filt, any_part=not len(docs)) if parts else None
    if partials is not None and not len(docs):
        result.fallback = bool(len(partials))
        result.total, docs, partials = len(partials), partials.docs, None
        result.facets = facets(run.ctx, docs)
    result.partial_total = len(partials) if partials is not None else 0
    shown = result.total + result.partial_total
    result.pages = math.ceil(shown / params.per_page) if shown else 0
    first = (params.page - 1) * params.per_page
    last = first + params.per_page
    page: list[tuple[int, float, list[str]]] = []
    if first < len(docs):
        order, scores = _order(run, query, docs, min(last, len(docs)))
        page += [(int(docs[i]), float(scores[i]), []) for i in order[first:last]]
    if partials is not None and last > len(docs):
        lo, hi = max(0, first - len(docs)), last - len(docs)
        page += [(int(partials.docs[i]), 0.0, [texts[k] for k in partials.lacking(i)])
                 for i in range(lo, min(hi, len(partials)))]
    result.hits = _hits(run, page)


def _order(run: _Run, query, docs: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Indexes into ``docs`` of the first ``limit`` in result order, and every score."""
    if run.params.sort == "date":
        # Newest first; equal dates: the higher document number first.
        keys = run.ctx.date_keys()[docs]
        return _top(keys, -docs, limit), np.zeros(len(docs))
    scores = Ranker(run.ctx, run.matcher, docs).scores(query)
    return _top(scores, docs, limit), scores


def _top(keys: np.ndarray, ties: np.ndarray, limit: int) -> np.ndarray:
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


def _hits(run: _Run, page: list[tuple[int, float, list[str]]]) -> list[Hit]:
    view, terms = run.ctx.view, run.result.highlights
    hits = []
    for docnum, score, missing in page:
        stored = view.stored(docnum)
        hits.append(_hit(stored, score, terms, missing))
    return hits


def _hit(stored: dict, score: float, terms: tuple[str, ...], missing: list[str]) -> Hit:
    title = stored.get("title") or stored.get("path", "")
    return Hit(
        id=stored["id"], path=stored.get("path", ""), title=title,
        title_html=highlight_all(title, terms),
        snippet_html=snippet(stored.get("body") or "", terms),
        date=stored.get("date") or "", source=stored.get("source") or "",
        doc_number=stored.get("doc_number") or "", categories=list(stored.get("categories") or []),
        url=stored.get("url") or "", score=float(score), missing=missing)


__all__ = ["BadParameter", "Hit", "Partials", "SearchParams", "SearchResults", "search"]
