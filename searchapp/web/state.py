"""The search state a page carries in its URL, and links that change one part of it.

A search is entirely described by its query string: ``q``, the filters (each repeatable, any
of the values), ``exclude_<filter>``, ``from``/``to``, ``title_only``, ``all_versions``,
``sort``, ``per_page`` and ``page``. Every link and form of the results page rebuilds that
string with one change, so nothing is lost on apply, sort, page or a facet click; result
links hand it on to the article page, whose "返回搜索结果" hands it back.

The query is kept as the engine searches it, cut at ``MAX_QUERY_CHARS``: a pasted page of
text is searched (and carried by every link) as its first 500 characters, and the page
says so.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from indexer.chars import CJK
from searchapp.engine.parse import MAX_QUERY_CHARS
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
    """The search state among request ``args`` (a MultiDict), in URL order, blanks dropped,
    the query cut where the engine cuts it."""
    return [(k, v[:MAX_QUERY_CHARS] if k == "q" else v) for k, v in args.items(multi=True)
            if k in _STATE and v != ""]


def query_cut(args) -> int:
    """The length of the query asked for, when it is longer than what is searched (else 0)."""
    q = args.get("q", "")
    return len(q) if len(q) > MAX_QUERY_CHARS else 0


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


class Linker:
    """Links of one results page that change its search state (page reset to 1)."""

    def __init__(self, path: str, items: list[tuple[str, str]]):
        self.path = path
        self.items = [(k, v) for k, v in items if k != "page"]

    def to(self, items: list[tuple[str, str]]) -> str:
        return f"{self.path}?{urlencode(items)}"

    def removing(self, key: str, value: str) -> str:
        return self.to(without(self.items, key, value))

    def excluding(self, name: str, value: str) -> str:
        """Leave ``value`` out of facet ``name`` (no longer chosen if it was)."""
        return self.to([*without(self.items, name, value), (f"exclude_{name}", value)])
