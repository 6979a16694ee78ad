"""The search state a page carries in its URL, and links that change one part of it.

A search is entirely described by its query string: ``q``, the filters (each repeatable, any
of the values), ``exclude_<filter>``, ``from``/``to``, ``title_only``, ``all_versions``,
``sort``, ``per_page`` and ``page``. Every link and form of the results page rebuilds that
string with one change, so nothing is lost on apply, sort, page or a facet click; result
links hand it on to the article page, whose "返回搜索结果" hands it back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from indexer.chars import CJK
from searchapp.engine.search import FILTERS

EXCLUDES = tuple(f"exclude_{name}" for name in FILTERS)
# Order in which a rebuilt query string lists them (the user's own order is kept where it can be).
# ``as_typed=1`` asks for the query as typed, not a spelling correction of it (the engine's
# corrected_query): carried like the rest so a page, sort or filter keeps it.
STATE_KEYS = ("q", *FILTERS, *EXCLUDES, "from", "to", "title_only", "all_versions", "sort",
              "per_page", "page", "as_typed")
_STATE = frozenset(STATE_KEYS)
_CJK = re.compile(f"[{CJK}]")


def state_items(args) -> list[tuple[str, str]]:
    """The search state among request ``args`` (a MultiDict), in URL order, blanks dropped."""
    return [(k, v) for k, v in args.items(multi=True) if k in _STATE and v != ""]


def query_string(items: list[tuple[str, str]]) -> str:
    return urlencode(items)


def changed(items: list[tuple[str, str]], keep_page: bool = False, **changes) -> list[tuple[str, str]]:
    """``items`` with some keys replaced (a value, in the key's place) or removed (None or
    ""); page resets to 1 unless kept or changed."""
    out, placed = [], set()
    for key, value in items:
        if key in changes:
            if key not in placed and changes[key] not in (None, ""):
                out.append((key, str(changes[key])))
            placed.add(key)
        elif key != "page" or keep_page:
            out.append((key, value))
    return out + [(k, str(v)) for k, v in changes.items() if k not in placed and v not in (None, "")]


def without(items: list[tuple[str, str]], key: str, value: str) -> list[tuple[str, str]]:
    """``items`` less one value of a repeatable key; page resets to 1."""
    return [(k, v) for k, v in items if k != "page" and not (k == key and v == value)]


def single_example(q: str) -> str:
    """A Chinese character of the query to suggest as a one-character search (税 if none)."""
    found = _CJK.search(q or "")
    return found.group() if found else "税"


def combine_within(q: str, within: str) -> str:
    """The current query ANDed with one typed to search within its results."""
    q, within = (q or "").strip(), (within or "").strip()
    if not q or not within:
        return q or within
    # OR binds looser than the implicit AND: group the old query so the new words apply to all of it.
    if re.search(r"(?:^|\s)(?:OR|\|\|?)(?:\s|$)", q):
        q = f"({q})"
    return f"{q} {within}"


@lru_cache(maxsize=8192)
def quoted(value: str) -> str:
    """A value percent-encoded for a query string. Facet values (sources, categories, years)
    recur on every page: encoding them is most of a page's link building, so it is cached."""
    return quote(value, safe="")


class Linker:
    """Links of one results page. A page lists hundreds of facet values, each with two
    links: the base query string is encoded and HTML-escaped once, and a value's links only
    append its own pair, as ready-made markup (percent-encoded text has nothing to escape)."""

    def __init__(self, path: str, items: list[tuple[str, str]]):
        self.path = path
        self.all_items = items
        self.items = [(k, v) for k, v in items if k != "page"]
        base = urlencode(self.items)
        self._prefix = str(escape(f"{path}?{base}&" if base else f"{path}?"))

    def to(self, items: list[tuple[str, str]]) -> str:
        return f"{self.path}?{urlencode(items)}"

    def adding(self, key: str, value: str) -> Markup:
        return self.adding_quoted(quoted(key), quoted(value))

    def adding_quoted(self, key: str, value: str) -> Markup:
        """``adding`` for an already percent-encoded key and value."""
        return Markup(f"{self._prefix}{key}={value}")

    def expanding(self, facet: str) -> str:
        """This page with every value of ``facet`` listed (``more`` is not search state:
        the next click folds it again), scrolled to it."""
        return f"{self.to([*self.all_items, ('more', facet)])}#facet-{facet}"

    def removing(self, key: str, value: str) -> str:
        return self.to(without(self.items, key, value))

    def excluding(self, name: str, value: str) -> str:
        """Leave ``value`` out of facet ``name`` (no longer chosen if it was)."""
        return self.to([*without(self.items, name, value), (f"exclude_{name}", value)])
