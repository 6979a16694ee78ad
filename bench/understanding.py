"""Queries as people say them: everyday forms, questions, valid words, exact titles.

Run from the repository root (with the project installed)::

    python bench/understanding.py --index-dir ../ix-understanding            # the two sets
    python bench/understanding.py --index-dir ../ix-understanding --strict   # grade 2 only
    python bench/understanding.py --index-dir ../ix-understanding --valid-words --exact-titles
    python bench/understanding.py --index-dir ../ix-understanding --all --json > out.json

The index is built from ``../shared/corpus`` (``policy-search reindex CORPUS --index-dir DIR``)
when ``--index-dir`` holds none, or again (``--full``) with ``--build``; without
``--index-dir`` a temporary one is built. Searches run in-process through
``searchapp.engine.search.search`` (page 1, 10 per page), so no result cache is involved.

**Sets** (``bench/eval/everyday.jsonl``, ``bench/eval/questions.jsonl``; ``--set`` for
others; the format of ``../shared/eval/queries-dev.jsonl``): a query succeeds at k when a
document judged ≥ 1 (``--strict``: 2) is among the first k results. A result counts as every
copy listed in its ``sources``. Printed per set: top-1/3/10 success, MRR@10, the queries
whose results all score 0, the queries that were corrected (``corrected_query`` or
``did_you_mean``), top-3 success by group (an everyday form's ``form`` and whether it is a
subsequence of its ``official`` term, whether the form occurs in an answer's text; a
question's ``tags``, punctuation and length), and every query failing at top 3 with its
first three results.

**--valid-words**: the 2-4 character CJK words of the index's term dictionary (title and
content: jieba's words as indexed) that occur in at least 3 documents; a seeded sample of
``--sample`` of them is searched, and every one that comes back with ``corrected_query`` or
``did_you_mean`` is listed (none may be corrected). **--dictionary-words** runs the same
check over the words of jieba's dictionary (and the project's) that the index holds in fewer
than 3 documents: words people type that the corpus rarely uses (车险).

**--exact-titles**: every title that another document's title ends with (national and local
namesakes: 物业管理条例, 河南省物业管理条例), compared without 中华人民共和国, punctuation and
parenthesised dates; each is searched (as the title reads, without 中华人民共和国) and passes
when the first result has that title.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import table  # noqa: E402

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
SETS = [HERE / "eval" / "everyday.jsonl", HERE / "eval" / "questions.jsonl"]
K = 10
CJK = re.compile(r"^[\u4e00-\u9fff]+$")
DATED = re.compile(r"[(（][^()（）]*\d[^()（）]*[)）]")     # (2019-03-02), （2018年修订）
WORD_FIELDS = ("title", "content")
PUNCT = re.compile(r"[，。？！、；：,.?!;:\s]")


# ---------------------------------------------------------------- the index
def open_index(args):
    """The search context of ``--index-dir``, built first when needed."""
    from indexer.storage import generations as store
    from searchapp.engine.opening import open_context

    if args.build:
        _reindex(args.corpus, args.index_dir, full=True)
    try:
        return open_context(args.index_dir)
    except store.IndexMissing:
        _reindex(args.corpus, args.index_dir, full=False)
        return open_context(args.index_dir)


def _reindex(corpus: Path, index_dir: Path, full: bool) -> None:
    exe = shutil.which("policy-search")
    cmd = [exe] if exe else [sys.executable, "-m", "searchapp.cli"]
    cmd += ["reindex", str(corpus), "--index-dir", str(index_dir)] + (["--full"] if full else [])
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    print(f"built {index_dir} from {corpus} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def run(ctx, q: str):
    from searchapp.engine.search import SearchParams, search

    return search(ctx, SearchParams(q=q, per_page=K))


def all_zero(result) -> bool:
    """A result list with matches whose every score is 0 (an unranked fallback)."""
    return bool(result.hits) and all(h.score == 0 for h in result.hits)


# ---------------------------------------------------------------- judged sets
def load_set(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def grade(hit, judged: dict[str, int]) -> int:
    """The judged grade of a result: the best of its own path and its copies' paths."""
    paths = [hit.path, *(s.get("path", "") for s in hit.sources or ())]
    return max(judged.get(p.split("#", 1)[0], 0) for p in paths)


def is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def texts_by_path(ctx) -> dict[str, str]:
    """Each indexed document's title and text (NFKC, lower case), by path."""
    view, out = ctx.view, {}
    for docnum in range(view.doc_count_all):
        if view.is_live(docnum):
            stored = view.stored(docnum)
            text = f"{stored.get('title') or ''}\n{stored.get('body') or ''}"
            out[stored.get("path", "").split("#", 1)[0]] = unicodedata.normalize("NFKC", text).lower()
    return out


def groups_of(query: dict, texts: dict[str, str]) -> list[str]:
    """The groups a query is counted in, besides the whole set."""
    out = []
    if query.get("form"):
        out.append(f"form={query['form']}")
    if query.get("official"):
        out.append("subsequence of official" if is_subsequence(query["q"], query["official"])
                   else "not a subsequence")
        form = unicodedata.normalize("NFKC", query["q"]).lower()
        answers = [p for p, g in query["relevant"].items() if g == 2]
        out.append("form in an answer's text" if any(form in texts.get(p, "") for p in answers)
                   else "form not in the answers' text")
    out += [f"tag={t}" for t in query.get("tags", ())]
    if query["kind"] == "question":
        out.append("punctuated" if PUNCT.search(query["q"]) else "no punctuation")
        out.append("long (>= 15 chars)" if len(query["q"]) >= 15 else "short (< 15 chars)")
    return out


def evaluate_set(ctx, queries: list[dict], need: int, texts: dict[str, str]) -> dict:
    rows = []
    for query in queries:
        result = run(ctx, query["q"])
        judged = {p.split("#", 1)[0]: g for p, g in query["relevant"].items()}
        rank = next((n for n, h in enumerate(result.hits, 1) if grade(h, judged) >= need), None)
        row = {"id": query["id"], "q": query["q"], "rank": rank, "total": result.total,
               "fallback": getattr(result, "fallback", False), "all_zero": all_zero(result),
               "corrected_query": result.corrected_query, "did_you_mean": result.did_you_mean,
               "groups": groups_of(query, texts),
               "top3": [{"title": h.title, "score": round(h.score, 4), "path": h.path,
                         "grade": grade(h, judged)} for h in result.hits[:3]]}
        understood = getattr(result, "understood", None)
        if understood is not None:
            row["understood"] = understood
        rows.append(row)
    return {"n": len(rows), **summary(rows), "by_group": by_group(rows), "queries": rows}


def summary(rows: list[dict]) -> dict:
    n = max(len(rows), 1)
    return {f"top{k}": sum(r["rank"] is not None and r["rank"] <= k for r in rows) / n for k in (1, 3, K)} | {
        "mrr": sum(1 / r["rank"] for r in rows if r["rank"]) / n,
        "all_zero": [r["id"] for r in rows if r["all_zero"]],
        "corrected": [r["id"] for r in rows if r["corrected_query"] or r["did_you_mean"]]}


def by_group(rows: list[dict]) -> dict:
    members = defaultdict(list)
    for r in rows:
        for g in r["groups"]:
            members[g].append(r)
    return {g: {"n": len(rs), "top3": summary(rs)["top3"], "top10": summary(rs)["top10"]}
            for g, rs in sorted(members.items())}


def print_set(name: str, res: dict) -> None:
    print(f"\n{name}: {res['n']} queries")
    print(table([[res["n"], res["top1"], res["top3"], res["top10"], res["mrr"], len(res["all_zero"]),
                  len(res["corrected"])]],
                header=["n", "top-1", "top-3", "top-10", "MRR", "all scores 0", "corrected"]))
    print(table([[g, v["n"], v["top3"], v["top10"]] for g, v in res["by_group"].items()],
                header=["group", "n", "top-3", "top-10"]))
    rows = res["queries"]
    if res["all_zero"]:
        print("all scores 0: " + " ".join(res["all_zero"]))
    if res["corrected"]:
        print("corrected: " + ", ".join(f"{r['id']} {r['q']} → {r['corrected_query'] or r['did_you_mean']}"
                                        for r in rows if r["id"] in res["corrected"]))
    failing = [r for r in rows if r["rank"] is None or r["rank"] > 3]
    print(f"failing at top 3: {len(failing)}")
    for r in failing:
        where = f"answer at {r['rank']}" if r["rank"] else f"no answer in top {K}"
        extra = " (any-word fallback)" if r["fallback"] else ""
        print(f"  [{r['id']}] {r['q']}  — {where}, total {r['total']}{extra}")
        for n, hit in enumerate(r["top3"], 1):
            print(f"      {n}. {hit['score']:>8.3f}  g={hit['grade']}  {hit['title'][:50]}")


# ---------------------------------------------------------------- valid words
def frequent_words(ctx, min_docs: int = 3) -> list[str]:
    """2-4 character CJK words of the title and content term dictionaries found in at least
    ``min_docs`` documents (either field)."""
    import numpy as np

    view = ctx.view
    candidates = set()
    for fieldname in WORD_FIELDS:
        for tbytes in view.reader.lexicon(fieldname):
            term = tbytes.decode("utf-8") if isinstance(tbytes, bytes) else tbytes
            if 2 <= len(term) <= 4 and CJK.match(term):
                candidates.add(term)
    words = []
    for term in sorted(candidates):
        counts = [view.doc_frequency(f, term) for f in WORD_FIELDS]
        if max(counts) >= min_docs:
            words.append(term)
        elif sum(counts) >= min_docs:     # title and text together: count documents once
            docs = np.union1d(*(view.postings(f, term).docs for f in WORD_FIELDS))
            if len(docs) >= min_docs:
                words.append(term)
    return words


def dictionary_words(ctx, min_docs: int = 3) -> list[str]:
    """2-4 character CJK words of jieba's dictionary and the project's user dictionary that
    the index holds in fewer than ``min_docs`` documents (the words ``frequent_words`` leaves
    out: 车险 is one)."""
    from importlib import resources

    import jieba

    files = [Path(jieba.__file__).parent / "dict.txt",
             Path(str(resources.files("indexer") / "data" / "userdict.txt"))]
    words = set()
    for path in files:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                word = line.split(" ", 1)[0].strip()
                if 2 <= len(word) <= 4 and CJK.match(word):
                    words.add(word)
    frequent = set(frequent_words(ctx, min_docs))
    return sorted(words - frequent)


def check_valid_words(ctx, sample: int, seed: int, min_docs: int, dictionary: bool = False) -> dict:
    words = dictionary_words(ctx, min_docs) if dictionary else frequent_words(ctx, min_docs)
    chosen = random.Random(seed).sample(words, min(sample, len(words))) if sample else words
    rows = []
    for word in chosen:
        result = run(ctx, word)
        rows.append({"q": word, "corrected_query": result.corrected_query,
                     "did_you_mean": result.did_you_mean, "all_zero": all_zero(result)})
    return {"words": len(words), "sampled": len(chosen), "seed": seed, "min_docs": min_docs,
            "source": "dictionary" if dictionary else "index",
            "corrected": [r for r in rows if r["corrected_query"]],
            "did_you_mean": [r for r in rows if r["did_you_mean"] and not r["corrected_query"]],
            "all_zero": [r["q"] for r in rows if r["all_zero"]]}


def print_valid_words(res: dict) -> None:
    where = (f"jieba's dictionary in < {res['min_docs']} documents" if res["source"] == "dictionary"
             else f"the index in >= {res['min_docs']} documents")
    print(f"\nvalid words ({res['source']}): {res['words']} words of 2-4 CJK characters from {where}; "
          f"{res['sampled']} searched (seed {res['seed']})")
    print(table([[res["sampled"], len(res["corrected"]), len(res["did_you_mean"]), len(res["all_zero"])]],
                header=["searched", "corrected_query", "did_you_mean only", "all scores 0"]))
    for r in res["corrected"] + res["did_you_mean"]:
        how = "corrected to" if r["corrected_query"] else "did you mean"
        print(f"  {r['q']} {how} {r['corrected_query'] or r['did_you_mean']}")
    if res["all_zero"]:
        print("  all scores 0: " + " ".join(res["all_zero"]))


# ---------------------------------------------------------------- exact titles
def title_key(title: str) -> str:
    """A title compared as the issue says: without 中华人民共和国, parenthesised dates,
    punctuation and spaces."""
    text = DATED.sub("", unicodedata.normalize("NFKC", title).replace("中华人民共和国", ""))
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PSZ")


def namesakes(ctx) -> dict[str, dict]:
    """Each title key that another document's title key ends with: the titles it is written
    as and the longer titles ending with it."""
    view = ctx.view
    titles: dict[str, set[str]] = defaultdict(set)
    for docnum in range(view.doc_count_all):
        if view.is_live(docnum):
            title = view.stored(docnum).get("title") or ""
            key = title_key(title)
            if len(re.findall(r"[\u4e00-\u9fff]", key)) >= 2:
                titles[key].add(title)
    out = {}
    for key in sorted(titles):
        longer = sorted(other for other in titles if other != key and other.endswith(key))
        if longer:
            out[key] = {"titles": sorted(titles[key]), "longer": longer}
    return out


def check_exact_titles(ctx) -> dict:
    rows = []
    for key, found in namesakes(ctx).items():
        queries = dict.fromkeys(t.replace("中华人民共和国", "", 1) if t.startswith("中华人民共和国") else t
                                for t in found["titles"])
        for q in queries:
            result = run(ctx, q)
            first = result.hits[0].title if result.hits else ""
            rank = next((n for n, h in enumerate(result.hits, 1) if title_key(h.title) == key), None)
            rows.append({"q": q, "ok": rank == 1, "rank": rank, "first": first,
                         "longer": found["longer"], "corrected_query": result.corrected_query})
    return {"n": len(rows), "failures": [r for r in rows if not r["ok"]], "queries": rows}


def print_exact_titles(res: dict) -> None:
    print(f"\nexact titles: {res['n']} titles that other titles end with; "
          f"{res['n'] - len(res['failures'])} first, {len(res['failures'])} not")
    for r in res["failures"]:
        print(f"  {r['q']}: exact title at {r['rank'] or '-'}, first {r['first'][:40]}")


# ---------------------------------------------------------------- main
def _jsonable(value):
    """What an engine's own objects (an ``understood`` record) become in ``--json``."""
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    return value.to_json() if hasattr(value, "to_json") else str(value)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--index-dir", type=Path, help="index folder (default: a temporary one, built)")
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus", help="corpus to index when building")
    ap.add_argument("--build", action="store_true", help="rebuild the index (reindex --full) first")
    ap.add_argument("--set", dest="sets", type=Path, action="append",
                    help="a judged set (JSONL); default: bench/eval/everyday.jsonl and questions.jsonl")
    ap.add_argument("--strict", action="store_true", help="only grade 2 counts as success")
    ap.add_argument("--valid-words", action="store_true", help="check that valid words are not corrected")
    ap.add_argument("--dictionary-words", action="store_true",
                    help="the same check over jieba's dictionary words the index holds in fewer "
                         "than --min-docs documents")
    ap.add_argument("--exact-titles", action="store_true", help="check that exact titles come first")
    ap.add_argument("--all", action="store_true", help="the sets and every check")
    ap.add_argument("--sample", type=int, default=600,
                    help="valid words to search, 0 for all (default %(default)s)")
    ap.add_argument("--seed", type=int, default=20,
                    help="seed of the valid-word sample (default %(default)s)")
    ap.add_argument("--min-docs", type=int, default=3,
                    help="documents a valid word occurs in, at least (default %(default)s)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    args = ap.parse_args(argv)
    checks = args.valid_words or args.dictionary_words or args.exact_titles
    do_sets = args.all or bool(args.sets) or not checks

    with tempfile.TemporaryDirectory(prefix="understanding-") as tmp:
        args.index_dir = args.index_dir or Path(tmp) / "index"
        ctx = open_index(args)
        out: dict = {"index": str(args.index_dir), "documents": ctx.view.doc_count, "strict": args.strict}
        if do_sets:
            texts = texts_by_path(ctx)
            out["sets"] = {path.stem: evaluate_set(ctx, load_set(path), 2 if args.strict else 1, texts)
                           for path in args.sets or SETS}
        if args.all or args.valid_words:
            out["valid_words"] = check_valid_words(ctx, args.sample, args.seed, args.min_docs)
        if args.all or args.dictionary_words:
            out["dictionary_words"] = check_valid_words(ctx, args.sample, args.seed, args.min_docs,
                                                        dictionary=True)
        if args.all or args.exact_titles:
            out["exact_titles"] = check_exact_titles(ctx)
        ctx.close()

    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1, default=_jsonable))
        return 0
    print(f"index {out['index']} ({out['documents']:,} documents); success = a document judged "
          f">= {2 if args.strict else 1} in the top k")
    for name, res in out.get("sets", {}).items():
        print_set(name, res)
    if "valid_words" in out:
        print_valid_words(out["valid_words"])
    if "dictionary_words" in out:
        print_valid_words(out["dictionary_words"])
    if "exact_titles" in out:
        print_exact_titles(out["exact_titles"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
