"""Storage: everything that knows Whoosh's internals lives here and nowhere else.

``generations`` (the index directory, ``CURRENT``, the build lock), ``codec`` (our posting
format, plugged in through Whoosh's codec extension point), ``segment_writer`` and ``runs``
(the array segment writer), ``columns`` (per-document columns and stored fields),
``commit`` (commits and deletions) and ``view`` (``IndexView``: an open index as arrays).

The search side uses what is exported here: opening the live generation and reading it.
"""

from indexer.storage.generations import (
    CURRENT,
    MANIFEST,
    META,
    MMAP_AUTO_MAX_BYTES,
    RELATIONS,
    REPORT,
    Generation,
    IndexMissing,
    ReindexRunning,
    current,
    open_current,
    use_mmap,
)
from indexer.storage.view import IndexView

__all__ = [
    "CURRENT", "MANIFEST", "META", "MMAP_AUTO_MAX_BYTES", "RELATIONS", "REPORT", "Generation",
    "IndexMissing", "IndexView", "ReindexRunning", "current", "open_current", "use_mmap",
]
