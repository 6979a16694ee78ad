"""Version chains: the dated versions of one regulation, and each version's status.

A chain is every (shown) document of a legislative level (法律, 行政法规, 部门规章,
地方性法规, 地方政府规章), or that a regulation collection files as one (a ministry's notice
in 部门规章/ is versioned by its file names like the rules beside it), with the same region
and ``chain_key``. Other documents share
titles without being versions of each other (国务院关于修改部分行政法规的决定 is issued
again every year), so they stay outside chains. Each version's status is ``status.py``'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from indexer.metadata.levels import LEGISLATION, folder_level
from indexer.metadata.model import DocMeta

# Levels a document can be given though its collection files it as legislation.
_NORMATIVE = frozenset({"国务院规范性文件", "部门规范性文件", "地方规范性文件"})
IN_FORCE, REVISED, NOT_YET, REPEALED = "现行有效", "已被修订", "尚未施行", "已废止"
STATUSES = (IN_FORCE, REVISED, NOT_YET, REPEALED)


def versioned(level: str, path: str) -> bool:
    """Whether a document of this level and path has versions (see the module docstring)."""
    return level in LEGISLATION or (level in _NORMATIVE and folder_level(path) in LEGISLATION)


def chain_id(meta: DocMeta) -> str:
    """The chain a document belongs to ("" if none): its region and chain key."""
    if meta.chain_key and versioned(meta.level, meta.path):
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
