"""One open index per worker process, reopened when a reindex has changed it, and the
handle a request uses (flaskr's ``get_db``/``close_db``).

A full reindex moves ``CURRENT`` to a new generation; an incremental one commits a new
Whoosh TOC into the same generation. Either way the next request (checked at most every
``REFRESH_SECONDS``) gets a fresh searcher; the old one keeps answering until then.

A view asks ``get_index()`` for the index; the first call of a request takes the holder's
lock and keeps the search context on ``g``, and the app's teardown (``release_index``)
lets it go. So no view takes the lock itself, a request sees one index from start to end
(a reindex cannot swap it in the middle), and a threaded server never runs two searches
on one context at once (its caches are not thread-safe).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from cachetools import LRUCache
from flask import Flask, current_app, g

from indexer import storage as store
from searchapp.engine.context import SearchContext, is_current, keep_from_collector
from searchapp.engine.opening import open_context


class ResultCache(LRUCache):
    """Recent result pages of this worker, emptied whenever the searcher changes.

    Popular queries repeat (the front page's examples, a feed polled by many readers);
    a page costs 5-50 ms to compute and microseconds to return again. Size 0 keeps none.
    """

    def __init__(self, size: int = 512):
        super().__init__(max(size, 1))
        self.size = size

    def put(self, key, value) -> None:
        if self.size > 0:
            self[key] = value


class IndexHolder:
    """The open index of one process (a search context over an ``IndexView``), reopened when
    a reindex changes it. Not safe across threads by itself: callers hold ``lock``."""

    def __init__(self, index_dir: Path, refresh_seconds: float = 1.0,
                 mmap: bool | None = None, result_cache: int = 512,
                 synonyms_file: str | None = None):
        self.index_dir = Path(index_dir)
        self.refresh_seconds = refresh_seconds
        self.mmap = mmap
        self.synonyms_file = synonyms_file or None
        self.lock = threading.RLock()
        self._gen: str | None = None
        self._ctx: SearchContext | None = None
        self._checked = 0.0
        self.results = ResultCache(result_cache)

    def context(self) -> SearchContext:
        """The current search context; raises ``store.IndexMissing`` when there is no
        usable index."""
        with self.lock:
            now = time.monotonic()
            if self._ctx is None or now - self._checked >= self.refresh_seconds:
                self._checked = now
                self._refresh()
            return self._ctx

    def _refresh(self) -> None:
        if self._ctx is not None and is_current(self._ctx, self.index_dir):
            return
        old = self._ctx
        self._ctx = open_context(self.index_dir, self.mmap, self.synonyms_file)
        self._gen = self._ctx.generation.name
        self.results.clear()
        if old is not None:
            old.close()
        keep_from_collector()

    @property
    def generation(self) -> str | None:
        return self._gen

    def meta(self) -> dict:
        gen = store.current(self.index_dir)
        return gen.read_json(store.META, {}) if gen else {}

    def close(self) -> None:
        with self.lock:
            if self._ctx is not None:
                self._ctx.close()
                self._ctx = None


def get_holder(app: Flask | None = None) -> IndexHolder:
    """The app's ``IndexHolder`` (one per process)."""
    return (app or current_app).extensions["policy_search"]


def get_index() -> SearchContext:
    """This request's search context: the holder's current one, held until the teardown.

    :raise store.IndexMissing: when there is no usable index (the app answers 503).
    """
    if "index" not in g:
        holder = get_holder()
        if "index_lease" not in g:          # once per request, even if opening failed before
            holder.lock.acquire()
            g.index_lease = holder.lock
        g.index = holder.context()
    return g.index


def release_index(exc: BaseException | None = None) -> None:
    """Teardown: let the index go (registered with ``teardown_appcontext``)."""
    g.pop("index", None)
    lease = g.pop("index_lease", None)
    if lease is not None:
        lease.release()
