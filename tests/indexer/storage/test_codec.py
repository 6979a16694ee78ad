"""The split-block codec reads back exactly what Whoosh's own codec does."""

import random

import pytest
from whoosh import fields
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage

from indexer.storage.codec import SplitLeafMatcher, codec

WORDS = ["税收", "发展", "条例", "aa", "bb", "cc", "dd", "ee", "ff", "gg", "营商", "环境", "rare"]


def _index(path, the_codec):
    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(phrase=True),
                           tag=fields.KEYWORD(scorable=True))
    ix = FileStorage(str(path)).create().create_index(schema)
    rng = random.Random(7)
    writer = ix.writer(codec=the_codec)
    for n in range(700):
        # "rare" in a handful of documents only: its postings are inlined in the term index.
        words = [w for w in rng.choices(WORDS[:-1], k=rng.randint(1, 60))]
        if n % 97 == 0:
            words.append("rare")
        writer.add_document(id=str(n), body=" ".join(words), tag=rng.choice(["x", "y", "z"]))
    writer.commit()
    return ix


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    root = tmp_path_factory.mktemp("codec")
    (root / "stock").mkdir()
    (root / "split").mkdir()
    split = _index(root / "split", codec())     # first: codec() mends inlining in Whoosh
    # The same settings but for the block layout, so only the split is compared.
    return _index(root / "stock", W3Codec(inlinelimit=32, compression=1)), split


def _postings(reader, field, term):
    m = reader.postings(field, term)
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value()))
        m.next()
    return out


def test_every_posting_reads_back_the_same(pair):
    stock, split = pair
    with stock.reader() as a, split.reader() as b:
        terms = list(a.all_terms())
        assert terms == list(b.all_terms())
        for field, term in terms:
            assert _postings(a, field, term) == _postings(b, field, term), (field, term)


def test_long_posting_lists_use_split_blocks(pair):
    _, split = pair
    with split.reader() as r:
        m = r.postings("body", "发展".encode())
        assert isinstance(m, SplitLeafMatcher) and r.doc_frequency("body", "发展") > 128
        ids = []
        while m.is_active():
            ids.extend(m.block_ids())
            assert len(m.block_weights()) == len(m.block_values()) == len(m.block_ids())
            m._next_block()
        assert ids == sorted(ids) and len(ids) == r.doc_frequency("body", "发展")


def test_skipping_and_phrases_agree(pair):
    stock, split = pair
    for q in (wq.Phrase("body", ["营商", "环境"]), wq.And([wq.Term("body", "发展"), wq.Term("tag", "x")]),
              wq.Term("body", "rare")):
        with stock.searcher() as a, split.searcher() as b:
            got = [(h.docnum, h.score) for h in b.search(q, limit=None)]
            assert got == [(h.docnum, h.score) for h in a.search(q, limit=None)] and got
