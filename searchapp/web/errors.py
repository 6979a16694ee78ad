"""Exceptions → status codes → the same-looking error page (JSON under /api/)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from indexer.storage import IndexMissing
from searchapp.engine.search import BadParameter

MESSAGES = {400: "请求参数有误", 403: "禁止访问", 404: "页面不存在", 405: "不支持的请求方法",
            408: "请求超时", 413: "请求内容过大", 414: "网址过长", 429: "请求过于频繁",
            500: "服务器内部错误", 503: "索引暂不可用"}
# Said instead of Werkzeug's English descriptions (a view's own abort() text is kept).
DETAILS = {400: "请检查网址中的参数。", 403: "您没有访问此页面的权限。",
           404: "您访问的网址不存在，可能输入有误或页面已被移除。",
           405: "此网址不支持这种请求方式。", 408: "请求等待过久，请重试。",
           413: "请求内容超过了允许的大小。", 414: "网址太长，请缩短搜索词后再试。",
           429: "请稍后再试。", 500: "请稍后再试。", 503: "请稍后再试。"}
BUSY_TITLE = "服务器繁忙"
BUSY_DETAIL = "当前访问人数较多，请稍后再试"


def wants_json(path: str) -> bool:
    """Paths whose errors are JSON (the API and the health check); the rest get the page."""
    return path.startswith("/api/") or path == "/healthz"


def _respond(status: int, detail: str, title: str | None = None):
    title = title or MESSAGES.get(status, "出错了")
    if wants_json(request.path):
        return jsonify({"error": title, "detail": detail, "status": status}), status
    return render_template("error.html", status=status, title=title, detail=detail), status


def overload_response(app: Flask, api: bool, retry_after: int) -> Response:
    """The 503 a server worker sends when its queue is full: rendered once, sent many times.

    The worker answers these without running a request through the app (that is the
    point: the app is busy), so the page carries no request-specific content.
    """
    from searchapp.web.app import security_headers

    with app.test_request_context("/api/search" if api else "/"):
        response = app.make_response(_respond(503, BUSY_DETAIL, BUSY_TITLE))
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return security_headers(response)


def too_long_response(app: Flask) -> Response:
    """The 414 page a server worker sends for a request line it will not read (the app
    never sees such a request): rendered once, in the site's layout."""
    from searchapp.web.app import security_headers

    with app.test_request_context("/"):
        response = app.make_response(_respond(414, DETAILS[414]))
    return security_headers(response)


def init_app(app: Flask) -> None:
    @app.errorhandler(BadParameter)
    def bad_parameter(exc):
        return _respond(400, str(exc))

    @app.errorhandler(IndexMissing)
    def index_missing(exc):
        return _respond(503, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        code = exc.code or 500
        # Werkzeug's class-level description is English; a view's abort(…, description=…) is ours.
        own = exc.description if exc.description != type(exc).description else ""
        return _respond(code, own or DETAILS.get(code, "请稍后再试。"))

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error on %s", request.path)
        return _respond(500, "请稍后再试")
