"""Relevance benchmark: our engine against a naive Whoosh + jieba baseline on judged queries.

Run from the repository root (with the project installed)::

    python bench/relevance.py                      # build both indexes in temp dirs, print tables
    python bench/relevance.py --verbose            # ... plus per-query lines (top 5, missed answers)
    python bench/relevance.py --index-dir /tmp/ix --reuse   # reuse our index when it exists

By default the corpus is ``../shared/corpus`` and the queries ``../shared/eval/queries-dev.jsonl``
(relative to the repository root). Each query line is ``{"id", "kind", "q", "relevant": {path:
grade}}`` with grade 2 = the answer, 1 = relevant. CSV rows (``file.csv#3``) count as their file.

Metrics per query, averaged per kind and overall: nDCG@10 (gain 2^g - 1, log2(rank + 1)
discount, ideal from the judged grades), MRR (first result of any grade) and Recall@10.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser

from indexer.build.documents import doc_id
from indexer.build.pipeline import build_index
from indexer.sources.files import read_articles
from indexer.sources.scan import scan
from indexer.storage import generations as store
from searchapp.engine.opening import open_context
from searchapp.engine.search import SearchParams, search

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
K = 10


def doc_file(path: str) -> str:
    """A CSV/JSONL row ``file.csv#3`` counts as its file."""
    return path.split("#", 1)[0]


def metrics(ranked: list[str], judged: dict[str, int]) -> tuple[float, float, float]:
    """(nDCG@10, reciprocal rank, Recall@10) of a ranked path list."""
    top = ranked[:K]
    dcg = sum((2 ** judged.get(p, 0) - 1) / math.log2(i + 2) for i, p in enumerate(top))
    ideal = sorted(judged.values(), reverse=True)[:K]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    rr = next((1 / (i + 1) for i, p in enumerate(ranked) if judged.get(p, 0) >= 1), 0.0)
    relevant = [p for p, g in judged.items() if g >= 1]
    recall = sum(p in top for p in relevant) / len(relevant) if relevant else 0.0
    return (dcg / idcg if idcg else 0.0), rr, recall


class Ours:
    name = "ours"

    def __init__(self, corpus: Path, index_dir: Path, reuse: bool):
        started = time.perf_counter()
        try:
            if not reuse:
                raise store.IndexMissing("not reusing")
            self.ix, _ = store.open_current(index_dir)
            print(f"ours: reusing index in {index_dir}")
        except store.IndexMissing:    # none yet, or built by another schema version
            report = build_index([corpus], index_dir, full=True, workers=2)
            print(f"ours: built {report.documents} documents in {time.perf_counter() - started:.1f} s "
                  f"({len(report.skipped)} files skipped)")
            self.ix, _ = store.open_current(index_dir)
        self.searcher = open_context(index_dir)

    def run(self, q: str) -> list[tuple[str, str]]:
        hits = search(self.searcher, SearchParams(q=q, per_page=K)).hits
        return [(h.path, h.title) for h in hits]

    def close(self) -> None:
        self.searcher.close()


class Baseline:
    """Plain Whoosh: jieba ChineseAnalyzer on title and content, default BM25F, AND grouping."""

    name = "base"

    def __init__(self, corpus: Path, index_dir: Path):
        import jieba
        from jieba.analyse import ChineseAnalyzer

        jieba.setLogLevel(logging.WARNING)
        started = time.perf_counter()
        self.schema = Schema(path=ID(stored=True, unique=True),
                             title=TEXT(analyzer=ChineseAnalyzer(), stored=True),
                             content=TEXT(analyzer=ChineseAnalyzer()))
        self.ix = whoosh_index.create_in(str(index_dir), self.schema)
        count = 0
        with self.ix.writer(limitmb=256) as writer:
            for sf in scan([corpus], []):
                try:
                    articles = read_articles(Path(sf.abs_path), sf.path)
                except Exception:  # the baseline skips whatever does not parse
                    continue
                for a in articles:
                    writer.add_document(path=a.path, title=a.title, content=a.body)
                    count += 1
        print(f"base: built {count} documents in {time.perf_counter() - started:.1f} s")
        self.parser = MultifieldParser(["title", "content"], self.schema)
        self.searcher = self.ix.searcher()

    def run(self, q: str) -> list[tuple[str, str]]:
        hits = self.searcher.search(self.parser.parse(q), limit=K)
        return [(h["path"], h.get("title", "")) for h in hits]

    def close(self) -> None:
        self.searcher.close()


class Entries:
    """What a result list counts as one entry: the versions of one regulation (a chain) and
    the copies of one document from several sources are one entry, as our results show
    them; judged grades of one entry merge (the highest wins). Taken from our index's
    relations and applied to every engine alike."""

    def __init__(self, relations):
        self.chain_of = relations.chain_of
        self.representative = relations.representative
        self.groups = relations.sources                     # representative → its copies

    def key(self, path: str) -> str:
        ident = doc_id(path)
        group = self.representative.get(ident) or (ident if ident in self.groups else None)
        chain = self.chain_of.get(group or ident)
        if chain:
            return f"chain:{chain}"
        return f"copies:{group}" if group else f"doc:{doc_file(path)}"

    def judged(self, relevant: dict[str, int]) -> dict[str, int]:
        merged: dict[str, int] = {}
        for path, grade in relevant.items():
            key = self.key(path)
            merged[key] = max(grade, merged.get(key, 0))
        return merged


def evaluate(engine, queries: list[dict], entries: Entries | None = None,
             field: str = "q") -> tuple[dict[str, dict], float]:
    """Per query id: metrics and ranked (path, title) list; plus the mean query time in ms.
    ``entries`` counts a regulation's versions and a document's copies once; ``field`` is
    the query text to run ("q", or "unspaced")."""
    out, spent = {}, 0.0
    key = entries.key if entries else doc_file
    if queries:
        engine.run(queries[0][field])  # warm up (dictionaries, caches) outside the timing
    for query in queries:
        started = time.perf_counter()
        hits = engine.run(query[field])
        spent += time.perf_counter() - started
        titles: dict[str, str] = {}
        for path, title in hits:
            titles.setdefault(key(path), title)
        ranked = list(dict.fromkeys(key(p) for p, _ in hits))
        judged = entries.judged(query["relevant"]) if entries else query["relevant"]
        out[query["id"]] = {"m": metrics(ranked, judged), "ranked": ranked, "titles": titles,
                            "judged": judged}
    return out, spent / max(len(queries), 1) * 1000


def short(path: str, width: int = 64) -> str:
    path = path.removeprefix("govcn-pages/www.gov.cn/")
    return path if len(path) <= width else f"{path[:12]}…{path[-(width - 13):]}"


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def print_table(queries: list[dict], results: dict[str, dict]) -> None:
    names = list(results)
    kinds: dict[str, list[str]] = defaultdict(list)
    for q in queries:
        kinds[q["kind"]].append(q["id"])
    groups = [*kinds.items(), ("overall", [q["id"] for q in queries])]
    head = "  ".join(f"{' / '.join(f'{n} {m}' for n in names):>22}" for m in ("nDCG@10", "MRR", "R@10"))
    print(f"\n{'kind':<12} {'n':>3}  {head}")
    for kind, ids in groups:
        if kind == "overall":
            print("-" * (18 + len(head)))
        cells = []
        for i in range(3):
            vals = [mean(results[n][qid]["m"][i] for qid in ids) for n in names]
            cells.append(f"{' / '.join(f'{v:.3f}' for v in vals):>22}")
        print(f"{kind:<12} {len(ids):>3}  {'  '.join(cells)}")


def print_query(query: dict, results: dict[str, dict]) -> None:
    judged = next(iter(results.values()))[query["id"]]["judged"]
    scores = "  ".join(f"{n} nDCG {r[query['id']]['m'][0]:.2f} RR {r[query['id']]['m'][1]:.2f}"
                       for n, r in results.items())
    print(f"\n[{query['id']} {query['kind']}] {query['q']}    {scores}")
    for name, res in results.items():
        r = res[query["id"]]
        for rank, path in enumerate(r["ranked"][:5], 1):
            title = (r["titles"].get(path) or "")[:36]
            print(f"  {name} {rank}. g={judged.get(path, '-')} {short(path):<64} {title}")
        missed = [p for p, g in sorted(judged.items(), key=lambda x: -x[1]) if p not in r["ranked"][:K]]
        for path in missed:
            print(f"  {name} missed g={judged[path]} {short(path)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--queries", type=Path, default=SHARED / "eval" / "queries-dev.jsonl")
    ap.add_argument("--index-dir", type=Path, help="our index directory (default: a temp dir)")
    ap.add_argument("--reuse", action="store_true", help="use the index in --index-dir when it exists")
    ap.add_argument("--verbose", action="store_true", help="per-query top 5 and missed answers")
    ap.add_argument("--no-baseline", action="store_true", help="skip the naive Whoosh baseline")
    ap.add_argument("--unspaced", action="store_true",
                    help="also run every query with its spaces removed (ours only)")
    args = ap.parse_args(argv)

    queries = [json.loads(line) for line in args.queries.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    for q in queries:
        q["relevant"] = {doc_file(p): g for p, g in q["relevant"].items()}
        q["unspaced"] = q["q"].replace(" ", "")
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        engines = [Ours(args.corpus, args.index_dir or Path(tmp) / "ours", args.reuse)]
        if not args.no_baseline:
            base_dir = Path(tmp) / "base"
            base_dir.mkdir()
            engines.append(Baseline(args.corpus, base_dir))
        entries = Entries(engines[0].searcher.relations.relations)
        results, unspaced = {}, {}
        spaced = [q for q in queries if " " in q["q"].strip()] if args.unspaced else []
        if spaced:
            unspaced, ms = evaluate(engines[0], spaced, entries, "unspaced")
            print(f"unspaced: {len(spaced)} queries with their spaces removed, {ms:.1f} ms each")
            print_table(spaced, {"ours": evaluate(engines[0], spaced, entries)[0],
                                 "unspaced": unspaced})
        for engine in engines:
            results[engine.name], ms = evaluate(engine, queries, entries)
            print(f"{engine.name}: mean query time {ms:.1f} ms over {len(queries)} queries")
            engine.close()
    print_table(queries, results)
    if args.verbose:
        for query in queries:
            print_query(query, results)
            if query["id"] in unspaced:
                print_query({**query, "q": query["unspaced"]}, {"unspaced": unspaced})
    return 0


if __name__ == "__main__":
    sys.exit(main())
