"""What a search answers: ``SearchResults`` with its ``Hit`` list, and their JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from markupsafe import Markup


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
    status_basis: str = ""     # what the status rests on ("" without a status)
    published_date: str = ""   # 发布日期 as the source gives it
    effective_date: str = ""   # 施行日期 of this version
    versions_count: int = 1
    cited_by_count: int = 0
    sources: list[dict] = field(default_factory=list)  # [{id, path, source}] of the same document
    page: int = 0              # the page of a PDF or OFD its snippet is on (0: not paged)


@dataclass
class SearchResults:
    query: str
    total: int = 0
    page: int = 1
    pages: int = 0
    per_page: int = 10
    took_ms: float = 0.0
    fallback: bool = False
    best_match: bool = False           # full and partial matches ranked together (a question)
    partial_total: int = 0
    timed_out: bool = False
    corrected_query: str = ""          # the query searched instead of a misspelt one
    did_you_mean: str = ""             # a much more common spelling, offered
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    highlights: tuple[str, ...] = ()
    message: str = ""
    understood: dict = field(default_factory=dict)   # what the query was read as (understand.py)

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "page": self.page,
                "pages": self.pages, "took_ms": round(self.took_ms, 2),
                "fallback": self.fallback, "best_match": self.best_match,
                "partial_total": self.partial_total,
                "timed_out": self.timed_out, "corrected_query": self.corrected_query,
                "did_you_mean": self.did_you_mean, "message": self.message,
                "understood": self.understood,
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
