"""Per-document columns read as whole arrays: numbers, and strings coded by a value table.

Whoosh's own columns give one value per Python call. Searching wants a column at once,
as an array indexed by document number: field lengths for BM25, dates for sorting and
ranges, sources, years and types for facets. These two column types plug into Whoosh's
per-document writer and reader (``fields.FieldType.column_type``, ``column_reader``) and
store little-endian arrays that numpy reads in place:

- ``NumberColumn``: one unsigned 32-bit number per document (0 when missing).
- ``CodeColumn``: a table of the distinct strings (JSON), then one 32-bit code per
  document into it (code 0 is the empty string). Facets count codes; a filter is a set of
  codes.

And one that Whoosh reads one value at a time, as it should: ``STORED_COLUMN``, each
document's stored fields, pickled as Whoosh does but compressed with Zstandard instead of
zlib. Every hit on a results page reads its document's text for the snippet; zlib's
decompression was most of that read (0.12 of 0.17 ms per hit on the real corpus, 8-10 hits
a query), Zstandard's takes a third of it for the same size on disk.
"""

from __future__ import annotations

import json
import struct
import threading
from array import array

import numpy as np
import zstandard
from whoosh.columns import Column, ColumnReader, ColumnWriter, PickleColumn, VarBytesColumn

_TABLE = struct.Struct("<I")


class NumberColumn(Column):
    reversible = False

    def writer(self, dbfile):
        return _NumberWriter(dbfile)

    def reader(self, dbfile, basepos, length, doccount):
        return _NumberReader(dbfile, basepos, length, doccount)

    def default_value(self, reverse=False):
        return 0


class _NumberWriter(ColumnWriter):
    def __init__(self, dbfile):
        super().__init__(dbfile)
        self._values = array("I")

    def add(self, docnum, value):
        self._values.extend([0] * (docnum - len(self._values)))
        self._values.append(value)

    def finish(self, doccount):
        self._values.extend([0] * (doccount - len(self._values)))
        self._dbfile.write(np.asarray(self._values, dtype="<u4").tobytes())


class _NumberReader(ColumnReader):
    def __init__(self, dbfile, basepos, length, doccount):
        super().__init__(dbfile, basepos, length, doccount)
        self._array = np.frombuffer(dbfile.get(basepos, length), dtype="<u4", count=doccount)

    def array(self) -> np.ndarray:
        return self._array

    def __getitem__(self, docnum):
        return int(self._array[docnum])

    def __iter__(self):
        return iter(self._array.tolist())


class CodeColumn(Column):
    reversible = False

    def writer(self, dbfile):
        return _CodeWriter(dbfile)

    def reader(self, dbfile, basepos, length, doccount):
        return _CodeReader(dbfile, basepos, length, doccount)

    def default_value(self, reverse=False):
        return ""


class _CodeWriter(ColumnWriter):
    def __init__(self, dbfile):
        super().__init__(dbfile)
        self._codes = array("I")
        self._table: dict[str, int] = {"": 0}

    def add(self, docnum, value):
        self._codes.extend([0] * (docnum - len(self._codes)))
        table = self._table
        code = table.get(value)
        if code is None:
            code = table[value] = len(table)
        self._codes.append(code)

    def finish(self, doccount):
        self._codes.extend([0] * (doccount - len(self._codes)))
        table = json.dumps(list(self._table), ensure_ascii=False).encode("utf-8")
        self._dbfile.write(_TABLE.pack(len(table)) + table)
        self._dbfile.write(np.asarray(self._codes, dtype="<u4").tobytes())


class _CodeReader(ColumnReader):
    def __init__(self, dbfile, basepos, length, doccount):
        super().__init__(dbfile, basepos, length, doccount)
        data = dbfile.get(basepos, length)
        size = _TABLE.unpack_from(data, 0)[0]
        self.values: list[str] = json.loads(bytes(data[4:4 + size]).decode("utf-8"))
        self._codes = np.frombuffer(data, dtype="<u4", count=doccount, offset=4 + size)

    def codes(self) -> np.ndarray:
        return self._codes

    def __getitem__(self, docnum):
        return self.values[int(self._codes[docnum])]

    def __iter__(self):
        values = self.values
        return (values[c] for c in self._codes.tolist())


class ZstdBytesColumn(VarBytesColumn):
    """Whoosh's variable-length bytes column, each value compressed with Zstandard."""

    LEVEL = 3           # zlib's level in Whoosh's own stored column; about its size here

    def writer(self, dbfile):
        return _ZstdWriter(dbfile)

    def reader(self, dbfile, basepos, length, doccount):
        return _ZstdReader(dbfile, basepos, length, doccount)


# A (de)compressor holds a context that is costly to make (10 µs, four times a small
# document's decompression) and may not be used by two threads at once: one per thread.
_local = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    if not hasattr(_local, "compressor"):
        _local.compressor = zstandard.ZstdCompressor(level=ZstdBytesColumn.LEVEL)
    return _local.compressor


def _decompressor() -> zstandard.ZstdDecompressor:
    if not hasattr(_local, "decompressor"):
        _local.decompressor = zstandard.ZstdDecompressor()
    return _local.decompressor


class _ZstdWriter(VarBytesColumn.Writer):
    def add(self, docnum, value):
        super().add(docnum, _compressor().compress(value) if value else value)


class _ZstdReader(VarBytesColumn.Reader):
    def __getitem__(self, docnum):
        value = super().__getitem__(docnum)
        return _decompressor().decompress(value) if value else value

    def __iter__(self):
        for value in super().__iter__():
            yield _decompressor().decompress(value) if value else value

    def load(self):
        return list(self)


STORED_COLUMN = PickleColumn(ZstdBytesColumn())
