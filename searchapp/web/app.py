"""The search web app: ``create_app`` is the factory (no module-level app)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import Flask, g, request

from indexer import storage as store
from searchapp.config import DEFAULTS, ENV_PREFIX, configure_analysis, index_dir
from searchapp.web.holder import IndexHolder, get_holder, release_index


def _template_folder() -> str:
    """Top-level ``templates/`` of a checkout, or the copy an installed package carries
    (``setup.py`` bundles it)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "templates", here / "templates"):
        if candidate.is_dir():
            return str(candidate)
    return str(here / "templates")


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: defaults, then ``POLICY_SEARCH_*`` env (unless testing), then overrides."""
    app = Flask(__name__, template_folder=_template_folder())
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.json.ensure_ascii = False
    app.config.from_mapping(DEFAULTS)
    if not (test_config or {}).get("TESTING"):
        app.config.from_prefixed_env(ENV_PREFIX)
    if test_config:
        app.config.update(test_config)
    app.config["INDEX_DIR"] = str(index_dir(app.config["INDEX_DIR"]).resolve())
    configure_analysis(app.config)
    app.extensions["policy_search"] = IndexHolder(
        Path(app.config["INDEX_DIR"]), float(app.config["REFRESH_SECONDS"]),
        mmap=_mmap_setting(app.config["MMAP"]), result_cache=int(app.config["RESULT_CACHE"]),
        synonyms_file=app.config["SYNONYMS"])

    app.teardown_appcontext(release_index)

    from searchapp.web import delivery, errors, views

    app.register_blueprint(views.bp)
    errors.init_app(app)
    delivery.init_app(app)
    _init_access_log(app)
    app.after_request(security_headers)
    return app


# No inline script or style anywhere: everything comes from /static.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


def _mmap_setting(value) -> bool | None:
    """MMAP: "auto" (or empty) → None, falsy words → False, anything else → True."""
    text = str(value).strip().lower()
    if text in ("auto", ""):
        return None
    return text not in ("0", "false", "no", "off")


def security_headers(response):
    """Headers every response carries (pages, API, errors, static files)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    return response


def _init_access_log(app: Flask) -> None:
    log = logging.getLogger("policy_search.access")

    @app.before_request
    def start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def access_log(response):
        ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        hits = g.get("hits")
        q = request.args.get("q", "")
        log.info('%s %s q="%s" hits=%s status=%s %.1fms', request.method, request.path,
                 q.replace('"', "'")[:200], "-" if hits is None else hits,
                 response.status_code, ms)
        return response


__all__ = ["create_app", "get_holder", "store"]
