"""Indexing speed benchmark: full build, no-change incremental run, and jieba's own speed.

Run from the repository root (with the project installed)::

    python bench/build.py data/sample --workers 2
    python ../shared/tools/make_scale_corpus.py --docs 100000 --out ../scale-100k
    python bench/build.py ../scale-100k --workers 2 --index-dir ../ix-100k --keep

Three phases, each in a fresh child process of this script (so imports, jieba's dictionary
and the pool workers count against the phase that needs them):

1. **full build** into a fresh index folder with ``indexer.build.build_index(full=True)``:
   seconds, documents, docs/s, MB of indexed text (``BuildReport.text_bytes``, the UTF-8 bodies
   of the documents written, duplicates excluded), MB/s, peak memory of the whole process tree
   (the build process, its parsing pool and Whoosh's writer processes) and the index size.
   Peak memory is sampled from /proc every ``--interval`` seconds: the largest sum of RSS
   over the tree (counts pages shared after fork once per process, so it over-states), the
   largest sum of PSS (shared pages split between sharers: the better total), and
   ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the largest single process, exact).
2. **incremental** run with nothing changed (``full=False``): seconds, and seconds per 10,000
   documents.
3. **jieba alone**: the same files parsed with ``indexer.scan.scan`` +
   ``indexer.articles.read_articles`` (duplicates dropped as the build does), then
   ``segmenter().cut`` over every body in a fork pool of the same number of processes, with
   the dictionary loaded before forking. Prints jieba's MB/s and the ratio build MB/s / jieba
   MB/s: how close the whole build gets to bare word segmentation.

The index folder is deleted at the end unless ``--keep``. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import TreeMemory, mb, table, tree_bytes  # noqa: E402

PHASES = ("full", "incremental", "jieba")


# ---------------------------------------------------------------- child phases
def _phase_build(corpus: Path, index_dir: Path, workers: int, full: bool) -> dict:
    from indexer.build.pipeline import build_index

    report = build_index([corpus], index_dir, full=full, workers=workers)
    return {"documents": report.documents, "scanned": report.scanned, "added": report.added,
            "updated": report.updated, "unchanged": report.unchanged, "removed": report.removed,
            "text_bytes": report.text_bytes, "seconds": report.seconds, "full": report.full,
            "skipped": len(report.skipped), "duplicates": len(report.duplicates),
            "generation": report.generation}


_BODIES: list[str] = []


def _parse_file(task: tuple[str, str, int]) -> list[tuple[str, str]]:
    """(body, content hash) of every article in one file; [] for what the build skips."""
    from indexer.build.documents import content_hash
    from indexer.build.pipeline import MAX_FILE_BYTES
    from indexer.errors import ArticleError
    from indexer.sources.files import read_articles

    abs_path, rel, size = task
    if size > MAX_FILE_BYTES:
        return []
    try:
        articles = read_articles(Path(abs_path), rel, max_bytes=MAX_FILE_BYTES)
    except (ArticleError, OSError):
        return []
    return [(a.body, content_hash(a)) for a in articles]


def _cut_one(i: int) -> int:
    from indexer.analysis.segmenter import segmenter

    n = 0
    for _ in segmenter().cut(_BODIES[i]):
        n += 1
    return n


def _phase_jieba(corpus: Path, workers: int) -> dict:
    global _BODIES
    from indexer.analysis.segmenter import segmenter
    from indexer.sources.scan import scan

    ctx = multiprocessing.get_context("fork")
    started = time.perf_counter()
    files = scan([corpus], [])
    tasks = [(f.abs_path, f.path, f.size) for f in files]
    seen: set[str] = set()
    bodies = []
    with ctx.Pool(workers) as pool:
        for articles in pool.imap(_parse_file, tasks, chunksize=4):
            for body, digest in articles:
                if digest not in seen:          # the build indexes exact duplicates once
                    seen.add(digest)
                    bodies.append(body)
    parse_seconds = time.perf_counter() - started
    _BODIES = bodies                       # inherited by the forked workers, never pickled
    text_bytes = sum(len(b.encode("utf-8")) for b in bodies)
    load_started = time.perf_counter()
    segmenter()                            # dictionary loaded once, before forking
    load_seconds = time.perf_counter() - load_started
    # largest first, small chunks: the pool stays busy to the end (a few laws are huge)
    order = sorted(range(len(bodies)), key=lambda i: -len(bodies[i]))
    chunk = max(1, min(16, len(bodies) // (workers * 100)))
    started = time.perf_counter()
    with ctx.Pool(workers) as pool:
        words = sum(pool.imap_unordered(_cut_one, order, chunksize=chunk))
    cut_seconds = time.perf_counter() - started
    return {"documents": len(bodies), "text_bytes": text_bytes, "parse_seconds": parse_seconds,
            "load_seconds": load_seconds, "seconds": cut_seconds, "words": words}


def _child(args) -> None:
    corpus, index_dir = Path(args.corpus), Path(args.index_dir)
    if args.phase == "jieba":
        result = _phase_jieba(corpus, args.workers)
    else:
        result = _phase_build(corpus, index_dir, args.workers, full=args.phase == "full")
    Path(args.result).write_text(json.dumps(result), encoding="utf-8")


# ---------------------------------------------------------------- parent
def _run_phase(phase: str, args, index_dir: Path, scratch: Path) -> tuple[dict, TreeMemory, float]:
    """Run one phase in a child process, sampling its process tree's memory meanwhile."""
    result_file = scratch / f"{phase}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), str(args.corpus), "--workers", str(args.workers),
           "--index-dir", str(index_dir), "--phase", phase, "--result", str(result_file)]
    started = time.perf_counter()
    child = subprocess.Popen(cmd)
    memory = TreeMemory(child.pid)
    while child.poll() is None:
        memory.sample()
        time.sleep(args.interval)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{phase} phase failed with exit code {child.returncode}")
    return json.loads(result_file.read_text(encoding="utf-8")), memory, wall


def _fresh_index_dir(arg: str | None) -> Path:
    if arg is None:
        return Path(tempfile.mkdtemp(prefix="bench-build-index-"))
    path = Path(arg)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise SystemExit(f"--index-dir {path} is not empty: a full build needs a new or empty folder")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _per_s(amount: float, seconds: float) -> float:
    return amount / seconds if seconds else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Indexing benchmark: full build, no-change incremental run and jieba's own "
                    "segmentation speed on the same texts; prints one table.",
        epilog="Example: python bench/build.py data/sample --workers 2")
    parser.add_argument("corpus", type=Path, help="folder of article files (as for policy-search reindex)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes for the build and for jieba (default: one per core, %(default)s)")
    parser.add_argument("--index-dir", help="new or empty folder for the index (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the index folder afterwards")
    parser.add_argument("--interval", type=float, default=0.2,
                        help="seconds between memory samples of the process tree (default %(default)s)")
    parser.add_argument("--no-jieba", action="store_true",
                        help="skip the jieba-alone phase (an hour at 10^6 documents)")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.phase:
        _child(args)
        return 0
    if not args.corpus.is_dir():
        parser.error(f"not a folder: {args.corpus}")
    args.corpus = args.corpus.resolve()

    index_dir = _fresh_index_dir(args.index_dir)
    load_before = os.getloadavg()[0]
    scratch = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        print(f"full build of {args.corpus} with {args.workers} worker(s) ...", file=sys.stderr, flush=True)
        full, full_mem, full_wall = _run_phase("full", args, index_dir, scratch)
        max_single_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss   # kB on Linux
        size_full = tree_bytes(index_dir)
        print("incremental run (nothing changed) ...", file=sys.stderr, flush=True)
        inc, inc_mem, _ = _run_phase("incremental", args, index_dir, scratch)
        size_inc = tree_bytes(index_dir)
        jb = None
        if not args.no_jieba:
            print("jieba alone ...", file=sys.stderr, flush=True)
            jb, _, _ = _run_phase("jieba", args, index_dir, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(index_dir, ignore_errors=True)
    load_after = os.getloadavg()[0]

    docs, text_mb = full["documents"], mb(full["text_bytes"])
    build_mbs = _per_s(text_mb, full["seconds"])
    rows = [
        ("corpus", str(args.corpus)),
        ("workers / cores", f"{args.workers} / {os.cpu_count()}"),
        ("load average (1 min) before / after", f"{load_before:.2f} / {load_after:.2f}"),
        ("full build: seconds", full["seconds"]),
        ("  child process wall (+ startup, imports)", full_wall),
        ("  files scanned / skipped", f"{full['scanned']:,} / {full['skipped']:,}"),
        ("  documents in index (duplicates)", f"{docs:,} ({full['duplicates']:,})"),
        ("  docs/s", _per_s(docs, full["seconds"])),
        ("  text MB (indexed bodies)", text_mb),
        ("  text MB/s", build_mbs),
        ("  peak RSS, sum over process tree (MB)", full_mem.peak_rss_kb / 1024),
        ("  peak PSS, sum over process tree (MB)", full_mem.peak_pss_kb / 1024 or float("nan")),
        ("  peak RSS, largest single process (MB)", max_single_kb / 1024),
        ("  most processes at once / samples", f"{full_mem.peak_procs} / {full_mem.samples}"),
        ("  index size on disk (MB)", mb(size_full)),
        ("  index MB per MB of text", _per_s(mb(size_full), text_mb)),
        ("incremental, no change: seconds", inc["seconds"]),
        ("  seconds per 10,000 docs", _per_s(inc["seconds"], inc["documents"]) * 10_000),
        ("  unchanged / added / updated / removed",
         f"{inc['unchanged']:,} / {inc['added']:,} / {inc['updated']:,} / {inc['removed']:,}"),
        ("  peak RSS / PSS, sum over tree (MB)",
         f"{inc_mem.peak_rss_kb / 1024:,.1f} / {inc_mem.peak_pss_kb / 1024:,.1f}"),
        ("  index size on disk afterwards (MB)", mb(size_inc)),
    ]
    if jb:
        jieba_mbs = _per_s(mb(jb["text_bytes"]), jb["seconds"])
        rows += [
            ("jieba alone: parse files (s, not in ratio)", jb["parse_seconds"]),
            ("  dictionary load before fork (s)", jb["load_seconds"]),
            ("  documents / text MB", f"{jb['documents']:,} / {mb(jb['text_bytes']):,.2f}"),
            (f"  segmenter().cut, {args.workers} process(es): seconds", jb["seconds"]),
            ("  jieba MB/s", jieba_mbs),
            ("build MB/s / jieba MB/s", _per_s(build_mbs, jieba_mbs)),
        ]
    print(table(rows, header=("build benchmark", "value")))
    if args.keep:
        print(f"index kept in {index_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
