"""Writing one segment from analysed documents, with arrays rather than a posting at a time.

Documents arrive already tokenised (``Document``): for each text field the terms in the
order they occur and their positions. The writer keeps, per field, a vocabulary (term →
number) and growing arrays of term numbers and positions; per document only the
vocabulary look-ups run in Python (``map`` over a dict). Every RUN_OCCURRENCES buffered
occurrences, each field's buffer is sorted by term into a run on disk (``runs``), so memory
stays bounded however many documents a segment gets; when the segment is finished the runs
are merged a range of terms at a time and every term's blob is written: to the term
dictionary itself when short, to the ``.pst`` file otherwise. Stored fields and columns go
through Whoosh's per-document writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from whoosh.filedb import filetables
from whoosh.system import pack_ushort

from indexer.schema import length_column
from indexer.storage.codec import SCRATCH_PREFIX, ArrayCodec, term_value
from indexer.storage.columns import CodeColumn, NumberColumn
from indexer.storage.postings import DENSE, SortedPairs, encode, sort_occurrences
from indexer.storage.runs import Run, merge

# Occurrences (all fields) buffered before they are sorted into runs: about 8 bytes each
# buffered, 20 more while the largest field is sorted.
RUN_OCCURRENCES = 6_000_000
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
    """One field's occurrences: the latest ones as arrays, the earlier ones sorted into runs."""

    def __init__(self, positions: bool):
        self.vocabulary = Vocabulary()
        self.terms: list[np.ndarray] = []
        self.positions: list[np.ndarray | None] | None = [] if positions else None
        self.docs: list[int] = []
        self.counts: list[int] = []
        self.runs: list[Run] = []

    def add(self, docnum: int, numbers: np.ndarray, positions: np.ndarray | None) -> None:
        self.terms.append(numbers.astype(np.uint32, copy=False))
        if self.positions is not None:
            self.positions.append(positions)        # None: 0, 1, 2 …
        self.docs.append(docnum)
        self.counts.append(len(numbers))

    def add_terms(self, docnum: int, terms: list[str]) -> None:
        vocabulary = self.vocabulary
        self.add(docnum, np.fromiter(map(vocabulary.__getitem__, terms), np.uint32, len(terms)), None)

    def spill(self, folder: Path | None, name: str) -> None:
        """Sort what is buffered, by the terms' bytes, into a run: saved in ``folder``, or
        kept in memory (None). Each array is dropped as soon as the next is built from it."""
        if not self.terms:
            return
        order, rank = _byte_order(self.vocabulary)
        numbers = np.concatenate(self.terms)
        self.terms = []
        ranks = rank[numbers]
        del numbers
        docs, counts = np.asarray(self.docs), np.asarray(self.counts)
        self.docs, self.counts = [], []
        pairs = sort_occurrences(ranks, docs, counts, self._positions(counts))
        pairs.terms = order[pairs.terms]              # back to vocabulary numbers
        self.runs.append(Run(pairs, folder, name))

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

    def merged(self) -> tuple[list[bytes], Iterator[SortedPairs]]:
        """The field's terms (bytes, in order) and all its pairs, a range of terms at a time."""
        self.spill(None, "")
        order, rank = _byte_order(self.vocabulary)
        words = [t.encode("utf-8") for t in self.vocabulary]
        return [words[i] for i in order.tolist()], merge(self.runs, rank)


def _byte_order(vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """(numbers in the order of the terms' UTF-8 bytes, each number's rank in it)."""
    words = [t.encode("utf-8") for t in vocabulary]
    order = np.array(sorted(range(len(words)), key=words.__getitem__), dtype=np.uint32)
    rank = np.empty(len(words), dtype=np.uint32)
    rank[order] = np.arange(len(words), dtype=np.uint32)
    return order, rank


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
        self.buffered = 0                 # occurrences not in a run yet
        self.spills = 0
        self._scratch = None

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
                self.buffered += len(numbers)
        for name, terms in doc.keywords.items():
            if terms:
                self._buffer(name, False).add_terms(docnum, terms)
        for name, value in doc.columns.items():
            perdoc.add_column_value(name, _CODE, value)
        for name, value in doc.stored.items():
            perdoc.add_field(name, self.schema[name], value, 0)
        perdoc.finish_doc()
        self.count += 1
        if self.buffered >= RUN_OCCURRENCES:
            self._spill()
        return docnum

    def _spill(self) -> None:
        """Sort every field's buffer into a run on disk (see ``runs``)."""
        if self._scratch is None:
            self._scratch = self.storage.temp_storage(
                f"{SCRATCH_PREFIX}{self.segment.segment_id()}-runs")
        folder = Path(self._scratch.folder)
        for name, buffer in self.buffers.items():
            buffer.spill(folder, f"{name}-{self.spills}")
        self.spills += 1
        self.buffered = 0

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
        for name in sorted(n for n, b in self.buffers.items() if b.terms or b.runs):
            fieldmap[name] = len(fieldmap)
            prefix = pack_ushort(fieldmap[name])
            words, ranges = self.buffers.pop(name).merged()
            for pairs in ranges:
                for rank, blob, df, total in encode(pairs):
                    value, separate = term_value(df, total, blob, postfile.tell())
                    if separate:
                        postfile.write(blob)
                    tindex.add(prefix + words[rank], value)
        tindex.close()
        postfile.close()
        self._drop_scratch()
        segment.set_doc_count(self.count)
        segment._fieldlengths = dict(self.lengths)
        return segment

    def cancel(self) -> None:
        """Drop the segment's temporary state (its files are removed by the next commit)."""
        if not self.perdoc.is_closed:
            self.perdoc.close()
        self.buffers.clear()
        self._drop_scratch()

    def _drop_scratch(self) -> None:
        if self._scratch is not None:
            self._scratch.destroy()
            self._scratch = None
