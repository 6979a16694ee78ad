"""The same document from two sources: grouped, with one member chosen to show.

Candidates share a date and either a title (its ``chain_key``, so 中华人民共和国… and the
short title meet) or a 文号; they are the same document only if their texts are
near-identical (``fingerprint.similarity``), because versions of one regulation share
title and 文号 and differ in date, and different replies share a title and a date rarely
but do. Candidates are found through dictionaries, never by comparing all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from indexer.metadata.fingerprint import similarity
from indexer.metadata.model import DocMeta

# Share of sentences two copies must have in common (the gov.cn page of a regulation adds
# its decree's preamble to the text of the lawrefbook file; different versions differ
# far more than that, and they have different dates anyway).
SAME_TEXT = 0.6
_PAIRWISE_LIMIT = 20


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _buckets(metas: Mapping[str, DocMeta]) -> list[list[str]]:
    buckets: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for doc_id, meta in metas.items():
        if not meta.date or not meta.fingerprint:
            continue
        if meta.chain_key:
            buckets[("title", meta.chain_key, meta.date)].append(doc_id)
        if meta.number_key:
            buckets[("number", meta.number_key, meta.date)].append(doc_id)
    return [ids for ids in buckets.values() if len(ids) > 1]


def _join_similar(ids: list[str], metas: Mapping[str, DocMeta], groups: _UnionFind) -> None:
    # Buckets are tiny; a huge one (a title used every year on one date?) is compared to
    # its first member only, to stay linear.
    heads = ids if len(ids) <= _PAIRWISE_LIMIT else ids[:1]
    for i, a in enumerate(heads):
        for b in ids[i + 1 :]:
            if similarity(metas[a].fingerprint, metas[b].fingerprint) >= SAME_TEXT:
                groups.union(a, b)


def _rank(doc_id: str, meta: DocMeta) -> tuple:
    """Sort key of the member to show: the one with the fullest history (the regulation
    file with its 公布/修订/施行 lines), then a 施行日期, then a 文号, then the path."""
    return (-len(meta.history), not meta.effective_date, not meta.number_key, meta.path, doc_id)


def duplicate_groups(metas: Mapping[str, DocMeta]) -> dict[str, list[str]]:
    """Representative id → the ids of its group (representative first), for groups of two
    or more documents."""
    groups = _UnionFind()
    for ids in _buckets(metas):
        _join_similar(ids, metas, groups)
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id in groups.parent:
        members[groups.find(doc_id)].append(doc_id)
    result = {}
    for ids in members.values():
        if len(ids) > 1:
            ids.sort(key=lambda i: _rank(i, metas[i]))
            result[ids[0]] = ids
    return result
