"""Pages, the JSON API, the Atom feed and OpenSearch: one Blueprint of boring views."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from indexer.metadata import STATUSES, compare
from searchapp.engine.related import related
from searchapp.engine.search import FILTERS, MAX_PER_PAGE, BadParameter, SearchParams, search
from searchapp.engine.suggest import suggest
from searchapp.web import export
from searchapp.web.advanced import FORM_FILTERS, AdvancedForm
from searchapp.web.app import get_holder
from searchapp.web.article_page import article_view, page_parts
from searchapp.web.browse import overview
from searchapp.web.compare_page import changes as compare_changes
from searchapp.web.compare_page import counts as compare_counts
from searchapp.web.facets import LABELS
from searchapp.web.files import (
    KIND_LABELS,
    MIMETYPES,
    attachment_links,
    download_name,
    last_report,
    original_file,
)
from searchapp.web.results_page import page_context
from searchapp.web.state import changed, combine_within, state_items

bp = Blueprint("search", __name__)

_ID = re.compile(r"^[0-9a-f]{16}$")
_TRUE = {"1", "true", "on", "yes"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
        as_typed=args.get("as_typed", "").lower() in _TRUE,
    ).validate()


def _context():
    return get_holder().context()


def _timeout() -> float | None:
    """QUERY_TIMEOUT_MS in seconds; 0 (or less) means no limit."""
    ms = float(current_app.config["QUERY_TIMEOUT_MS"])
    return ms / 1000 if ms > 0 else None


def _run(params: SearchParams):
    holder = get_holder()
    started = time.perf_counter()
    timeout = _timeout()
    with holder.lock:
        ctx = _context()
        # An edited synonym file changes the answer: it is part of what a page is cached under.
        key = (params.key(), ctx.synonyms.stamp())
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
    """This page's URL with some parameters changed (None removes one); page resets to 1.
    Repeated parameters (several values of a filter) are kept."""
    items = changed(state_items(request.args), keep_page="page" in changes, **changes)
    return f"{request.path}?{urlencode(items)}"


@bp.app_context_processor
def helpers():
    return {"link": link}


@bp.get("/")
def home():
    """The search box, the corpus size and ways in: newest documents, counts by 效力级别
    and by 发文机关, each linking to a filtered search."""
    holder = get_holder()
    with holder.lock:
        ctx = _context()
        count, ways_in = ctx.view.doc_count, overview(ctx)
    report = last_report(holder.index_dir) if not count else None
    return render_template("index.html", count=count, meta=holder.meta(), overview=ways_in,
                           report=report)


@bp.get("/advanced")
def advanced():
    """Advanced search: submitted, it becomes the equivalent /search URL; otherwise the form,
    filled from the search parameters it was given (the results page links here with them)."""
    if request.args.get("advanced"):
        form = AdvancedForm.from_form(request.args)
        return redirect(f"{url_for('search.search_page')}?{urlencode(form.search_items())}")
    form = AdvancedForm.from_search(request.args)
    with get_holder().lock:
        corpus = overview(_context()).facets
    # Every status can be asked for, even one the corpus-wide counts (one entry per version
    # chain, so only its newest version's status) do not show.
    choices = {name: _with_chosen(corpus.get(name) or [],
                                  (*form.filters.get(name, ()), *(STATUSES if name == "status" else ())))
               for name in FORM_FILTERS}
    return render_template("advanced.html", form=form, choices=choices, labels=LABELS)


def _with_chosen(values: list[tuple[str, int]], more: tuple[str, ...]) -> list[tuple[str, int]]:
    """A facet's values over the corpus, plus those it lacks (chosen ones: kept, not dropped)."""
    known = {v for v, _ in values}
    return values + [(v, 0) for v in dict.fromkeys(more) if v not in known]


@bp.get("/search")
def search_page():
    """Results with snippets, facets, sorting and pagination; refused parameters are
    explained on the page (status 400) with the forms filled in to correct them."""
    items = state_items(request.args)
    if "within" in request.args:               # 在结果中检索: AND the new words, keep the rest
        q = combine_within(request.args.get("q", ""), request.args.get("within", ""))
        return redirect(f"{request.path}?{urlencode(changed(items, q=q or None))}")
    try:
        params = params_from_request(int(current_app.config["PER_PAGE"]))
    except BadParameter as exc:
        return render_template("results.html", **page_context(items, error=str(exc))), 400
    if not params.q.strip() and not params.filters() and not (params.date_from or params.date_to):
        return home()
    results = _run(params)
    return render_template("results.html", **page_context(items, params, results,
                                                           more=request.args.get("more", "")))


@bp.get("/api/search")
def api_search():
    """Search as JSON (same parameters as the page; per_page up to 100), or with
    ``format=csv`` the result list as a CSV file (up to 1,000 rows)."""
    params = params_from_request(10)
    if request.args.get("format") == "csv":
        return _csv_response(params)
    return jsonify(_run(params).to_json())


def _csv_response(params: SearchParams):
    """Up to ``export.MAX_ROWS`` results in result order, a page of 100 at a time (the
    engine's page limit); pages are not cached (nobody browses them)."""
    holder = get_holder()
    timeout = _timeout()
    params.per_page = MAX_PER_PAGE
    rows = []
    for page in range(1, export.MAX_ROWS // MAX_PER_PAGE + 1):
        params.page = page
        with holder.lock:
            results = search(_context(), params, timeout=timeout)
        rows += [export.row(hit, url_for("search.article_page", article_id=hit.id, _external=True))
                 for hit in results.hits]
        if page >= results.pages or results.timed_out:
            break
    g.hits = results.total
    return current_app.response_class(export.csv_bytes(rows), mimetype="text/csv", headers={
        "Content-Disposition": export.disposition(params.q)}, content_type="text/csv; charset=utf-8")


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
    """One article as readable text (a regulation with headings, a table of contents and an
    anchor per 第N条), its metadata, versions, citations and related articles. The search
    state in the URL is handed on to its links and back to "返回搜索结果"."""
    q = request.args.get("q", "")[:2000]
    holder = get_holder()
    with holder.lock:
        doc = _article_or_404(article_id)
        view = _with_files(article_view(doc, q, _context().relations.get(doc["id"])), doc)
        rel = related(_context(), doc)
    items = state_items(request.args)
    qs = f"?{urlencode(items)}" if items else ""
    parts = page_parts(
        view, q, article_url=lambda i: url_for("search.article_page", article_id=i) + qs,
        compare_url=lambda a, b: url_for("search.compare_page", old_id=a, new_id=b) + qs,
        page_url=url_for("search.article_page", article_id=view.id, _external=True))
    return render_template("article.html", article=view, related=rel, q=q, state=items, state_qs=qs,
                           back_href=url_for("search.search_page") + qs if items else "",
                           kind_label=KIND_LABELS.get(view.file_kind, view.file_kind.upper()), **parts)


def _with_files(view, doc: dict):
    """The view with its 附件 links (both ways) and the URL of its original file."""
    links = attachment_links(_context().view, doc)
    view.attachments, view.attachment_of = links["attachments"], links["attachment_of"]
    if original_file(get_holder().index_dir, doc) is not None:
        view.file_url = url_for("search.article_file", article_id=view.id)
    return view


@bp.get("/articles/<article_id>/file")
def article_file(article_id: str):
    """The original file of a document (PDF, Word, OFD, spreadsheet) from the source folder
    the index was built from; 404 when it is not there (never a path outside the sources)."""
    with get_holder().lock:
        doc = _article_or_404(article_id)
    path = original_file(get_holder().index_dir, doc)
    if path is None:
        abort(404, description="没有这篇文章的原文件")
    kind = doc.get("file_kind") or ""
    return send_file(path, mimetype=MIMETYPES.get(kind, "application/octet-stream"),
                     as_attachment=kind != "pdf", download_name=download_name(doc),
                     conditional=True, max_age=0)


@bp.get("/articles/<old_id>/compare/<new_id>")
def compare_page(old_id: str, new_id: str):
    """Two versions side by side, article by article (第N条): what was added, removed, changed."""
    with get_holder().lock:
        old, new = _article_or_404(old_id), _article_or_404(new_id)
    items = state_items(request.args)
    found = compare_changes(old.get("body") or "", new.get("body") or "")
    return render_template("compare.html", old=_version_of(old), new=_version_of(new), changes=found,
                           counts=compare_counts(found), state=items,
                           state_qs=f"?{urlencode(items)}" if items else "")


@bp.get("/api/articles/<article_id>")
def api_article(article_id: str):
    """One article as JSON: its metadata, relations and full text."""
    with get_holder().lock:
        doc = _article_or_404(article_id)
        view = _with_files(article_view(doc, "", _context().relations.get(doc["id"])), doc)
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
    """OpenSearch suggestions: ``[query, [completions], [descriptions]]``: document numbers
    (with the title each belongs to), titles and terms."""
    q = request.args.get("q", "")[:100]
    with get_holder().lock:
        items = suggest(_context(), q)
    return jsonify([q, [s.text for s in items], [s.description for s in items]])
