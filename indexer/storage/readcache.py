"""Caches on Whoosh's segment readers, for as long as a searcher is open.

Whoosh looks a term up in the on-disk hash table each time a matcher or a statistic asks
for it (five or six times per term in one search: compiling, counting, scoring), and it
decompresses and unpickles a whole posting block, positions included, each time a matcher
enters it. One search enters the same blocks several times (match sets, phrase positions,
scoring) and a stream of searches keeps returning to the same common terms. ``install``
gives every segment reader of a searcher a term-info cache and a size-bounded cache of
decoded posting blocks; both go away with the searcher, which is replaced whenever the
index changes.
"""

from __future__ import annotations

from collections import OrderedDict

from whoosh.codec.whoosh3 import W3TermsReader
from whoosh.reading import TermNotFound

from indexer.storage.codec import SplitLeafMatcher

BLOCK_CACHE_BYTES = 32 * 1024 * 1024     # decoded posting blocks kept, per searcher (estimate)
TERM_INFO_CACHE = 50_000                 # term infos per segment


class BlockCache:
    """Decoded parts of posting blocks, least recently used dropped first."""

    def __init__(self, budget: int = BLOCK_CACHE_BYTES):
        self.budget = budget
        self.held = 0
        self.blocks: OrderedDict = OrderedDict()

    def get(self, key):
        entry = self.blocks.get(key)
        if entry is None:
            return None
        self.blocks.move_to_end(key)
        return entry[0]

    def put(self, key, data, size: int) -> None:
        self.blocks[key] = (data, size)
        self.held += size
        while self.held > self.budget and len(self.blocks) > 1:
            _, (_, dropped) = self.blocks.popitem(last=False)
            self.held -= dropped


def install(searcher) -> None:
    """Give the searcher's segment readers their caches (once; later calls do nothing)."""
    if searcher.__dict__.get("_policy_readcache"):
        return
    blocks = BlockCache()
    for reader, _offset in searcher.reader().leaf_readers():
        terms = getattr(reader, "_terms", None)
        if type(terms) is W3TermsReader:
            terms.__class__ = CachingTermsReader
            terms._infos = {}
            terms._blocks = blocks
    searcher.__dict__["_policy_readcache"] = blocks


class CachingTermsReader(W3TermsReader):
    """``W3TermsReader`` with remembered term infos and cached posting blocks."""

    _infos: dict
    _blocks: BlockCache

    def _info(self, fieldname, tbytes):
        key = (fieldname, tbytes)
        infos = self._infos
        if key in infos:
            return infos[key]
        try:
            info = super().term_info(fieldname, tbytes)
        except TermNotFound:
            info = None
        if len(infos) >= TERM_INFO_CACHE:
            infos.clear()
        infos[key] = info
        return info

    def term_info(self, fieldname, tbytes):
        info = self._info(fieldname, tbytes)
        if info is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return info

    def __contains__(self, term):
        return self._info(*term) is not None

    def frequency(self, fieldname, tbytes):
        info = self._info(fieldname, tbytes)
        if info is None:
            raise KeyError(tbytes)
        return info.weight()

    def doc_frequency(self, fieldname, tbytes):
        info = self._info(fieldname, tbytes)
        if info is None:
            raise KeyError(tbytes)
        return info.doc_frequency()

    def matcher(self, fieldname, tbytes, format_, scorer=None):
        m = super().matcher(fieldname, tbytes, format_, scorer=scorer)
        if isinstance(m, SplitLeafMatcher):
            m.cache, m.cache_key = self._blocks, id(self)
        return m
