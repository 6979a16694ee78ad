"""How much of an index each metadata field is filled for (``policy-search stats``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from indexer.metadata.model import INDEX_FIELDS

FIELDS = (*INDEX_FIELDS, "doc_number")
COUNTED = ("doc_type", "level", "region")


def coverage(metas: Iterable[dict], statuses: dict[str, str]) -> dict:
    """Shares of documents with each field, and counts of values of the enumerated ones.

    ``metas`` are the ``DocMeta.to_json()`` of the indexed documents (empty fields are left
    out of it), ``statuses`` the status of each document id that has one.
    """
    filled: Counter = Counter()
    values = {name: Counter() for name in COUNTED}
    total = 0
    for meta in metas:
        total += 1
        filled.update(name for name in FIELDS if meta.get(name))
        for name in COUNTED:
            values[name][meta.get(name) or ""] += 1
    filled["status"] = len(statuses)
    values["status"] = Counter(statuses.values())
    values["status"][""] = total - len(statuses)
    share = {name: round(filled[name] / total, 4) if total else 0.0 for name in (*FIELDS, "status")}
    return {"documents": total, "filled": share,
            "values": {name: dict(counts.most_common()) for name, counts in values.items()}}
