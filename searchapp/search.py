"""``search(searcher, params)``: the one search function behind the web page, API, feed and CLI.

Pure library code (no Flask): parse → compile → filter → rank or sort → page → snippets and
facets. Plain words are ANDed; when that finds nothing the words are ORed instead and the
result says ``fallback``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field

from markupsafe import Markup
from whoosh import query as wq
from whoosh import scoring
from whoosh.collectors import FilterCollector, TopCollector, WrappingCollector

from indexer.documents import title_key

from .columns import facets, filter_docs
from .compile import Compiler, date_bound
from .highlight import highlight_all, snippet
from .partial import partial_matches
from .query import Node, parse, plain_terms

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
    docs, hits = _collect(searcher, query, filt, params)
    ranked = [(h.fields(), score, []) for h, score in hits]
    needed = params.page * params.per_page - len(docs)
    parts = plain_terms(tree)
    if parts and needed > 0:
        extra, partial = partial_matches(
            searcher, parts, docs, filt, title_only=params.title_only, need=needed,
            any_part=not docs)
        result.fallback = not docs and bool(extra)
        docs = docs | extra
        ranked += [(searcher.stored_fields(p.docnum), p.score, p.missing) for p in partial]
    result.highlights = tuple(dict.fromkeys(compiled.highlights))
    result.total = len(docs)
    result.pages = math.ceil(result.total / params.per_page) if result.total else 0
    result.facets = facets(searcher, docs)
    first = (params.page - 1) * params.per_page
    result.hits = [_hit(stored, score, result.highlights, missing)
                   for stored, score, missing in ranked[first:first + params.per_page]]
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


class _Recorder(WrappingCollector):
    """Passes documents on to the ranking collector and remembers every one (for facets)."""

    def __init__(self, child):
        super().__init__(child)
        self.docnums: list[int] = []

    def collect(self, sub_docnum):
        self.docnums.append(self.child.offset + sub_docnum)
        return self.child.collect(sub_docnum)


def _collect(searcher, query, filt, params: SearchParams):
    """One pass over the matches: all matching docnums, and the ranked hits up to this page."""
    limit = params.page * params.per_page
    if params.sort == "date":
        ranker = searcher.collector(limit=limit, sortedby="date", reverse=True)
    else:
        # Block-quality skipping would leave documents uncounted; facets need them all.
        ranker = TopCollector(limit=limit, usequality=False)
    recorder = _Recorder(ranker)
    outer = FilterCollector(recorder, allow=filt) if filt is not None else recorder
    searcher.search_with_collector(query, outer)
    results = outer.results()
    # Sorted results carry the sort key as their score; only relevance has a real one.
    hits = [(hit, hit.score if params.sort == "relevance" and hit.score else 0.0) for hit in results]
    return set(recorder.docnums), hits


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
