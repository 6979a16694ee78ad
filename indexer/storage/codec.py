"""Our Whoosh codec: Whoosh's term dictionary and per-document files, our posting lists.

The index stays a Whoosh index: a TOC of segments, each with Whoosh's ordered hash table
of terms (``.trm``), Whoosh's stored fields and columns. The postings differ: each
term's entry in the term dictionary holds its document frequency and total frequency and
either its whole blob (``postings.py``; rare terms, most of them) or where the blob lies in
the segment's ``.pst`` file. Whoosh's own readers still work through this codec (document
counts, stored fields, lexicons, a ``ListMatcher`` over a term's documents), so tools and
Whoosh's writer can delete documents by term; searching reads blobs directly
(``view.py``). And stored fields are compressed with Zstandard (``columns.STORED_COLUMN``).
"""

from __future__ import annotations

import mmap
import os
import struct
from collections import defaultdict

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3PerDocWriter, W3Segment
from whoosh.filedb import compound, filetables
from whoosh.matching import ListMatcher
from whoosh.reading import TermInfo, TermNotFound
from whoosh.system import pack_ushort, unpack_ushort

from indexer.storage.columns import STORED_COLUMN
from indexer.storage.postings import Blob

INLINE_MAX = 48            # blobs up to this many bytes live in the term dictionary itself
_INFO = struct.Struct("<BII")            # inlined?, document frequency, total frequency
_EXTENT = struct.Struct("<QI")           # offset and length in the .pst file


class ArrayCodec(W3Codec):
    """Whoosh's W3 layout with ``postings.py`` posting lists."""

    def __init__(self):
        super().__init__(blocklimit=128, compression=0, inlinelimit=0)

    def field_writer(self, storage, segment):
        raise NotImplementedError("segments are written by indexer.storage.segment_writer")

    def postings_writer(self, dbfile, byteids=False):
        raise NotImplementedError("segments are written by indexer.storage.segment_writer")

    def per_document_writer(self, storage, segment):
        return PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return PerDocReader(storage, segment)

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        return ArrayTermsReader(storage.open_file(tiname), storage.file_length(tiname),
                                segment.open_file(storage, self.POSTS_EXT))

    def new_segment(self, storage, indexname):
        return W3Segment(self, indexname)


SCRATCH_PREFIX = ".tmp-"


class PerDocWriter(W3PerDocWriter):
    """Whoosh's per-document writer with scratch space of its own, removed when it closes.

    Whoosh's writer gathers columns in a scratch folder named after the index, shared by
    every writer of the folder; our workers write several segments into one folder at
    once, so each gets a folder named after its segment (hidden: Whoosh's clean-up of
    unused segment files passes over it).
    """

    def __init__(self, codec, storage, segment):   # W3PerDocWriter.__init__, but the scratch
        self._codec = codec
        self._storage = storage
        self._segment = segment
        self._scratch = storage.temp_storage(f"{SCRATCH_PREFIX}{segment.segment_id()}")
        self._cols = compound.CompoundWriter(self._scratch)
        self._colwriters = {}
        self._create_column("_stored", STORED_COLUMN)
        self._fieldlengths = defaultdict(int)
        self._doccount = 0
        self._docnum = None
        self._storedfields = None
        self._indoc = False
        self.is_closed = False
        self._vpostfile = None

    def finish_doc(self):        # W3PerDocWriter.finish_doc, with our stored column
        if self._storedfields:
            self.add_column_value("_stored", STORED_COLUMN, self._storedfields)
            self._storedfields.clear()
        self._indoc = False

    def close(self):
        try:
            super().close()
        finally:
            self._scratch.destroy()


class PerDocReader(W3PerDocReader):
    """Whoosh's per-document reader; stored fields read through our column."""

    def stored_fields(self, docnum):
        return self._cached_reader("_stored", STORED_COLUMN)[docnum] or {}


def term_value(df: int, total: int, blob: bytes, offset: int) -> tuple[bytes, bool]:
    """The term dictionary's value for a term, and whether the blob must go to ``.pst``
    (at ``offset``) because it is too long to inline."""
    if len(blob) <= INLINE_MAX:
        return _INFO.pack(1, df, total) + blob, False
    return _INFO.pack(0, df, total) + _EXTENT.pack(offset, len(blob)), True


class ArrayTermInfo(TermInfo):
    """What Whoosh's generic code asks of a term: its frequencies."""

    def __init__(self, df: int, total: int):
        super().__init__(weight=float(total), df=df)


class ArrayTermsReader(base.TermsReader):
    """Terms of one segment: Whoosh's ordered hash table, keyed by field number + term."""

    def __init__(self, dbfile, length: int, postfile):
        self._dbfile = dbfile
        self._tindex = filetables.OrderedHashReader(dbfile, length)
        self._fieldmap: dict[str, int] = self._tindex.extras["fieldmap"]
        self._fieldunmap = {num: name for name, num in self._fieldmap.items()}
        self._postfile = postfile
        self._fd = postfile.file.fileno()
        self._mapped: mmap.mmap | None = None

    def map_postings(self) -> None:
        """Read blobs from a memory map of the postings file instead of with ``pread``:
        faster, but the pages read count in the process's resident memory."""
        if self._mapped is None and os.fstat(self._fd).st_size:
            self._mapped = mmap.mmap(self._fd, 0, access=mmap.ACCESS_READ)

    def _key(self, fieldname: str, tbytes: bytes) -> bytes:
        return pack_ushort(self._fieldmap.get(fieldname, 65535)) + tbytes

    def _decode_key(self, key: bytes) -> tuple[str, bytes]:
        return self._fieldunmap[unpack_ushort(key[:2])[0]], key[2:]

    def value(self, fieldname: str, tbytes: bytes) -> bytes | None:
        """The raw term dictionary value, or None for an unknown term."""
        if fieldname not in self._fieldmap:
            return None
        return self._tindex.get(self._key(fieldname, tbytes))

    def blob(self, value: bytes) -> bytes:
        """The postings blob a term dictionary value points at (or holds)."""
        if value[0]:
            return value[_INFO.size:]
        offset, length = _EXTENT.unpack_from(value, _INFO.size)
        if self._mapped is not None:
            return memoryview(self._mapped)[offset:offset + length]
        return os.pread(self._fd, length, offset)

    # Whoosh's TermsReader interface, for generic readers.

    def __contains__(self, term) -> bool:
        return self.value(*term) is not None

    def indexed_field_names(self):
        return self._fieldmap.keys()

    def terms(self):
        return (self._decode_key(k) for k in self._tindex.keys())

    def terms_from(self, fieldname, prefix):
        return (self._decode_key(k) for k in self._tindex.keys_from(self._key(fieldname, prefix)))

    def items(self):
        return ((self._decode_key(k), _info(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname, prefix):
        return ((self._decode_key(k), _info(v))
                for k, v in self._tindex.items_from(self._key(fieldname, prefix)))

    def term_info(self, fieldname, tbytes):
        value = self.value(fieldname, tbytes)
        if value is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return _info(value)

    def frequency(self, fieldname, tbytes):
        return self.term_info(fieldname, tbytes).weight()

    def doc_frequency(self, fieldname, tbytes):
        return self.term_info(fieldname, tbytes).doc_frequency()

    def matcher(self, fieldname, tbytes, format_, scorer=None):
        value = self.value(fieldname, tbytes)
        if value is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        blob = Blob(self.blob(value))
        ids = blob.docs.tolist()
        return ListMatcher(ids, blob.tfs.astype(np.float64).tolist(), format=format_,
                           scorer=scorer, term=(fieldname, tbytes), terminfo=_info(value))

    def close(self):
        self._tindex.close()
        if self._mapped is not None:
            try:
                self._mapped.close()
            except BufferError:          # a blob still points into it: the GC closes it
                pass
        self._postfile.close()


def _info(value: bytes) -> ArrayTermInfo:
    _, df, total = _INFO.unpack_from(value, 0)
    return ArrayTermInfo(df, total)


def value_frequencies(value: bytes) -> tuple[int, int]:
    """(document frequency, total frequency) from a term dictionary value."""
    _, df, total = _INFO.unpack_from(value, 0)
    return df, total
