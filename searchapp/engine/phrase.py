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


# Candidates checked at a time when only whether the phrase occurs at all is asked: most
# phrases with many candidates are found in the first few of them.
EXISTS_BATCHES = (256, 4096)


def phrase_exists(ctx, field: str, terms: tuple[str, ...], deadline) -> bool:
    """Whether any live document has ``terms`` in sequence in ``field``. Checks the
    candidates a batch at a time and stops at the first document found: a common phrase
    that is not a dictionary word (安全生产, cut 安全/生产) has 60,000 candidates at 10^5
    documents, and settling all of them cost a first search 100 ms. The answer is
    remembered while the index is open."""
    if len(terms) == 1:
        return bool(len(ctx.view.postings(field, terms[0]).docs))
    key = (field, terms)
    known = ctx.occurs(key)
    if known is None:
        known = _occurs(ctx, field, terms, deadline)
        ctx.remember_occurs(key, known)
    return known


def _occurs(ctx, field: str, terms: tuple[str, ...], deadline) -> bool:
    docs = candidates(ctx, field, terms, None)
    if not len(docs):
        return False
    if len(_as_a_word(ctx, field, terms, docs)):
        return True
    start = 0
    for stop in (*EXISTS_BATCHES, len(docs)):
        if stop > start and len(_positions_check(ctx, field, terms, docs[start:stop], deadline)):
            return True
        start = max(start, stop)
    return False


def candidates(ctx, field: str, terms, within) -> np.ndarray:
    """Documents having every term (within ``within``), smallest posting list first."""
    lists = sorted((ctx.view.postings(field, t).docs for t in set(terms) - {None}), key=len)
    found = lists[0] if within is None else docsets.intersect(lists[0], within, ctx.size)
    for docs in lists[1:]:
        if not len(found):
            break
        found = docsets.intersect(found, docs, ctx.size)
    return found


# A character field, and the word field of the same text.
WORD_FIELD = {"chars": "content", "title_chars": "title"}


def _check(ctx, field: str, terms, within, deadline) -> np.ndarray:
    docs = candidates(ctx, field, terms, within)
    if not len(docs):
        return docs
    confirmed = _as_a_word(ctx, field, terms, docs)
    if len(confirmed):
        rest = docsets.difference(docs, confirmed, ctx.size)
        return docsets.union([confirmed, _positions_check(ctx, field, terms, rest, deadline)],
                             ctx.size)
    return _positions_check(ctx, field, terms, docs, deadline)


def _as_a_word(ctx, field: str, terms, docs: np.ndarray) -> np.ndarray:
    """Those of ``docs`` that have the phrase as a word (or a word's sub-word) in the word
    field of the same text: its characters stand together there, so only the other
    candidates need their positions checked. A common phrase is usually a dictionary word
    (人民政府, 高质量): most of its candidates are settled this way."""
    words = WORD_FIELD.get(field)
    if words is None or not all(t is not None and len(t) == 1 for t in terms):
        return docsets.EMPTY
    return docsets.intersect(ctx.view.postings(words, "".join(terms)).docs, docs, ctx.size)


def _positions_check(ctx, field: str, terms, docs: np.ndarray, deadline) -> np.ndarray:
    """Those of ``docs`` (each having every term) where the terms stand in sequence."""
    keys = _starts(ctx, field, terms, docs, deadline)
    return docsets.distinct_sorted(keys >> _SHIFT) if len(keys) else docsets.EMPTY


def near_docs(ctx, field: str, parts, gap: int, within, deadline) -> np.ndarray:
    """Live documents where the phrases ``parts`` stand in order in ``field``, at most ``gap``
    positions from the end of one to the start of the next (within ``within``)."""
    docs = candidates(ctx, field, [t for part in parts for t in part], within)
    ends = None
    for part in parts:
        if not len(docs):
            return docsets.EMPTY
        starts = _starts(ctx, field, part, docs, deadline)
        if ends is not None:
            # The nearest earlier end of the previous part, for each start of this one
            # (keys are document × 2³² + position, so a gap never spans two documents).
            at = np.searchsorted(ends, starts, side="right") - 1
            ok = at >= 0
            ok[ok] = starts[ok] - ends[at[ok]] <= gap
            starts = starts[ok]
        ends = docsets.distinct_sorted(starts + len(part))
        docs = docsets.distinct_sorted(starts >> _SHIFT) if len(starts) else docsets.EMPTY
    return docs


def _starts(ctx, field: str, terms, docs: np.ndarray, deadline) -> np.ndarray:
    """Where the terms stand in sequence in ``docs``: sorted keys, document × 2³² + the
    position of the first term."""
    if not len(docs):
        return docsets.EMPTY
    view = ctx.view
    # Rarest first: fewest occurrences overall (the total frequency of the term).
    order = sorted((j for j, t in enumerate(terms) if t is not None),
                   key=lambda j: view.total_frequency(field, terms[j]))
    keys = None
    for j in order:
        deadline.check()
        owners, positions = view.positions(field, terms[j], docs)
        starts = positions - j
        ok = starts >= 0
        mine = (docs[owners[ok]] << _SHIFT) | starts[ok]
        keys = mine if keys is None else _common_sorted(keys, mine)
        if not len(keys):
            return docsets.EMPTY
        docs = docsets.distinct_sorted(keys >> _SHIFT)
    return keys


def _common_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values in both sorted arrays of distinct values: their concatenation sorted by a
    stable (merging) sort, which finds the two runs and merges them in linear time."""
    both = np.concatenate((a, b))
    both.sort(kind="stable")
    return both[:-1][both[1:] == both[:-1]]
