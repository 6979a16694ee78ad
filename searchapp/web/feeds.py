"""The Atom feed of a search (``/feed``) and the 订阅 page that explains it (``/subscribe``).

A feed is what a reader application polls; opened in a browser it is raw XML, which tells
nobody what to do with it. So the results page's 订阅 leads to a page saying what
subscribing does, with the feed's address to copy into a reader and the entries it holds
now; the feed itself stays plain Atom for the readers (and the page's ``<link
rel="alternate">`` for those that discover feeds by themselves).
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlencode

from flask import url_for

from searchapp.web.addresses import external_url

FEED_SIZE = 20
# XML 1.0 cannot carry NUL and most control characters: one in a title (or the query)
# would make the whole feed unreadable, so they are dropped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def feed_state(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What a feed keeps of a search: everything but the page and the order (newest first)."""
    return [(k, v) for k, v in items if k not in ("page", "sort", "per_page")]


def addresses(items: list[tuple[str, str]]) -> dict[str, str]:
    """The feed's own address and its search page's, absolute (see ``addresses.py``)."""
    qs = urlencode(feed_state(items))
    return {"feed_url": external_url(f"{url_for('search.feed')}?{qs}"),
            "html_url": external_url(f"{url_for('search.search_page')}?{qs}"),
            "article_base": external_url(url_for("search.article_page", article_id="0")[:-1])}


def asks_something(params) -> bool:
    """A feed of no query and no filter would be every document: it stays empty."""
    return bool(params.q.strip() or params.filters() or params.date_from or params.date_to)


def atom_time(stamp: str | None) -> str:
    """RFC 3339 time for Atom from the index's ``built_at`` (which carries its offset)."""
    try:
        return datetime.strptime(stamp or "", "%Y-%m-%dT%H:%M:%S%z").isoformat()
    except ValueError:
        return "1970-01-01T00:00:00+00:00"
