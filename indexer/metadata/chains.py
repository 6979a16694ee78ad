"""Version chains: the dated versions of one regulation, and each version's status.

A chain is every (shown) document of a legislative level (法律, 行政法规, 部门规章,
地方性法规, 地方政府规章) with the same region and ``chain_key``. Other documents share
titles without being versions of each other (国务院关于修改部分行政法规的决定 is issued
again every year), so they stay outside chains.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from indexer.metadata.levels import LEGISLATION
from indexer.metadata.model import DocMeta

IN_FORCE, REVISED, NOT_YET, REPEALED = "现行有效", "已被修订", "尚未施行", "已废止"
STATUSES = (IN_FORCE, REVISED, NOT_YET, REPEALED)
# Documents of these levels (and of no known level) are never in or out of force.
_NO_STATUS = frozenset({"新闻", "工作报告", ""})


def chain_id(meta: DocMeta) -> str:
    """The chain a document belongs to ("" if none): its region and chain key."""
    if meta.level in LEGISLATION and meta.chain_key:
        return f"{meta.region}/{meta.chain_key}"
    return ""


def build_chains(metas: Mapping[str, DocMeta]) -> dict[str, list[str]]:
    """Chain id → its documents' ids, oldest first (undated ones first, by id)."""
    chains: dict[str, list[str]] = defaultdict(list)
    for doc_id, meta in metas.items():
        if chain := chain_id(meta):
            chains[chain].append(doc_id)
    for ids in chains.values():
        ids.sort(key=lambda i: (metas[i].date, i))
    return dict(chains)


def _future(meta: DocMeta, today: str) -> bool:
    return meta.effective_date > today or meta.date > today


def chain_statuses(ids: list[str], metas: Mapping[str, DocMeta], today: str) -> dict[str, str]:
    """现行有效 for the newest version in effect, 已被修订 for older ones, 尚未施行 for
    versions that take effect after ``today`` (the previous version stays in force)."""
    live = [i for i in ids if not _future(metas[i], today)]
    current = live[-1] if live else ""
    return {i: NOT_YET if _future(metas[i], today) else IN_FORCE if i == current else REVISED
            for i in ids}


def single_status(meta: DocMeta, today: str) -> str:
    """Status of a document outside any chain: in force unless it takes effect later."""
    if meta.level in _NO_STATUS:
        return ""
    return NOT_YET if _future(meta, today) else IN_FORCE
