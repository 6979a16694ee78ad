"""Relations between documents (versions, statuses, duplicates, citations) as search needs them.

The build computes them over the whole index (``indexer.metadata.relate``) into the
generation's relations file; here they become per-document arrays — status codes, version
chains, duplicates to hide, citation counts — so filters, facets and the one-entry-per-chain
collapse are array operations like every other.
"""

from __future__ import annotations

import numpy as np

from indexer.metadata import STATUSES, Relations
from indexer.metadata.relate import relations_from_json

STATUS_VALUES = ("", *STATUSES)


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
        for doc_id, citers in relations.cited_by.items():
            if (d := docnum(doc_id)) is not None:
                self.cited_by[d] = len(citers)

    @classmethod
    def from_json(cls, data: dict, view) -> DocumentRelations:
        return cls(relations_from_json(data), view)

    def get(self, doc_id: str):
        return self.relations.get(doc_id)

    def entries(self, docs: np.ndarray) -> np.ndarray:
        """The entry each document is shown as: its version chain (negative numbers), or the
        representative of its copies, or itself."""
        reps = self.representative[docs]
        own = np.where(reps >= 0, reps, docs)
        return np.where(self.chain[docs] > 0, -self.chain[docs], own)

    def collapse(self, docs: np.ndarray, dates: np.ndarray) -> np.ndarray:
        """``docs`` (sorted) with the copies of a document left out where its representative
        is among them, and of each version chain only its newest version among them."""
        reps = self.representative[docs]
        copies = reps >= 0
        if copies.any():
            copies[copies] = np.isin(reps[copies], docs)
            docs = docs[~copies]
        chains = self.chain[docs]
        versioned = chains > 0
        if not versioned.any():
            return docs
        members = docs[versioned]
        order = np.lexsort((members, dates[members], chains[versioned]))
        last = np.ones(len(order), dtype=bool)
        last[:-1] = chains[versioned][order][1:] != chains[versioned][order][:-1]
        return np.sort(np.concatenate([docs[~versioned], members[order][last]]))


