"""Exceptions → status codes → the same-looking error page (JSON under /api/)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.storage.generations import IndexMissing
from searchapp.engine.search import BadParameter

MESSAGES = {400: "请求参数有误", 404: "页面不存在", 405: "不支持的请求方法",
            500: "服务器内部错误", 503: "索引暂不可用"}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _respond(status: int, detail: str):
    title = MESSAGES.get(status, "出错了")
    if _wants_json():
        return jsonify({"error": title, "detail": detail, "status": status}), status
    return render_template("error.html", status=status, title=title, detail=detail), status


def init_app(app: Flask) -> None:
    @app.errorhandler(BadParameter)
    def bad_parameter(exc):
        return _respond(400, str(exc))

    @app.errorhandler(IndexMissing)
    def index_missing(exc):
        return _respond(503, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return _respond(exc.code or 500, exc.description or "")

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error on %s", request.path)
        return _respond(500, "请稍后再试")
