"""Reading files into Whoosh segments, in the worker processes that parse them.

Each worker takes files from a shared queue, parses and tokenises them and writes their
postings into segments of its own; the parent only lists the finished segments in the index's table of
contents (what Whoosh's ``MpWriter`` does with ``multisegment=True``). Shipping
pre-analysed documents from parsing workers to a writer process was measured to be the
bottleneck of a build: pickled postings crossed process boundaries twice and the writer
was serial.

Duplicates are detected as documents are written (against the unchanged files' documents
and those already written by the same worker); duplicates across workers are found by the
parent, which deletes the later copy afterwards.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.sources.files import read_articles
from indexer.storage.codec import codec
from indexer.build.documents import document_fields
from indexer.errors import ArticleError
from indexer.storage.writer import MemorySegmentWriter
from indexer.sources.scan import SourceFile
from indexer.schema import make_schema
from indexer.analysis.segmenter import warm_up

MAX_FILE_BYTES = 20_000_000
# Files per worker segment, in bytes (the last file may go over). A segment's postings are
# held in memory until it is written (``postings.MemorySegmentWriter``, about 7 times the
# file bytes), so a worker writes several segments one after another, not one huge one.
SEGMENT_MAX_BYTES = 32_000_000
Task = tuple[SourceFile, str | None, int]          # file, its old content hash, scan rank


@dataclass
class Parsed:
    """What became of one file. ``docs`` holds the metadata of its documents only."""

    file: SourceFile
    sha: str = ""
    same: bool = False                 # bytes identical to the manifest's: nothing to do
    docs: list[dict] = field(default_factory=list)   # id, path, hash, dup_of, bytes
    warnings: list[str] = field(default_factory=list)
    error: str = ""


def _sha(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_SCHEMA = None


def _schema():
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = make_schema()
    return _SCHEMA


def parse_file(sf: SourceFile, old_sha: str | None = None) -> tuple[Parsed, list[dict]]:
    """Read, parse and tokenise one file: (what happened, full field dicts); never raises."""
    if sf.size > MAX_FILE_BYTES:
        return Parsed(sf, error=f"file too large ({sf.size / 1e6:.1f} MB > "
                                f"{MAX_FILE_BYTES / 1e6:.0f} MB limit)"), []
    try:
        sha = _sha(Path(sf.abs_path).read_bytes())
        if sha == old_sha:
            return Parsed(sf, sha=sha, same=True), []
        articles = read_articles(Path(sf.abs_path), sf.path, max_bytes=MAX_FILE_BYTES)
        docs = [document_fields(a, _schema()) for a in articles]
        warnings = [w if a.path == sf.path else f"{a.path}: {w}"
                    for a in articles for w in a.warnings]
        return Parsed(sf, sha=sha, warnings=warnings), docs
    except ArticleError as exc:
        return Parsed(sf, error=exc.reason), []
    except OSError as exc:
        return Parsed(sf, error=f"cannot read file: {exc.strerror or exc}"), []
    except Exception as exc:  # a bad file must never stop the run
        return Parsed(sf, error=f"unexpected error: {type(exc).__name__}: {exc}"), []


def indexable(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if v not in ("", None) and not k.startswith("_hash")}


def write_files(writer, tasks: list[Task], first_known: dict[str, tuple[int, str]],
                tick: Callable[[], None] | None = None,
                seen: dict[str, str] | None = None) -> list[Parsed]:
    """Parse ``tasks`` (in scan order) and add their documents to ``writer``.

    A document whose content hash belongs to an earlier document (an unchanged file's, in
    ``first_known``, or one in ``seen``: written before by this process) is recorded as its
    duplicate, not written.
    """
    seen = {} if seen is None else seen
    results = []
    for sf, old_sha, rank in tasks:
        parsed, docs = parse_file(sf, old_sha)
        for doc in docs:
            h = doc["_hash"]
            original = seen.get(h)
            known = first_known.get(h)
            if original is None and known is not None and known[0] < rank:
                original = known[1]
            if original is None:
                seen[h] = doc["path"]
                writer.add_document(**indexable(doc))
            parsed.docs.append({"id": doc["id"], "path": doc["path"], "hash": h,
                                "dup_of": original, "bytes": len(doc["body"].encode("utf-8"))})
        results.append(parsed)
        if tick:
            tick()
    return results


# Set in the workers by ``_init_worker`` (inherited through fork, never pickled).
_counter = None      # files done, for progress
_next = None         # index of the next task to take
_start = None        # a barrier: each worker process runs exactly one job
_tasks: list[Task] = []
_first_known: dict = {}


def _init_worker(counter, next_task, start, tasks, first_known) -> None:
    global _counter, _next, _start, _tasks, _first_known
    _counter, _next, _start, _tasks, _first_known = counter, next_task, start, tasks, first_known


def _tick() -> None:
    with _counter.get_lock():
        _counter.value += 1


def _take() -> int:
    with _next.get_lock():
        i = _next.value
        _next.value += 1
    return i


def _segment_worker(gen_path: str) -> tuple[list, list[Parsed]]:
    """Take files from the shared queue until none are left, writing one segment per
    SEGMENT_MAX_BYTES of them: (the finished segments, the results).

    Files are taken one at a time rather than dealt out in advance: their cost is not
    their size (an HTML page is mostly markup), and fixed shares left one worker idle
    for seconds at the end of a build.
    """
    # No process may take a second job: it would find the queue empty while its first
    # job's process did all the work. Only a matter of sharing work: a process that is
    # slow to start (or dies) must not fail the build, so a broken barrier is ignored.
    try:
        _start.wait(timeout=60)
    except threading.BrokenBarrierError:
        pass
    ix = whoosh_index.open_dir(gen_path)
    segments: list = []
    results: list[Parsed] = []
    seen: dict[str, str] = {}
    writer, size = None, 0
    while (i := _take()) < len(_tasks):
        task = _tasks[i]
        if writer is None:
            writer = MemorySegmentWriter(ix, _lk=False, codec=codec())
        try:
            results += write_files(writer, [task], _first_known, _tick, seen)
        except BaseException:
            writer.cancel()
            raise
        size += task[0].size
        if size >= SEGMENT_MAX_BYTES:
            segments += _finish(writer)
            writer, size = None, 0
    if writer is not None:
        segments += _finish(writer)
    return segments, results


def _finish(writer) -> list:
    """The writer's finished segment, or nothing if all its documents were duplicates."""
    if writer._added:
        return [writer._finalize_segment()]
    writer.cancel()
    return []


def build_segments(gen_path: Path, tasks: list[Task], first_known: dict, workers: int,
                   progress: Callable[[int, int], None] | None) -> tuple[list, list[Parsed]]:
    """Parse and write ``tasks`` in ``workers`` processes: (segments, results in scan order)."""
    warm_up(indexing=True)  # load the dictionaries once, before forking, so workers share them
    ctx = multiprocessing.get_context("fork")
    counter, next_task = ctx.Value("i", 0), ctx.Value("i", 0)
    jobs = max(1, min(workers, len(tasks)))
    start = ctx.Barrier(jobs)
    with ctx.Pool(jobs, initializer=_init_worker,
                  initargs=(counter, next_task, start, tasks, first_known)) as pool:
        pending = pool.map_async(_segment_worker, [str(gen_path)] * jobs, chunksize=1)
        while not pending.ready():
            pending.wait(0.25)
            if progress:
                progress(counter.value, len(tasks))
        outputs = pending.get()
    segments = [seg for segs, _ in outputs for seg in segs]
    results = sorted((r for _, rs in outputs for r in rs), key=lambda r: r.file.path)
    return segments, results
