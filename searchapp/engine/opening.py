"""Opening an index for searching: the context, then everything a first search would compute.

Whoever opens an index warms it (``warm.py``), so no engine module needs to know its callers:
the web app's ``IndexHolder``, the CLI and the benchmarks all open through here.
"""

from __future__ import annotations

from pathlib import Path

from indexer import storage as store
from indexer.storage import IndexView
from searchapp.engine.context import SearchContext
from searchapp.engine.warm import warm


def open_context(index_dir: Path, mmap: bool | None = None,
                 synonyms_file: str | None = None) -> SearchContext:
    """The live index of ``index_dir`` opened for searching, with its relations, and warmed.

    :raises store.IndexMissing: with the command to run, when there is no usable index.
    """
    ix, gen = store.open_current(Path(index_dir))
    view = IndexView(ix, mmap=store.use_mmap(gen, mmap))
    return warm(SearchContext(view, gen.read_json(store.RELATIONS, {}), gen, synonyms_file))
