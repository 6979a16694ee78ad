"""Sets of document numbers as sorted numpy arrays, and the set operations matching needs.

Every operation is a few numpy calls whose cost grows with the sizes of the inputs: a
binary search when one side is much smaller, otherwise a boolean mask over the index's
document numbers (a memset of ``size`` bytes and two linear passes).
"""

from __future__ import annotations

import numpy as np

EMPTY = np.empty(0, dtype=np.int64)


def intersect(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """Documents in both ``a`` and ``b`` (sorted, unique) out of ``size`` documents."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return EMPTY
    if len(a) * 16 < len(b):
        at = np.searchsorted(b, a)
        at[at == len(b)] = 0
        return a[b[at] == a]
    mask = np.zeros(size, dtype=bool)
    mask[b] = True
    return a[mask[a]]


def member(docs: np.ndarray, of: np.ndarray, size: int) -> np.ndarray:
    """A boolean per document of ``docs``: is it in ``of``?"""
    if not len(of) or not len(docs):
        return np.zeros(len(docs), dtype=bool)
    if len(docs) * 16 < len(of):
        at = np.searchsorted(of, docs)
        at[at == len(of)] = 0
        return of[at] == docs
    mask = np.zeros(size, dtype=bool)
    mask[of] = True
    return mask[docs]


def union(parts: list[np.ndarray], size: int) -> np.ndarray:
    parts = [p for p in parts if len(p)]
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    total = sum(len(p) for p in parts)
    if total * 8 < size:
        # Sorted runs, merged by the stable sort (it finds the runs), duplicates dropped:
        # np.unique took 40 times as long here (860 against 23 µs for 9,000 documents).
        both = np.concatenate(parts)
        both.sort(kind="stable")
        return distinct_sorted(both)
    mask = np.zeros(size, dtype=bool)
    for p in parts:
        mask[p] = True
    return np.flatnonzero(mask)


def distinct_sorted(values: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array (``np.unique`` without its sort)."""
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def difference(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """Documents of ``a`` not in ``b``."""
    if not len(a) or not len(b):
        return a
    return a[~member(a, b, size)]


def everything(size: int, live: np.ndarray | None) -> np.ndarray:
    return np.arange(size, dtype=np.int64) if live is None else np.flatnonzero(live)
