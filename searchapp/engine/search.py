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
import re
import time
from dataclasses import dataclass, field, fields, replace

import numpy as np
from markupsafe import Markup

from indexer.analysis.normalize import normalize
from indexer.analysis.tokens import phrase_grams, words
from indexer.build.documents import title_key
from indexer.chars import SURROGATE
from searchapp.engine.compile import Compiler, date_bound
from searchapp.engine.context import SearchContext
from searchapp.engine.filters import FACETS, UNDATED, all_counts, combined, counts, filter_sets
from searchapp.engine.highlight import highlight_all, snippet
from searchapp.engine.match import Deadline, Matcher, TimedOut
from searchapp.engine.parse import Node, parse, plain_terms
from searchapp.engine.partial import Partials, partial_matches  # noqa: F401 (Partials: API)
from searchapp.engine.plan import Every, Maybe, Phrase, Term
from searchapp.engine.rank import Ranker, top
from searchapp.engine.spelling import correct

CORRECT_BELOW = 50       # a query finding fewer documents is checked for a typo
MAX_PER_PAGE = 100
MAX_PAGE = 1000
TITLE_EXACT_BOOST = 20.0


FILTERS = ("source", "category", "year", "doc_type", "level", "region", "status")


_SURROGATE = re.compile(f"[{SURROGATE}]")


class BadParameter(ValueError):
    """A search parameter that cannot be used; the message (Chinese) is safe to show."""


def _sendable(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text) if isinstance(text, str) else text


def _values(value) -> tuple[str, ...]:
    """A filter's values: one string or several, blanks dropped, each once."""
    items = [value] if isinstance(value, str) else list(value or ())
    return tuple(dict.fromkeys(_sendable(v.strip()) for v in items if v and v.strip()))


@dataclass
class SearchParams:
    """What one search asks for. A filter (``source`` … ``status``) takes one value or
    several (any of them); ``exclude`` maps filter names to values to leave out."""

    q: str = ""
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"            # relevance | date
    date_from: str = ""
    date_to: str = ""
    source: tuple[str, ...] | str = ()
    category: tuple[str, ...] | str = ()
    year: tuple[str, ...] | str = ()
    doc_type: tuple[str, ...] | str = ()
    level: tuple[str, ...] | str = ()
    region: tuple[str, ...] | str = ()
    status: tuple[str, ...] | str = ()
    exclude: dict = field(default_factory=dict)
    title_only: bool = False
    all_versions: bool = False
    as_typed: bool = False             # no spelling correction

    def __post_init__(self):
        # Lone surrogates (a Python caller's bytes that were not UTF-8) become U+FFFD: the
        # query is echoed back, and no page or JSON can carry them.
        self.q, self.date_from, self.date_to = map(_sendable, (self.q, self.date_from,
                                                               self.date_to))
        for name in FILTERS:
            setattr(self, name, _values(getattr(self, name)))
        self.exclude = {k: v for k, v in ((k, _values(v)) for k, v in self.exclude.items()
                                          if k in FILTERS) if v}

    def filters(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Active filters: name → (values to keep, values to leave out)."""
        return {name: (getattr(self, name), self.exclude.get(name, ()))
                for name in FILTERS if getattr(self, name) or self.exclude.get(name)}

    def date_bounds(self) -> tuple[str | None, str | None]:
        low = date_bound(self.date_from, False) if self.date_from else None
        high = date_bound(self.date_to, True) if self.date_to else None
        return low, high

    def key(self) -> tuple:
        """A hashable key for caching the result of these parameters."""
        return (*(getattr(self, f.name) for f in fields(self) if f.name != "exclude"),
                tuple(sorted(self.exclude.items())))

    def validate(self) -> SearchParams:
        if self.sort not in ("relevance", "date"):
            raise BadParameter("排序方式只能是 relevance（按相关度）或 date（按时间）")
        if not 1 <= self.page <= MAX_PAGE:
            raise BadParameter(f"页码应在 1 到 {MAX_PAGE} 之间")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise BadParameter(f"每页条数应在 1 到 {MAX_PER_PAGE} 之间")
        for name, label in (("date_from", "起始日期"), ("date_to", "结束日期")):
            value = getattr(self, name)
            if value and date_bound(value, name == "date_to") is None:
                raise BadParameter(f"{label}“{value[:40]}”不是日期：请写成 2018、2018-03 或 2018-03-01")
        years = [y for y in self.year if y != UNDATED]
        for year in years:
            if not (len(year) == 4 and year.isdigit()):
                raise BadParameter(f"年份“{year[:40]}”应是四位数字，例如 2019")
        low, high = self.date_bounds()
        if low and high and low > high:
            raise BadParameter("日期范围互相矛盾：起始日期晚于结束日期")
        if years and all(f"{y}-12-31" < (low or "") or f"{y}-01-01" > (high or "9999")
                         for y in years):
            raise BadParameter("所选年份不在日期范围之内，请修改年份或日期范围")
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
    doc_type: str = ""
    level: str = ""
    region: str = ""
    status: str = ""
    versions_count: int = 1
    cited_by_count: int = 0
    sources: list[dict] = field(default_factory=list)  # [{id, path, source}] of the same document


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
    corrected_query: str = ""          # the query searched instead of a misspelt one
    did_you_mean: str = ""             # a much more common spelling, offered
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    highlights: tuple[str, ...] = ()
    message: str = ""

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "page": self.page,
                "pages": self.pages, "took_ms": round(self.took_ms, 2),
                "fallback": self.fallback, "partial_total": self.partial_total,
                "timed_out": self.timed_out, "corrected_query": self.corrected_query,
                "did_you_mean": self.did_you_mean, "message": self.message,
                "results": [_hit_json(h) for h in self.hits],
                "facets": {k: [{"value": v, "count": c} for v, c in vals]
                           for k, vals in self.facets.items()}}


_HIT_FIELDS = tuple(f.name for f in fields(Hit))


def _hit_json(hit: Hit) -> dict:
    # Field by field: dataclasses.asdict copies deeply, a tenth of an API answer's time.
    data = {name: getattr(hit, name) for name in _HIT_FIELDS}
    data["title_html"] = str(hit.title_html)
    data["snippet_html"] = str(hit.snippet_html)
    data["score"] = round(hit.score, 4)
    data["categories"] = list(hit.categories)
    data["missing"] = list(hit.missing)
    data["sources"] = [dict(s) for s in hit.sources]
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
    and holds what was found by then. A query that finds little is checked for a typo
    (``spelling.py``): the correction's results are shown instead when the query as typed
    finds nothing or far less (``corrected_query``), or the correction is offered
    (``did_you_mean``) when it is much more common. ``as_typed`` turns this off.
    """
    started = time.perf_counter()
    with ctx.view.holding():
        result, tree = _search(ctx, params, timeout)
        # Any-word results (a fallback) count as nothing found, however many there are.
        if not (params.as_typed or result.timed_out) and (result.fallback
                                                          or result.total < CORRECT_BELOW):
            # The typo check and the corrected search share what is left of the time limit;
            # when it runs out, the result as typed stands.
            left = None if timeout is None else timeout - (time.perf_counter() - started)
            if left is None or left > 0:
                result = _spelling(ctx, params, left, tree, result)
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


def _search(ctx: SearchContext, params: SearchParams, timeout: float | None) -> tuple[SearchResults, Node]:
    started = time.perf_counter()
    params.validate()
    run = _Run(ctx, params, Matcher(ctx, Deadline(timeout)),
               SearchResults(query=params.q, page=params.page, per_page=params.per_page), started)
    tree = parse(params.q)
    compiled = Compiler(title_only=params.title_only, view=ctx.view, synonyms=ctx.synonyms).compile(tree)
    run.result.highlights = tuple(dict.fromkeys(compiled.highlights))
    filters = filter_sets(ctx, params)
    query = compiled.query
    if query is None and not filters:
        run.result.message = "请输入要搜索的词" if not params.q.strip() else "查询中没有可搜索的词"
        return run.finish(), tree
    try:
        _match_and_page(run, _ranked(query or Every(), tree, params.q), tree, filters)
    except TimedOut:
        run.result.timed_out = True
    return run.finish(), tree


def _spelling(ctx: SearchContext, params: SearchParams, timeout, tree: Node | None,
              result: SearchResults) -> SearchResults:
    """The corrected search, or ``result`` with a suggestion, or ``result`` as it is."""
    tokens = [n for n in plain_terms(tree) if n.kind == "word"] or \
        ([tree] if tree is not None and tree.kind == "word" else [])
    started = time.perf_counter()
    try:
        fix = correct(ctx, tokens, Deadline(timeout))
    except TimedOut:
        return result
    if fix is None:
        return result
    if timeout is not None:
        timeout -= time.perf_counter() - started
    corrected_q = params.q.replace(fix.original, fix.corrected, 1)
    if corrected_q == params.q:
        return result
    other, _ = _search(ctx, replace(params, q=corrected_q, as_typed=True), timeout)
    found = 0 if result.fallback else result.total       # any-word results find nothing asked
    # A token no document holds as typed, whose correction many do: what it found were
    # its words scattered (住房公积经 → 住房 公积 经).
    if other.total and not other.fallback and (not found or (fix.holding_original == 0
                                                             and other.total >= found)):
        other.query, other.corrected_query = params.q, corrected_q
        return other
    if other.total >= 20 * max(found, 1) and not other.fallback:
        result.did_you_mean = corrected_q
    return result


def _match_and_page(run: _Run, query, tree: Node | None, filters: dict) -> None:
    params, result, matcher, ctx = run.params, run.result, run.matcher, run.ctx
    within = combined(filters, ctx.size)
    docs = _shown(run, matcher.docs(query, within=within))
    compiler = Compiler(title_only=params.title_only, view=ctx.view, synonyms=ctx.synonyms)
    nodes = _parts(tree, compiler)
    compiled_parts = [(n, compiler.compile(n).query) for n in nodes]
    parts = [q for _, q in compiled_parts if q is not None]
    texts = [n.text or n.kind for n, q in compiled_parts if q is not None]
    partials = partial_matches(matcher, parts, docs, within, any_part=not len(docs),
                               meaningful=[_meaningful(ctx, n, matcher) for n, q in compiled_parts
                                           if q is not None]) if parts else None
    if partials is not None:
        partials.keep(_shown(run, partials.docs, besides=docs))
    result.fallback = partials is not None and not len(docs) and bool(len(partials))
    result.total = len(docs) if not result.fallback else len(partials)
    result.facets = _facets(run, query, docs if not result.fallback else partials.docs, filters,
                            result.fallback)
    result.partial_total = len(partials) if partials is not None and not result.fallback else 0
    shown = result.total + result.partial_total
    result.pages = math.ceil(shown / params.per_page) if shown else 0
    first = (params.page - 1) * params.per_page
    last = first + params.per_page
    page: list[tuple[int, float, list[str]]] = []
    if first < len(docs):
        order, scores = _order(run, query, docs, min(last, len(docs)))
        page += [(int(docs[i]), float(s), [])
                 for i, s in zip(order[first:last], scores[first:last], strict=True)]
    if partials is not None and last > len(docs):
        ranked = partials.ranked(last - len(docs))
        page += [(int(d), 0.0, [texts[k] for k in partials.lacking(int(d))])
                 for d in ranked[max(0, first - len(docs)):]]
    result.hits = _hits(run, page)


def _parts(tree: Node | None, compiler: Compiler) -> list[Node]:
    """The parts a partial match may lack: the query's plain words, or, for one typed token
    of several words (山东省养老服务), those words, as if typed with spaces."""
    nodes = plain_terms(tree)
    if tree is not None and not nodes and tree.kind == "word":
        nodes = [tree]
    if len(nodes) == 1 and nodes[0].kind == "word":
        ws = compiler.typed_parts(normalize(nodes[0].text).strip())
        if len(ws) > 1:
            return [Node("word", text=w) for w in ws]
    return nodes


def _meaningful(ctx: SearchContext, node: Node, matcher: Matcher) -> bool:
    """False for a typed token of several words that no document holds as typed."""
    if node.kind != "word" or len(list(words(node.text, mode="query"))) < 2:
        return True
    grams = tuple(phrase_grams(node.text))
    return len(grams) < 2 or matcher.any(Phrase("chars", grams))


def _shown(run: _Run, docs: np.ndarray, besides: np.ndarray | None = None) -> np.ndarray:
    """The documents a result lists (ascending): one per version chain (its newest that
    matches) and one per duplicate group, unless every version is asked for; none whose
    entry is already shown ``besides`` (the full matches, for the partial ones)."""
    if run.params.all_versions or not len(docs):
        return docs
    relations = run.ctx.relations
    if besides is not None and len(besides):
        docs = relations.without_entries_of(docs, besides)
    return relations.collapse(docs, run.ctx.date_keys())


def _facets(run: _Run, query, docs: np.ndarray, filters: dict, fallback: bool) -> dict:
    """Facet counts over the result; a facet with chosen values counts as if its own
    choice were not made, so its other values keep their counts (OR within a facet)."""
    chosen = {name for name, (include, _) in run.params.filters().items() if include}
    if fallback:
        chosen = set()
    out = all_counts(run.ctx, [name for name in FACETS if name not in chosen], docs)
    for name in chosen:
        others = combined(filters, run.ctx.size, leave_out=name)
        out[name] = counts(run.ctx, name, _shown(run, run.matcher.docs(query, within=others)))
    return {name: out[name] for name in FACETS}


def _order(run: _Run, query, docs: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Indexes into ``docs`` of the first ``limit`` in result order, and their scores."""
    if run.params.sort == "date":
        # Newest first; equal dates: the higher document number first.
        keys = run.ctx.date_keys()[docs]
        order = top(keys, -docs, limit)
        return order, np.zeros(len(order))
    return Ranker(run.ctx, run.matcher, docs).best(query, limit)


def _hits(run: _Run, page: list[tuple[int, float, list[str]]]) -> list[Hit]:
    ctx, terms = run.ctx, run.result.highlights
    hits = []
    for docnum, score, missing in page:
        stored = ctx.view.stored(docnum)
        rel = ctx.relations.get(stored["id"])
        hit = _hit(stored, score, terms, missing)
        hit.status = rel.status
        hit.versions_count = rel.versions_count
        hit.cited_by_count = len(rel.cited_by)
        hit.sources = rel.sources
        hits.append(hit)
    return hits


def _hit(stored: dict, score: float, terms: tuple[str, ...], missing: list[str]) -> Hit:
    title = stored.get("title") or stored.get("path", "")
    return Hit(
        id=stored["id"], path=stored.get("path", ""), title=title,
        title_html=highlight_all(title, terms),
        snippet_html=snippet(stored.get("body") or "", terms),
        date=stored.get("date") or "", source=stored.get("source") or "",
        doc_number=stored.get("doc_number") or "", categories=list(stored.get("categories") or []),
        url=stored.get("url") or "", score=float(score), missing=missing,
        doc_type=stored.get("doc_type") or "", level=stored.get("level") or "",
        region=stored.get("region") or "")


__all__ = ["FILTERS", "BadParameter", "Hit", "Partials", "SearchParams", "SearchResults", "search"]
