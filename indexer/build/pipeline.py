"""Building and updating the index: ``build_index`` is what ``policy-search reindex`` runs.

1. Scan the source folders; compare each file's size and mtime with the manifest of the
   live index. Only files that differ are read; a file whose bytes hash the same (after a
   ``git checkout``, say) is not parsed again.
2. Parse, tokenise and write the changed files: in worker processes, each into a segment
   of its own, when there is enough to do; otherwise in this process (``segments.py``).
3. One commit lists the new segments and deletes the old versions of changed and removed
   files, so readers switch from the old state to the new one at once. A full build does
   all this in a new generation directory and then moves ``CURRENT`` (``store.py``).
4. Exact duplicates (same normalised title and body) are indexed once, the first in path
   order; a second small commit removes copies found across workers and re-adds a copy
   whose original went away.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from indexer.analysis.abbreviations import common_abbreviations
from indexer.analysis.sounds import sound_table
from indexer.build.workers import (
    MAX_FILE_BYTES,
    Parsed,
    Task,
    WorkerFailed,
    build_segments,
    parse_file,
)
from indexer.build.workers import write_files as _write_files
from indexer.errors import chinese_reason
from indexer.metadata import CitationSummary, DocMeta, relate
from indexer.metadata.relate import relations_json
from indexer.schema import SCHEMA_VERSION, make_schema
from indexer.sources.documents import DOCUMENT_SUFFIXES, ConvertOptions
from indexer.sources.documents.attachments import HTML_SUFFIXES
from indexer.sources.scan import SourceFile, scan
from indexer.storage import commit
from indexer.storage import generations as store
from indexer.storage.segment_writer import SegmentWriter
from indexer.vocabulary import official_titles

PARALLEL_MIN_BYTES = 2_000_000      # below this, forking workers costs more than it saves
OCR_CACHE = "ocr-cache"             # OCR results by file hash, beside the generations
Progress = Callable[[int, int], None]

__all__ = ["MAX_FILE_BYTES", "BuildReport", "WorkerFailed", "build_index", "parse_file"]


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
    passed_over: list[str] = field(default_factory=list)   # files of kinds not read
    warnings: list[tuple[str, str]] = field(default_factory=list)
    citations: CitationSummary = field(default_factory=CitationSummary)

    @property
    def docs_per_second(self) -> float:
        return (self.added + self.updated) / self.seconds if self.seconds else 0.0


@dataclass
class _Plan:
    """What the manifest says, what the scan found, and the new manifest being made."""

    files: list[SourceFile]
    old: dict[str, dict]
    order: dict[str, int]
    entries: dict[str, dict] = field(default_factory=dict)
    first_known: dict[str, tuple[int, str]] = field(default_factory=dict)
    tasks: list[Task] = field(default_factory=list)
    rewritten: set[str] = field(default_factory=set)    # files whose documents were written


def _changed(sf: SourceFile, entry: dict | None) -> bool:
    return not entry or entry.get("size") != sf.size or entry.get("mtime") != sf.mtime_ns


def _copy(entry: dict) -> dict:
    """A manifest entry that can be changed without touching the old manifest."""
    return {**entry, "docs": [dict(d) for d in entry["docs"]]}


def _plan(files: list[SourceFile], old: dict[str, dict], ocr: bool = False) -> _Plan:
    plan = _Plan(files, old, {sf.path: i for i, sf in enumerate(files)})
    changed = [sf for sf in files if _changed(sf, old.get(sf.path))]
    changed_paths = {sf.path for sf in changed}     # a set: 10^5 files, not a list scan each
    again = _reread(files, old, changed, ocr)
    for rank, sf in enumerate(files):
        entry = old.get(sf.path)
        if sf.path in changed_paths or sf.path in again:
            # A file read again for its page's sake is converted again, even if its bytes
            # are the same (so no old hash).
            plan.tasks.append((sf, None if sf.path in again else entry.get("sha") if entry else None, rank))
        else:
            plan.entries[sf.path] = _copy(entry)
            for doc in entry["docs"]:
                plan.first_known.setdefault(doc["hash"], (rank, doc["path"]))
    return plan


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def _reread(files: list[SourceFile], old: dict[str, dict], changed: list[SourceFile],
            ocr: bool) -> set[str]:
    """Unchanged document files to read again: those beside a page that changed, came or
    went (a page's metadata fills its 附件's, ``attachments.py``), and, with OCR on, those
    whose scanned pages were left unread."""
    present = {sf.path for sf in files}
    pages = {sf.path for sf in changed if sf.path.lower().endswith(HTML_SUFFIXES)}
    pages |= {p for p in old if p not in present and p.lower().endswith(HTML_SUFFIXES)}
    folders = {_folder(p) for p in pages}
    again = set()
    for sf in files:
        entry = old.get(sf.path)
        if not entry or sf.path.rpartition(".")[2].lower() not in _DOCUMENT_NAMES:
            continue
        if _folder(sf.path) in folders or (ocr and entry.get("needs_ocr")):
            again.add(sf.path)
    return again


_DOCUMENT_NAMES = frozenset(s.lstrip(".") for s in DOCUMENT_SUFFIXES)


def build_index(sources: Iterable[Path], index_dir: Path, *, full: bool = False,
                workers: int | None = None, progress: Progress | None = None,
                convert: ConvertOptions | None = None) -> BuildReport:
    """Build or update the index in ``index_dir`` from the article files under ``sources``.

    ``convert`` says how document files (PDF, Word, OFD, spreadsheets) are converted: OCR
    on or off, the time and memory limit of one file. OCR results are kept by file hash in
    ``index_dir/ocr-cache``.

    :raises store.ReindexRunning: when another reindex holds the lock.
    :raises WorkerFailed: when a build worker dies or cannot write (disk full); the live
        index is untouched and the next run starts afresh.
    """
    started = time.perf_counter()
    sources = [Path(s) for s in sources]
    index_dir = Path(index_dir)
    workers = workers or os.cpu_count() or 1
    convert = convert or ConvertOptions()
    if convert.ocr and not convert.ocr_cache:
        convert = replace(convert, ocr_cache=str(index_dir / OCR_CACHE))
    with store.reindex_lock(index_dir):
        store.clean(index_dir)
        live = store.current(index_dir)
        if live is None or live.read_json(store.META, {}).get("schema_version") != SCHEMA_VERSION:
            full = True
        report = BuildReport(full=full)
        files = scan(sources, report.skipped, report.passed_over)
        report.scanned = len(files)
        plan = _plan(files, {} if full else live.read_json(store.MANIFEST, {}).get("files", {}),
                     convert.ocr)
        report.unchanged = len(files) - len(plan.tasks)
        gen = store.next_generation(index_dir) if full else live
        try:
            if full:
                commit.create(str(gen.path), make_schema())
            _update(gen, plan, report, workers, progress, convert)
            gen.write_json(store.MANIFEST, {"files": plan.entries})
            gen.write_json(store.REPORT, report_json(report))
            gen.write_json(store.META, store.new_meta([str(s.resolve()) for s in sources]))
        except BaseException:
            store.discard(index_dir, gen, full)
            raise
        if full:
            gen = store.publish(index_dir, gen)
            store.clean(index_dir)
        report.generation = gen.name
        report.documents = commit.open_index(str(gen.path)).doc_count()   # from the TOC
    report.seconds = time.perf_counter() - started
    return report


def report_json(report: BuildReport) -> dict:
    """What the web app's empty state and ``stats`` show of a run: skipped files with their
    reasons (English and Chinese) and the files of kinds not read."""
    return {"skipped": [{"path": p, "reason": r, "reason_zh": chinese_reason(r)} for p, r in report.skipped],
            "passed_over": report.passed_over, "scanned": report.scanned}


def _update(gen: store.Generation, plan: _Plan, report: BuildReport, workers: int,
            progress: Progress | None, convert: ConvertOptions | None = None) -> None:
    """Write the changed files and commit; then fix duplicates in a second commit."""
    ix = commit.open_index(str(gen.path))
    big = sum(t[0].size for t in plan.tasks) >= PARALLEL_MIN_BYTES
    if workers > 1 and big and len(plan.tasks) > 1:
        segments, results = build_segments(gen.path, plan.tasks, plan.first_known, workers, progress,
                                           convert)
    else:
        writer = SegmentWriter(ix.storage, make_schema())
        done = iter(range(1, len(plan.tasks) + 1))
        tick = (lambda: progress(next(done), len(plan.tasks))) if progress else None
        results = _write_files(writer, plan.tasks, plan.first_known, tick, options=convert)
        segments = [s for s in [writer.finish()] if s is not None]
    for parsed in results:
        _record(parsed, plan, report)
    stale, extra, promote = _settle(plan, report)
    if not (segments or stale or extra or promote):
        if not (gen.path / store.RELATIONS).exists():     # a new index of nothing readable
            _relate(gen, plan, report)
        return            # nothing changed: no new TOC, so servers keep what they have open
    # Before the commit: a reader that sees the new documents finds their relations too.
    _relate(gen, plan, report)
    old = commit.segments(ix)
    commit.delete_ids(ix, old, stale)
    commit.commit(ix, old + segments)
    if extra or promote:
        _fix_duplicates(gen, plan, extra, promote, convert)


def _relate(gen: store.Generation, plan: _Plan, report: BuildReport) -> None:
    """Versions, statuses, duplicates across sources and citations of every indexed
    document, from the metadata in the manifest, into the generation's relations file."""
    indexed = [doc for entry in plan.entries.values() for doc in entry["docs"] if not doc["dup_of"]]
    metas = {doc["id"]: DocMeta.from_json(doc.get("meta") or "{}") for doc in indexed}
    relations = relate(metas)
    report.citations = relations.citations
    mined = common_abbreviations(doc.get("abbr", ()) for doc in indexed)
    gen.write_json(store.RELATIONS, relations_json(relations, mined))
    gen.write_json(store.TITLES, official_titles((m.title, m.level) for m in metas.values()))
    if not (gen.path / store.SOUNDS).exists():          # the same for every index
        gen.write_json(store.SOUNDS, sound_table())


def _record(parsed: Parsed, plan: _Plan, report: BuildReport) -> None:
    """Put one file's outcome into the report and the new manifest."""
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
    plan.rewritten.add(sf.path)
    report.text_bytes += sum(d.pop("bytes") for d in parsed.docs if not d["dup_of"])
    plan.entries[sf.path] = {"size": sf.size, "mtime": sf.mtime_ns, "sha": parsed.sha,
                             "docs": parsed.docs}
    if parsed.needs_ocr:
        plan.entries[sf.path]["needs_ocr"] = True


def _settle(plan: _Plan, report: BuildReport) -> tuple[set[str], set[str], set[str]]:
    """Final duplicate decisions in path order.

    Returns the ids to delete from the old segments (old versions of changed and removed
    files, and unchanged documents that became duplicates), ids written by workers that are
    duplicates after all, and files whose documents must be re-added (their original went).
    """
    written = plan.rewritten
    owner: dict[str, str] = {}
    extra: set[str] = set()
    promote: set[str] = set()
    for sf in plan.files:
        entry = plan.entries.get(sf.path)
        for doc in entry["docs"] if entry else ():
            first = owner.setdefault(doc["hash"], doc["path"])
            dup_of = None if first == doc["path"] else first
            if sf.path in written and doc["dup_of"] is None and dup_of:
                extra.add(doc["id"])          # written by a worker, but a copy
            elif sf.path not in written and doc["dup_of"] and dup_of is None:
                promote.add(sf.path)          # its original was deleted or changed
            doc["dup_of"] = dup_of
            if dup_of:
                report.duplicates.append((doc["path"], dup_of))
            doc.pop("bytes", None)
    stale = set()
    for path, entry in plan.old.items():
        if path not in plan.entries:
            report.removed += 1
        rewritten = path in written or path not in plan.entries
        for doc in entry["docs"]:
            if rewritten or (not doc.get("dup_of") and _is_dup_now(plan, path, doc["id"])):
                stale.add(doc["id"])
    return stale, extra, promote


def _is_dup_now(plan: _Plan, path: str, doc_id: str) -> bool:
    return any(d["id"] == doc_id and d["dup_of"] for d in plan.entries[path]["docs"])


def _fix_duplicates(gen: store.Generation, plan: _Plan, extra: set[str], promote: set[str],
                    convert: ConvertOptions | None = None) -> None:
    ix = commit.open_index(str(gen.path))
    segs = commit.segments(ix)
    commit.delete_ids(ix, segs, extra)
    writer = SegmentWriter(ix.storage, make_schema())
    readd = set()
    for path in sorted(promote):
        sf = plan.files[plan.order[path]]
        wanted = {d["id"] for d in plan.entries[path]["docs"] if not d["dup_of"]}
        for doc in parse_file(sf, None, convert)[1]:
            if doc.id in wanted:
                readd.add(doc.id)
                writer.add(doc.doc)
    commit.delete_ids(ix, segs, readd)
    added = writer.finish()
    commit.commit(ix, segs + ([added] if added is not None else []))
