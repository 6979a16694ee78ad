"""Building and updating the index: ``build_index`` is what ``policy-search reindex`` runs.

Files are parsed and tokenised in worker processes (the slow part), in path order, and the
parent process writes the pre-analysed documents. Incremental runs compare size and mtime
with the manifest of the live index, and re-read only files that differ; a file whose bytes
hash the same (after a ``git checkout``, say) is not parsed again.

Exact duplicates (same normalised title and body) are indexed once: the first in path order.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.multiproc import MpWriter

from . import store
from .analysis import segmenter
from .articles import read_articles
from .documents import content_hash, doc_id, document_fields
from .errors import ArticleError
from .scan import SourceFile, scan
from .schema import SCHEMA_VERSION, make_schema

MAX_FILE_BYTES = 20_000_000
Progress = Callable[[int, int], None]


@dataclass
class BuildReport:
    """What one reindex run did; ``skipped`` and ``warnings`` hold (path, reason)."""

    full: bool = False
    scanned: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    documents: int = 0
    text_bytes: int = 0
    seconds: float = 0.0
    generation: str = ""
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return (self.added + self.updated) / self.seconds if self.seconds else 0.0


@dataclass
class Parsed:
    """A worker's answer for one file."""

    file: SourceFile
    sha: str = ""
    same: bool = False                 # bytes identical to the manifest's: nothing to do
    docs: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""


def _sha(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def parse_file(task: tuple[SourceFile, str | None]) -> Parsed:
    """Read, parse and tokenise one file (runs in a worker); never raises."""
    sf, old_sha = task
    if sf.size > MAX_FILE_BYTES:
        return Parsed(sf, error=f"file too large ({sf.size / 1e6:.1f} MB > "
                                f"{MAX_FILE_BYTES / 1e6:.0f} MB limit)")
    try:
        sha = _sha(Path(sf.abs_path).read_bytes())
        if sha == old_sha:
            return Parsed(sf, sha=sha, same=True)
        articles = read_articles(Path(sf.abs_path), sf.path, max_bytes=MAX_FILE_BYTES)
        schema = _worker_schema()
        docs = [document_fields(a, schema) | {"_hash": content_hash(a)} for a in articles]
        warnings = [w if a.path == sf.path else f"{a.path}: {w}" for a in articles for w in a.warnings]
        return Parsed(sf, sha=sha, docs=docs, warnings=warnings)
    except ArticleError as exc:
        return Parsed(sf, error=exc.reason)
    except OSError as exc:
        return Parsed(sf, error=f"cannot read file: {exc.strerror or exc}")
    except Exception as exc:  # a bad file must never stop the run
        return Parsed(sf, error=f"unexpected error: {type(exc).__name__}: {exc}")


_SCHEMA = None


def _worker_schema():
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = make_schema()
    return _SCHEMA


def _parse_all(tasks: list, workers: int) -> Iterator[Parsed]:
    """Parsed results in task order, from a process pool when workers > 1."""
    if workers <= 1 or len(tasks) < 2:
        yield from map(parse_file, tasks)
        return
    segmenter()  # load jieba's dictionary once, before forking, so workers share it
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        yield from pool.imap(parse_file, tasks, chunksize=4)


@dataclass
class _Plan:
    """What the manifest says and what the scan found."""

    files: list[SourceFile]
    old: dict[str, dict]
    order: dict[str, int]
    entries: dict[str, dict] = field(default_factory=dict)   # the new manifest


def _changed(sf: SourceFile, entry: dict | None) -> bool:
    return not entry or entry.get("size") != sf.size or entry.get("mtime") != sf.mtime_ns


def build_index(sources: Iterable[Path], index_dir: Path, *, full: bool = False,
                workers: int | None = None, progress: Progress | None = None) -> BuildReport:
    """Build or update the index in ``index_dir`` from the article files under ``sources``.

    :raises store.ReindexRunning: when another reindex holds the lock.
    """
    started = time.perf_counter()
    sources = [Path(s) for s in sources]
    index_dir = Path(index_dir)
    workers = workers or os.cpu_count() or 1
    with store.reindex_lock(index_dir):
        store.clean(index_dir)
        live = store.current(index_dir)
        if live is None or live.read_json(store.META, {}).get("schema_version") != SCHEMA_VERSION:
            full = True
        report = BuildReport(full=full)
        files = scan(sources, report.skipped)
        old = {} if full else live.read_json(store.MANIFEST, {}).get("files", {})
        plan = _Plan(files, old, {sf.path: i for i, sf in enumerate(files)})
        report.scanned = len(files)
        if full:
            gen = store.next_generation(index_dir)
            ix = whoosh_index.create_in(str(gen.path), make_schema())
        else:
            gen = live
            ix = whoosh_index.open_dir(str(gen.path))
        writer = _writer(ix, full, workers)
        try:
            _write(plan, writer, report, workers, full, progress)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=not full)
        gen.write_json(store.MANIFEST, {"files": plan.entries})
        gen.write_json(store.META, store.new_meta([str(s.resolve()) for s in sources]))
        if full:
            gen = store.publish(index_dir, gen)
            store.clean(index_dir)
        report.generation = gen.name
        with whoosh_index.open_dir(str(gen.path)).reader() as reader:
            report.documents = reader.doc_count()
    report.seconds = time.perf_counter() - started
    return report


def _writer(ix, full: bool, workers: int):
    """A full build writes one segment per worker process in parallel (Whoosh's MpWriter)."""
    if full and workers > 1:
        return MpWriter(ix, procs=workers, batchsize=64, multisegment=True, limitmb=128)
    return ix.writer(limitmb=256)


def _write(plan: _Plan, writer, report: BuildReport, workers: int, full: bool,
           progress: Progress | None) -> None:
    """Parse what changed, write documents, delete what went away, record the manifest."""
    old, order = plan.old, plan.order
    # Documents of unchanged files, known before parsing, take part in duplicate detection.
    first_known: dict[str, tuple[int, str]] = {}
    tasks = []
    for sf in plan.files:
        entry = old.get(sf.path)
        if _changed(sf, entry):
            tasks.append((sf, entry.get("sha") if entry else None))
        else:
            plan.entries[sf.path] = _copy(entry)
            for doc in entry["docs"]:
                first_known.setdefault(doc["hash"], (order[sf.path], doc["path"]))
    report.unchanged = len(plan.files) - len(tasks)
    seen: dict[str, str] = {}
    done = 0
    for parsed in _parse_all(tasks, workers):
        done += 1
        if progress:
            progress(done, len(tasks))
        _apply(parsed, plan, writer, report, first_known, seen, full)
    _settle(plan, writer, report, full)


def _apply(parsed: Parsed, plan: _Plan, writer, report: BuildReport,
           first_known: dict, seen: dict, full: bool) -> None:
    sf = parsed.file
    entry = plan.old.get(sf.path)
    if parsed.error:
        report.skipped.append((sf.path, parsed.error))
        return
    if parsed.same:
        report.unchanged += 1
        plan.entries[sf.path] = _copy(entry) | {"size": sf.size, "mtime": sf.mtime_ns}
        return
    report.warnings.extend((sf.path, w) for w in parsed.warnings)
    if entry:
        report.updated += 1
    else:
        report.added += 1
    rank = plan.order[sf.path]
    docs = []
    for doc in parsed.docs:
        h = doc.pop("_hash")
        original = seen.get(h)
        known = first_known.get(h)
        if original is None and known is not None and known[0] < rank:
            original = known[1]
        if original is None:
            seen[h] = doc["path"]
            report.text_bytes += len(doc["body"].encode("utf-8"))
            (writer.add_document if full else writer.update_document)(**_indexable(doc))
        docs.append({"id": doc["id"], "path": doc["path"], "hash": h, "dup_of": original})
    plan.entries[sf.path] = {"size": sf.size, "mtime": sf.mtime_ns, "sha": parsed.sha,
                             "docs": docs}


def _copy(entry: dict) -> dict:
    """A manifest entry that can be changed without touching the old manifest."""
    return {**entry, "docs": [dict(d) for d in entry["docs"]]}


def _indexable(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if v not in ("", None)}


def _settle(plan: _Plan, writer, report: BuildReport, full: bool) -> None:
    """Delete documents that went away or became duplicates; promote orphaned duplicates."""
    owner: dict[str, str] = {}     # hash -> path of the document that is indexed for it
    promote: set[str] = set()
    for sf in plan.files:
        entry = plan.entries.get(sf.path)
        for doc in entry["docs"] if entry else ():
            first = owner.setdefault(doc["hash"], doc["path"])
            dup_of = None if first == doc["path"] else first
            if doc["dup_of"] is not None and dup_of is None:
                promote.add(sf.path)      # its original was deleted or changed
            doc["dup_of"] = dup_of
            if dup_of:
                report.duplicates.append((doc["path"], dup_of))
    live = {d["id"] for e in plan.entries.values() for d in e["docs"] if not d["dup_of"]}
    if not full:
        for path, entry in plan.old.items():
            if path not in plan.entries:
                report.removed += 1
            for doc in entry["docs"]:
                if doc["id"] not in live and not doc.get("dup_of"):
                    writer.delete_by_term("id", doc["id"])
    for path in sorted(promote):
        _promote(plan, path, writer, report)


def _promote(plan: _Plan, path: str, writer, report: BuildReport) -> None:
    """Index the now-first copies of a file whose duplicates' original disappeared."""
    sf = plan.files[plan.order[path]]
    parsed = parse_file((sf, None))
    wanted = {d["id"] for d in plan.entries[path]["docs"] if not d["dup_of"]}
    for doc in parsed.docs:
        doc.pop("_hash")
        if doc["id"] in wanted:
            writer.update_document(**_indexable(doc))


__all__ = ["BuildReport", "build_index", "doc_id", "parse_file"]
