"""The article page and its JSON: readable text with highlighted query terms, the document's
metadata and its relations (versions, sources, citations)."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from searchapp.engine.compile import Compiler
from searchapp.engine.highlight import highlight_all
from searchapp.engine.parse import parse


@dataclass
class ArticleView:
    id: str
    path: str
    title: str
    title_html: Markup
    paragraphs: list[Markup]
    date: str
    written_date: str
    source: str
    doc_number: str
    categories: list[str]
    tags: list[str]
    url: str
    body: str = field(repr=False, default="")
    published_date: str = ""
    doc_type: str = ""
    level: str = ""
    region: str = ""
    effective_date: str = ""
    history: list[dict] = field(default_factory=list)
    status: str = ""
    versions: list[dict] = field(default_factory=list)      # [{id, title, date, status}], oldest first
    sources: list[dict] = field(default_factory=list)       # [{id, path, source}] of the same text
    cites: list[dict] = field(default_factory=list)         # [{id, title, mention}]
    cited_by: list[dict] = field(default_factory=list)      # [{id, title}]

    @property
    def versions_count(self) -> int:
        return len(self.versions)

    @property
    def safe_url(self) -> str:
        """The original URL, only if it is http(s): anything else is never a link."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""

    def to_json(self) -> dict:
        return {"id": self.id, "path": self.path, "title": self.title, "date": self.date,
                "published_date": self.published_date, "written_date": self.written_date,
                "source": self.source, "doc_number": self.doc_number,
                "categories": self.categories, "tags": self.tags, "url": self.url,
                "doc_type": self.doc_type, "level": self.level, "region": self.region,
                "effective_date": self.effective_date, "history": self.history,
                "status": self.status, "versions": self.versions,
                "versions_count": self.versions_count, "sources": self.sources,
                "cites": self.cites, "cited_by": self.cited_by, "body": self.body}


def highlight_terms(q: str) -> tuple[str, ...]:
    """The strings a query would highlight (no index needed)."""
    return tuple(dict.fromkeys(Compiler().compile(parse(q)).highlights)) if q.strip() else ()


def article_view(doc: dict, q: str, relations=None) -> ArticleView:
    """The view of a stored document; ``relations`` (``DocRelations``) adds its versions,
    sources and citations."""
    terms = highlight_terms(q)
    body = doc.get("body") or ""
    title = doc.get("title") or doc.get("path", "")
    view = ArticleView(
        id=doc["id"], path=doc.get("path", ""), title=title,
        title_html=highlight_all(title, terms),
        paragraphs=[highlight_all(p, terms) for p in body.split("\n") if p.strip()],
        date=doc.get("date") or "", written_date=doc.get("written_date") or "",
        source=doc.get("source") or "", doc_number=doc.get("doc_number") or "",
        categories=list(doc.get("categories") or []), tags=list(doc.get("tags") or []),
        url=doc.get("url") or "", body=body,
        **{name: doc.get(name) or "" for name in ("published_date", "doc_type", "level",
                                                   "region", "effective_date")},
        history=list(doc.get("history") or []))
    if relations is not None:
        view.status = relations.status
        view.versions = relations.versions or [
            {"id": view.id, "title": title, "date": view.date, "status": relations.status}]
        view.sources, view.cites, view.cited_by = relations.sources, relations.cites, relations.cited_by
    return view
