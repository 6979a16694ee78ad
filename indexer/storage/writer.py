"""A segment writer that keeps its postings in memory and writes them a term at a time.

Whoosh's ``SegmentWriter`` pushes every posting through a sorting pool (a 5-tuple per
posting, sorted runs spilled to disk and merged) and then hands them one by one to the
postings writer, which looks up each document's field length in the column it has just
written. Measured on the real corpus, that was two thirds of a build's time (40 s of
60 s in one process, against 19 s for parsing and tokenising). A worker's segment is
bounded (``segments.SEGMENT_MAX_BYTES``), and documents arrive in document-number order,
so each term's posting list can simply grow in memory, already sorted; at the end the
terms are sorted once and each list is cut into blocks.

The segment reads back exactly as the one ``SegmentWriter`` writes for the same documents
(a test compares every term's postings and statistics, and the per-document files byte for
byte); only the posting blocks may be smaller, as equal values are pickled once per block.
"""

from __future__ import annotations

from array import array
from itertools import chain
from typing import NamedTuple

from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

from indexer.schema import PreAnalyzed, encode_positions


class _Postings(NamedTuple):
    """One term's postings so far: document numbers, weights, and the value strings
    concatenated, with where each ends."""

    ids: array
    weights: array
    values: bytearray
    ends: array

    @classmethod
    def new(cls) -> _Postings:
        return cls(array("I"), array("d"), bytearray(), array("L"))

    def value_list(self) -> list[bytes]:
        """The value strings, equal ones as one object: a block is pickled, and pickle
        writes an object it has seen as a short reference."""
        data = bytes(self.values)
        seen: dict[bytes, bytes] = {}
        return [seen.setdefault(v, v)
                for v in map(data.__getitem__, map(slice, chain((0,), self.ends), self.ends))]


class MemorySegmentWriter(SegmentWriter):
    """``SegmentWriter`` for pre-analysed documents, with in-memory posting lists.

    Supports what our schema uses: indexed, stored and column fields and ``_stored_<name>``
    values, written with ``_finalize_segment``. Document and field boosts (``_boost``),
    spelling fields and term vectors are not supported, nor merging other segments in (their
    postings would go to the sorting pool this writer does not read).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # field name → term bytes → _Postings. Arrays and byte buffers rather than lists:
        # the garbage collector does not traverse them, and it used to spend seconds per
        # build walking millions of posting objects in full collections.
        self._postings: dict[str, dict[bytes, _Postings]] = {}
        # field name → document number → field length (scorable fields only)
        self._lengths: dict[str, dict[int, int]] = {}

    def add_reader(self, reader):
        raise NotImplementedError("MemorySegmentWriter does not merge segments")

    def add_document(self, **fields):
        self._check_state()
        schema = self.schema
        perdoc = self.perdocwriter
        docnum = self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = self._add_postings(name, field, value, docnum) if field.indexed else 0
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(stored))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_postings(self, name, field, value, docnum: int) -> int:
        """Append one document's postings of a field; its length (0 if not scorable)."""
        terms = self._postings.setdefault(name, {})
        if isinstance(value, PreAnalyzed):
            length = self._add_pre_analyzed(terms, value, docnum)
        else:
            length = self._add_items(terms, field.index(value), docnum)
        if not field.scorable:
            return 0
        if length:
            self._lengths.setdefault(name, {})[docnum] = length
        return length

    @staticmethod
    def _add_pre_analyzed(terms: dict, value: PreAnalyzed, docnum: int) -> int:
        # ``_add_items`` over ``iter(value)``, without a tuple per posting.
        boost = value.boost
        length = 0
        for term, positions in value.terms.items():
            tbytes = term.encode("utf-8")
            freq = len(positions)
            length += freq
            entry = terms.get(tbytes)
            if entry is None:
                entry = terms[tbytes] = _Postings.new()
            entry.ids.append(docnum)
            entry.weights.append(freq * boost)
            entry.values.extend(encode_positions(positions))
            entry.ends.append(len(entry.values))
        return length

    @staticmethod
    def _add_items(terms: dict, items, docnum: int) -> int:
        length = 0
        for tbytes, freq, weight, vbytes in items:
            length += freq
            entry = terms.get(tbytes)
            if entry is None:
                entry = terms[tbytes] = _Postings.new()
            entry.ids.append(docnum)
            entry.weights.append(weight)
            if vbytes:
                entry.values.extend(vbytes)
                entry.ends.append(len(entry.values))
        return length

    def _flush_segment(self):
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        # Only fields with terms: an empty field value leaves no trace in the term index.
        for name in sorted(name for name, terms in self._postings.items() if terms):
            fieldwriter.start_field(name, self.schema[name])
            terms = self._postings[name]
            lengths = self._lengths.get(name, {})
            tindex, fieldid = fieldwriter._tindex, fieldwriter._fieldid
            postwriter = fieldwriter._postwriter
            fmt = fieldwriter._format
            for btext in sorted(terms):
                entry = terms[btext]
                terminfo = postwriter.write_postings(fmt, entry.ids, entry.weights,
                                                     entry.value_list(), lengths)
                tindex.add(pack_ushort(fieldid) + btext, terminfo.to_bytes())
            fieldwriter.finish_field()
            del self._postings[name]          # free each field's postings once written
        fieldwriter.close()
