"""``search(searcher, params)``: the one search function behind the web page, API, feed and CLI.

Pure library code (no Flask): parse → compile → filter → match set (every matching
document, ``matchset.py``; the total and facets count them all) → rank it (BM25F over the
match set in ``scores.py``; Whoosh's collectors only for query nodes that module does not
score) or sort it by date → page → snippets. Plain words are ANDed; when that finds nothing
the words are ORed instead and the result says ``fallback``.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import asdict, dataclass, field

from markupsafe import Markup
from whoosh import query as wq
from whoosh import scoring
from whoosh.collectors import FilterCollector, TopCollector

from indexer.build.documents import title_key
from indexer.storage import readcache
from searchapp.engine.compile import Compiler, date_bound
from searchapp.engine.facets import column, facets, filter_docs
from searchapp.engine.highlight import highlight_all, snippet
from searchapp.engine.match import MatchSets
from searchapp.engine.parse import Node, parse, plain_terms
from searchapp.engine.partial import partial_matches
from searchapp.engine.rank import Scores

MAX_PER_PAGE = 100
MAX_PAGE = 1000
TITLE_EXACT_BOOST = 20.0
SCORE_ALL_MAX = 3000      # up to this many matches, score each; above, skip blocks by quality


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
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    highlights: tuple[str, ...] = ()
    message: str = ""

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "page": self.page,
                "pages": self.pages, "took_ms": round(self.took_ms, 2),
                "fallback": self.fallback, "message": self.message,
                "results": [_hit_json(h) for h in self.hits],
                "facets": {k: [{"value": v, "count": c} for v, c in vals]
                           for k, vals in self.facets.items()}}


def _hit_json(hit: Hit) -> dict:
    data = asdict(hit)
    data["title_html"] = str(hit.title_html)
    data["snippet_html"] = str(hit.snippet_html)
    data["score"] = round(hit.score, 4)
    return data


def scoring_model() -> scoring.WeightingModel:
    """BM25F; field weights live in the schema (title above body)."""
    # Long documents (work reports of 10-30k characters) are about many things at once;
    # full length normalisation on the body fields buried them (measured with
    # bench/relevance.py), so the body fields get a gentler B.
    return scoring.BM25F(B=0.75, K1=1.2, content_B=0.5, chars_B=0.5)


def _ranked(query: wq.Query, tree: Node | None, text: str) -> wq.Query:
    """Add optional boosts: an exact title match ranks above scattered words."""
    key = title_key(text)
    if not key or tree is None or tree.kind not in ("word", "phrase", "and"):
        return query
    return wq.AndMaybe(query, wq.Term("title_key", key, boost=TITLE_EXACT_BOOST))


def search(searcher, params: SearchParams) -> SearchResults:
    """Run a search; raises ``BadParameter`` for unusable parameters, nothing else."""
    started = time.perf_counter()
    params.validate()
    readcache.install(searcher)
    tree = parse(params.q)
    result = SearchResults(query=params.q, page=params.page, per_page=params.per_page)
    compiler = Compiler(title_only=params.title_only, reader=searcher.reader())
    compiled = compiler.compile(tree)
    filt = filter_docs(searcher, params.source, params.category, params.year,
                       date_bound(params.date_from, False) if params.date_from else None,
                       date_bound(params.date_to, True) if params.date_to else None)
    query = compiled.query
    if query is None:
        if filt is None:
            result.message = "请输入要搜索的词" if not params.q.strip() else "查询中没有可搜索的词"
            result.took_ms = (time.perf_counter() - started) * 1000
            return result
        query = wq.Every()
    query = _ranked(query, tree, params.q)
    if filt is not None and not filt:
        result.took_ms = (time.perf_counter() - started) * 1000
        return result                  # the filters allow nothing (Whoosh would read {} as "all")
    sets = MatchSets(searcher)
    docs = sets.docs(query, within=filt)
    ranked = [(d, score, []) for d, score in _rank(searcher, sets, query, docs, filt, params)]
    needed = params.page * params.per_page - len(docs)
    parts = plain_terms(tree)
    if parts and needed > 0:
        extra, partial = partial_matches(
            searcher, parts, docs, filt, title_only=params.title_only, need=needed,
            any_part=not docs)
        result.fallback = not docs and bool(extra)
        docs = docs | extra
        ranked += [(p.docnum, p.score, p.missing) for p in partial]
    result.highlights = tuple(dict.fromkeys(compiled.highlights))
    result.total = len(docs)
    result.pages = math.ceil(result.total / params.per_page) if result.total else 0
    result.facets = facets(searcher, docs)
    first = (params.page - 1) * params.per_page
    result.hits = [_hit(searcher.stored_fields(d), score, result.highlights, missing)
                   for d, score, missing in ranked[first:first + params.per_page]]
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


def _rank(searcher, sets: MatchSets, query, docs: set[int], filt,
          params: SearchParams) -> list[tuple[int, float]]:
    """The first ``page * per_page`` of the matching ``docs``: (docnum, score), best first."""
    limit = params.page * params.per_page
    if not docs:
        return []
    if params.sort == "date":
        # Newest first, as Whoosh's reversed sort on the column would give (ties: higher docnum).
        dates = column(searcher, "date")
        return [(d, 0.0) for d in heapq.nlargest(limit, docs, key=lambda d: (dates[d], d))]
    scored = Scores(sets).scores(query, docs)
    if scored is not None:
        # Best first; equal scores in document order, as Whoosh's collector keeps them.
        return heapq.nlargest(limit, scored.items(), key=lambda kv: (kv[1], -kv[0]))
    if len(docs) <= SCORE_ALL_MAX:
        collector = TopCollector(limit=limit, usequality=False)
        searcher.search_with_collector(sets.for_scoring(query, docs), collector)
    else:
        # Many matches: block-quality skipping passes over posting blocks that cannot reach
        # the page (the total and facets come from ``docs``, so nothing is left uncounted).
        collector = TopCollector(limit=limit, usequality=True)
        if filt is not None:
            collector = FilterCollector(collector, allow=docs)
        searcher.search_with_collector(query, collector)
    return [(hit.docnum, hit.score or 0.0) for hit in collector.results()]


def _hit(stored: dict, score: float, terms: tuple[str, ...], missing: list[str]) -> Hit:
    title = stored.get("title") or stored.get("path", "")
    categories = [c for c in (stored.get("categories") or "").split(",") if c]
    return Hit(
        id=stored["id"], path=stored.get("path", ""), title=title,
        title_html=highlight_all(title, terms),
        snippet_html=snippet(stored.get("body") or "", terms),
        date=stored.get("date") or "", source=stored.get("source") or "",
        doc_number=stored.get("doc_number") or "", categories=categories,
        url=stored.get("url") or "", score=float(score), missing=missing)
