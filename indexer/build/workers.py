"""Reading files into segments, in worker processes that parse, tokenise and write them.

Each worker takes files from a shared queue, parses and tokenises them and writes their
documents into segments of its own (``SegmentWriter``); the parent only lists the finished
segments in the index's table of contents. Files are taken one at a time rather than dealt
out in advance: their cost is not their size (an HTML page is mostly markup).

A worker that dies (killed by a signal, by the kernel for memory, or by an error) is
noticed at once: the parent watches every worker's process sentinel beside its result
pipe, stops the others and raises ``WorkerFailed`` naming the worker and the file it was
on. Nothing is committed, so the live index is untouched.

Duplicates are detected as documents are written (against the unchanged files' documents
and those already written by the same worker); duplicates across workers are found by the
parent, which deletes the later copy afterwards.
"""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from indexer.analysis.segmenter import warm_up
from indexer.build.documents import Prepared, prepare
from indexer.errors import ArticleError
from indexer.schema import make_schema
from indexer.sources.documents import DOCUMENT_SUFFIXES, MAX_DOCUMENT_BYTES, ConvertOptions
from indexer.sources.files import read_articles
from indexer.sources.scan import SourceFile
from indexer.storage import commit
from indexer.storage.segment_writer import SegmentWriter

MAX_FILE_BYTES = 20_000_000
Task = tuple[SourceFile, str | None, int]          # file, its old content hash, scan rank


class WorkerFailed(Exception):
    """A build worker died or failed; the message names it and the file it was on."""


@dataclass
class Parsed:
    """What became of one file. ``docs`` holds the metadata of its documents only."""

    file: SourceFile
    sha: str = ""
    same: bool = False                 # bytes identical to the manifest's: nothing to do
    # id, path, hash, dup_of, bytes, meta (the DocMeta as compact JSON text: a string per
    # document holds the parent's memory down, at 10^5 documents and more, against a dict)
    docs: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    needs_ocr: bool = False            # scanned pages were left unread (OCR off)


def _sha(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _size_limit(sf: SourceFile) -> int:
    suffix = sf.path.rpartition(".")[2].lower()
    return MAX_DOCUMENT_BYTES if f".{suffix}" in DOCUMENT_SUFFIXES else MAX_FILE_BYTES


def parse_file(sf: SourceFile, old_sha: str | None = None,
               options: ConvertOptions | None = None) -> tuple[Parsed, list[Prepared]]:
    """Read, parse and tokenise one file: (what happened, its prepared documents); never
    raises for a bad file. Document files are converted with ``options``."""
    limit = _size_limit(sf)
    if sf.size > limit:
        return Parsed(sf, error=f"file too large ({sf.size / 1e6:.1f} MB > "
                                f"{limit / 1e6:.0f} MB limit)"), []
    try:
        sha = _sha(Path(sf.abs_path).read_bytes())
        if sha == old_sha:
            return Parsed(sf, sha=sha, same=True), []
        articles = read_articles(Path(sf.abs_path), sf.path, max_bytes=MAX_FILE_BYTES,
                                 options=options, sha=sha)
        docs = [prepare(a) for a in articles]
        warnings = [w if a.path == sf.path else f"{a.path}: {w}"
                    for a in articles for w in a.warnings]
        return Parsed(sf, sha=sha, warnings=warnings, needs_ocr=any(a.needs_ocr for a in articles)), docs
    except ArticleError as exc:
        return Parsed(sf, error=exc.reason), []
    except OSError as exc:
        return Parsed(sf, error=f"cannot read file: {exc.strerror or exc}"), []
    except Exception as exc:  # a bad file must never stop the run
        return Parsed(sf, error=f"unexpected error: {type(exc).__name__}: {exc}"), []


def write_files(writer: SegmentWriter, tasks: list[Task], first_known: dict[str, tuple[int, str]],
                tick: Callable[[], None] | None = None,
                seen: dict[str, str] | None = None,
                options: ConvertOptions | None = None) -> list[Parsed]:
    """Parse ``tasks`` (in scan order) and add their documents to ``writer``.

    A document whose content hash belongs to an earlier document (an unchanged file's, in
    ``first_known``, or one in ``seen``: written before by this process) is recorded as its
    duplicate, not written.
    """
    seen = {} if seen is None else seen
    results = []
    for sf, old_sha, rank in tasks:
        parsed, docs = parse_file(sf, old_sha, options)
        for doc in docs:
            original = seen.get(doc.hash)
            known = first_known.get(doc.hash)
            if original is None and known is not None and known[0] < rank:
                original = known[1]
            if original is None:
                seen[doc.hash] = doc.path
                writer.add(doc.doc)
            entry = {"id": doc.id, "path": doc.path, "hash": doc.hash, "dup_of": original,
                     "bytes": doc.text_bytes, "meta": doc.meta.compact()}
            if doc.abbreviations:
                entry["abbr"] = doc.abbreviations
            parsed.docs.append(entry)
        results.append(parsed)
        if tick:
            tick()
    return results


@dataclass
class _Shared:
    """State the parent shares with its workers (inherited through fork, never pickled)."""

    tasks: list[Task]
    first_known: dict
    done: object            # multiprocessing.Value: files finished, for progress
    next: object            # multiprocessing.Value: index of the next task to take
    current: object         # multiprocessing.Array: the task each worker is on (-1: none)
    options: ConvertOptions | None = None


def _take(shared: _Shared) -> int:
    with shared.next.get_lock():
        i = shared.next.value
        shared.next.value += 1
    return i


def _worker(number: int, gen_path: str, shared: _Shared, conn) -> None:
    """Body of worker ``number``: write segments until the queue is empty, then send
    (segments, results) or ("error", message) through ``conn``."""
    try:
        conn.send(_write_segments(number, gen_path, shared))
    except BaseException as exc:     # reported to the parent, which fails the build
        conn.send(("error", _describe(exc)))
        os._exit(1)
    finally:
        conn.close()


def _write_segments(number: int, gen_path: str, shared: _Shared) -> tuple[list, list[Parsed]]:
    """One segment for every file this worker takes (the writer spills sorted runs to disk
    as it goes, so its memory does not grow with the segment): fewer segments, fewer
    look-ups per query term."""
    ix = commit.open_index(gen_path)
    writer = SegmentWriter(ix.storage, make_schema())
    results: list[Parsed] = []
    seen: dict[str, str] = {}
    while (i := _take(shared)) < len(shared.tasks):
        shared.current[number] = i
        results += write_files(writer, [shared.tasks[i]], shared.first_known, None, seen,
                               shared.options)
        with shared.done.get_lock():
            shared.done.value += 1
    shared.current[number] = -2                   # writing its segment
    segments = _finished(writer)
    shared.current[number] = -1
    return segments, results


def _finished(writer: SegmentWriter) -> list:
    segment = writer.finish()
    return [segment] if segment is not None else []


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return f"cannot write the index: {os.strerror(exc.errno)} ({errno.errorcode[exc.errno]})"
    lines = traceback.format_exception_only(type(exc), exc)
    return "".join(lines).strip()


def build_segments(gen_path: Path, tasks: list[Task], first_known: dict, workers: int,
                   progress: Callable[[int, int], None] | None,
                   options: ConvertOptions | None = None) -> tuple[list, list[Parsed]]:
    """Parse and write ``tasks`` in ``workers`` processes: (segments, results in scan order).

    :raises WorkerFailed: when a worker dies or fails (the others are stopped).
    """
    warm_up(indexing=True)  # load the dictionaries once, before forking, so workers share them
    ctx = multiprocessing.get_context("fork")
    jobs = max(1, min(workers, len(tasks)))
    shared = _Shared(tasks, first_known, ctx.Value("i", 0), ctx.Value("i", 0),
                     ctx.Array("i", [-1] * jobs), options)
    procs, conns = [], []
    for number in range(jobs):
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(number, str(gen_path), shared, send),
                           name=f"build worker {number + 1}", daemon=True)
        proc.start()
        send.close()
        procs.append(proc)
        conns.append(receive)
    try:
        outputs = _collect(procs, conns, shared, progress)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
            proc.join()
    segments = [seg for segs, _ in outputs for seg in segs]
    results = sorted((r for _, rs in outputs for r in rs), key=lambda r: r.file.path)
    return segments, results


def _collect(procs, conns, shared: _Shared, progress) -> list:
    """Each worker's output, watching for deaths; raises ``WorkerFailed``."""
    outputs: dict[int, object] = {}
    while len(outputs) < len(procs):
        ready = wait([c for i, c in enumerate(conns) if i not in outputs]
                     + [p.sentinel for i, p in enumerate(procs) if i not in outputs], timeout=0.25)
        for i, conn in enumerate(conns):
            if i not in outputs and (conn in ready or (procs[i].sentinel in ready and conn.poll())):
                try:
                    outputs[i] = conn.recv()
                except EOFError:
                    raise WorkerFailed(_death(procs[i], i, shared)) from None
                if isinstance(outputs[i], tuple) and outputs[i][:1] == ("error",):
                    raise WorkerFailed(f"{procs[i].name} failed {_where(i, shared)}: {outputs[i][1]}")
        for i, proc in enumerate(procs):
            if i not in outputs and proc.sentinel in ready and not conns[i].poll():
                raise WorkerFailed(_death(proc, i, shared))
        if progress:
            progress(shared.done.value, len(shared.tasks))
    return [outputs[i] for i in range(len(procs))]


def _where(number: int, shared: _Shared) -> str:
    i = shared.current[number]
    if i == -2:
        return "while writing its segment"
    if 0 <= i < len(shared.tasks):
        return f"while reading {shared.tasks[i][0].path}"
    return "before taking a file"


def _death(proc, number: int, shared: _Shared) -> str:
    proc.join(1)
    code = proc.exitcode
    if code is not None and code < 0:
        how = f"was killed by {signal.Signals(-code).name}"
        if -code == signal.SIGKILL:
            how += " (out of memory, or killed by someone)"
    else:
        how = f"exited with status {code}"
    return f"{proc.name} (pid {proc.pid}) {how} {_where(number, shared)}"
