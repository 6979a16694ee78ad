"""Typos: does a query with one wrong character still find what was meant?

Run from the repository root (with the project installed), on an index of the shared corpus::

    python bench/typos.py INDEX_DIR [--verbose]

Each case is a query with one character slipped the way pinyin input slips it (a character
of the same or a near sound: 坏/环, 条列/条例, 分内/分类) and what was meant:

* **known-item**: the title of a document; the case passes when that document is in the
  first 3 results, or the query was corrected to the title (``corrected_query`` or
  ``did_you_mean``);
* **topical**: a policy term; the case passes when the query was corrected to it.

Correct queries are run too: none of them may be corrected (``corrected_query`` and
``did_you_mean`` empty).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from indexer.analysis.normalize import normalize
from searchapp.engine.opening import open_context
from searchapp.engine.search import SearchParams, search

KNOWN_ITEM = [
    ("专利代理条力", "专利代理条例"),
    ("快递暂行条列", "快递暂行条例"),
    ("优化营商坏境条例", "优化营商环境条例"),
    ("不动产登记暂行条里", "不动产登记暂行条例"),
    ("融资担保公司监督管理条列", "融资担保公司监督管理条例"),
    ("职工带薪年修假条例", "职工带薪年休假条例"),
    ("校车安全管理条理", "校车安全管理条例"),
    ("危险化学品安全管理条利", "危险化学品安全管理条例"),
    ("道路交通安全违法行为记分管理半法", "道路交通安全违法行为记分管理办法"),
]
TOPICAL = [
    ("营商坏境", "营商环境"),
    ("数据安权", "数据安全"),
    ("生活垃圾分内", "生活垃圾分类"),
    ("养老服物", "养老服务"),
    ("住房公积经", "住房公积金"),
    ("食品按全", "食品安全"),
    ("乡村阵兴", "乡村振兴"),
    ("知识产全", "知识产权"),
    ("无废城市建设试典", "无废城市建设试点"),
]
CORRECT = ["营商环境", "上海营商环境", "养老服务", "个人所得税", "无废城市", "数字经济", "乡村振兴",
           "条例", "快递", "供热管理", "人力资源社会保障部带薪年休假", "生活垃圾分类"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("index", type=Path)
    ap.add_argument("--verbose", action="store_true", help="every case")
    args = ap.parse_args(argv)
    ctx = open_context(args.index)
    passed: dict[str, list[bool]] = {"known-item": [], "topical": [], "not corrected": []}
    times = []

    def run(q: str):
        started = time.perf_counter()
        result = search(ctx, SearchParams(q=q, per_page=10))
        times.append((time.perf_counter() - started) * 1000)
        return result

    for kind, cases in (("known-item", KNOWN_ITEM), ("topical", TOPICAL)):
        for typo, meant in cases:
            result = run(typo)
            fixed = result.corrected_query or result.did_you_mean
            rank = next((n for n, h in enumerate(result.hits, 1)
                         if normalize(h.title).endswith(normalize(meant))), None)
            ok = fixed == meant or (kind == "known-item" and rank is not None and rank <= 3)
            passed[kind].append(ok)
            if args.verbose or not ok:
                how = (f"corrected to {result.corrected_query}" if result.corrected_query else
                       f"did you mean {result.did_you_mean}" if result.did_you_mean else "no correction")
                print(f"{'ok  ' if ok else 'MISS'} {kind:<10} {typo} → {meant}: {how}, "
                      f"meant document at {rank or '-'}")
    for q in CORRECT:
        result = run(q)
        ok = not (result.corrected_query or result.did_you_mean)
        passed["not corrected"].append(ok)
        if args.verbose or not ok:
            print(f"{'ok  ' if ok else 'MISS'} correct    {q}: corrected to "
                  f"{result.corrected_query or result.did_you_mean or '-'}")
    print(f"\n{'cases':<14} {'n':>3} {'passed':>7}")
    for kind, oks in passed.items():
        print(f"{kind:<14} {len(oks):>3} {sum(oks):>7}")
    print(f"query time: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
          f"over {len(times)} queries (result cache off)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
