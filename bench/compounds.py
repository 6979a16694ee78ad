"""Compound precision: do documents that say a compound term rank above scattered matches?

Run from the repository root (with the project installed), on an index of the shared corpus::

    python bench/compounds.py INDEX_DIR [--verbose]

For each compound of ``COMPOUNDS`` (common policy terms people type without quotes), the
query is run as typed and its first 10 results are checked: how many contain the compound
verbatim (in the normalised title or text, so 養老服務 counts for 养老服务), out of
min(10, number of documents that contain it). The mean over compounds is the compound
precision@10. The documents containing a compound are found by scanning every stored text,
not with the engine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indexer.analysis.normalize import normalize
from searchapp.engine.opening import open_context
from searchapp.engine.search import SearchParams, search

COMPOUNDS = [
    "养老服务", "住房保障", "养老机构", "文化旅游", "营商环境", "数字经济", "乡村振兴", "生态环境",
    "知识产权", "安全生产", "食品安全", "社会保险", "医疗保障", "公共服务", "环境保护", "交通运输",
    "市场监管", "公共卫生", "职业教育", "科技创新", "就业创业", "社会救助", "数据安全", "网络安全",
    "金融风险", "义务教育", "应急管理", "新能源汽车", "小微企业", "对外开放", "基础设施", "国有企业",
    "农村土地", "人才培养", "城市更新", "碳达峰", "普惠金融", "医疗机构", "劳动合同", "税收优惠",
]


def verbatim(ctx) -> dict[int, str]:
    """Each live document's normalised title and text."""
    view = ctx.view
    out = {}
    for doc in ctx.all_docs().tolist():
        stored = view.stored(doc)
        out[doc] = normalize((stored.get("title") or "") + "\n" + (stored.get("body") or ""))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("index", type=Path)
    ap.add_argument("--verbose", action="store_true", help="each compound's figures")
    args = ap.parse_args(argv)
    ctx = open_context(args.index)
    texts = verbatim(ctx)
    ids = {ctx.view.stored(d)["id"]: d for d in texts}
    shares = []
    for compound in COMPOUNDS:
        having = {d for d, text in texts.items() if compound in text}
        if not having:
            continue
        hits = search(ctx, SearchParams(q=compound, per_page=10)).hits
        good = sum(ids[h.id] in having for h in hits)
        share = good / min(10, len(having))
        shares.append(share)
        if args.verbose:
            print(f"{compound:<8} {len(having):5d} documents contain it, {good}/{min(10, len(having))} "
                  f"of the first 10 do: {share:.2f}")
    print(f"compound precision@10 over {len(shares)} compounds: {sum(shares) / len(shares):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
