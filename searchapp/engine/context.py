"""What the engine keeps about one open index while it is open: arrays derived from columns,
checked phrases, BM25 length norms, the official titles.

``SearchContext(view)`` is created by whoever opens an ``IndexView`` (``opening.py``, for
the web app's ``IndexHolder``, the CLI and the benchmarks) and dropped with it, so nothing
here outlives the index generation it describes.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import numpy as np
from cachetools import LRUCache

from indexer import storage as store
from indexer.storage import IndexView
from indexer.vocabulary import read_titles
from searchapp.engine import docsets
from searchapp.engine.everyday import TitleTerms
from searchapp.engine.relations import DocumentRelations
from searchapp.engine.synonyms import Synonyms

log = logging.getLogger("policy_search")
PHRASE_CACHE_DOCS = 2_000_000      # documents held in remembered phrase results
PHRASES_OCCURRING = 4096           # phrases remembered as occurring or not


class SearchContext:
    """One open index plus the engine's derived arrays and caches."""

    def __init__(self, view: IndexView, relations: dict | None = None,
                 generation: store.Generation | None = None, synonyms_file: str | None = None):
        self.view = view
        self.relations = DocumentRelations.from_json(relations or {}, view)
        # The synonym rules, with the abbreviations this index's documents define.
        self.synonyms = Synonyms(synonyms_file, (relations or {}).get("abbreviations", ()))
        self.generation = generation
        self.size = view.doc_count_all
        self._arrays: dict = {}
        # Phrase results by their number of documents, least recently used dropped first.
        self._phrases: LRUCache = LRUCache(PHRASE_CACHE_DOCS, getsizeof=lambda d: len(d) + 16)
        # Whether a phrase occurs at all, for the phrases only that question was asked of.
        self._occurs: LRUCache = LRUCache(PHRASES_OCCURRING)

    def close(self) -> None:
        self.view.close()

    def stamp(self) -> tuple:
        """What says this context is still the index's current state: the generation, its
        TOC and its relations file (an incremental reindex changes both)."""
        return _stamp(self.generation, self.view.reader.generation())

    def all_docs(self) -> np.ndarray:
        """Every live document, ascending."""
        if "all" not in self._arrays:
            self._arrays["all"] = docsets.everything(self.size, self.view.live)
        return self._arrays["all"]

    def date_keys(self) -> np.ndarray:
        """Each document's date as an integer YYYYMMDD (0 when it has none)."""
        if "dates" not in self._arrays:
            codes, values = self.view.codes("date")
            table = np.array([int(v.replace("-", "")) if v else 0 for v in values], dtype=np.int64)
            self._arrays["dates"] = table[codes]
        return self._arrays["dates"]

    def titles(self) -> TitleTerms:
        """The official titles the build kept with the index (none for an index built
        before they were kept: everyday forms then come from the synonym rules alone)."""
        return self.cached("titles", self._read_titles)

    def _read_titles(self) -> TitleTerms:
        titles = read_titles(self.generation)
        if titles is None and self.generation is not None:
            log.warning("%s keeps no official titles: run `policy-search reindex --full` for "
                        "everyday forms found from them", self.generation.path)
        return TitleTerms(titles or [])

    def cached(self, key, compute):
        """A derived array computed once per open index."""
        if key not in self._arrays:
            self._arrays[key] = compute()
        return self._arrays[key]

    # Phrases found over the whole index, remembered: common phrases repeat across searches.

    def phrase(self, key) -> np.ndarray | None:
        return self._phrases.get(key)

    def remember_phrase(self, key, docs: np.ndarray) -> None:
        if len(docs) + 16 <= PHRASE_CACHE_DOCS:
            self._phrases[key] = docs

    def occurs(self, key) -> bool | None:
        """Whether the phrase occurs anywhere, if known."""
        known = self._phrases.get(key)
        return bool(len(known)) if known is not None else self._occurs.get(key)

    def remember_occurs(self, key, found: bool) -> None:
        self._occurs[key] = found


def _stamp(gen: store.Generation | None, toc: int) -> tuple:
    if gen is None:
        return (None, toc)
    try:
        mtime = (gen.path / store.RELATIONS).stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0
    return (gen.name, toc, mtime)


def keep_from_collector() -> None:
    """Move every object alive now out of the cyclic garbage collector's sight (``gc.freeze``);
    called by whoever keeps a context open for many searches, once it is open.

    An open index holds many long-lived objects (every document's relations, value tables,
    the synonym rules) and no garbage; the collector walked all of them on each full
    collection, 105 ms at 10^5 documents, taken by whichever search happened to trigger it
    (the slowest first runs of the query mix). Frozen objects are still freed by reference
    counting: a context replaced after a reindex goes as soon as nothing refers to it.
    """
    gc.freeze()


def is_current(ctx: SearchContext, index_dir: Path) -> bool:
    """Whether ``ctx`` still shows what ``index_dir``'s live index holds."""
    gen = store.current(Path(index_dir))
    if gen is None or ctx.generation is None or gen.name != ctx.generation.name:
        return False
    return ctx.stamp() == _stamp(gen, ctx.view.ix.latest_generation())
