"""Writing one segment from analysed documents, with arrays rather than a posting at a time.

Documents arrive already tokenised (``Document``): for each text field the terms in the
order they occur and their positions. The writer keeps, per field, a vocabulary (term →
number) and growing arrays of term numbers and positions; per document only the
vocabulary look-ups run in Python (``map`` over a dict). When the segment is finished each
field's occurrences are sorted by term once (``postings.FieldPostings``) and every term's
blob is written: to the term dictionary itself when short, to the ``.pst`` file otherwise.
Stored fields and columns go through Whoosh's per-document writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from whoosh.filedb import filetables
from whoosh.system import pack_ushort

from indexer.schema import length_column
from indexer.storage.codec import ArrayCodec, term_value
from indexer.storage.columns import CodeColumn, NumberColumn
from indexer.storage.postings import DENSE, FieldPostings

_CODE = CodeColumn()
_NUMBER = NumberColumn()


class Encodable(Protocol):
    """A text field's terms that can number themselves through a ``Vocabulary``:
    ``encode`` gives (term numbers, positions), both arrays in the order of the text;
    positions None when they are 0, 1, 2 … (one position per term)."""

    def encode(self, vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass
class Document:
    """One document as the index stores it."""

    text: dict[str, Encodable] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    stored: dict[str, object] = field(default_factory=dict)


class Vocabulary(dict):
    """A field's terms in this segment: term → number, new terms numbered as they come.
    ``memo`` is room for token streams to keep their own look-up tables (word → numbers)."""

    def __init__(self):
        super().__init__()
        self.memo: dict = {}

    def __missing__(self, term):
        number = self[term] = len(self)
        return number


class _FieldBuffer:
    """One field's occurrences so far: term numbers, and positions for text fields."""

    def __init__(self, positions: bool):
        self.vocabulary = Vocabulary()
        self.terms: list[np.ndarray] = []
        self.positions: list[np.ndarray] | None = [] if positions else None
        self.docs: list[int] = []
        self.counts: list[int] = []

    def add(self, docnum: int, numbers: np.ndarray, positions: np.ndarray | None) -> None:
        self.terms.append(numbers.astype(np.uint32, copy=False))
        if self.positions is not None:
            self.positions.append(positions)        # None: 0, 1, 2 …
        self.docs.append(docnum)
        self.counts.append(len(numbers))

    def add_terms(self, docnum: int, terms: list[str]) -> None:
        vocabulary = self.vocabulary
        self.add(docnum, np.fromiter(map(vocabulary.__getitem__, terms), np.uint32, len(terms)), None)

    def postings(self) -> tuple[list[bytes], FieldPostings]:
        """The field's terms (bytes, sorted) and its sorted postings. The buffer is emptied
        on the way: each array is dropped as soon as the next one is built from it."""
        words = [t.encode("utf-8") for t in self.vocabulary]
        order = sorted(range(len(words)), key=words.__getitem__)
        rank = np.empty(len(words), dtype=np.uint32)
        rank[order] = np.arange(len(words), dtype=np.uint32)
        numbers = np.concatenate(self.terms)
        self.terms = []
        ranks = rank[numbers]
        del numbers
        docs, counts = np.asarray(self.docs), np.asarray(self.counts)
        self.docs, self.counts = [], []
        positions = self._positions(counts)
        return [words[i] for i in order], FieldPostings(ranks, docs, counts, positions)

    def _positions(self, counts: np.ndarray):
        """The positions of every occurrence, DENSE when every document's are 0, 1, 2 …"""
        kept = self.positions
        if kept is None:
            return None
        self.positions = []
        if all(p is None for p in kept):
            return DENSE
        return np.concatenate([np.arange(n, dtype=np.uint32) if p is None else p
                               for p, n in zip(kept, counts.tolist(), strict=True)])


class SegmentWriter:
    """Collects ``Document`` objects and writes them as one new segment of ``storage``."""

    def __init__(self, storage, schema, indexname: str = "MAIN"):
        self.storage = storage
        self.schema = schema
        self.codec = ArrayCodec()
        self.segment = self.codec.new_segment(storage, indexname)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.buffers: dict[str, _FieldBuffer] = {}
        self.lengths: dict[str, int] = {}
        self.count = 0

    def add(self, doc: Document) -> int:
        """Add a document; its number in this segment."""
        docnum = self.count
        perdoc = self.perdoc
        perdoc.start_doc(docnum)
        for name, tokens in doc.text.items():
            buffer = self._buffer(name, True)
            numbers, positions = tokens.encode(buffer.vocabulary)
            if len(numbers):
                buffer.add(docnum, numbers, positions)
                perdoc.add_column_value(length_column(name), _NUMBER, len(numbers))
                self.lengths[name] = self.lengths.get(name, 0) + len(numbers)
        for name, terms in doc.keywords.items():
            if terms:
                self._buffer(name, False).add_terms(docnum, terms)
        for name, value in doc.columns.items():
            perdoc.add_column_value(name, _CODE, value)
        for name, value in doc.stored.items():
            perdoc.add_field(name, self.schema[name], value, 0)
        perdoc.finish_doc()
        self.count += 1
        return docnum

    def _buffer(self, name: str, positions: bool) -> _FieldBuffer:
        buffer = self.buffers.get(name)
        if buffer is None:
            buffer = self.buffers[name] = _FieldBuffer(positions)
        return buffer

    def finish(self):
        """Write the segment's files; the Whoosh segment to list in the TOC (None if empty)."""
        if not self.count:
            self.cancel()
            return None
        self.perdoc.close()
        segment = self.segment
        tindex = filetables.OrderedHashWriter(segment.create_file(self.storage, ArrayCodec.TERMS_EXT))
        fieldmap = tindex.extras["fieldmap"] = {}
        postfile = segment.create_file(self.storage, ArrayCodec.POSTS_EXT)
        for name in sorted(n for n, b in self.buffers.items() if b.terms):
            fieldmap[name] = len(fieldmap)
            prefix = pack_ushort(fieldmap[name])
            words, postings = self.buffers.pop(name).postings()
            for rank, blob, df, total in postings.blobs():
                value, separate = term_value(df, total, blob, postfile.tell())
                if separate:
                    postfile.write(blob)
                tindex.add(prefix + words[rank], value)
        tindex.close()
        postfile.close()
        segment.set_doc_count(self.count)
        segment._fieldlengths = dict(self.lengths)
        return segment

    def cancel(self) -> None:
        """Drop the segment's temporary state (its files are removed by the next commit)."""
        if not self.perdoc.is_closed:
            self.perdoc.close()
        self.buffers.clear()
