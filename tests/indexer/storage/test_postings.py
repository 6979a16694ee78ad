"""Posting blobs: what is encoded is what is decoded, at every width and chunk boundary."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.storage import postings
from indexer.storage.postings import CHUNK_DOCS, DENSE, Blob, sort_occurrences


def encode(occurrences: list[tuple[int, int, int]], positions: bool = True) -> dict[int, Blob]:
    """term → decoded blob, from (term, doc, position) in document/position order."""
    ranks, docs, pos = (np.array(c, dtype=np.uint32) for c in zip(*occurrences, strict=True))
    numbers, counts = np.unique(docs, return_counts=True)
    pairs = sort_occurrences(ranks, numbers, counts, pos if positions else None)
    return {rank: Blob(blob) for rank, blob, _, _ in postings.encode(pairs)}


def expected(occurrences, term: int) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for t, doc, pos in occurrences:
        if t == term:
            found.setdefault(doc, []).append(pos)
    return found


@st.composite
def documents(draw):
    """Documents of 1-3 terms with positions; gaps and counts big enough to need wide ints."""
    count = draw(st.integers(1, 40))
    gaps = draw(st.lists(st.sampled_from([1, 2, 300, 70_000]), min_size=count, max_size=count))
    occurrences = []
    doc = 0
    for gap in gaps:
        doc += gap
        pos = 0
        for _ in range(draw(st.integers(1, 4))):
            pos += draw(st.sampled_from([0, 1, 5, 400, 80_000])) + (1 if occurrences else 0)
            occurrences.append((draw(st.integers(0, 2)), doc, pos))
    occurrences.sort(key=lambda o: (o[1], o[2]))
    return occurrences


@settings(max_examples=60, deadline=None)
@given(documents())
def test_round_trip(occurrences):
    blobs = encode(occurrences)
    for term, blob in blobs.items():
        want = expected(occurrences, term)
        assert blob.docs.tolist() == sorted(want)
        assert blob.tfs.tolist() == [len(want[d]) for d in sorted(want)]
        every = np.arange(blob.df)
        owners, positions = blob.positions(every)
        got: dict[int, list[int]] = {}
        for owner, pos in zip(owners.tolist(), positions.tolist(), strict=True):
            got.setdefault(int(blob.docs[owner]), []).append(pos)
        assert got == want


def test_positions_of_some_documents_across_chunks():
    docs = 3 * CHUNK_DOCS + 5
    occurrences = [(0, d, p) for d in range(docs) for p in range(d % 3 + 1)]
    blob = encode(occurrences)[0]
    wanted = np.array([0, CHUNK_DOCS - 1, CHUNK_DOCS, 2 * CHUNK_DOCS + 7, docs - 1])
    owners, positions = blob.positions(wanted)
    pairs = list(zip(owners.tolist(), positions.tolist(), strict=True))
    assert pairs == [(i, p) for i, d in enumerate(wanted.tolist()) for p in range(d % 3 + 1)]


@pytest.mark.parametrize("wanted", [
    [5, 9 * CHUNK_DOCS + 3],                                  # two chunks far apart
    [0, 4 * CHUNK_DOCS, 8 * CHUNK_DOCS + 1, 12 * CHUNK_DOCS - 1],
    [CHUNK_DOCS - 1, 12 * CHUNK_DOCS + 9],                    # and the last, short chunk
    list(range(0, 12 * CHUNK_DOCS + 10, 97)),                 # many chunks: read as one span
])
def test_positions_of_documents_far_apart(wanted):
    docs = 12 * CHUNK_DOCS + 10
    # Wide positions in some chunks: chunks of different widths.
    occurrences = [(0, d, p * (300 if d // CHUNK_DOCS % 3 else 1)) for d in range(docs)
                   for p in range(d % 4 + 1)]
    blob = encode(occurrences)[0]
    owners, positions = blob.positions(np.array(wanted))
    pairs = list(zip(owners.tolist(), positions.tolist(), strict=True))
    assert pairs == [(i, p * (300 if d // CHUNK_DOCS % 3 else 1))
                     for i, d in enumerate(wanted) for p in range(d % 4 + 1)]


def test_frequencies_of_one_leave_no_frequency_section():
    single = encode([(0, 4, 0), (0, 9, 3)])[0]
    double = encode([(0, 4, 0), (0, 4, 2)])[0]
    assert single.tfs.tolist() == [1, 1] and double.tfs.tolist() == [2]
    assert len(single.data) < len(double.data) + 4


def test_fields_without_positions():
    blob = encode([(0, 1, 0), (0, 1, 0), (0, 5, 0)], positions=False)[0]
    assert (blob.docs.tolist(), blob.tfs.tolist()) == ([1, 5], [2, 1])
    with pytest.raises(ValueError):
        blob.positions(np.array([0]))


def test_dense_positions_equal_the_spelled_out_ones():
    ranks = np.array([2, 0, 2, 1, 0, 0, 2], dtype=np.uint32)        # two documents: 4 + 3
    docs, counts = np.array([3, 8]), np.array([4, 3])
    spelled = np.array([0, 1, 2, 3, 0, 1, 2], dtype=np.uint32)
    dense = {r: Blob(b) for r, b, _, _ in postings.encode(sort_occurrences(ranks, docs, counts, DENSE))}
    explicit = {r: Blob(b)
                for r, b, _, _ in postings.encode(sort_occurrences(ranks, docs, counts, spelled))}
    assert dense.keys() == explicit.keys()
    for rank, blob in dense.items():
        every = np.arange(blob.df)
        assert [a.tolist() for a in blob.positions(every)] == \
            [a.tolist() for a in explicit[rank].positions(every)]
    assert dense[2].docs.tolist() == [3, 8] and dense[2].tfs.tolist() == [2, 1]
