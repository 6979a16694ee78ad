"""Posting lists as arrays: how one term's documents, frequencies and positions are laid out.

A term's postings are one byte string, its *blob*::

    u32 df | u8 flags | u32 docs bytes | u32 tfs bytes | docs | tfs | [chunk table | chunks]

- *docs*: document numbers as gaps (the first one absolute) in the narrowest unsigned width
  that holds the largest gap (1, 2 or 4 bytes).
- *tfs*: term frequencies the same way; left out when every frequency is 1.
- *positions* (fields with positions only): gaps inside each document (the first absolute),
  in chunks of ``CHUNK_DOCS`` documents, each chunk in its own width. A phrase check
  decodes only the chunks that hold its candidates. The chunk table is the chunks' byte
  lengths (u32) followed by their widths (u8).

No general-purpose compression: measured on 3,000 documents of the scale corpus, zlib
(level 1) made the postings 27% smaller but took 60% of the encoding time, and every read
would pay for inflating; the index stays about twice the size of its text without it.

Everything is encoded and decoded with numpy a whole list (or chunk) at a time: Python work
per term, never per posting. A segment writer sorts a field's occurrences into
``SortedPairs`` (``sort_occurrences``) and turns them into every term's blob (``encode``).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

CHUNK_DOCS = 256          # documents per chunk of positions
# Wanted documents in fewer than one chunk in SPARSE of a span: only their chunks are read.
SPARSE = 4
DENSE = "dense"           # positions 0, 1, 2 … in every document (see sort_occurrences)
_HEAD = struct.Struct("<IBII")
_WIDTHS = (np.dtype("<u1"), np.dtype("<u2"), np.dtype("<u4"))
_LIMITS = (0xFF, 0xFFFF)
# flags: bits 0-1 docs width, bits 3-4 tfs width, bit 6 all frequencies are 1 (no tfs
# section), bit 7 positions follow.
_ONES, _POSITIONS = 64, 128


def _width(largest: int) -> int:
    return 0 if largest <= _LIMITS[0] else 1 if largest <= _LIMITS[1] else 2


def _pack(values: np.ndarray, width: int) -> bytes:
    return values.astype(_WIDTHS[width], copy=False).tobytes()


def _unpack(data, width: int, count: int, offset: int = 0) -> np.ndarray:
    return np.frombuffer(data, dtype=_WIDTHS[width], count=count, offset=offset)


# ---------------------------------------------------------------------------------- writing


@dataclass
class SortedPairs:
    """Postings sorted by term, then document: one row per (term, document) pair, and the
    positions of each pair's occurrences (absolute, ascending), pair after pair."""

    terms: np.ndarray                 # uint32 term number (or rank), ascending
    docs: np.ndarray                  # uint32, ascending inside a term
    tfs: np.ndarray                   # uint32 occurrences of the pair
    positions: np.ndarray | None      # uint32, ``tfs[i]`` of them for pair i; None: no positions

    def __len__(self) -> int:
        return len(self.terms)


def sort_occurrences(terms: np.ndarray, docs: np.ndarray, counts: np.ndarray,
                     positions: np.ndarray | str | None) -> SortedPairs:
    """A field's occurrences, as documents added them, sorted into pairs.

    ``terms`` holds the term of each occurrence in the order documents were added:
    ``counts[i]`` occurrences of document ``docs[i]`` (ascending), then the next document's.
    ``positions`` are the occurrences' positions (ascending inside a document), ``DENSE``
    when they are 0, 1, 2 … in every document (the character fields: nothing stored), or
    None for fields without positions. Memory matters (a field can hold tens of millions of
    occurrences): 32-bit arrays, every temporary dropped as soon as it is used.
    """
    count = len(terms)
    # Sort by term, keeping document/position order inside a term: a unique 64-bit key
    # (term, sequence number) sorts faster than a stable argsort.
    key = terms.astype(np.uint64)
    del terms
    key <<= np.uint64(32)
    key |= np.arange(count, dtype=np.uint64)
    key.sort()
    order = key.astype(np.uint32)                 # the low half: the sequence number
    key >>= np.uint64(32)
    terms = key.astype(np.uint32)
    del key
    starts = (np.cumsum(counts) - counts).astype(np.uint32)      # each document's first
    owner = (np.searchsorted(starts, order, side="right") - 1).astype(np.uint32)
    occurrence_docs = np.asarray(docs, dtype=np.uint32)[owner]
    new_pair = np.empty(count, dtype=bool)
    new_pair[:1] = True
    np.not_equal(terms[1:], terms[:-1], out=new_pair[1:])
    new_pair[1:] |= occurrence_docs[1:] != occurrence_docs[:-1]
    pair_starts = np.flatnonzero(new_pair)
    del new_pair
    tfs = np.diff(np.append(pair_starts, count)).astype(np.uint32)
    sorted_positions = None
    if positions is not None:
        sorted_positions = order - starts[owner] if isinstance(positions, str) else positions[order]
    return SortedPairs(terms[pair_starts], occurrence_docs[pair_starts], tfs, sorted_positions)


def encode(pairs: SortedPairs) -> Iterator[tuple[int, bytes, int, int]]:
    """(term, blob, document frequency, total frequency) of each term, in term order."""
    if not len(pairs):
        return
    term_starts = np.flatnonzero(np.r_[True, pairs.terms[1:] != pairs.terms[:-1]])
    term_ends = np.append(term_starts[1:], len(pairs)).tolist()
    doc_gaps = _gaps(pairs.docs, term_starts)
    doc_widest = np.maximum.reduceat(doc_gaps, term_starts).tolist()
    tf_widest = np.maximum.reduceat(pairs.tfs, term_starts).tolist()
    tf_sums = np.add.reduceat(pairs.tfs.astype(np.int64), term_starts).tolist()
    chunks = _Chunks(pairs, term_starts) if pairs.positions is not None else None
    for i, (start, end) in enumerate(zip(term_starts.tolist(), term_ends, strict=True)):
        dwidth = _width(doc_widest[i])
        docs = _pack(doc_gaps[start:end], dwidth)
        flags = dwidth
        if tf_widest[i] == 1:
            tfs = b""
            flags |= _ONES
        else:
            twidth = _width(tf_widest[i])
            tfs = _pack(pairs.tfs[start:end], twidth)
            flags |= twidth << 3
        parts = [_HEAD.pack(end - start, flags | (_POSITIONS if chunks else 0), len(docs), len(tfs)),
                 docs, tfs]
        if chunks:
            parts += chunks.of_term(i)
        yield int(pairs.terms[start]), b"".join(parts), end - start, tf_sums[i]


class _Chunks:
    """The position chunks of every term: gaps, chunk boundaries and widths, at once."""

    def __init__(self, pairs: SortedPairs, term_starts: np.ndarray):
        pair_starts = (np.cumsum(pairs.tfs, dtype=np.int64) - pairs.tfs).astype(np.uint32)
        self.gaps = _gaps(pairs.positions, pair_starts)
        df = np.diff(np.append(term_starts, len(pairs)))
        self.counts = ((df + CHUNK_DOCS - 1) // CHUNK_DOCS).tolist()
        per_term = np.asarray(self.counts)
        first = np.repeat(term_starts, per_term)
        nth = np.arange(per_term.sum()) - np.repeat(np.cumsum(per_term) - per_term, per_term)
        starts = pair_starts[first + nth * CHUNK_DOCS]
        self.widest = np.maximum.reduceat(self.gaps, starts).tolist()
        self.starts = np.append(starts, len(self.gaps)).tolist()
        self.first = (np.cumsum(per_term) - per_term).tolist()

    def of_term(self, i: int) -> list[bytes]:
        first, count = self.first[i], self.counts[i]
        lengths, widths, data = [], [], []
        for k in range(first, first + count):
            width = _width(self.widest[k])
            packed = _pack(self.gaps[self.starts[k]:self.starts[k + 1]], width)
            lengths.append(len(packed))
            widths.append(width)
            data.append(packed)
        return [np.array(lengths, dtype="<u4").tobytes(), bytes(widths), *data]


def _gaps(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Differences to the previous value, except at each start, where the value itself stands.

    Values never decrease between two starts, so unsigned arithmetic is safe: a difference
    that wraps around is always at a start, and overwritten.
    """
    gaps = np.empty_like(values)
    if len(values):
        gaps[0] = values[0]
        np.subtract(values[1:], values[:-1], out=gaps[1:])
        gaps[starts] = values[starts]
    return gaps


# ---------------------------------------------------------------------------------- reading


class Blob:
    """A decoded view of one term's postings: ``docs`` and ``tfs`` at once, positions on demand."""

    __slots__ = ("data", "df", "flags", "docs", "tfs", "_pos_at")

    def __init__(self, data):
        self.data = data
        df, flags, docs_len, tfs_len = _HEAD.unpack_from(data, 0)
        self.df, self.flags = df, flags
        at = _HEAD.size
        self.docs = np.cumsum(_unpack(data, flags & 3, df, at), dtype=np.int64)
        at += docs_len
        if flags & _ONES:
            self.tfs = np.ones(df, dtype=np.int64)
        else:
            self.tfs = _unpack(data, (flags >> 3) & 3, df, at).astype(np.int64)
        self._pos_at = at + tfs_len

    @property
    def has_positions(self) -> bool:
        return bool(self.flags & _POSITIONS)

    def positions(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions in the documents at indexes ``wanted`` (sorted, into ``docs``):
        (index into ``wanted`` of each position, the position), ordered by document and
        position. Only the chunks holding wanted documents are decoded."""
        if not self.has_positions:
            raise ValueError("this field has no positions")
        chunks = (self.df + CHUNK_DOCS - 1) // CHUNK_DOCS
        table = self._pos_at
        lengths = np.frombuffer(self.data, dtype="<u4", count=chunks, offset=table)
        widths = np.frombuffer(self.data, dtype=np.uint8, count=chunks, offset=table + 4 * chunks)
        ends = table + 5 * chunks + np.cumsum(lengths, dtype=np.int64)
        chunk_of = wanted // CHUNK_DOCS                      # sorted: distinct without a sort
        needed = chunk_of[np.r_[True, chunk_of[1:] != chunk_of[:-1]]] if len(wanted) else chunk_of
        if not len(needed):
            return _select([], [], [], self.tfs, wanted)
        first, last = int(needed[0]), int(needed[-1])
        width = int(widths[first])
        sparse = len(needed) * SPARSE < last - first + 1
        if not sparse and (widths[first:last + 1] == width).all():
            # Chunks of one width lie end to end: the span from the first needed chunk to
            # the last is one array, decoded at once (the chunks between cost little).
            begin = int(ends[first]) - int(lengths[first])
            count = (int(ends[last]) - begin) // _WIDTHS[width].itemsize
            lo, hi = first * CHUNK_DOCS, min((last + 1) * CHUNK_DOCS, self.df)
            return _select([_unpack(self.data, width, count, begin)], [lo], [hi - lo],
                           self.tfs, wanted)
        gaps, firsts, counts = [], [], []
        sizes = _chunk_sizes(self.tfs, needed)
        for k, size in zip(needed.tolist(), sizes.tolist(), strict=True):
            lo, hi = k * CHUNK_DOCS, min((k + 1) * CHUNK_DOCS, self.df)
            gaps.append(_unpack(self.data, int(widths[k]), size,
                                int(ends[k]) - int(lengths[k])))
            firsts.append(lo)
            counts.append(hi - lo)
        return _select(gaps, firsts, counts, self.tfs, wanted)


def _chunk_sizes(tfs: np.ndarray, chunks: np.ndarray) -> np.ndarray:
    """Positions in each of ``chunks`` (ascending chunk numbers): sums of their documents'
    frequencies, as one ``reduceat`` over (start, end) pairs whose even sums are wanted."""
    bounds = np.empty(2 * len(chunks), dtype=np.int64)
    bounds[0::2] = chunks * CHUNK_DOCS
    bounds[1::2] = np.minimum((chunks + 1) * CHUNK_DOCS, len(tfs))
    if bounds[-1] >= len(tfs):
        bounds = bounds[:-1]                    # the last sum runs to the end anyway
    return np.add.reduceat(tfs, bounds, dtype=np.int64)[0::2]


def _select(gaps, firsts, counts, tfs, wanted) -> tuple[np.ndarray, np.ndarray]:
    """Absolute positions of the wanted documents out of decoded chunks of gaps.

    Only the wanted documents' occurrences are gathered and summed (a sum restarting at
    each document): a phrase check often wants a few documents of every chunk.
    """
    if not gaps:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    every = np.concatenate(gaps)
    doc_index = np.concatenate([np.arange(f, f + c) for f, c in zip(firsts, counts, strict=True)])
    doc_tfs = tfs[doc_index]
    starts = np.cumsum(doc_tfs) - doc_tfs          # where each decoded document's gaps begin
    keep = np.zeros(int(doc_index[-1]) + 1, dtype=bool)
    keep[wanted] = True
    keep = keep[doc_index]
    kept_starts, kept_tfs = starts[keep], doc_tfs[keep]
    owner = np.repeat(np.arange(len(kept_tfs)), kept_tfs)
    kept_begin = np.cumsum(kept_tfs) - kept_tfs
    gathered = every[(kept_starts - kept_begin)[owner] + np.arange(len(owner))].astype(np.int64)
    running = np.cumsum(gathered)
    # Each document's first gap is its first position: restart the sum there.
    before = running[kept_begin] - gathered[kept_begin] if len(kept_begin) else kept_begin
    return owner, running - before[owner]
