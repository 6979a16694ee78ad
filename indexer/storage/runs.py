"""Runs: a field's sorted postings set aside while a segment grows, merged when it is written.

A build worker writes one segment for all the files it takes: each segment costs every query
term a look-up, so fewer segments search faster. Sorting all of a segment's occurrences at
once would take memory in proportion to the segment, so the writer sorts what it has buffered
every so often into a *run* and saves it (numpy files in the segment's scratch folder, read
back mapped). Runs are sorted by the terms' UTF-8 bytes, the order of the final term
dictionary, so at the end the pairs of a range of final terms are one slice of every run:
``merge`` walks the terms a range at a time, gathering the slices, and memory stays bounded by
a range, whatever the segment's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from indexer.storage.postings import SortedPairs

# Pairs plus positions merged at a time: what a range holds in memory, three or four
# copies of it while it is combined and encoded.
PAIRS_PER_RANGE = 2_000_000
_PARTS = ("terms", "docs", "tfs", "positions")


class Run:
    """A run: ``SortedPairs`` whose terms are vocabulary numbers in byte order, saved to
    ``folder`` (or kept in memory when ``folder`` is None: the last run of a segment)."""

    def __init__(self, pairs: SortedPairs, folder: Path | None = None, name: str = ""):
        starts = np.flatnonzero(np.r_[True, pairs.terms[1:] != pairs.terms[:-1]]) if len(pairs) \
            else np.empty(0, dtype=np.int64)
        self.distinct = np.asarray(pairs.terms[starts], dtype=np.uint32)   # each term once
        self.bounds = np.append(starts, len(pairs))                       # its pairs
        # What each term weighs in a merge: its pairs, and their positions if any.
        self.weights = np.diff(self.bounds)
        if pairs.positions is not None and len(pairs):
            self.weights = self.weights + np.add.reduceat(pairs.tfs, starts, dtype=np.int64)
        self.pairs = pairs
        self.saved: dict[str, _Slices] = {}
        if folder is not None:
            for part in _PARTS:
                values = getattr(pairs, part)
                if values is not None:
                    self.saved[part] = _Slices.save(folder / f"{name}.{part}", values)
            self.pairs = None                                 # read back a slice at a time

    def load(self) -> SortedPairs:
        """The run's arrays: in memory, or readers of slices of its files (not mapped: mapped
        pages read once would stay in the process's resident memory until the end)."""
        if self.pairs is not None:
            return self.pairs
        s = self.saved
        return SortedPairs(s["terms"], s["docs"], s["tfs"], s.get("positions"))


class _Slices:
    """An array saved raw to a file, read a slice at a time: ``slices[start:stop]``."""

    def __init__(self, path: Path, dtype: np.dtype, length: int):
        self.path, self.dtype, self.length = path, dtype, length

    @classmethod
    def save(cls, path: Path, values: np.ndarray) -> _Slices:
        values.tofile(path)
        return cls(path, values.dtype, len(values))

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, part: slice) -> np.ndarray:
        start, stop, _ = part.indices(self.length)
        return np.fromfile(self.path, dtype=self.dtype, count=max(0, stop - start),
                           offset=start * self.dtype.itemsize)


def merge(runs: list[Run], rank_of: np.ndarray) -> Iterator[SortedPairs]:
    """The runs (each later run's documents after the earlier ones') as ``SortedPairs``
    whose terms are final ranks (``rank_of[number]``): a range of terms at a time, in rank
    order."""
    cursors = [_Cursor(run, rank_of) for run in runs]
    for high in _range_ends(cursors, len(rank_of)):
        parts = [p for p in (cursor.take(high) for cursor in cursors) if len(p)]
        if parts:
            yield _combined(parts)


def _range_ends(cursors: list[_Cursor], size: int) -> list[int]:
    """Where rank ranges end (exclusive), each range weighing about PAIRS_PER_RANGE."""
    per_rank = np.zeros(size, dtype=np.int64)
    for c in cursors:
        per_rank += np.bincount(c.ranks, weights=c.run.weights, minlength=size).astype(np.int64)
    total = int(per_rank.sum())
    cuts = np.searchsorted(np.cumsum(per_rank), np.arange(PAIRS_PER_RANGE, total, PAIRS_PER_RANGE),
                           side="right")
    return [*sorted(set(cuts.tolist()) - {0, size}), size]


class _Cursor:
    """Where the next range starts in one run: its next term, pair and position."""

    def __init__(self, run: Run, rank_of: np.ndarray):
        self.run = run
        self.ranks = rank_of[run.distinct]            # ascending: byte order is rank order
        self.pairs = run.load()
        self.term = 0
        self.occurrence = 0

    def take(self, high: int) -> SortedPairs:
        """The pairs of the terms below rank ``high`` not taken yet."""
        first, last = self.term, int(np.searchsorted(self.ranks, high, side="left"))
        start, stop = int(self.run.bounds[first]), int(self.run.bounds[last])
        pairs = self.pairs
        tfs = np.asarray(pairs.tfs[start:stop])
        positions = None
        if pairs.positions is not None:
            count = int(tfs.sum(dtype=np.int64))
            positions = np.asarray(pairs.positions[self.occurrence:self.occurrence + count])
            self.occurrence += count
        self.term = last
        terms = np.repeat(self.ranks[first:last], np.diff(self.run.bounds[first:last + 1]))
        return SortedPairs(terms, np.asarray(pairs.docs[start:stop]), tfs, positions)


def _combined(parts: list[SortedPairs]) -> SortedPairs:
    """Slices of several runs as one: by term, and inside a term in run order (which is
    document order)."""
    if len(parts) == 1:
        return parts[0]
    terms = np.concatenate([p.terms for p in parts])
    order = np.argsort(terms, kind="stable")
    tfs = np.concatenate([p.tfs for p in parts])
    positions = None
    if parts[0].positions is not None:
        flat = np.concatenate([p.positions for p in parts])
        starts = np.cumsum(tfs, dtype=np.int64) - tfs
        taken = tfs[order].astype(np.int64)
        # Each pair's occurrences, pair after pair in the new order.
        begin = np.cumsum(taken) - taken
        index = np.repeat(starts[order] - begin, taken) + np.arange(int(taken.sum()))
        positions = flat[index]
    docs = np.concatenate([p.docs for p in parts])
    return SortedPairs(terms[order], docs[order], tfs[order], positions)
