"""Results-page server time: the query mix as ``/search`` HTML pages, in-process, no network.

Run from the repository root (with the project installed), on an existing index::

    python bench/pages.py INDEX_DIR [--rounds 5] [--slowest 8]

Each line of ``queries.txt`` becomes the page a browser would ask for (its filters and sort
in the query string) and goes through the Flask app's WSGI interface (``test_client``), so
the time is what a server worker spends on the page: parsing, searching, snippets, facets,
the year chart and rendering, without sockets or a load generator sharing the cores. The
result cache is off; every page is asked once before timing. ``/api/search`` for the same
queries is timed beside it, to separate rendering from searching.

The app factory is looked for where this tree has it and where older trees had it
(``searchapp.create_app``), so a checkout of an older commit can be measured the same way.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import QUERIES, load_queries, percentile, table  # noqa: E402


def _create_app():
    try:
        from searchapp.web.app import create_app
    except ImportError:                      # older layout
        from searchapp import create_app
    return create_app


def _path(bq) -> str:
    kwargs = {k: v for k, v in bq.params_kwargs().items() if v not in (None, "", (), [])}
    return "/search?" + urlencode(kwargs, doseq=True)


def _timed(client, paths: list[str], rounds: int) -> tuple[list[float], dict[str, float]]:
    flat, best = [], {}
    for _ in range(rounds):
        for p in paths:
            t0 = time.perf_counter()
            response = client.get(p)
            ms = (time.perf_counter() - t0) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{p}: status {response.status_code}")
            flat.append(ms)
            best[p] = min(best.get(p, ms), ms)
    return flat, best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path, help="index folder (must already hold an index)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of the whole mix (default 5)")
    parser.add_argument("--queries", type=Path, default=QUERIES, help="query mix file")
    parser.add_argument("--slowest", type=int, default=8, help="slowest pages to list (default 8)")
    args = parser.parse_args()

    app = _create_app()({"INDEX_DIR": str(args.index), "RESULT_CACHE": 0})
    client = app.test_client()
    mix = load_queries(args.queries)
    pages = [_path(bq) for bq in mix]
    apis = [p.replace("/search?", "/api/search?", 1) for p in pages]
    _timed(client, pages + apis, 1)                      # warm: each page asked once
    page_ms, page_best = _timed(client, pages, args.rounds)
    api_ms, api_best = _timed(client, apis, args.rounds)

    def row(name, values):
        return (name, f"{percentile(values, 50):.1f} / {percentile(values, 95):.1f} / "
                      f"{max(values):.1f} / {statistics.fmean(values):.1f}")

    print(table([("index", str(args.index)), ("pages x rounds", f"{len(pages)} x {args.rounds}"),
                 row("results page ms: p50 / p95 / max / mean", page_ms),
                 row("same query, /api/search ms", api_ms)],
                header=("results-page benchmark", "value")))
    print()
    ranked = sorted(zip(mix, pages, apis, strict=True), key=lambda row: page_best[row[1]], reverse=True)
    print(table([(bq.line, page_best[p], api_best[a]) for bq, p, a in ranked[:args.slowest]],
                header=(f"slowest {args.slowest} pages (best of rounds)", "page ms", "api ms")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
