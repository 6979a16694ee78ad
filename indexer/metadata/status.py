"""时效性: each document's status, asserted only where the index holds its basis.

A researcher quotes a status as a legal fact, so every status names what it rests on
(``status_basis``), and a document without a basis has none (the page says 未标注):

==========  ===================================  =============================================
status      status_basis                         when
==========  ===================================  =============================================
现行有效    ``newest version of a chain``         the newest version of a regulation (法律,
                                                 行政法规, 部门规章, 地方性法规, 地方政府规章)
                                                 the index holds, in effect, abolished and
                                                 superseded by nothing indexed (a regulation
                                                 known from one file is the only version of
                                                 its chain)
已被修订    ``superseded by <id>``                an older version; <id> is the version that
                                                 replaced it
尚未施行    ``effective date in the future``      its 施行日期 (or date) is after today
已废止      ``abolished by <id>``                 an indexed document in effect says so (…同时废止)
""          ""                                   anything else: a notice, letter or 复函 of no
                                                 chain is not asserted in force by anything
==========  ===================================  =============================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer.metadata.chains import IN_FORCE, NOT_YET, REPEALED, REVISED
from indexer.metadata.model import DocMeta

NEWEST = "newest version of a chain"
FUTURE = "effective date in the future"
ABOLISHED_BY = "abolished by "
SUPERSEDED_BY = "superseded by "
# Documents of these levels (and of no known level) are never in or out of force.
_NO_STATUS = frozenset({"新闻", "工作报告", ""})


@dataclass
class Statuses:
    """Status and basis by document id (only documents that have one)."""

    status: dict[str, str] = field(default_factory=dict)
    basis: dict[str, str] = field(default_factory=dict)

    def set(self, doc_id: str, status: str, basis: str) -> None:
        self.status[doc_id], self.basis[doc_id] = status, basis


def in_effect(meta: DocMeta, today: str) -> bool:
    """Whether a document has taken effect by ``today`` (its 施行日期, else its date)."""
    return (meta.effective_date or meta.date) <= today and meta.date <= today


def _chain(ids: list[str], metas: Mapping[str, DocMeta], today: str, out: Statuses) -> None:
    """现行有效 for the newest version in effect, 已被修订 for older ones (superseded by the
    next one in effect), 尚未施行 for versions that take effect after ``today`` (the
    previous version stays in force)."""
    live = [i for i in ids if in_effect(metas[i], today)]
    after = dict(zip(live, live[1:], strict=False))
    newest = live[-1] if live else None
    for doc_id in ids:
        if doc_id == newest:
            out.set(doc_id, IN_FORCE, NEWEST)
        elif doc_id in after:
            out.set(doc_id, REVISED, SUPERSEDED_BY + after[doc_id])
        else:
            out.set(doc_id, NOT_YET, FUTURE)


def statuses(shown: Mapping[str, DocMeta], chains: dict[str, list[str]], chain_of: dict[str, str],
             abolished: dict[str, str], today: str) -> Statuses:
    """The status of every shown document; ``abolished`` maps an abolished id to the id of
    the document in effect that abolishes it."""
    out = Statuses()
    for ids in chains.values():
        _chain(ids, shown, today, out)
    for doc_id, meta in shown.items():
        if doc_id not in chain_of and meta.level not in _NO_STATUS and not in_effect(meta, today):
            out.set(doc_id, NOT_YET, FUTURE)
    for doc_id, by in abolished.items():
        out.set(doc_id, REPEALED, ABOLISHED_BY + by)
    return out
