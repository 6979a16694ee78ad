"""``relate(metas) -> Relations``: versions, statuses, duplicates and citations over all
documents of an index, from their ``DocMeta`` records alone (no files are read).

Duplicates are grouped first and every group is then treated as one document, its
representative: versions are counted once, a citation links to the representative, and
every member of a group gets the group's relations.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from indexer.metadata.chains import build_chains
from indexer.metadata.duplicates import duplicate_groups
from indexer.metadata.links import Resolver
from indexer.metadata.model import DocMeta
from indexer.metadata.status import in_effect, statuses

_CHINA = dt.timezone(dt.timedelta(hours=8))
TOP_UNRESOLVED = 20


@dataclass
class DocRelations:
    """What one document's neighbours say about it (JSON: ``to_json()``)."""

    status: str = ""            # 现行有效, 已被修订, 尚未施行, 已废止 or ""
    status_basis: str = ""      # what the status rests on (status.py): "newest version of a
                                # chain", "superseded by <id>", "abolished by <id>",
                                # "effective date in the future"; "" with no status
    chain: str = ""             # "<region>/<chain key>" shared by a regulation's versions;
                                # "" outside chains (the document is an entry of its own)
    versions: list[dict] = field(default_factory=list)  # [{id, title, date, status}], oldest first
    versions_count: int = 1
    representative: str = ""    # the id shown for this document (itself unless a duplicate)
    sources: list[dict] = field(default_factory=list)   # [{id, path, source}] of a duplicate group
    cites: list[dict] = field(default_factory=list)     # [{id, title, mention}]
    cited_by: list[dict] = field(default_factory=list)  # [{id, title}], oldest first

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class CitationSummary:
    """Counts over the shown documents, for a reindex summary."""

    mentions: int = 0           # distinct 《》 mentions of documents (per citing document)
    resolved: int = 0
    numbers: int = 0            # distinct 文号 references
    numbers_resolved: int = 0
    top_unresolved: list[tuple[str, int]] = field(default_factory=list)  # (title, citing documents)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Relations:
    """The result of ``relate``: tables over the shown documents; ``get`` gives one
    document's ``DocRelations`` (built on demand: a build asks once per document)."""

    chains: dict[str, list[str]]        # chain → ids of its versions, oldest first
    duplicates: dict[str, list[str]]    # representative → its group, representative first
    citations: CitationSummary
    status: dict[str, str] = field(default_factory=dict)          # shown id → status
    status_basis: dict[str, str] = field(default_factory=dict)    # shown id → its basis
    cites: dict[str, list[dict]] = field(default_factory=dict)    # shown id → its links
    cited_by: dict[str, list[dict]] = field(default_factory=dict)
    representative: dict[str, str] = field(default_factory=dict)  # duplicate → shown id
    chain_of: dict[str, str] = field(default_factory=dict)        # shown id → chain
    versions: dict[str, list[dict]] = field(default_factory=dict)  # chain → its versions
    sources: dict[str, list[dict]] = field(default_factory=dict)   # representative → group

    def get(self, doc_id: str) -> DocRelations:
        """The relations of a document (empty ones, itself shown, for an unknown id)."""
        rep = self.representative.get(doc_id, doc_id)
        chain = self.chain_of.get(rep, "")
        versions = self.versions.get(chain, [])
        return DocRelations(
            status=self.status.get(rep, ""), status_basis=self.status_basis.get(rep, ""),
            chain=chain, versions=versions,
            versions_count=max(1, len(versions)), representative=rep,
            sources=self.sources.get(rep, []), cites=self.cites.get(rep, []),
            cited_by=self.cited_by.get(rep, []))


def _abolished(shown: Mapping[str, DocMeta], chain_of: dict[str, str], resolver: Resolver,
               today: str) -> dict[str, str]:
    """Id → the id of the document in effect that abolishes it (not its own chain's
    versions; the earliest such document when several do)."""
    found: dict[str, str] = {}
    for doc_id, meta in sorted(shown.items(), key=lambda kv: (kv[1].date, kv[0])):
        if not meta.abolishes or not in_effect(meta, today):
            continue
        own = chain_of.get(doc_id)
        for mention in meta.abolishes:
            for target in resolver.abolished(mention, meta):
                if target != doc_id and (not own or chain_of.get(target) != own):
                    found.setdefault(target, doc_id)
    return found


class _Citations:
    """Resolves every shown document's mentions, collecting links and counts."""

    def __init__(self, shown: Mapping[str, DocMeta], chain_of: dict[str, str],
                 resolver: Resolver) -> None:
        self.shown, self.chain_of, self.resolver = shown, chain_of, resolver
        self.cites: dict[str, list[dict]] = {}
        self.cited_by: dict[str, list[dict]] = {}
        self.summary = CitationSummary()
        self.unresolved: Counter[str] = Counter()
        self.spelling: dict[str, str] = {}

    def _link(self, citer: str, target: str, mention: str) -> None:
        """Record one resolved mention; links to the citer's own chain or itself are not
        citations (a regulation names itself and its earlier versions)."""
        meta, cited = self.shown[citer], self.shown[target]
        own = self.chain_of.get(citer)
        if target == citer or (own and self.chain_of.get(target) == own):
            return
        cites = self.cites.setdefault(citer, [])
        if all(c["id"] != target for c in cites):
            cites.append({"id": target, "title": cited.title, "mention": mention})
            self.cited_by.setdefault(target, []).append({"id": citer, "title": meta.title})

    def _titles(self, doc_id: str, meta: DocMeta) -> None:
        for mention in meta.mentions:
            self.summary.mentions += 1
            if target := self.resolver.mention(mention, meta):
                self.summary.resolved += 1
                self._link(doc_id, target, f"《{mention['title']}》")
            else:
                self.unresolved[mention["key"]] += 1
                self.spelling.setdefault(mention["key"], mention["title"])

    def _numbers(self, doc_id: str, meta: DocMeta) -> None:
        for number in meta.numbers:
            self.summary.numbers += 1
            if target := self.resolver.number(number["key"], meta):
                self.summary.numbers_resolved += 1
                self._link(doc_id, target, number["number"])

    def run(self) -> None:
        for doc_id, meta in self.shown.items():
            self._titles(doc_id, meta)
            self._numbers(doc_id, meta)
        self.summary.top_unresolved = [
            (self.spelling[key], n) for key, n in self.unresolved.most_common(TOP_UNRESOLVED)]
        for citers in self.cited_by.values():
            citers.sort(key=lambda c: (self.shown[c["id"]].date, c["id"]))


def _versions(chains: dict[str, list[str]], shown: Mapping[str, DocMeta],
              status: dict[str, str]) -> dict[str, list[dict]]:
    return {chain: [{"id": i, "title": shown[i].title, "date": shown[i].date,
                     "status": status.get(i, "")} for i in ids]
            for chain, ids in chains.items()}


def _sources(groups: dict[str, list[str]], metas: Mapping[str, DocMeta]) -> dict[str, list[dict]]:
    return {rep: [{"id": i, "path": metas[i].path, "source": metas[i].source} for i in ids]
            for rep, ids in groups.items()}


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector: it finds nothing to free in these tables
    of strings and dicts but scans them again and again as they grow (a third of the time
    of ``relate`` over 10^5 records, more over 10^6)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def relate(metas: Mapping[str, DocMeta], *, today: str | None = None) -> Relations:
    """Versions, statuses, duplicate groups and citations of all documents.

    :param metas: every document's ``DocMeta`` by document id
    :param today: ISO date that decides 尚未施行 (default: today in China)
    """
    today = today or dt.datetime.now(_CHINA).date().isoformat()
    with _collector_paused():
        groups = duplicate_groups(metas)
        rep_of = {member: rep for rep, ids in groups.items() for member in ids[1:]}
        shown = {i: m for i, m in metas.items() if i not in rep_of}
        chains = build_chains(shown)
        chain_of = {i: chain for chain, ids in chains.items() for i in ids}
        resolver = Resolver(shown, chains, chain_of)
        abolished = _abolished(shown, chain_of, resolver, today)
        final = statuses(shown, chains, chain_of, abolished, today)
        status = final.status
        citations = _Citations(shown, chain_of, resolver)
        citations.run()
        return Relations(
            chains=chains, duplicates=groups, citations=citations.summary, status=status,
            status_basis=final.basis,
            cites=citations.cites, cited_by=citations.cited_by, representative=rep_of,
            chain_of=chain_of, versions=_versions(chains, shown, status),
            sources=_sources(groups, metas))


def relations_json(relations: Relations, abbreviations=()) -> dict:
    """What a search needs of ``relations``, as JSON (``relations_from_json`` reads it):
    empty statuses and chains of one version are left out (most documents of a large
    index have neither). ``abbreviations``: (short, full, documents) that documents define,
    for the query-time synonyms."""
    versions = {c: v for c, v in relations.versions.items() if len(v) > 1}
    return {"status": {i: s for i, s in relations.status.items() if s},
            "status_basis": {i: b for i, b in relations.status_basis.items() if b},
            "representative": relations.representative,
            "chain_of": {i: c for i, c in relations.chain_of.items() if c in versions},
            "versions": versions,
            "sources": relations.sources, "cites": relations.cites, "cited_by": relations.cited_by,
            "citations": relations.citations.to_json(),
            "abbreviations": [list(a) for a in abbreviations]}


def relations_from_json(data: dict) -> Relations:
    """The ``Relations`` written by ``relations_json`` (without the intermediate tables)."""
    citations = CitationSummary(**{**data.get("citations", {}),
                                   "top_unresolved": [tuple(t) for t in data.get("citations", {})
                                                      .get("top_unresolved", [])]})
    return Relations(chains={}, duplicates={}, citations=citations,
                     **{k: data.get(k, {}) for k in ("status", "status_basis", "cites", "cited_by",
                                                     "representative", "chain_of", "versions",
                                                     "sources")})
