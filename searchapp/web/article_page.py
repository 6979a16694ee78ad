"""The article page and its JSON: readable text with highlighted query terms, the document's
metadata and its relations (versions, sources, citations).

``article_view`` is the data (the API's JSON); ``page_parts`` adds what only the page
shows: the structured text (``law.py``), the version panel and the reference to copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from indexer.metadata import ABOLISHED_BY, FUTURE, NEWEST, SUPERSEDED_BY
from searchapp.engine.highlight import highlight_all
from searchapp.web.citation import gbt7714
from searchapp.web.law import LawText, law_text, paged_text

CURRENT = "现行有效"


@dataclass
class ArticleView:
    id: str
    path: str
    title: str
    title_html: Markup
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
    status_basis: str = ""                                  # what the status rests on
    versions: list[dict] = field(default_factory=list)      # [{id, title, date, status}], oldest first
    sources: list[dict] = field(default_factory=list)       # [{id, path, source}] of the same text
    cites: list[dict] = field(default_factory=list)         # [{id, title, mention}]
    cited_by: list[dict] = field(default_factory=list)      # [{id, title}]
    # Document files: format, page starts in body, OCRed pages, 附件 links both ways
    file_kind: str = ""
    pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)   # [{id, title, path, file_kind}]
    attachment_of: list[dict] = field(default_factory=list)
    inherited: list[str] = field(default_factory=list)      # fields filled from the linking page
    file_url: str = ""                                      # the original file, when served

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
                "status": self.status, "status_basis": self.status_basis, "versions": self.versions,
                "versions_count": self.versions_count, "sources": self.sources,
                "cites": self.cites, "cited_by": self.cited_by,
                "file_kind": self.file_kind, "file_url": self.file_url,
                "page_count": len(self.pages), "ocr": bool(self.ocr_pages), "ocr_pages": self.ocr_pages,
                "attachments": self.attachments, "attachment_of": self.attachment_of,
                "inherited": self.inherited, "body": self.body}


def article_view(doc: dict, terms: tuple[str, ...] = (), relations=None) -> ArticleView:
    """The view of a stored document with ``terms`` highlighted in its title
    (``query_highlights``); ``relations`` (``DocRelations``) adds its versions, sources and
    citations."""
    body = doc.get("body") or ""
    title = doc.get("title") or doc.get("path", "")
    view = ArticleView(
        id=doc["id"], path=doc.get("path", ""), title=title,
        title_html=highlight_all(title, terms),
        date=doc.get("date") or "", written_date=doc.get("written_date") or "",
        source=doc.get("source") or "", doc_number=doc.get("doc_number") or "",
        categories=list(doc.get("categories") or []), tags=list(doc.get("tags") or []),
        url=doc.get("url") or "", body=body,
        **{name: doc.get(name) or "" for name in ("published_date", "doc_type", "level",
                                                   "region", "effective_date")},
        history=list(doc.get("history") or []), file_kind=doc.get("file_kind") or "",
        pages=list(doc.get("pages") or []), ocr_pages=list(doc.get("ocr_pages") or []),
        inherited=list(doc.get("inherited") or []))
    if relations is not None:
        view.status, view.status_basis = relations.status, relations.status_basis
        view.versions = relations.versions or [
            {"id": view.id, "title": title, "date": view.date, "status": relations.status}]
        view.sources, view.cites, view.cited_by = relations.sources, relations.cites, relations.cited_by
    return view


@dataclass
class VersionPanel:
    versions: list[dict]        # newest first, each with "is_this", "is_current" and "marks"
    current: dict | None        # the version in force (else the newest)
    compare_with_current: str   # URL comparing this version with the current one, or ""
    compare_with_previous: str  # URL comparing the previous version with this one, or ""
    pick_old: str = ""          # the versions the "any two" form starts with
    pick_new: str = ""


def version_panel(view: ArticleView, compare_url) -> VersionPanel | None:
    """The 版本 panel of a document with several versions; ``compare_url(old, new)``.
    Besides the two ready comparisons, a form compares any two versions: it starts with
    this one and the current one (or, on the current one, the one before it)."""
    if len(view.versions) < 2:
        return None
    current = next((v for v in reversed(view.versions) if v["status"] == CURRENT), view.versions[-1])
    ids = [v["id"] for v in view.versions]
    here = ids.index(view.id) if view.id in ids else -1
    rows = [dict(v, is_this=v["id"] == view.id, is_current=v is current,
                 marks=[m for m, on in (("现行版本", v is current), ("本页", v["id"] == view.id)) if on])
            for v in reversed(view.versions)]
    with_current = ""
    if here >= 0 and current["id"] != view.id:
        old, new = sorted((view.id, current["id"]), key=ids.index)
        with_current = compare_url(old, new)
    previous = compare_url(ids[here - 1], view.id) if here > 0 else ""
    if with_current:
        pick = sorted((view.id, current["id"]), key=ids.index)
    else:
        pick = [ids[here - 1], view.id] if here > 0 else ids[-2:]
    return VersionPanel(rows, current, with_current, previous, *pick)


def versions_in_order(first: dict, second: dict, versions: list[dict]) -> tuple[dict, dict]:
    """Two documents as (older, newer): by their place in the version chain (``versions``,
    oldest first), else by date."""
    ids = [v["id"] for v in versions]
    if first["id"] in ids and second["id"] in ids:
        return tuple(sorted((first, second), key=lambda d: ids.index(d["id"])))
    return tuple(sorted((first, second), key=lambda d: d.get("date") or ""))


def citation_links(view: ArticleView, article_url) -> dict[str, str]:
    """Mention (《标题》) → URL of the document it resolves to; the document's own title
    is not linked to itself."""
    return {c["mention"]: article_url(c["id"]) for c in view.cites
            if c.get("id") and c.get("mention") and c["id"] != view.id}


@dataclass
class StatusBasis:
    """The basis of a status as the page words it: plain ``text``, or a link to the
    document it rests on between ``before`` and ``after``."""

    text: str = ""
    before: str = ""
    title: str = ""
    href: str = ""
    after: str = ""


def _named(view: ArticleView, doc_id: str) -> str:
    """How the page names a document of this one's relations: a version by its date, an
    abolishing document by its title."""
    if version := next((v for v in view.versions if v["id"] == doc_id), None):
        return f"{version['date']}版本"
    citer = next((c for c in view.cited_by if c["id"] == doc_id), None)
    return f"《{citer['title']}》" if citer else "另一文件"


def status_basis(view: ArticleView, article_url) -> StatusBasis | None:
    """The basis of ``view.status`` in Chinese, linked to the document it names."""
    basis = view.status_basis
    if not basis:
        return None
    if basis == NEWEST:
        return StatusBasis(text="本文件为已收录的最新版本")
    if basis == FUTURE:
        return StatusBasis(text=f"施行日期 {view.effective_date or view.date} 尚未到来")
    for prefix, after in ((SUPERSEDED_BY, "修订取代"), (ABOLISHED_BY, "废止")):
        if basis.startswith(prefix):
            target = basis[len(prefix):]
            return StatusBasis(before="已被", title=_named(view, target), href=article_url(target),
                               after=after)
    return StatusBasis(text=basis)


def page_parts(view: ArticleView, terms: tuple[str, ...], article_url, compare_url,
               page_url: str) -> dict:
    """What the article template shows besides the view: text (``terms`` highlighted),
    versions, reference. ``page_url``: this page's public address ("" when none is
    configured)."""
    links = citation_links(view, article_url)
    if view.pages:
        text: LawText = paged_text(view.body, view.pages, terms, links)
    else:
        text = law_text(view.body, terms, links)
    reference = gbt7714(title=view.title, source=view.source, doc_number=view.doc_number,
                        date=view.date, url=view.safe_url or page_url, level=view.level)
    return {"text": text, "versions": version_panel(view, compare_url), "reference": reference,
            "status_basis": status_basis(view, article_url)}
