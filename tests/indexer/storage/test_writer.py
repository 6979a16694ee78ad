"""The in-memory segment writer writes the segment Whoosh's writer does."""

import random
from pathlib import Path

import pytest
from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.formats import Positions
from whoosh.writing import SegmentWriter

from indexer.build.workers import indexable, parse_file
from indexer.schema import PreAnalyzed, encode_positions, make_schema
from indexer.sources.scan import scan
from indexer.storage.codec import codec
from indexer.storage.writer import MemorySegmentWriter
from tests.indexer.storage.test_codec import _postings
from tests.support import SAMPLE  # noqa: E402


def _write(folder: Path, schema, writer_class, docs):
    """Write ``docs`` as one uncompounded segment: (index, {file extension: bytes})."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema)
    writer = writer_class(ix, _lk=False, codec=codec(), compound=False)
    for doc in docs:
        writer.add_document(**doc)
    segment = writer._finalize_segment()
    writer._commit_toc([segment])
    writer._finish()
    prefix = segment.segment_id()
    files = {p.name[len(prefix):]: p.read_bytes() for p in folder.iterdir()
             if p.name.startswith(prefix)}
    return whoosh_index.open_dir(str(folder)), files


def _stats(terminfo):
    return {k: v for k, v in vars(terminfo).items() if k not in ("_offset", "_length")}


def _assert_same_segment(tmp_path, schema_factory, docs):
    ours_ix, ours = _write(tmp_path / "ours", schema_factory(), MemorySegmentWriter, docs)
    stock_ix, stock = _write(tmp_path / "stock", schema_factory(), SegmentWriter, docs)
    assert sorted(ours) == sorted(stock)
    assert {".trm", ".pst"} <= set(ours)
    # Per-document files are byte for byte the same.
    for name in set(stock) - {".trm", ".pst"}:
        assert ours[name] == stock[name], name
    # Postings may be smaller (equal values pickled once per block) but read the same.
    assert len(ours[".pst"]) <= len(stock[".pst"])
    with ours_ix.reader() as a, stock_ix.reader() as b:
        assert sorted(a.indexed_field_names()) == sorted(b.indexed_field_names())
        terms = list(b.all_terms())
        assert list(a.all_terms()) == terms
        for field, term in terms:
            assert _stats(a.term_info(field, term)) == _stats(b.term_info(field, term))
            assert _postings(a, field, term) == _postings(b, field, term), (field, term)


def test_sample_documents_give_the_same_segment(tmp_path):
    docs = [indexable(doc) for sf in scan([SAMPLE], [])[:80] for doc in parse_file(sf)[1]]
    assert len(docs) >= 80
    _assert_same_segment(tmp_path, make_schema, docs)


def test_a_field_without_terms_is_not_in_the_segment(tmp_path):
    docs = [indexable(doc) | {"meta": PreAnalyzed({}, 1.5)}
            for sf in scan([SAMPLE], [])[:20] for doc in parse_file(sf)[1]]
    _assert_same_segment(tmp_path, make_schema, docs)
    with whoosh_index.open_dir(str(tmp_path / "ours")).reader() as reader:
        assert "meta" not in reader.indexed_field_names()


def _plain_schema():
    return fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(phrase=True),
                         tag=fields.KEYWORD(scorable=True), kind=fields.ID(sortable=True))


@pytest.mark.parametrize("count", [31, 32, 128, 129, 300])
def test_block_and_inline_boundaries(tmp_path, count):
    # "common" is in every document: inlined below 32 postings, one block up to 128,
    # then a full block and the rest.
    rng = random.Random(count)
    docs = [{"id": str(n), "body": " ".join(["common", *rng.choices("abcdefg", k=rng.randint(0, 9))]),
             "tag": rng.choice(["x", "y"]), "kind": rng.choice(["p", "q", ""])}
            for n in range(count)]
    _assert_same_segment(tmp_path, _plain_schema, docs)


@pytest.mark.parametrize("positions", [[0], [5], [99_999], [250_000], [0, 1], [3, 9, 10, 400, 70_000],
                                       list(range(0, 3000, 7))])
def test_positions_encode_as_whoosh_does(positions):
    assert encode_positions(positions) == Positions().encode(positions)
    assert Positions().decode_positions(encode_positions(positions)) == positions
