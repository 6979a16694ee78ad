"""How responses leave the app: static files under a content-hash URL with a long max-age,
and pages compressed for clients that accept gzip.

``url_for('static', filename='style.css')`` gives ``/static/style.css?v=<hash>``: the hash
of the file's bytes, read once when the app is created, so a changed file gets a new URL
and a browser may keep one for a year (``immutable``) without asking again. A request with
another ``v``, or none, is answered ``no-cache`` (revalidated with its ETag), so an old
page never pins a new file for a year. Behind nginx, ``deploy/`` serves ``/static/`` from
disk with the same rule.

Responses in text formats (pages, JSON, CSV, feeds) of at least ``MIN_BYTES`` are sent
gzip-compressed to a client whose ``Accept-Encoding`` takes gzip (every browser): a results
page of 50 KB becomes 10 KB. The standard library's ``gzip`` at level 1: 0.1 ms for such a
page, where level 6 takes 0.5 ms for 10% less (measured on the shared corpus's pages).
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from flask import Flask, request

LONG_MAX_AGE = "public, max-age=31536000, immutable"
MIN_BYTES = 1024
LEVEL = 1
COMPRESSIBLE = frozenset({
    "text/html", "application/json", "text/csv", "text/plain", "text/css", "text/javascript",
    "application/javascript", "application/atom+xml", "application/opensearchdescription+xml",
    "application/xml", "image/svg+xml"})


def file_versions(folder: str | None) -> dict[str, str]:
    """Each file under ``folder`` (a path relative to it, with "/") → a hash of its bytes."""
    if not folder or not Path(folder).is_dir():
        return {}
    root = Path(folder)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()[:12]
            for p in sorted(root.rglob("*")) if p.is_file()}


def init_app(app: Flask) -> None:
    versions = file_versions(app.static_folder)
    app.extensions["static_versions"] = versions

    @app.url_defaults
    def static_version(endpoint, values):
        if endpoint == "static" and "v" not in values:
            version = versions.get(values.get("filename", ""))
            if version:
                values["v"] = version

    @app.after_request
    def static_cache(response):
        if request.endpoint != "static":
            return response
        filename = (request.view_args or {}).get("filename", "")
        wanted = request.args.get("v")
        fresh = wanted is not None and wanted == versions.get(filename)
        response.headers["Cache-Control"] = LONG_MAX_AGE if fresh else "no-cache"
        return response

    app.after_request(compress)


def compress(response):
    """gzip the body of a text response when the client takes it (see the module doc)."""
    if (response.direct_passthrough or response.is_streamed or response.status_code in (204, 304)
            or response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers):
        return response
    headers = response.headers
    vary = headers.get("Vary")
    headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    if "gzip" not in request.headers.get("Accept-Encoding", "") or not request.accept_encodings["gzip"]:
        return response
    data = response.get_data()
    if len(data) < MIN_BYTES:
        return response
    response.set_data(gzip.compress(data, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    return response
