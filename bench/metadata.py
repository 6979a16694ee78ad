"""Metadata benchmark: how much of a corpus ``indexer.metadata`` describes, and how fast.

Run from the repository root (with the project installed)::

    python bench/metadata.py ../shared/corpus
    python bench/metadata.py ../shared/corpus --today 2026-12-02 --list level=部门规章

Reads every file with the readers (``scan`` + ``read_articles``), runs ``describe`` on each
article and ``relate`` over all of them, and prints: the share of documents each field is
filled for; the distributions of doc_type, level, region and status; version chains,
duplicate groups and citations (found, resolved, the most-cited titles not in the corpus);
and the time of ``describe`` per document (reading the files is not counted) and of
``relate``. ``--list FIELD=VALUE`` prints the documents with that value, for checking
classifications by hand. ``--copies N`` also times ``relate`` over N copies of every record,
each copy a corpus of its own (its keys suffixed), as a build of N times the documents
would call it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import percentile, table  # noqa: E402

from indexer.errors import ArticleError  # noqa: E402
from indexer.metadata import DocMeta, Relations, describe, relate  # noqa: E402
from indexer.metadata.model import INDEX_FIELDS  # noqa: E402
from indexer.sources.files import Article, read_articles  # noqa: E402
from indexer.sources.scan import scan  # noqa: E402

FILLED = (*INDEX_FIELDS, "doc_number")


def read_corpus(root: Path) -> list[Article]:
    articles: list[Article] = []
    for source in scan([root], []):
        try:
            articles += read_articles(Path(source.abs_path), source.path)
        except ArticleError:
            continue
    return articles


def timed_describe(articles: list[Article]) -> tuple[dict[str, DocMeta], list[float]]:
    describe(articles[0])               # first call loads tables (regions, OpenCC)
    metas, seconds = {}, []
    for article in articles:
        start = time.perf_counter()
        metas[article.path] = describe(article)
        seconds.append(time.perf_counter() - start)
    return metas, seconds


def share_table(metas: dict[str, DocMeta], relations: Relations) -> str:
    n = len(metas)
    counts = [(name, sum(1 for m in metas.values() if getattr(m, name))) for name in FILLED]
    counts.append(("status", sum(1 for i in metas if relations.get(i).status)))
    rows = [(name, filled, f"{100 * filled / n:.1f}%") for name, filled in counts]
    return table(rows, ("field", "documents", "share"), f"fields filled ({n} documents)")


def distribution(title: str, values: list[str], limit: int = 40) -> str:
    counts = Counter(v or "(empty)" for v in values).most_common(limit)
    return table(counts, ("value", "documents"), title)


def chain_lines(relations: Relations, metas: dict[str, DocMeta]) -> str:
    multi = {c: ids for c, ids in relations.chains.items() if len(ids) > 1}
    lines = [f"version chains: {len(relations.chains)}, with several versions: {len(multi)} "
             f"({sum(map(len, multi.values()))} documents)"]
    for chain, ids in sorted(multi.items()):
        versions = ", ".join(f"{metas[i].date} {relations.get(i).status}" for i in ids)
        lines.append(f"  {chain}: {versions}")
    return "\n".join(lines)


def duplicate_lines(relations: Relations) -> str:
    lines = [f"duplicate groups: {len(relations.duplicates)}"]
    for rep, ids in relations.duplicates.items():
        lines.append(f"  {rep}  (shown)\n" + "\n".join(f"    = {i}" for i in ids[1:]))
    return "\n".join(lines)


def citation_lines(relations: Relations, metas: dict[str, DocMeta]) -> str:
    c = relations.citations
    linked = sum(1 for i in metas if relations.get(i).cited_by and relations.get(i).representative == i)
    lines = [
        f"《》 mentions of documents: {c.mentions}, resolved: {c.resolved} "
        f"({100 * c.resolved / max(1, c.mentions):.1f}%)",
        f"文号 references: {c.numbers}, resolved: {c.numbers_resolved}",
        f"documents cited by another one: {linked}",
        f"abolishing statements: {sum(len(m.abolishes) for m in metas.values())}",
    ]
    return "\n".join(lines) + "\n" + table(c.top_unresolved, ("unresolved title", "citing documents"),
                                            "most-cited titles not in the corpus")


def timing_lines(seconds: list[float], relate_seconds: float, n_chars: int) -> str:
    ms = [s * 1000 for s in seconds]
    rows = [("describe mean", f"{statistics.mean(ms):.3f} ms"),
            ("describe p50 / p95 / max", f"{percentile(ms, 50):.3f} / {percentile(ms, 95):.3f} / "
                                         f"{max(ms):.3f} ms"),
            ("describe per 10 KB of text", f"{sum(ms) / (n_chars / 10_000):.3f} ms"),
            ("relate, all documents", f"{relate_seconds * 1000:.1f} ms")]
    return table(rows, ("step", "time"), "time")


def listing(metas: dict[str, DocMeta], relations: Relations, spec: str) -> str:
    name, _, value = spec.partition("=")
    lines = []
    for doc_id, m in metas.items():
        found = relations.get(doc_id).status if name == "status" else getattr(m, name)
        if str(found) == value:
            lines.append(f"  {m.doc_type or '-'} | {m.level or '-'} | {m.region or '-'} | "
                         f"{m.source or '-'} | {m.date or '-'} | {m.title[:40]} | {doc_id}")
    return f"{spec}: {len(lines)} documents\n" + "\n".join(lines)


def _suffixed(mention: dict[str, str], copy: int) -> dict[str, str]:
    return {**mention, "key": f"{mention['key']}#{copy}"}


def _copy(meta: DocMeta, copy: int) -> DocMeta:
    """A record of copy ``copy``: keys and numbers suffixed so copies never meet."""
    return replace(
        meta, chain_key=f"{meta.chain_key}#{copy}", title_key=f"{meta.title_key}#{copy}",
        number_key=meta.number_key and f"{meta.number_key}#{copy}",
        number_keys=[f"{k}#{copy}" for k in meta.number_keys],
        mentions=[_suffixed(m, copy) for m in meta.mentions],
        abolishes=[_suffixed(m, copy) for m in meta.abolishes],
        numbers=[{**n, "key": f"{n['key']}#{copy}"} for n in meta.numbers])


def scaled_relate(metas: dict[str, DocMeta], copies: int, today: str | None) -> str:
    records = {f"{doc_id}#{k}": _copy(m, k) for k in range(copies) for doc_id, m in metas.items()}
    start = time.perf_counter()
    relations = relate(records, today=today)
    seconds = time.perf_counter() - start
    return (f"relate over {len(records):,} records ({copies} copies): {seconds:.1f} s, "
            f"{len(relations.chains):,} chains, {relations.citations.resolved:,} citations resolved")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--today", help="ISO date deciding 尚未施行 (default: today in China)")
    parser.add_argument("--list", action="append", default=[], metavar="FIELD=VALUE",
                        help="print the documents with this value (level=部门规章, status=已废止 …)")
    parser.add_argument("--copies", type=int, default=0,
                        help="also time relate() over this many copies of every record")
    args = parser.parse_args(argv)
    articles = read_corpus(args.corpus)
    metas, seconds = timed_describe(articles)
    start = time.perf_counter()
    relations = relate(metas, today=args.today)
    relate_seconds = time.perf_counter() - start
    print(share_table(metas, relations))
    for name in ("doc_type", "level", "region"):
        print(distribution(name, [getattr(m, name) for m in metas.values()]))
    print(distribution("status", [relations.get(i).status for i in metas]))
    print(chain_lines(relations, metas))
    print(duplicate_lines(relations))
    print(citation_lines(relations, metas))
    print(timing_lines(seconds, relate_seconds, sum(len(a.body) for a in articles)))
    for spec in args.list:
        print(listing(metas, relations, spec))
    if args.copies:
        print(scaled_relate(metas, args.copies, args.today))


if __name__ == "__main__":
    main()
