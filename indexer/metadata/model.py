"""``DocMeta``: what ``describe`` finds in one document, and its JSON form."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

# The fields a search index shows and filters on; the others are inputs of ``relate``.
INDEX_FIELDS = (
    "date", "published_date", "doc_type", "level", "region", "source", "effective_date",
    "history", "categories",
)


@dataclass(slots=True)
class DocMeta:
    """Metadata of one document (see ``describe``).

    JSON: ``to_json()`` gives a dict of the fields that are not empty (a build keeps one per
    document in its manifest; most documents leave most of them empty) and ``from_json``
    restores the rest with their defaults. Every value is a string, a list of strings or a
    list of string-to-string dicts.
    """

    title: str = ""
    path: str = ""
    date: str = ""                    # the document's own date: 成文日期, else 发布/公布
    published_date: str = ""          # 发布日期 as given (a page's or post's)
    doc_type: str = ""                # 文种: 通知, 意见, 条例, 法 … or ""
    level: str = ""                   # 效力级别, one of levels.LEVELS or ""
    region: str = ""                  # 中央, a province's full name, or ""
    source: str = ""                  # issuing body, one spelling per body
    doc_number: str = ""              # 发文字号 as written
    effective_date: str = ""          # 施行日期 of this version
    history: list[dict[str, str]] = field(default_factory=list)     # [{date, event}]
    categories: list[str] = field(default_factory=list)             # the source's own topics
    # Keys for relate(): versions, duplicates, citations, abolitions.
    title_key: str = ""               # titles.title_key(title)
    chain_key: str = ""               # titles.chain_key(title): shared by a regulation's versions
    number_key: str = ""              # docnum key of its own 文号
    number_keys: list[str] = field(default_factory=list)   # every 文号 it was issued under
    fingerprint: str = ""             # fingerprint.fingerprint(body)
    mentions: list[dict[str, str]] = field(default_factory=list)    # [{title, key, version?, docnum?}]
    numbers: list[dict[str, str]] = field(default_factory=list)     # [{number, key}] 文号 cited
    abolishes: list[dict[str, str]] = field(default_factory=list)   # mentions it abolishes

    def to_json(self) -> dict:
        """The non-empty fields as a JSON-serialisable dict."""
        return {f.name: value for f in fields(self) if (value := getattr(self, f.name))}

    def compact(self) -> str:
        """``to_json()`` as compact JSON text (what a build's manifest keeps)."""
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: dict | str) -> DocMeta:
        """The inverse of ``to_json`` or ``compact`` (unknown keys are ignored, for older
        manifests)."""
        if isinstance(data, str):
            data = json.loads(data)
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def index_fields(self) -> dict:
        """The values a search index stores for the document, every field present."""
        return {name: getattr(self, name) for name in INDEX_FIELDS}
