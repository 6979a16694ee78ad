"""One open index per worker process, reopened when a reindex has changed it.

A full reindex moves ``CURRENT`` to a new generation; an incremental one commits a new
Whoosh TOC into the same generation. Either way the next request (checked at most every
``REFRESH_SECONDS``) gets a fresh searcher; the old one keeps answering until then.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from cachetools import LRUCache

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
