"""Addresses of this site's pages that leave it: in a citation, a feed, a CSV export.

A citation is copied into papers and reports, so it never names the address the page
happened to be read at (``http://127.0.0.1:8000/…`` on a laptop, an internal host behind
nginx): only the configured ``PUBLIC_URL``, and without one no address of this site at
all (a document's own original URL is still cited). Feeds and exports are read back by
the person who made them: they use ``PUBLIC_URL`` when set, else the address asked for.
"""

from __future__ import annotations

from flask import current_app, request


def public_base() -> str:
    """``PUBLIC_URL`` without its trailing "/" ("" when not configured)."""
    return str(current_app.config.get("PUBLIC_URL") or "").strip().rstrip("/")


def citable_url(path: str) -> str:
    """The public address of ``path`` (``/articles/…``), or "" when none is configured."""
    base = public_base()
    return base + path if base else ""


def external_url(path: str) -> str:
    """``path`` under ``PUBLIC_URL``, else under the address this request was made to."""
    return (public_base() or request.host_url.rstrip("/")) + path
