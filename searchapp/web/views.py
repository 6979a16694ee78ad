"""Pages, the JSON API, the Atom feed and OpenSearch: one Blueprint of boring views."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, url_for

from indexer.metadata import compare
from searchapp.engine.related import related
from searchapp.engine.search import FILTERS, BadParameter, SearchParams, search
from searchapp.engine.suggest import suggest
from searchapp.web.app import get_holder
from searchapp.web.article_page import article_view

bp = Blueprint("search", __name__)

_ID = re.compile(r"^[0-9a-f]{16}$")
_TRUE = {"1", "true", "on", "yes"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FILTER_KEYS = (*FILTERS, "from", "to", "title_only", "sort")


_LABELS = {"page": "页码", "per_page": "每页条数"}


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise BadParameter(f"{_LABELS[name]}应是整数，而不是“{value[:40]}”") from None


def params_from_request(default_per_page: int) -> SearchParams:
    """The search parameters of this request, validated. A filter may repeat (any of its
    values) and ``exclude_<filter>`` leaves values out; other repeated parameters count once."""
    args = request.args
    return SearchParams(
        q=args.get("q", "")[:2000], page=_int_arg("page", 1),
        per_page=_int_arg("per_page", default_per_page),
        sort=args.get("sort", "relevance") or "relevance",
        date_from=args.get("from", "").strip(), date_to=args.get("to", "").strip(),
        **{name: tuple(args.getlist(name)) for name in FILTERS},
        exclude={name: tuple(args.getlist(f"exclude_{name}")) for name in FILTERS},
        title_only=args.get("title_only", "").lower() in _TRUE,
        all_versions=args.get("all_versions", "").lower() in _TRUE,
    ).validate()


def _context():
    return get_holder().context()


def _run(params: SearchParams):
    holder = get_holder()
    key = params.key()
    started = time.perf_counter()
    timeout = float(current_app.config["QUERY_TIMEOUT_MS"]) / 1000
    with holder.lock:
        ctx = _context()
        results = holder.results.get(key)
        if results is None:
            results = search(ctx, params, timeout=timeout)
            if not results.timed_out:          # a cut-short answer is not worth repeating
                holder.results.put(key, results)
        else:
            results = replace(results, took_ms=(time.perf_counter() - started) * 1000)
    g.hits = results.total
    return results


def link(**changes) -> str:
    """This page's URL with some parameters changed (None removes one); page resets to 1."""
    args = {k: v for k, v in request.args.items() if v != ""}
    args.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = value
    return f"{request.path}?{urlencode(args)}"


@bp.app_context_processor
def helpers():
    return {"link": link}


@bp.get("/")
def home():
    """The search box with the corpus size and the last update."""
    holder = get_holder()
    with holder.lock:
        count = _context().view.doc_count
    return render_template("index.html", count=count, meta=holder.meta())


@bp.get("/search")
def search_page():
    """Results with snippets, facets, sorting and pagination."""
    params = params_from_request(int(current_app.config["PER_PAGE"]))
    if not params.q.strip() and not params.filters() and not (params.date_from or params.date_to):
        return home()
    results = _run(params)
    active = [(k, request.args.get(k)) for k in FILTER_KEYS[:-1] if request.args.get(k)]
    return render_template("results.html", params=params, results=results, active=active)


@bp.get("/api/search")
def api_search():
    """Search as JSON (same parameters as the page; per_page up to 100)."""
    results = _run(params_from_request(10))
    return jsonify(results.to_json())


def _article_or_404(article_id: str):
    if not _ID.match(article_id):
        abort(404, description="没有这篇文章")
    view = _context().view
    docnum = view.docnum_of(article_id)
    if docnum is None:
        abort(404, description="没有这篇文章")
    return view.stored(docnum)


@bp.get("/articles/<article_id>")
def article_page(article_id: str):
    """One article as readable text, its metadata, highlighted terms and related articles."""
    q = request.args.get("q", "")[:2000]
    holder = get_holder()
    with holder.lock:
        doc = _article_or_404(article_id)
        view = article_view(doc, q, _context().relations.get(doc["id"]))
        rel = related(_context(), doc)
    return render_template("article.html", article=view, related=rel, q=q)


@bp.get("/api/articles/<article_id>")
def api_article(article_id: str):
    """One article as JSON: its metadata, relations and full text."""
    with get_holder().lock:
        doc = _article_or_404(article_id)
        view = article_view(doc, "", _context().relations.get(doc["id"]))
    return jsonify(view.to_json())


@bp.get("/api/articles/<old_id>/compare/<new_id>")
def api_compare(old_id: str, new_id: str):
    """The changes from one version of a regulation to another, article by article (第N条)."""
    with get_holder().lock:
        old, new = _article_or_404(old_id), _article_or_404(new_id)
    return jsonify({"old": _version_of(old), "new": _version_of(new),
                    "changes": compare(old.get("body") or "", new.get("body") or "")})


def _version_of(doc: dict) -> dict:
    return {"id": doc["id"], "title": doc.get("title") or "", "date": doc.get("date") or ""}


@bp.get("/healthz")
def healthz():
    """Index generation and document count (503 when there is no usable index)."""
    holder = get_holder()
    with holder.lock:
        count = _context().view.doc_count
    return jsonify({"status": "ok", "generation": holder.generation, "documents": count,
                    "built_at": holder.meta().get("built_at")})


@bp.get("/feed")
def feed():
    """Atom feed of a search, newest first."""
    params = params_from_request(20)
    params.sort, params.page = "date", 1
    results = _run(params) if params.q.strip() or request.args.get("source") else None
    meta = get_holder().meta()
    meta["updated"] = _atom_time(meta.get("built_at"))
    body = render_template("feed.xml", params=params, results=results, meta=meta,
                           self_url=request.url, html_url=url_for(
                               "search.search_page", _external=True) + "?" + urlencode(
                               {k: v for k, v in request.args.items()}))
    # XML 1.0 cannot carry NUL and most control characters: one in a title (or the query)
    # would make the whole feed unreadable, so they are dropped.
    body = _NOT_XML.sub("", body)
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


def _atom_time(stamp: str | None) -> str:
    """RFC 3339 time for Atom from the index's ``built_at`` (which carries its offset)."""
    try:
        return datetime.strptime(stamp or "", "%Y-%m-%dT%H:%M:%S%z").isoformat()
    except ValueError:
        return "1970-01-01T00:00:00+00:00"


@bp.get("/opensearch.xml")
def opensearch():
    """OpenSearch description so browsers can add the site as a search engine."""
    body = render_template("opensearch.xml", root=request.url_root.rstrip("/"))
    return body, 200, {"Content-Type": "application/opensearchdescription+xml; charset=utf-8"}


@bp.get("/api/suggest")
def api_suggest():
    """OpenSearch suggestions: ``[query, [completions]]`` from titles and terms."""
    q = request.args.get("q", "")[:100]
    with get_holder().lock:
        items = suggest(_context(), q)
    return jsonify([q, items])
