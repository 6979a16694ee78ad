"""Resolving what a document mentions (《title》, 文号) to the documents in the index.

A title is looked up by its ``chain_key``: a regulation's chain first (the one of the citing
document's region, else the central one), then other documents of that title. A mention of
a specific version (2019年修订的《…》) resolves to that version, or to the newest one before
it; any other mention to the version in force when the citing document was written, the
newest one dated by then (a regulation named by its first issue, 1998年7月13日国务院发布的
《…》, too, when it was revised since), and to none when every indexed version is later: a
later text is not what the citer quoted. A 文号 resolves to the document issued under it
(or the chain it belongs to). Everything is a dictionary lookup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from indexer.metadata.model import DocMeta


class Resolver:
    """Lookups over the shown documents (duplicates removed) and their chains."""

    def __init__(self, metas: Mapping[str, DocMeta], chains: dict[str, list[str]],
                 chain_of: dict[str, str]) -> None:
        self.metas, self.chains, self.chain_of = metas, chains, chain_of
        self.chains_by_key: dict[str, list[str]] = defaultdict(list)
        self.by_title: dict[str, list[str]] = defaultdict(list)
        self.by_number: dict[str, list[str]] = defaultdict(list)
        self.by_old_number: dict[str, list[str]] = defaultdict(list)
        for chain in chains:
            self.chains_by_key[chain.partition("/")[2]].append(chain)
        for doc_id, meta in metas.items():
            if meta.chain_key and doc_id not in chain_of:
                self.by_title[meta.chain_key].append(doc_id)
            if meta.number_key:
                self.by_number[meta.number_key].append(doc_id)
            for key in meta.number_keys[1:] if meta.number_key else meta.number_keys:
                self.by_old_number[key].append(doc_id)

    def _chain_for(self, key: str, citer: DocMeta) -> str:
        chains = self.chains_by_key.get(key)
        if not chains:
            return ""
        for region in (citer.region, "中央"):
            if found := next((c for c in chains if c.startswith(region + "/")), ""):
                return found
        return chains[0]

    def in_force(self, chain: str, citer: DocMeta) -> str:
        """The version of ``chain`` in force when the citing document was written: the
        newest one dated by then (by the citer's 施行日期 when it has no date); "" when
        every indexed version is later (linking to a later version would misquote the
        citer) or the citer has no date at all (nothing says which version it meant)."""
        ids = self.chains[chain]
        when = citer.date or citer.effective_date
        if not when:
            return ""
        before = [i for i in ids if self.metas[i].date and self.metas[i].date <= when]
        return before[-1] if before else ""

    def _version(self, chain: str, version: str, citer: DocMeta) -> str:
        ids = self.chains[chain]
        exact = [i for i in ids if self.metas[i].date.startswith(version)]
        if exact:
            return exact[-1]
        bound = version if len(version) == 10 else version + "-12-31"
        before = [i for i in ids if self.metas[i].date and self.metas[i].date <= bound]
        # Dated before every indexed version: the regulation named by its first issue
        # (1998年7月13日国务院发布的《…》) and revised since, so the version in force then.
        return before[-1] if before else self.in_force(chain, citer)

    def _pick(self, ids: list[str], citer: DocMeta) -> str:
        """One of several documents of a title or number: the one chain they share, else
        the newest not after the citing document, else the newest."""
        chains = {self.chain_of.get(i, "") for i in ids}
        if len(chains) == 1 and "" not in chains:
            return self.in_force(chains.pop(), citer)
        dated = sorted(ids, key=lambda i: (self.metas[i].date, i))
        earlier = [i for i in dated if self.metas[i].date <= (citer.date or "9999")]
        return (earlier or dated)[-1]

    def mention(self, mention: dict[str, str], citer: DocMeta) -> str:
        """The id a 《》 mention resolves to, or ""."""
        if (number := mention.get("docnum")) and (found := self.number(number, citer)):
            return found
        if chain := self._chain_for(mention["key"], citer):
            version = mention.get("version")
            return self._version(chain, version, citer) if version else self.in_force(chain, citer)
        ids = self.by_title.get(mention["key"])
        return self._pick(ids, citer) if ids else ""

    def number(self, key: str, citer: DocMeta) -> str:
        """The id a 文号 key resolves to, or ""."""
        ids = self.by_number.get(key) or self.by_old_number.get(key)
        return self._pick(ids, citer) if ids else ""

    def abolished(self, mention: dict[str, str], citer: DocMeta) -> list[str]:
        """The ids a mention in an abolishing sentence puts out of force: every version
        (document of that title) dated up to the abolishing one, and the document of a
        文号 it gives. A date before the title (1998年7月13日国务院发布的《…》) names the
        regulation by its first issue: its later revisions go with it."""
        chain = self._chain_for(mention["key"], citer)
        ids = self.chains[chain] if chain else self.by_title.get(mention["key"], [])
        found = [i for i in ids if self.metas[i].date <= (citer.date or "9999")]
        if (number := mention.get("docnum")) and (target := self.number(number, citer)):
            found.append(target)
        return found
