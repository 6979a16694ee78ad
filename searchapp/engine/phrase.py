"""Phrases: terms at consecutive positions, checked for all candidates at once.

The candidates are the documents that have every term of the phrase (a set
intersection). Each occurrence of the first term checked becomes a 64-bit key, document
number × 2³² + (position − the term's offset in the phrase); a document has the phrase
where one key is shared by every term. The terms are checked from the rarest on, and after
each one only the documents that still have a key go on, so later (commoner) terms decode
the positions of fewer documents. Keys are sorted as they come out of the posting lists
(document, then position), so each step is one binary search per surviving key.

A phrase found over the whole index is remembered in the search context: a common phrase
typed again costs a look-up.
"""

from __future__ import annotations

import numpy as np

from searchapp.engine import docsets

_SHIFT = np.int64(32)


def phrase_docs(ctx, field: str, terms: tuple[str, ...], within, deadline) -> np.ndarray:
    """Live documents where ``terms`` stand in sequence in ``field`` (within ``within``)."""
    if len(terms) == 1:
        docs = ctx.view.postings(field, terms[0]).docs
        return docs if within is None else docsets.intersect(docs, within, ctx.size)
    key = (field, terms)
    known = ctx.phrase(key)
    if known is not None:
        return known if within is None else docsets.intersect(known, within, ctx.size)
    found = _check(ctx, field, terms, within, deadline)
    if within is None:
        ctx.remember_phrase(key, found)
    return found


def candidates(ctx, field: str, terms, within) -> np.ndarray:
    """Documents having every term (within ``within``), smallest posting list first."""
    lists = sorted((ctx.view.postings(field, t).docs for t in set(terms)), key=len)
    found = lists[0] if within is None else docsets.intersect(lists[0], within, ctx.size)
    for docs in lists[1:]:
        if not len(found):
            break
        found = docsets.intersect(found, docs, ctx.size)
    return found


def _check(ctx, field: str, terms, within, deadline) -> np.ndarray:
    docs = candidates(ctx, field, terms, within)
    if not len(docs):
        return docs
    view = ctx.view
    # Rarest first: fewest occurrences overall (the total frequency of the term).
    order = sorted(range(len(terms)), key=lambda j: view.postings(field, terms[j]).tfs.sum())
    keys = None
    for j in order:
        deadline.check()
        owners, positions = view.positions(field, terms[j], docs)
        starts = positions - j
        ok = starts >= 0
        mine = (docs[owners[ok]] << _SHIFT) | starts[ok]
        if keys is None:
            keys = mine
        else:
            at = np.searchsorted(mine, keys)
            at[at == len(mine)] = 0
            keys = keys[mine[at] == keys] if len(mine) else keys[:0]
        if not len(keys):
            return docsets.EMPTY
        docs = _distinct_sorted(keys >> _SHIFT)
    return docs


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array (``np.unique`` without its sort)."""
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]
