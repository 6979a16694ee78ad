"""Creating an index, deleting documents and committing segments: Whoosh's table of contents.

A commit writes a new TOC (the schema and the list of segments, deletions included) and
then removes files no segment uses, as Whoosh's writer does at the end of ``commit``. The
TOC file is written under a temporary name and renamed, so a reader sees the old list of
segments or the new one. Only one process writes at a time (the reindex lock).
"""

from __future__ import annotations

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files

from indexer.storage.codec import ArrayTermsReader
from indexer.storage.postings import Blob

INDEX_NAME = "MAIN"


def create(path: str, schema) -> None:
    """An empty index in the folder ``path``."""
    FileStorage(path).create().create_index(schema, indexname=INDEX_NAME)


def storage(path: str) -> FileStorage:
    return FileStorage(path)


def open_index(path: str):
    return FileStorage(path).open_index(indexname=INDEX_NAME)


def segments(ix) -> list:
    """The index's segments as the latest TOC lists them (fresh objects: safe to change)."""
    return list(TOC.read(ix.storage, INDEX_NAME).segments)


def delete_ids(ix, segs: list, ids: set[str]) -> int:
    """Mark the documents with these ids deleted in ``segs``; how many were."""
    if not ids:
        return 0
    count = 0
    storage = ix.storage
    for seg in segs:
        terms = seg.codec().terms_reader(storage, seg)
        try:
            count += _delete_in(seg, terms, ids)
        finally:
            terms.close()
    return count


def _delete_in(seg, terms: ArrayTermsReader, ids: set[str]) -> int:
    count = 0
    for doc_id in ids:
        value = terms.value("id", doc_id.encode("utf-8"))
        if value is None:
            continue
        for docnum in Blob(terms.blob(value)).docs.tolist():
            if not seg.is_deleted(docnum):
                seg.delete_document(docnum)
                count += 1
    return count


def commit(ix, segs: list) -> None:
    """Make ``segs`` (old ones with their deletions, and new ones) the index's segments."""
    storage = ix.storage
    generation = TOC._latest_generation(storage, INDEX_NAME) + 1
    live = [s for s in segs if s.doc_count_all() and s.doc_count()]
    TOC(ix.schema, live, generation).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, generation, live)


def remove_unlisted(path: str) -> None:
    """Delete segment files the latest TOC does not list (left by a build that failed)."""
    storage = FileStorage(path)
    toc = TOC.read(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, toc.generation, toc.segments)
