"""Relations between documents (versions, statuses, duplicates, citations) as search needs them.

The build computes them over the whole index (``indexer.metadata.relate``) into the
generation's relations file; here they become per-document arrays — status codes, version
chains, duplicates to hide, citation counts — so filters, facets and the one-entry-per-chain
collapse are array operations like every other.
"""

from __future__ import annotations

import numpy as np

from indexer.metadata import STATUSES, Relations, relations_from_json

# The facet value of a document without a status (code 0): the status it lacks is not
# asserted, and 未标注 lists and filters these documents like any other value.
UNMARKED = "未标注"
STATUS_VALUES = (UNMARKED, *STATUSES)


class DocumentRelations:
    """``Relations`` of one open index, by document number."""

    def __init__(self, relations: Relations, view):
        self.relations = relations
        size = view.doc_count_all
        self.status = np.zeros(size, dtype=np.int32)         # index into STATUS_VALUES
        self.chain = np.zeros(size, dtype=np.int32)          # 0: an entry of its own
        self.representative = np.full(size, -1, dtype=np.int64)   # shown as this one, if found
        self.cited_by = np.zeros(size, dtype=np.int32)
        docnum = view.docnum_of          # relations name few documents: look each one up
        for doc_id, status in relations.status.items():
            if (d := docnum(doc_id)) is not None:
                self.status[d] = STATUS_VALUES.index(status)
        for number, versions in enumerate(relations.versions.values(), 1):
            for version in versions:
                if (d := docnum(version["id"])) is not None:
                    self.chain[d] = number
        for doc_id, rep in relations.representative.items():
            if doc_id != rep and (d := docnum(doc_id)) is not None:
                self.representative[d] = -1 if (r := docnum(rep)) is None else r
                # A copy has its document's status (else it would count as 未标注).
                self.status[d] = STATUS_VALUES.index(relations.status.get(rep) or UNMARKED)
        for doc_id, citers in relations.cited_by.items():
            if (d := docnum(doc_id)) is not None:
                self.cited_by[d] = len(citers)
        self._copies = bool((self.representative >= 0).any())
        self._codes: np.ndarray | None = None
        self._rank: tuple | None = None

    @classmethod
    def from_json(cls, data: dict, view) -> DocumentRelations:
        return cls(relations_from_json(data), view)

    def get(self, doc_id: str):
        return self.relations.get(doc_id)

    def without_entries_of(self, docs: np.ndarray, besides: np.ndarray) -> np.ndarray:
        """Those of ``docs`` not shown as the same entry as one of ``besides``."""
        codes = self._entry_codes()
        shown = np.zeros(len(self.chain) + int(self.chain.max(initial=0)) + 1, dtype=bool)
        shown[codes[besides]] = True
        return docs[~shown[codes[docs]]]

    def _entry_codes(self) -> np.ndarray:
        """The entry each document is shown as, as a number: its version chain's (after
        every document number), or the representative of its copies, or its own."""
        if self._codes is None:
            size = len(self.chain)
            own = np.where(self.representative >= 0, self.representative, np.arange(size))
            self._codes = np.where(self.chain > 0, size + self.chain, own)
        return self._codes

    def collapse(self, docs: np.ndarray, dates: np.ndarray) -> np.ndarray:
        """``docs`` (sorted) with the copies of a document left out where its representative
        is among them, and of each version chain only its newest version among them."""
        if self._copies:
            reps = self.representative[docs]
            copies = reps >= 0
            if copies.any():
                present = np.zeros(len(self.chain), dtype=bool)
                present[docs] = True
                copies[copies] = present[reps[copies]]
                docs = docs[~copies]
        chains = self.chain[docs]
        versioned = np.flatnonzero(chains > 0)
        if not len(versioned):
            return docs
        # Members in their chain's order (oldest first) by a rank computed once per index:
        # the last of each chain's run is its newest version here; the others go.
        order = np.argsort(self._version_rank(dates)[docs[versioned]])
        chained = chains[versioned][order]
        older = np.ones(len(order), dtype=bool)
        older[-1] = False
        older[:-1] = chained[1:] == chained[:-1]
        keep = np.ones(len(docs), dtype=bool)
        keep[versioned[order[older]]] = False
        return docs[keep]

    def _version_rank(self, dates: np.ndarray) -> np.ndarray:
        """Each document's place among all versions ordered by chain, date and number."""
        if self._rank is None or self._rank[0] is not dates:
            members = np.flatnonzero(self.chain > 0)
            order = members[np.lexsort((members, dates[members], self.chain[members]))]
            rank = np.full(len(self.chain), -1, dtype=np.int64)
            rank[order] = np.arange(len(order))
            self._rank = (dates, rank)
        return self._rank[1]
