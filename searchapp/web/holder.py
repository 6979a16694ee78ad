"""One open index per worker process, reopened when a reindex has changed it.

A full reindex moves ``CURRENT`` to a new generation; an incremental one commits a new
Whoosh TOC into the same generation. Either way the next request (checked at most every
``REFRESH_SECONDS``) gets a fresh searcher; the old one keeps answering until then.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from pathlib import Path

from indexer.storage import generations as store
from searchapp.engine.search import scoring_model


class ResultCache:
    """Recent result pages of this worker, emptied whenever the searcher changes.

    Popular queries repeat (the front page's examples, a feed polled by many readers);
    a page costs 5-50 ms to compute and microseconds to return again.
    """

    def __init__(self, size: int = 512):
        self.size = size
        self._items: OrderedDict = OrderedDict()

    def get(self, key):
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key, value) -> None:
        if self.size <= 0:
            return
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


class IndexHolder:
    """The searcher of one process (Whoosh searchers are not safe across threads: lock)."""

    def __init__(self, index_dir: Path, refresh_seconds: float = 1.0,
                 mmap: bool | None = None, result_cache: int = 512):
        self.index_dir = Path(index_dir)
        self.refresh_seconds = refresh_seconds
        self.mmap = mmap
        self.lock = threading.RLock()
        self._ix = None
        self._gen: str | None = None
        self._searcher = None
        self._checked = 0.0
        self.results = ResultCache(result_cache)

    def searcher(self):
        """The current searcher; raises ``store.IndexMissing`` when there is no usable index."""
        with self.lock:
            now = time.monotonic()
            if self._searcher is None or now - self._checked >= self.refresh_seconds:
                self._checked = now
                self._refresh()
            return self._searcher

    def _refresh(self) -> None:
        gen = store.current(self.index_dir)
        if self._searcher is not None and gen is not None and gen.name == self._gen:
            if self._searcher.up_to_date():
                return
            # A fresh searcher, not Searcher.refresh(): that reuses an unchanged segment's
            # reader with its old deletions, so a deleted article would stay findable.
            old, self._searcher = self._searcher, self._ix.searcher(weighting=scoring_model())
            self.results.clear()
            old.close()
            return
        ix, gen = store.open_current(self.index_dir, mmap=self.mmap)
        old = self._searcher
        self._ix, self._gen = ix, gen.name
        self._searcher = ix.searcher(weighting=scoring_model())
        self.results.clear()
        if old is not None:
            old.close()

    @property
    def generation(self) -> str | None:
        return self._gen

    def meta(self) -> dict:
        gen = store.current(self.index_dir)
        return gen.read_json(store.META, {}) if gen else {}

    def close(self) -> None:
        with self.lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
