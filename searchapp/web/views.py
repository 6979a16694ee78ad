"""Pages, the JSON API, the Atom feed and OpenSearch: one Blueprint of boring views."""

from __future__ import annotations

import re
import time
from dataclasses import replace
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
from searchapp.engine.parse import MAX_QUERY_CHARS
from searchapp.engine.related import related
from searchapp.engine.search import (
    FILTERS,
    MAX_PER_PAGE,
    BadParameter,
    SearchParams,
    query_highlights,
    search,
)
from searchapp.engine.suggest import suggest
from searchapp.web import export, feeds
from searchapp.web.addresses import citable_url, external_url
from searchapp.web.advanced import FORM_FILTERS, AdvancedForm
from searchapp.web.article_page import article_view, page_parts, versions_in_order
from searchapp.web.browse import browse_lists, overview
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
from searchapp.web.holder import get_holder, get_index
from searchapp.web.results_page import page_context
from searchapp.web.state import changed, combine_within, query_cut, state_items

bp = Blueprint("search", __name__)

_ID = re.compile(r"^[0-9a-f]{16}$")
_TRUE = {"1", "true", "on", "yes"}


_LABELS = {"page": "页码", "per_page": "每页条数"}
# The search boxes take more than is searched, so that a long text pasted into one arrives
# whole and the page can say it was cut (the browser would cut it silently at maxlength):
# 2,000 Chinese characters are 18 KB of URL, well within what serve and deploy/'s nginx read.
BOX_MAX = 4 * MAX_QUERY_CHARS


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
    values) and ``exclude_<filter>`` leaves values out; other repeated parameters count once.
    The query is cut where the engine cuts it (``MAX_QUERY_CHARS``)."""
    args = request.args
    return SearchParams(
        q=args.get("q", "")[:MAX_QUERY_CHARS], page=_int_arg("page", 1),
        per_page=_int_arg("per_page", default_per_page),
        sort=args.get("sort", "relevance") or "relevance",
        date_from=args.get("from", "").strip(), date_to=args.get("to", "").strip(),
        **{name: tuple(args.getlist(name)) for name in FILTERS},
        exclude={name: tuple(args.getlist(f"exclude_{name}")) for name in FILTERS},
        title_only=args.get("title_only", "").lower() in _TRUE,
        all_versions=args.get("all_versions", "").lower() in _TRUE,
        as_typed=args.get("as_typed", "").lower() in _TRUE,
    ).validate()


def _timeout() -> float | None:
    """QUERY_TIMEOUT_MS in seconds; 0 (or less) means no limit."""
    ms = float(current_app.config["QUERY_TIMEOUT_MS"])
    return ms / 1000 if ms > 0 else None


def _run(params: SearchParams):
    started = time.perf_counter()
    ctx, cache = get_index(), get_holder().results
    # An edited synonym file changes the answer: it is part of what a page is cached under.
    key = (params.key(), ctx.synonyms.stamp())
    results = cache.get(key)
    if results is None:
        results = search(ctx, params, timeout=_timeout())
        if not results.timed_out:          # a cut-short answer is not worth repeating
            cache.put(key, results)
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
    return {"link": link, "max_query": MAX_QUERY_CHARS, "box_max": BOX_MAX}


@bp.get("/")
def home():
    """The search box, the corpus size and ways in: newest documents, counts by 效力级别,
    发文机关 and 媒体来源, each linking to the search that finds what it counts; for an
    empty index, what the last reindex skipped and why."""
    ctx, holder = get_index(), get_holder()
    count, ways_in = ctx.view.doc_count, overview(ctx)
    report = last_report(holder.index_dir) if not count else None
    return render_template("index.html", count=count, meta=holder.meta(), overview=ways_in,
                           report=report, browse=browse_lists(
                               ways_in, lambda **p: url_for("search.search_page", **p)))


@bp.get("/advanced")
def advanced():
    """Advanced search: submitted, it becomes the equivalent /search URL; otherwise the form,
    filled from the search parameters it was given (the results page links here with them)."""
    if request.args.get("advanced"):
        form = AdvancedForm.from_form(request.args)
        return redirect(f"{url_for('search.search_page')}?{urlencode(form.search_items())}")
    form = AdvancedForm.from_search(request.args)
    corpus = overview(get_index()).facets
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
    return render_template("results.html", **page_context(
        items, params, results, more=request.args.get("more", ""), query_cut=query_cut(request.args)))


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
    ctx, timeout = get_index(), _timeout()
    params.per_page = MAX_PER_PAGE
    rows = []
    for page in range(1, export.MAX_ROWS // MAX_PER_PAGE + 1):
        params.page = page
        results = search(ctx, params, timeout=timeout)
        rows += [export.row(hit, external_url(url_for("search.article_page", article_id=hit.id)))
                 for hit in results.hits]
        if page >= results.pages or results.timed_out:
            break
    g.hits = results.total
    return current_app.response_class(export.csv_bytes(rows), mimetype="text/csv", headers={
        "Content-Disposition": export.disposition(params.q)}, content_type="text/csv; charset=utf-8")


def _article_or_404(article_id: str):
    if not _ID.match(article_id):
        abort(404, description="没有这篇文章")
    view = get_index().view
    docnum = view.docnum_of(article_id)
    if docnum is None:
        abort(404, description="没有这篇文章")
    return view.stored(docnum)


@bp.get("/articles/<article_id>")
def article_page(article_id: str):
    """One article as readable text (a regulation with headings, a table of contents and an
    anchor per 第N条), its metadata, versions, citations and related articles. The search
    state in the URL is handed on to its links and back to "返回搜索结果"."""
    q = request.args.get("q", "")[:MAX_QUERY_CHARS]
    doc = _article_or_404(article_id)
    terms = query_highlights(q, get_index(), seconds=_timeout(),
                             as_typed=request.args.get("as_typed", "").lower() in _TRUE)
    view = _with_files(article_view(doc, terms, get_index().relations.get(doc["id"])), doc)
    rel = related(get_index(), doc)
    items = state_items(request.args)
    qs = f"?{urlencode(items)}" if items else ""
    parts = page_parts(
        view, terms, article_url=lambda i: url_for("search.article_page", article_id=i) + qs,
        compare_url=lambda a, b: url_for("search.compare_page", old_id=a, new_id=b) + qs,
        page_url=citable_url(url_for("search.article_page", article_id=view.id)))
    return render_template("article.html", article=view, related=rel, q=q, state=items, state_qs=qs,
                           back_href=url_for("search.search_page") + qs if items else "",
                           kind_label=KIND_LABELS.get(view.file_kind, view.file_kind.upper()), **parts)


def _with_files(view, doc: dict):
    """The view with its 附件 links (both ways) and the URL of its original file."""
    links = attachment_links(get_index().view, doc)
    view.attachments, view.attachment_of = links["attachments"], links["attachment_of"]
    if original_file(get_holder().index_dir, doc) is not None:
        view.file_url = url_for("search.article_file", article_id=view.id)
    return view


@bp.get("/articles/<article_id>/file")
def article_file(article_id: str):
    """The original file of a document (PDF, Word, OFD, spreadsheet) from the source folder
    the index was built from; 404 when it is not there (never a path outside the sources)."""
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
    old, new = _article_or_404(old_id), _article_or_404(new_id)
    items = state_items(request.args)
    found = compare_changes(old.get("body") or "", new.get("body") or "")
    return render_template("compare.html", old=_version_of(old), new=_version_of(new), changes=found,
                           counts=compare_counts(found), state=items,
                           state_qs=f"?{urlencode(items)}" if items else "")


@bp.get("/compare")
def compare_pick():
    """The 版本 panel's form: any two versions (``old``, ``new``), older first, compared."""
    first = _article_or_404(request.args.get("old", ""))
    second = _article_or_404(request.args.get("new", ""))
    relations = get_index().relations.get(first["id"])
    old, new = versions_in_order(first, second, relations.versions if relations else [])
    items = state_items(request.args)
    return redirect(url_for("search.compare_page", old_id=old["id"], new_id=new["id"])
                    + (f"?{urlencode(items)}" if items else ""))


@bp.get("/api/articles/<article_id>")
def api_article(article_id: str):
    """One article as JSON: its metadata, relations and full text."""
    doc = _article_or_404(article_id)
    view = _with_files(article_view(doc, (), get_index().relations.get(doc["id"])), doc)
    return jsonify(view.to_json())


@bp.get("/api/articles/<old_id>/compare/<new_id>")
def api_compare(old_id: str, new_id: str):
    """The changes from one version of a regulation to another, article by article (第N条)."""
    old, new = _article_or_404(old_id), _article_or_404(new_id)
    return jsonify({"old": _version_of(old), "new": _version_of(new),
                    "changes": compare(old.get("body") or "", new.get("body") or "")})


def _version_of(doc: dict) -> dict:
    return {"id": doc["id"], "title": doc.get("title") or "", "date": doc.get("date") or ""}


@bp.get("/healthz")
def healthz():
    """Index generation and document count (503 when there is no usable index)."""
    count = get_index().view.doc_count
    holder = get_holder()
    return jsonify({"status": "ok", "generation": holder.generation, "documents": count,
                    "built_at": holder.meta().get("built_at")})


@bp.get("/feed")
def feed():
    """Atom feed of a search, newest first."""
    params = params_from_request(feeds.FEED_SIZE)
    params.sort, params.page, params.per_page = "date", 1, feeds.FEED_SIZE
    results = _run(params) if feeds.asks_something(params) else None
    meta = get_holder().meta()
    meta["updated"] = feeds.atom_time(meta.get("built_at"))
    body = render_template("feed.xml", params=params, results=results, meta=meta,
                           **feeds.addresses(state_items(request.args)))
    return feeds.NOT_XML.sub("", body), 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


@bp.get("/subscribe")
def subscribe():
    """订阅: what following a search does, its feed's address to copy, its newest entries."""
    params = params_from_request(feeds.FEED_SIZE)
    params.sort, params.page, params.per_page = "date", 1, feeds.FEED_SIZE
    items = state_items(request.args)
    results = _run(params) if feeds.asks_something(params) else None
    return render_template("subscribe.html", params=params, results=results, q=params.q,
                           back_href=url_for("search.search_page") + "?" + urlencode(items),
                           **feeds.addresses(items))


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
    items = suggest(get_index(), q)
    return jsonify([q, [s.text for s in items], [s.description for s in items]])
