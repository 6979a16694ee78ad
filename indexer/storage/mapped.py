"""Reading mapped index files without copying them into memory.

Whoosh opens each file inside a compound segment (``.seg``) as a ``BufferFile`` over a
``memoryview`` of the mapped segment, and ``BufferFile`` wraps that view in ``BytesIO``,
which copies it: every process that opened an index held a private copy of every term
index and postings file it opened (3.2 GB per ``serve`` worker, and in ``reindex``, at
100,000 documents). ``MappedBufferFile`` reads the view in place, so pages come from the
OS page cache and are shared between processes. ``install()`` makes Whoosh's compound
storage use it.
"""

from __future__ import annotations

import io
import pickle

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

_PICKLE_CHUNK = 512


class _ViewReader:
    """A read-only file object over a memoryview."""

    def __init__(self, view):
        self._view = view
        self._pos = 0
        self._len = len(view)

    def read(self, size=-1) -> bytes:
        start = self._pos
        end = self._len if size is None or size < 0 else min(self._len, start + size)
        self._pos = max(start, end)
        return bytes(self._view[start:end])

    def readline(self, size=-1) -> bytes:
        start = self._pos
        limit = self._len if size is None or size < 0 else min(self._len, start + size)
        end = start
        while end < limit:
            chunk = bytes(self._view[end:min(limit, end + 256)])
            i = chunk.find(b"\n")
            if i >= 0:
                end += i + 1
                break
            end += len(chunk)
        self._pos = end
        return bytes(self._view[start:end])

    def seek(self, where: int, whence: int = 0) -> int:
        base = (0, self._pos, self._len)[whence]
        self._pos = max(0, base + where)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")
        self._len = 0

    def __iter__(self):
        while line := self.readline():
            yield line


class MappedBufferFile(BufferFile):
    """``BufferFile`` without the copy (see the module docstring)."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _ViewReader(buf)

    def subset(self, position, length, name=None):
        return MappedBufferFile(self._buf[position:position + length], name=name or self._name)

    def read_pickle(self):
        # Unpickling from a Python-level file costs a call per opcode; unpickle a copied
        # chunk instead (pickle.load stops at its end) and move on by what it used.
        reader = self.file
        start, size = reader.tell(), _PICKLE_CHUNK
        while True:
            chunk = io.BytesIO(bytes(self._buf[start:start + size]))
            try:
                value = pickle.load(chunk)
            except (EOFError, pickle.UnpicklingError):
                if start + size >= len(self._buf):
                    raise
                size *= 8
                continue
            reader.seek(start + chunk.tell())
            return value


def install() -> None:
    """Make Whoosh's compound segment storage hand out ``MappedBufferFile``s."""
    compound.BufferFile = MappedBufferFile
