"""The index directory: generations, the ``CURRENT`` pointer, the manifest and the build lock.

Layout of ``INDEX_DIR``::

    CURRENT           name of the live generation, replaced atomically (write + rename)
    gen-000003/       a complete Whoosh index + manifest.json + meta.json
    gen-000004.tmp/   a full build in progress (never read; removed by the next reindex)
    reindex.lock      held (flock) by a running reindex; the kernel drops it if that dies

A full build writes a new generation beside the live one and only then moves ``CURRENT``,
so readers never see a half-built index. An incremental run commits into the live
generation, which Whoosh makes atomic itself (segments first, the TOC file last).
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from indexer.schema import SCHEMA_VERSION
from indexer.storage import commit
from indexer.storage.codec import SCRATCH_PREFIX

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
RELATIONS = "relations.json"      # versions, statuses, duplicates, citations (indexer.metadata)
META = "meta.json"
SOUNDS = "sounds.json"            # characters' readings, for typo corrections (analysis.sounds)
TITLES = "titles.json"            # titles of official documents, for everyday forms (vocabulary)
REPORT = "report.json"            # what the last run skipped and passed over (build)
_GEN = re.compile(r"^gen-(\d{6})$")
# Above this size on disk, searching reads index files instead of mapping them: mapped
# pages count in every worker's resident memory once touched.
MMAP_AUTO_MAX_BYTES = 256 * 1024 * 1024


class IndexMissing(Exception):
    """No usable index in the directory; the message says what to run."""


class ReindexRunning(Exception):
    """Another reindex holds the lock on this index directory."""


@dataclass
class Generation:
    name: str
    path: Path

    def read_json(self, name: str, default):
        try:
            return json.loads((self.path / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return default

    def write_json(self, name: str, data) -> None:
        # Streamed: a manifest of 10^5 files is tens of megabytes of JSON.
        write_atomic(self.path / name, lambda fh: json.dump(data, fh, ensure_ascii=False))


def write_atomic(path: Path, content: str | Callable) -> None:
    """Write a file so that readers see the old or the new content, never a part.
    ``content`` is the text, or a function that writes it to the open file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        if callable(content):
            content(fh)
        else:
            fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def current(index_dir: Path) -> Generation | None:
    """The live generation, or None when the directory holds no complete index."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    path = index_dir / name
    if not _GEN.match(name) or not path.is_dir():
        return None
    return Generation(name, path)


def next_generation(index_dir: Path) -> Generation:
    """A fresh temporary directory for a full build."""
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN.match(p.name))]
    name = f"gen-{max(numbers, default=0) + 1:06d}"
    tmp = index_dir / f"{name}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    return Generation(name, tmp)


def publish(index_dir: Path, gen: Generation) -> Generation:
    """Move a finished build into place and point ``CURRENT`` at it."""
    final = index_dir / gen.name
    os.replace(gen.path, final)
    write_atomic(index_dir / CURRENT, gen.name + "\n")
    return Generation(gen.name, final)


def discard(index_dir: Path, gen: Generation, full: bool) -> None:
    """Undo a build that failed: remove its temporary generation, or, for an update of the
    live generation, the segment files it wrote that no TOC lists."""
    if full:
        shutil.rmtree(gen.path, ignore_errors=True)
    else:
        commit.remove_unlisted(str(gen.path))


def clean(index_dir: Path, keep: int = 2) -> None:
    """Remove leftover temporary builds and all but the newest ``keep`` generations.

    The previous generation is kept one round so a server that opened it just before the
    switch can finish its requests.
    """
    live = current(index_dir)
    gens = sorted(p for p in index_dir.iterdir() if _GEN.match(p.name))
    for path in gens[:-keep]:
        if live is None or path.name != live.name:
            shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob("gen-*.tmp"):
        shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob(".*.tmp"):
        path.unlink(missing_ok=True)
    if live is not None:                  # scratch folders of segment writers that died
        for path in live.path.glob(f"{SCRATCH_PREFIX}*"):
            shutil.rmtree(path, ignore_errors=True)


_held_lock_fd: int | None = None


def _in_forked_child() -> None:
    """Workers forked during a reindex must not keep its lock, nor outlive it.

    A flock belongs to the open file, which a fork shares: without this, a worker left
    behind by ``kill -9`` of the reindex would hold the lock forever. The parent-death
    signal makes such workers exit with their parent.
    """
    global _held_lock_fd
    if _held_lock_fd is not None:
        os.close(_held_lock_fd)
        _held_lock_fd = None
        _die_with_parent()


def _die_with_parent() -> None:
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass                      # not Linux: the lock fd is still closed


os.register_at_fork(after_in_child=_in_forked_child)


@contextmanager
def reindex_lock(index_dir: Path):
    """Exclusive lock for one reindex at a time; released by the kernel if the process dies."""
    global _held_lock_fd
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / "reindex.lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReindexRunning(f"another reindex is running on {index_dir}") from None
        _held_lock_fd = fh.fileno()
        try:
            yield
        finally:
            _held_lock_fd = None
            fcntl.flock(fh, fcntl.LOCK_UN)


def open_current(index_dir: Path):
    """Open the live Whoosh index, or raise ``IndexMissing`` with the command to fix it."""
    gen = current(index_dir)
    if gen is None:
        raise IndexMissing(f"no index in {index_dir}: run `policy-search reindex SOURCE_DIR "
                           f"--index-dir {index_dir}` first")
    meta = gen.read_json(META, {})
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexMissing(f"the index in {index_dir} was built by another version; run "
                           f"`policy-search reindex --full --index-dir {index_dir}`")
    try:
        ix = commit.open_index(str(gen.path))
        _probe(ix)
        return ix, gen
    except Exception as exc:  # Whoosh raises many kinds for damaged files
        reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
    # Outside the except block, so the traceback (which holds the damaged segment file
    # Whoosh left open) is gone and the file can be closed now rather than at exit.
    gc.collect()
    raise IndexMissing(f"the index in {index_dir} cannot be read ({reason}); run "
                       f"`policy-search reindex --full --index-dir {index_dir}`")


def use_mmap(gen: Generation, mmap: bool | None) -> bool:
    """Whether to map the postings files: ``mmap``, or for None (auto) when the generation
    is at most MMAP_AUTO_MAX_BYTES on disk (mapped pages count in each worker's memory)."""
    if mmap is not None:
        return mmap
    return sum(p.stat().st_size for p in gen.path.iterdir() if p.is_file()) <= MMAP_AUTO_MAX_BYTES


def _probe(ix) -> None:
    """Touch every segment's term index, postings and stored fields, so damage shows now."""
    with ix.reader() as reader:
        for segment_reader, _ in reader.leaf_readers():
            if segment_reader.doc_count_all():
                first = next(iter(segment_reader.lexicon("id")), None)
                segment_reader.stored_fields(0)
                if first is not None:
                    list(segment_reader.postings("id", first).all_ids())


def new_meta(sources: list[str], **extra) -> dict:
    return {"schema_version": SCHEMA_VERSION, "sources": sources,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **extra}
