"""Peer benchmark: SQLite FTS5 over jieba tokens, on the same texts and query mix as our engine.

Run from the repository root (with the project installed)::

    python bench/fts5.py data/sample --workers 2 [--db NEW.db] [--rounds 3]

Documents are parsed as the build parses them (``scan`` + ``read_articles``, fork pool, exact
duplicates kept once); title and body are cut by the reference jieba (``jieba_segment(normalize())``,
second fork pool), words joined by spaces, into FTS5 ``fts(title_tok, body_tok, path, title, body)``
(``unicode61`` keeps a run of CJK characters as one token, so each jieba word stays whole). Build
MB/s counts tokenising, inserting and ``optimize``; the total adds parsing and dictionary loading.
Queries are cut the same way into a MATCH expression (words ANDed, ``"..."`` a phrase, ``OR`` and
``-word`` kept, ``field:`` scopes dropped, ``||`` filters and sort ignored, no any-word fallback)
and timed: tokenising + ``count(*)`` + top 10 by ``bm25(fts, 4.0, 1.0)`` with snippets.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from indexer.analysis.normalize import normalize
from indexer.analysis.segmenter import jieba_segment, segmenter
from indexer.build.documents import content_hash
from indexer.build.pipeline import MAX_FILE_BYTES
from indexer.errors import ArticleError
from indexer.sources.files import read_articles
from indexer.sources.scan import scan
from searchapp.engine.parse import FIELDS

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import QUERIES, load_queries, mb, percentile, table  # noqa: E402

TOP = ("SELECT rowid, path, title, snippet(fts, 1, '<mark>', '</mark>', '…', 32) FROM fts "
       "WHERE fts MATCH ? ORDER BY bm25(fts, 4.0, 1.0) LIMIT 10")
COUNT = "SELECT count(*) FROM fts WHERE fts MATCH ?"
_QTOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_SCOPE = re.compile("^(?:" + "|".join(map(re.escape, FIELDS)) + ")[:：]", re.I)
_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"', "「": '"', "」": '"'})
_DOCS: list[tuple[str, str, str]] = []          # (path, title, body), inherited by forked workers


def _parse(task: tuple[str, str, int]) -> list[tuple[str, str, str, str]]:
    try:
        if task[2] > MAX_FILE_BYTES:
            return []
        articles = read_articles(Path(task[0]), task[1], max_bytes=MAX_FILE_BYTES)
    except (ArticleError, OSError):
        return []
    return [(a.path, a.title, a.body, content_hash(a)) for a in articles]


def _cut(text: str) -> list[str]:
    return jieba_segment(normalize(text))


def _tokenise(i: int) -> tuple[int, str, str]:
    _path, title, body = _DOCS[i]
    return i, *(" ".join(w for w in _cut(t) if not w.isspace()) for t in (title, body))


def match_expr(query: str) -> str:
    """The FTS5 MATCH expression for one query ('' when no word is left)."""
    alts, pos, neg = [], [], []
    for minus, phrase, word in _QTOKEN.findall(query.translate(_QUOTES)):
        if word.upper() in ("OR", "|", "||"):
            alts.append((pos, neg))
            pos, neg = [], []
            continue
        if word:
            minus, word = ("-", word[1:]) if word[0] in "-－" else ("", word)
            word = _SCOPE.sub("", word)
        words = [w.replace('"', '""') for w in _cut(phrase or word) if any(c.isalnum() for c in w)]
        if words:
            group = f'"{" ".join(words)}"' if phrase else " AND ".join(f'"{w}"' for w in words)
            (neg if minus else pos).append(group)
    alts.append((pos, neg))
    exprs = [" AND ".join(p) + (f" NOT ({' OR '.join(f'({g})' for g in n)})" if n else "")
             for p, n in alts if p]
    return " OR ".join(f"({e})" for e in exprs) if len(exprs) > 1 else "".join(exprs)


def build(corpus: Path, db: Path, workers: int) -> dict:
    global _DOCS
    ctx = multiprocessing.get_context("fork")
    started = time.perf_counter()
    files = scan([corpus], [])
    seen: set[str] = set()
    docs, dups, skipped = [], 0, 0
    with ctx.Pool(workers) as pool:
        for articles in pool.imap(_parse, [(f.abs_path, f.path, f.size) for f in files], chunksize=4):
            skipped += not articles
            for path, title, body, digest in articles:
                dups += digest in seen
                if digest not in seen:
                    seen.add(digest)
                    docs.append((path, title, body))
    out = {"parse_s": time.perf_counter() - started, "files": len(files), "skipped": skipped,
           "docs": len(docs), "dups": dups, "text_bytes": sum(len(d[2].encode("utf-8")) for d in docs)}
    t0 = time.perf_counter()
    segmenter()                                 # jieba's dictionary and OpenCC loaded before forking
    _cut("营商环境")
    out["dict_s"] = time.perf_counter() - t0
    _DOCS = docs
    order = sorted(range(len(docs)), key=lambda i: -len(docs[i][2]))     # big laws first
    con = sqlite3.connect(db)
    t0 = time.perf_counter()
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title_tok, body_tok, "
                "path UNINDEXED, title UNINDEXED, body UNINDEXED)")
    with ctx.Pool(workers) as pool, con:
        chunk = max(1, min(16, len(docs) // (workers * 100)))
        for rowid, (i, title_tok, body_tok) in enumerate(pool.imap_unordered(_tokenise, order, chunk), 1):
            con.execute("INSERT INTO fts(rowid, title_tok, body_tok, path, title, body) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (rowid, title_tok, body_tok, *docs[i]))
    out["insert_s"] = time.perf_counter() - t0
    with con:
        con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    out["optimize_s"] = time.perf_counter() - t0 - out["insert_s"]
    con.close()
    _DOCS = []
    return {**out, "db_bytes": db.stat().st_size}


def bench_queries(db: Path, mix: list, rounds: int) -> dict:
    """The first query on a new connection (cold), then ``rounds`` runs of the mix; times in ms."""
    out: dict = {"times": [], "cold": [], "hits": {}, "errors": {}, "top": []}
    con = sqlite3.connect(db)
    for r in range(rounds + 1):
        for bq in mix if r else mix[:1]:
            t0 = time.perf_counter()
            try:
                expr = match_expr(bq.q)
                out["hits"][bq.line] = con.execute(COUNT, (expr,)).fetchone()[0]
                top = con.execute(TOP, (expr,)).fetchall()
            except sqlite3.Error as exc:
                out["errors"][bq.line], top = str(exc), []
            out["times" if r else "cold"].append((time.perf_counter() - t0) * 1000)
            out["top"] = out["top"] if r else top[:1]
    con.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Peer benchmark: SQLite FTS5 over jieba tokens; build speed and the query mix.",
        epilog="Example: python bench/fts5.py data/sample --workers 2")
    parser.add_argument("corpus", type=Path, help="folder of article files (as for policy-search reindex)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes for parsing and jieba (default %(default)s)")
    parser.add_argument("--db", type=Path, help="new SQLite file to build and keep (default: temporary)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of the query mix (default %(default)s)")
    parser.add_argument("--queries", type=Path, default=QUERIES, help="query mix (default: queries.txt)")
    args = parser.parse_args(argv)
    if args.workers < 1 or args.rounds < 1 or not args.corpus.is_dir() or (args.db and args.db.exists()):
        parser.error("--workers and --rounds must be >= 1, CORPUS a folder and --db a new file")
    mix = load_queries(args.queries)
    scratch = None if args.db else tempfile.TemporaryDirectory(prefix="bench-fts5-")
    db = args.db or Path(scratch.name) / "fts5.db"
    load_before = os.getloadavg()[0]
    try:
        print(f"building {db.name} from {args.corpus} ...", file=sys.stderr, flush=True)
        b = build(args.corpus.resolve(), db, args.workers)
        runnable = [bq for bq in mix if match_expr(bq.q)]          # drops filter-only lines
        qb = bench_queries(db, runnable, args.rounds)
    finally:
        if scratch:
            scratch.cleanup()
    times, build_s, text_mb = qb["times"], b["insert_s"] + b["optimize_s"], mb(b["text_bytes"])
    total_s = b["parse_s"] + b["dict_s"] + build_s
    rows = [
        ("corpus", str(args.corpus)),
        ("workers / cores", f"{args.workers} / {os.cpu_count()}"),
        ("load average (1 min) before / after", f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"),
        ("SQLite version", sqlite3.sqlite_version),
        ("files scanned / skipped", f"{b['files']:,} / {b['skipped']:,}"),
        ("documents (duplicates dropped)", f"{b['docs']:,} ({b['dups']:,})"),
        ("text MB (UTF-8 bodies)", text_mb),
        ("parse files (s, not in build MB/s)", b["parse_s"]),
        ("jieba dictionary + OpenCC load (s)", b["dict_s"]),
        ("build: tokenise + insert + optimize (s)", build_s),
        ("  of which optimize (s)", b["optimize_s"]),
        ("  build text MB/s", text_mb / build_s),
        ("total with parsing + dictionary (s)", total_s),
        ("  total text MB/s (compare bench/build.py)", text_mb / total_s),
        ("db size MB (per MB of text)", f"{mb(b['db_bytes']):,.1f} ({b['db_bytes'] / b['text_bytes']:.2f})"),
        ("queries x rounds (lines without words, skipped)",
         f"{len(runnable)} x {args.rounds} = {len(times)} ({len(mix) - len(runnable)})"),
        (f"cold: first query {runnable[0].line!r}, new connection (ms)", qb["cold"][0]),
        ("p50 (ms)", percentile(times, 50)),
        ("p95 (ms)", percentile(times, 95)),
        ("max (ms)", max(times)),
        ("queries/s, single-threaded", len(times) / (sum(times) / 1000)),
        ("first query hits", qb["hits"].get(runnable[0].line, 0)),
        ("queries with sqlite errors", len(qb["errors"])),
    ]
    print(table(rows, header=("FTS5 + jieba benchmark", "value")))
    print("note: filters, sort and paging after '||' are not applied; field scopes are dropped; "
          "no any-word fallback.")
    print("queries with no hit:", ", ".join(repr(q) for q, n in qb["hits"].items() if not n) or "none")
    print("".join(f"sqlite error: {line!r}: {msg}\n" for line, msg in qb["errors"].items()), end="")
    for _rowid, path, title, snippet in qb["top"]:
        print(f"top hit of {runnable[0].line!r}: {path} | {title} | {snippet[:120]}")
    if args.db:
        print(f"database kept in {args.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
