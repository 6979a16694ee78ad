"""The article page: readable text with highlighted query terms, and related articles."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup
from whoosh import query as wq

from indexer.analysis.tokens import words
from searchapp.engine.compile import Compiler
from searchapp.engine.highlight import highlight_all
from searchapp.engine.parse import parse

RELATED_LIMIT = 5
KEY_TERMS = 12
_SAMPLE_CHARS = 3000


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


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


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
        categories=_split(doc.get("categories")), tags=_split(doc.get("tags")),
        url=doc.get("url") or "", body=body)


def key_terms(doc: dict) -> list[str]:
    """Title words first, then the most frequent longer words of the opening text."""
    counts: dict[str, int] = {}
    for w, *_ in words(doc.get("title") or "", mode="query"):
        counts[w] = counts.get(w, 0) + 100
    for w, *_ in words((doc.get("body") or "")[:_SAMPLE_CHARS], mode="query"):
        if len(w) > 1 and not w.isdigit():
            counts[w] = counts.get(w, 0) + 1
    return sorted(counts, key=counts.get, reverse=True)[:KEY_TERMS]


def related(searcher, doc: dict, limit: int = RELATED_LIMIT) -> list[dict]:
    """More like this: key terms ORed, without the article itself or copies of it."""
    terms = key_terms(doc)
    if not terms:
        return []
    q = wq.Or([wq.Term(f, t) for t in terms for f in ("title", "content")])
    own_title = (doc.get("title") or "").strip()
    out = []
    for hit in searcher.search(q, limit=limit * 3 + 1):
        if hit["id"] == doc["id"] or (hit.get("title") or "").strip() == own_title:
            continue
        out.append({"id": hit["id"], "title": hit.get("title") or hit.get("path"),
                    "date": hit.get("date") or "", "source": hit.get("source") or ""})
        if len(out) == limit:
            break
    return out
