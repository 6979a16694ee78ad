"""An open index as arrays: what the search engine reads, and the only reader it knows.

``IndexView`` wraps one open Whoosh index (all its segments) and answers in global document
numbers (a segment's documents follow the previous segment's):

- ``postings(field, term)``: a term's live documents and frequencies as numpy arrays;
- ``positions(field, term, docs)``: its positions in some of those documents;
- ``lengths(field)``, ``codes(column)``: per-document arrays;
- ``stored(docnum)``, ``docnum_of(id)``, ``expand_prefix``, ``doc_frequency``.

Decoded postings are kept in a size-bounded cache that lives as long as the view; a server
worker opens a new view when the index changes, so nothing here is ever stale.
"""

from __future__ import annotations

import bisect
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from cachetools import LRUCache
from whoosh.reading import EmptyReader

from indexer.schema import length_column
from indexer.storage.codec import ArrayCodec, ArrayTermsReader, value_frequencies
from indexer.storage.columns import CodeColumn, NumberColumn
from indexer.storage.postings import Blob

POSTINGS_CACHE_BYTES = 32 * 1024 * 1024      # at least; more for a large index:
POSTINGS_CACHE_PER_DOC = 128                 # bytes per document (128 MB at 10^6 documents)
# Short lists have a cache of their own: thousands of them (a prefix's terms, rare words)
# filled the main cache, and storing one long list then evicted them one Python call at a
# time (19,000 evictions, 110 ms, in one search at 10^5 documents).
SHORT_LIST_BYTES = 16 * 1024
SHORT_LISTS_CACHE_BYTES = 4 * 1024 * 1024
TERM_VALUES_CACHED = 20_000       # term dictionary entries remembered per segment (a search
                                  # looks up tens; a spelling check a few thousand)
_EMPTY = np.empty(0, dtype=np.int64)


@dataclass
class Part:
    """One segment's share of a term's postings: ``Postings.docs[start:stop]`` came from
    ``blob``; ``live`` gives the blob's index of each of them when some of its documents
    were deleted (None: all of them, in order)."""

    blob: Blob
    start: int
    stop: int
    live: np.ndarray | None = None


@dataclass
class Postings:
    """A term's live documents (ascending global numbers) and frequencies, and where each
    segment's part of them came from (for positions)."""

    docs: np.ndarray
    tfs: np.ndarray
    parts: list[Part] = field(default_factory=list)
    nbytes: int = 0                      # memory held, for the cache

    def __post_init__(self):
        # Everything held: the arrays, each part's own arrays (none when they are views of
        # ``docs`` and ``tfs``) and bytes.
        held = {id(a): a.nbytes for a in (self.docs, self.tfs) if a.base is None}
        for part in self.parts:
            held.update({id(a): a.nbytes for a in (part.blob.docs, part.blob.tfs, part.live)
                         if a is not None and a.base is None})
        # A blob read with pread is held in memory; one in a mapped file is the file's pages,
        # which the kernel keeps or drops (counting them left room for three common
        # characters' lists at 10^6 documents instead of eight).
        read = sum(len(p.blob.data) for p in self.parts if not isinstance(p.blob.data, memoryview))
        self.nbytes = sum(held.values()) + read + 200


EMPTY_POSTINGS = Postings(_EMPTY, _EMPTY)


class _Segment:
    def __init__(self, reader, offset: int):
        self.reader = reader
        self.offset = offset
        self.count = reader.doc_count_all()
        terms = reader._terms
        if not isinstance(terms, ArrayTermsReader):
            raise TypeError("the index was not written by this version (run reindex --full)")
        self.terms = terms
        deleted = sorted(reader.segment().deleted_docs()) if reader.has_deletions() else []
        self.deleted = np.asarray(deleted, dtype=np.int64)
        self._values: dict = {}

    def value(self, fieldname: str, tbytes: bytes) -> bytes | None:
        """The term dictionary entry (remembered: one search asks for a term several times,
        to compile, to order a conjunction, to score)."""
        key = (fieldname, tbytes)
        try:
            return self._values[key]
        except KeyError:
            pass
        if len(self._values) >= TERM_VALUES_CACHED:
            self._values.clear()
        found = self._values[key] = self.terms.value(fieldname, tbytes)
        return found


class IndexView:
    """All segments of one open index; see the module docstring."""

    def __init__(self, ix, mmap: bool = False):
        self.ix = ix
        self.schema = ix.schema
        self.reader = ix.reader()
        # An index without documents (a folder with nothing readable) has Whoosh's
        # EmptyReader as its only leaf: no segment, no terms.
        self.segments = [_Segment(r, off) for r, off in self.reader.leaf_readers()
                         if not isinstance(r, EmptyReader)]
        if mmap:
            for seg in self.segments:
                seg.terms.map_postings()
        self.starts = [s.offset for s in self.segments]
        self.doc_count_all = sum(s.count for s in self.segments)
        self.live = self._live_mask()
        self.doc_count = int(self.live.sum()) if self.live is not None else self.doc_count_all
        # Close the files when a view is dropped without ``close()`` (a worker exiting).
        self._closer = weakref.finalize(self, _close_quietly, self.reader)
        # Posting lists by size in bytes, least recently used dropped first; one bigger
        # than a quarter of the cache is not kept (it would push out many small ones). The
        # cache grows with the index: at 10^6 documents a common character's list is 10-20
        # MB, and a search that could not keep it decoded it again at every step (a phrase
        # of four such characters: 24 decodings, half of a 200 ms search).
        self.cache_bytes = max(POSTINGS_CACHE_BYTES, POSTINGS_CACHE_PER_DOC * self.doc_count_all)
        self._cache: LRUCache = LRUCache(self.cache_bytes, getsizeof=lambda p: p.nbytes)
        self._short: LRUCache = LRUCache(SHORT_LISTS_CACHE_BYTES, getsizeof=lambda p: p.nbytes)
        # Lists too big for the cache, kept while one search runs (``holding``).
        self._held: dict | None = None
        self._arrays: dict = {}

    def _live_mask(self) -> np.ndarray | None:
        if not any(len(s.deleted) for s in self.segments):
            return None
        live = np.ones(self.doc_count_all, dtype=bool)
        for s in self.segments:
            live[s.deleted + s.offset] = False
        return live

    def close(self) -> None:
        self._closer()
        self._cache.clear()
        self._short.clear()

    # ---------------------------------------------------------------- terms and postings

    def postings(self, fieldname: str, term: str) -> Postings:
        """The live documents with ``term`` in ``fieldname`` (cached)."""
        key = (fieldname, term)
        found = self._short.get(key)
        if found is None:
            found = self._cache.get(key)
        if found is None and self._held:
            found = self._held.get(key)
        if found is not None:
            return found
        found = self._read_postings(fieldname, term.encode("utf-8"))
        self._remember(key, found)
        return found

    def _read_postings(self, fieldname: str, tbytes: bytes) -> Postings:
        docs, tfs, parts, at = [], [], [], 0
        for seg in self.segments:
            value = seg.value(fieldname, tbytes)
            if value is None:
                continue
            blob = Blob(seg.terms.blob(value))
            d, t, live = blob.docs + seg.offset if seg.offset else blob.docs, blob.tfs, None
            if self.live is not None:
                keep = self.live[d]
                if not keep.all():
                    live = np.flatnonzero(keep)
                    d, t = d[live], t[live]
            docs.append(d)
            tfs.append(t)
            parts.append(Part(blob, at, at + len(d), live))
            at += len(d)
        if not parts:
            return EMPTY_POSTINGS
        all_docs = np.concatenate(docs) if len(docs) > 1 else docs[0]
        all_tfs = np.concatenate(tfs) if len(tfs) > 1 else tfs[0]
        for part in parts:
            # Keep one copy: positions need only the blob's frequencies, and those are
            # the joined array's when nothing of the part was deleted.
            part.blob.docs = None
            if part.live is None:
                part.blob.tfs = all_tfs[part.start:part.stop]
        return Postings(all_docs, all_tfs, parts)

    def _remember(self, key, postings: Postings) -> None:
        if postings.nbytes < SHORT_LIST_BYTES:
            self._short[key] = postings
        elif postings.nbytes <= self.cache_bytes // 4:
            self._cache[key] = postings
        elif self._held is not None and \
                sum(p.nbytes for p in self._held.values()) + postings.nbytes <= self.cache_bytes:
            self._held[key] = postings

    @contextmanager
    def holding(self):
        """Within this block (one search), posting lists too big for the cache are kept, up
        to the cache's size again, so a search decodes each once: one that needs a common
        character's list for matching, its phrase check, its ranking and its partial
        matches read it four or five times at 10^6 documents."""
        if self._held is not None:          # nested: the outer block keeps them
            yield self
            return
        self._held = {}
        try:
            yield self
        finally:
            self._held = None

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """Documents with the term (deleted ones included: a statistic, not a match)."""
        return self._frequencies(fieldname, term)[0]

    def total_frequency(self, fieldname: str, term: str) -> int:
        """Occurrences of the term in all documents, from the term dictionary (no decoding)."""
        return self._frequencies(fieldname, term)[1]

    def _frequencies(self, fieldname: str, term: str) -> tuple[int, int]:
        tbytes = term.encode("utf-8")
        df = total = 0
        for seg in self.segments:
            value = seg.value(fieldname, tbytes)
            if value is not None:
                d, t = value_frequencies(value)
                df, total = df + d, total + t
        return df, total

    def positions(self, fieldname: str, term: str, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of ``term`` in ``docs`` (ascending global numbers, each having the term):
        (index into ``docs`` of each position, position), by document then position."""
        owners, positions = [], []
        postings = self.postings(fieldname, term)
        index = np.searchsorted(postings.docs, docs)
        for part in postings.parts:
            lo, hi = np.searchsorted(index, (part.start, part.stop))
            if lo == hi:
                continue
            local = index[lo:hi] - part.start
            owner, pos = part.blob.positions(local if part.live is None else part.live[local])
            owners.append(owner + lo)
            positions.append(pos)
        if not owners:
            return _EMPTY, _EMPTY
        return np.concatenate(owners), np.concatenate(positions)

    def expand_prefix(self, fieldname: str, prefix: str, limit: int):
        """Up to ``limit`` distinct terms of the field starting with ``prefix``, in order."""
        found: set[str] = set()
        pbytes = prefix.encode("utf-8")
        for seg in self.segments:
            for name, tbytes in seg.terms.terms_from(fieldname, pbytes):
                if name != fieldname or not tbytes.startswith(pbytes):
                    break
                found.add(tbytes.decode("utf-8"))
                if len(found) >= limit * 4:
                    break
        return sorted(found)[:limit]

    # ---------------------------------------------------------------- per-document arrays

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's number of terms in a text field (float64, 0 for none)."""
        key = ("len", fieldname)
        if key not in self._arrays:
            parts = [self._number_column(s, length_column(fieldname)) for s in self.segments]
            self._arrays[key] = (np.concatenate(parts) if parts else _EMPTY).astype(np.float64)
        return self._arrays[key]

    def total_length(self, fieldname: str) -> int:
        return sum(s.reader.segment()._fieldlengths.get(fieldname, 0) for s in self.segments)

    def codes(self, column: str) -> tuple[np.ndarray, list[str]]:
        """(code of each document, the values the codes stand for); code 0 is ""."""
        key = ("codes", column)
        if key not in self._arrays:
            self._arrays[key] = self._merged_codes(column)
        return self._arrays[key]

    def _merged_codes(self, column: str) -> tuple[np.ndarray, list[str]]:
        table: dict[str, int] = {"": 0}
        parts = []
        for seg in self.segments:
            reader = _read_column(seg, column, CodeColumn())
            if reader is None:
                parts.append(np.zeros(seg.count, dtype=np.int32))
                continue
            remap = np.fromiter((table.setdefault(v, len(table)) for v in reader.values),
                                np.int32, len(reader.values))
            parts.append(remap[reader.codes()])
        codes = np.concatenate(parts) if parts else np.empty(0, np.int32)
        return codes, list(table)

    @staticmethod
    def _number_column(seg: _Segment, name: str) -> np.ndarray:
        reader = _read_column(seg, name, NumberColumn())
        return np.zeros(seg.count, dtype=np.uint32) if reader is None else reader.array()

    # ---------------------------------------------------------------- documents

    def stored(self, docnum: int) -> dict:
        i = bisect.bisect_right(self.starts, docnum) - 1
        seg = self.segments[i]
        return seg.reader.stored_fields(docnum - seg.offset)

    def docnum_of(self, doc_id: str) -> int | None:
        """The live document with this id, or None."""
        docs = self.postings("id", doc_id).docs
        return int(docs[0]) if len(docs) else None

    def is_live(self, docnum: int) -> bool:
        return self.live is None or bool(self.live[docnum])


def _read_column(seg: _Segment, name: str, column):
    """A column of a segment read whole (our column readers copy what they read), or None;
    the file is closed at once rather than held open for the life of the view."""
    storage = seg.reader.storage()
    filename = ArrayCodec.column_filename(seg.reader.segment(), name)
    if not storage.file_exists(filename):
        return None
    dbfile = storage.open_file(filename)
    try:
        return column.reader(dbfile, 0, storage.file_length(filename), seg.count)
    finally:
        dbfile.close()


def _close_quietly(reader) -> None:
    try:
        reader.close()
    except Exception:        # already closed
        pass
