"""The article page: readable text with highlighted query terms, and related articles."""

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

    @property
    def safe_url(self) -> str:
        """The original URL, only if it is http(s): anything else is never a link."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""

    def to_json(self) -> dict:
        return {"id": self.id, "path": self.path, "title": self.title, "date": self.date,
                "written_date": self.written_date, "source": self.source,
                "doc_number": self.doc_number, "categories": self.categories,
                "tags": self.tags, "url": self.url, "body": self.body}


def highlight_terms(q: str) -> tuple[str, ...]:
    """The strings a query would highlight (no index needed)."""
    return tuple(dict.fromkeys(Compiler().compile(parse(q)).highlights)) if q.strip() else ()


def article_view(doc: dict, q: str) -> ArticleView:
    terms = highlight_terms(q)
    body = doc.get("body") or ""
    title = doc.get("title") or doc.get("path", "")
    return ArticleView(
        id=doc["id"], path=doc.get("path", ""), title=title,
        title_html=highlight_all(title, terms),
        paragraphs=[highlight_all(p, terms) for p in body.split("\n") if p.strip()],
        date=doc.get("date") or "", written_date=doc.get("written_date") or "",
        source=doc.get("source") or "", doc_number=doc.get("doc_number") or "",
        categories=list(doc.get("categories") or []), tags=list(doc.get("tags") or []),
        url=doc.get("url") or "", body=body)
