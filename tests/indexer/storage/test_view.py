"""Segments written from real documents read back exactly, through IndexView, across segments
and deletions."""

from pathlib import Path

import numpy as np
import pytest

from indexer.build.documents import prepare
from indexer.schema import TEXT_FIELDS, make_schema
from indexer.sources.files import read_articles
from indexer.sources.scan import scan
from indexer.storage import commit
from indexer.storage.segment_writer import SegmentWriter, Vocabulary
from indexer.storage.view import IndexView
from tests.support import CORPUS, encoded


def expected_postings(docs) -> dict[tuple[str, str], dict[int, list[int]]]:
    """(field, term) → document → positions, straight from the token streams."""
    found: dict = {}
    for docnum, doc in enumerate(docs):
        for field, tokens in doc.text.items():
            vocabulary = Vocabulary()
            numbers, positions = encoded(tokens, vocabulary)
            terms = list(vocabulary)
            for n, p in zip(numbers.tolist(), positions.tolist(), strict=True):
                found.setdefault((field, terms[n]), {}).setdefault(docnum, []).append(p)
        for field, terms in doc.keywords.items():
            for term in terms:
                found.setdefault((field, term), {}).setdefault(docnum, []).append(0)
    return found


@pytest.fixture(scope="module")
def corpus_docs():
    return [prepare(a).doc for sf in scan([CORPUS], [])
            for a in _articles(Path(sf.abs_path), sf.path)]


def _articles(path, rel):
    try:
        return read_articles(path, rel)
    except Exception:      # the corpus has a file that is not an article (a manifest)
        return []


def write(index: Path, docs, split: int):
    """Two segments: docs[:split] and docs[split:]."""
    commit.create(str(index), make_schema())
    ix = commit.open_index(str(index))
    segments = []
    for part in (docs[:split], docs[split:]):
        writer = SegmentWriter(ix.storage, make_schema())
        for doc in part:
            writer.add(doc)
        segments.append(writer.finish())
    commit.commit(ix, [s for s in segments if s is not None])
    return commit.open_index(str(index))


def test_every_term_reads_back(tmp_path, corpus_docs):
    view = IndexView(write(tmp_path / "ix", corpus_docs, split=5))
    assert view.doc_count == len(corpus_docs) and len(view.segments) == 2
    for (field, term), want in expected_postings(corpus_docs).items():
        postings = view.postings(field, term)
        assert postings.docs.tolist() == sorted(want), (field, term)
        assert postings.tfs.tolist() == [len(want[d]) for d in sorted(want)]
        assert view.doc_frequency(field, term) == len(want)
        if field in TEXT_FIELDS:
            owners, positions = view.positions(field, term, postings.docs)
            got: dict[int, list[int]] = {}
            for owner, pos in zip(owners.tolist(), positions.tolist(), strict=True):
                got.setdefault(int(postings.docs[owner]), []).append(pos)
            assert got == want, (field, term)
    view.close()


def test_lengths_columns_and_stored_fields(tmp_path, corpus_docs):
    view = IndexView(write(tmp_path / "ix", corpus_docs, split=7))
    for docnum, doc in enumerate(corpus_docs):
        assert view.stored(docnum)["id"] == doc.stored["id"]
        assert view.docnum_of(doc.stored["id"]) == docnum
        for field, tokens in doc.text.items():
            assert view.lengths(field)[docnum] == len(tokens.encode(Vocabulary())[0])
    codes, values = view.codes("date")
    assert [values[c] for c in codes] == [d.columns["date"] for d in corpus_docs]
    view.close()


def test_stored_fields_are_whole_and_zstandard_compressed(tmp_path, corpus_docs):
    index = write(tmp_path / "ix", corpus_docs, split=7)
    view = IndexView(index)
    for docnum, doc in enumerate(corpus_docs):
        assert view.stored(docnum) == {k: v for k, v in doc.stored.items() if v is not None}
    view.close()
    # Each document's stored fields are one Zstandard frame in the segment files.
    magic = b"\x28\xb5\x2f\xfd"
    frames = sum(f.read_bytes().count(magic) for f in (tmp_path / "ix").rglob("*") if f.is_file())
    assert frames >= len(corpus_docs)


def test_deleted_documents_are_gone_from_postings(tmp_path, corpus_docs):
    index = tmp_path / "ix"
    write(index, corpus_docs, split=5)
    ix = commit.open_index(str(index))
    segments = commit.segments(ix)
    gone = corpus_docs[6].stored["id"]
    assert commit.delete_ids(ix, segments, {gone}) == 1
    commit.commit(ix, segments)
    view = IndexView(commit.open_index(str(index)))
    assert view.doc_count == len(corpus_docs) - 1
    assert view.docnum_of(gone) is None
    vocabulary = Vocabulary()
    corpus_docs[6].text["chars"].encode(vocabulary)
    before = IndexView(write(tmp_path / "again", corpus_docs, split=5))
    for term in list(vocabulary)[:20]:               # characters the deleted document has
        assert 6 in before.postings("chars", term).docs
        assert 6 not in view.postings("chars", term).docs
        assert np.array_equal(np.setdiff1d(before.postings("chars", term).docs, [6]),
                              view.postings("chars", term).docs)
        # Positions of the documents after the deleted one still come from the right ones.
        live = view.postings("chars", term).docs
        owners, positions = view.positions("chars", term, live)
        old_owners, old_positions = before.positions("chars", term, live)
        assert np.array_equal(owners, old_owners) and np.array_equal(positions, old_positions)
    before.close()
    view.close()


def test_a_segment_written_in_runs_equals_one_written_at_once(tmp_path, corpus_docs, monkeypatch):
    """Sorted runs spilled to disk and merged a few terms at a time give the same segment."""
    from indexer.storage import runs, segment_writer

    whole = IndexView(write(tmp_path / "whole", corpus_docs, split=len(corpus_docs)))
    monkeypatch.setattr(segment_writer, "RUN_OCCURRENCES", 5_000)
    monkeypatch.setattr(runs, "PAIRS_PER_RANGE", 300)
    spilled = IndexView(write(tmp_path / "runs", corpus_docs, split=len(corpus_docs)))
    for (field, term) in expected_postings(corpus_docs):
        a, b = whole.postings(field, term), spilled.postings(field, term)
        assert a.docs.tolist() == b.docs.tolist() and a.tfs.tolist() == b.tfs.tolist()
        if field in TEXT_FIELDS:
            assert [x.tolist() for x in whole.positions(field, term, a.docs)] == \
                [x.tolist() for x in spilled.positions(field, term, b.docs)]
    terms = {f: sorted(whole.expand_prefix(f, "", 10**6)) for f in ("content", "chars")}
    assert terms == {f: sorted(spilled.expand_prefix(f, "", 10**6)) for f in terms}
    assert not list((tmp_path / "runs").glob(".tmp-*"))       # the runs are gone
    whole.close()
    spilled.close()


def test_lists_too_big_for_the_cache_are_decoded_once_per_search(tmp_path, corpus_docs,
                                                                   monkeypatch):
    index = write(tmp_path / "ix", corpus_docs, split=7)
    view = IndexView(index)
    term = max(("的", "国", "发"), key=lambda t: len(view.postings("chars", t).docs))
    size = view.postings("chars", term).nbytes
    view.close()
    monkeypatch.setattr("indexer.storage.view.POSTINGS_CACHE_BYTES", size)   # a quarter: too small
    monkeypatch.setattr("indexer.storage.view.POSTINGS_CACHE_PER_DOC", 0)
    monkeypatch.setattr("indexer.storage.view.SHORT_LIST_BYTES", 0)    # no list counts as short
    view = IndexView(index)
    assert view.postings("chars", term) is not view.postings("chars", term)
    with view.holding():
        first = view.postings("chars", term)
        assert view.postings("chars", term) is first
        assert view.total_frequency("chars", term) == int(first.tfs.sum())
    assert view.postings("chars", term) is not first
    view.close()


def test_short_lists_are_cached_apart(tmp_path, corpus_docs, monkeypatch):
    index = write(tmp_path / "ix", corpus_docs, split=7)
    monkeypatch.setattr("indexer.storage.view.POSTINGS_CACHE_BYTES", 1)     # the main cache: none
    monkeypatch.setattr("indexer.storage.view.POSTINGS_CACHE_PER_DOC", 0)
    view = IndexView(index)
    rare = view.postings("title", "条例")
    assert len(rare.docs) and rare.nbytes < 16 * 1024
    assert view.postings("title", "条例") is rare
    view.close()


def test_a_mapped_blob_does_not_count_against_the_cache(tmp_path, corpus_docs):
    index = write(tmp_path / "ix", corpus_docs, split=7)
    read, mapped = IndexView(index), IndexView(index, mmap=True)
    held, unheld = read.postings("chars", "的"), mapped.postings("chars", "的")
    arrays = sum(a.nbytes for a in {id(a): a for a in (held.docs, held.tfs)}.values())
    assert len(held.docs) and held.nbytes > arrays + 1000   # the blobs' bytes: read, held
    assert unheld.nbytes < held.nbytes
    read.close()
    mapped.close()
