"""Query speed benchmark: the query mix of ``bench/queries.txt`` through ``search()``, in-process.

Run from the repository root (with the project installed), on an index built by
``policy-search reindex`` or ``python bench/build.py CORPUS --index-dir DIR --keep``::

    python bench/query.py ../ix-100k
    python bench/query.py ../ix-100k --rounds 5 --verbose

Each query runs exactly as the API runs it: ``searchapp.search.search(searcher, SearchParams(...))``
with page 1 and 10 per page (so snippets and facets are included), one searcher for the whole
run, single-threaded. Lines may carry filters and sort after ``||`` (see ``queries.txt``).

Printed: the cold start of this fresh process (jieba's dictionary load, opening the index,
and the first query of the file, which is the first query on that index in this process:
column caches, Whoosh segment files and the like are loaded by it; the OS page cache may
still be warm from earlier runs), then over all queries x rounds: p50, p95, max, queries/s,
and the five slowest queries (median over the rounds). The searcher keeps term sets, phrase
checks and decoded blocks between queries, so later rounds are faster; the first round's
figures are printed too (each query's first run in the process, except the mix's first
query, which already ran as the cold query). The index is mapped into memory unless
``--mmap`` says otherwise (``serve`` reads indexes over 256 MB instead, see
``POLICY_SEARCH_MMAP``). As in a serve worker, what is alive once the index is open is kept
from Python's cyclic garbage collector (``keep_from_collector``). ``--verbose`` adds a line per query
with its hit count, to check that the mix means something on the corpus.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import QUERIES, load_queries, percentile, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Query benchmark: cold first query, then p50/p95/max and queries/s over the "
                    "query mix, single-threaded through searchapp.search.search().",
        epilog="Example: python bench/query.py ../ix --rounds 3")
    parser.add_argument("index", type=Path, help="index folder (as for policy-search --index-dir)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="times the whole mix is run (default %(default)s)")
    parser.add_argument("--queries", type=Path, default=QUERIES,
                        help="query mix file (default: queries.txt next to this script)")
    parser.add_argument("--slowest", type=int, default=5,
                        help="slowest queries to list (default %(default)s)")
    parser.add_argument("--mmap", choices=("true", "false", "auto"), default="true",
                        help="map the index files (true, default), read them (false), or as "
                             "serve's default does (auto)")
    parser.add_argument("--verbose", action="store_true", help="also print every query's hits and times")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    mix = load_queries(args.queries)

    t0 = time.perf_counter()
    from indexer.analysis.segmenter import warm_up
    from indexer.storage import generations as store
    from searchapp.engine.context import keep_from_collector
    from searchapp.engine.opening import open_context
    from searchapp.engine.search import SearchParams, search
    import_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    warm_up()
    jieba_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    try:
        searcher = open_context(args.index, {"true": True, "false": False}.get(args.mmap))
    except store.IndexMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    keep_from_collector()          # as a serve worker does once its index is open
    gen = searcher.generation
    open_s = time.perf_counter() - t0

    for bq in mix:                                       # fail early on a bad line
        SearchParams(**bq.params_kwargs()).validate()
    documents = searcher.view.doc_count
    t0 = time.perf_counter()
    first = search(searcher, SearchParams(**mix[0].params_kwargs()))
    cold_s = time.perf_counter() - t0

    times: list[list[float]] = [[] for _ in mix]
    totals = [0] * len(mix)
    started = time.perf_counter()
    for _ in range(args.rounds):
        for i, bq in enumerate(mix):
            request = SearchParams(**bq.params_kwargs())    # a fresh object, as per request
            t0 = time.perf_counter()
            results = search(searcher, request)
            times[i].append(time.perf_counter() - t0)
            totals[i] = results.total
    wall = time.perf_counter() - started
    searcher.close()

    flat = [t * 1000 for ts in times for t in ts]
    first_round = [ts[0] * 1000 for ts in times]
    n = len(flat)
    summary = [
        ("index", f"{args.index} ({gen.name}, {documents:,} documents)"),
        ("queries in mix x rounds", f"{len(mix)} x {args.rounds} = {n}"),
        ("cold: import search modules (ms)", import_s * 1000),
        ("cold: jieba dictionary load (ms)", jieba_s * 1000),
        ("cold: open index + derived arrays (ms)", open_s * 1000),
        (f"cold: first query {mix[0].line!r} (ms)", cold_s * 1000),
        ("cold: total, process start to first answer (ms)", (import_s + jieba_s + open_s + cold_s) * 1000),
        ("p50 (ms)", percentile(flat, 50)),
        ("p95 (ms)", percentile(flat, 95)),
        ("max (ms)", max(flat)),
        ("round 1 only (each query's first run): p50 / p95 / max (ms)",
         f"{percentile(first_round, 50):.1f} / {percentile(first_round, 95):.1f} / "
         f"{max(first_round):.1f}"),
        ("mean (ms)", statistics.fmean(flat)),
        ("queries/s, single-threaded", n / wall if wall else float("nan")),
        ("first query hits", first.total),
    ]
    print(table(summary, header=("query benchmark", "value")))

    medians = sorted(((statistics.median(ts) * 1000, max(ts) * 1000, i) for i, ts in enumerate(times)),
                     reverse=True)
    print()
    print(table([(mix[i].line, totals[i], med, mx) for med, mx, i in medians[:args.slowest]],
                header=(f"slowest {args.slowest} (median over rounds)", "hits", "median ms", "max ms")))
    if args.verbose:
        print()
        print(table([(bq.line, totals[i], statistics.median(times[i]) * 1000, max(times[i]) * 1000)
                     for i, bq in enumerate(mix)],
                    header=("query", "hits", "median ms", "max ms")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
