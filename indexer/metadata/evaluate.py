"""Metadata as an index shows it, scored against a hand-checked gold standard.

A gold record (one JSON object a line) names a document by its path under the corpus root
and gives, per field, the value read from the source by hand and the line that shows it::

    {"path": "lawrefbook-laws/行政法规/…(2022-03-29).md", "folder": "lawrefbook-laws",
     "fields": {"date": {"value": "2022-03-29", "evidence": "…"},
                "status": {"value": "现行有效", "basis": "…", "evidence": "…"},
                "versions": {"value": ["…(2019-03-02).md", "…(2022-03-29).md"]},
                "cites": {"value": ["…"]}, …}}

``shown(index_dir)`` reads what a built index holds for every indexed file — the stored
fields a search result and the API show, and the relations the build stored (or, for
another ``today``, recomputed from the build's manifest as the build does) — by corpus
path. A file left out as an exact duplicate shows its original's values.
``score(gold, shown)`` counts agreements per field, overall and per group, and lists every
disagreement.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.metadata.chains import versioned
from indexer.metadata.model import DocMeta
from indexer.metadata.relate import Relations, relate, relations_from_json
from indexer.storage import generations as store
from indexer.storage.view import IndexView

STORED = ("date", "published_date", "effective_date", "doc_type", "level", "region", "source",
          "doc_number")
RELATED = ("status", "versions", "cites")
FIELDS = STORED + RELATED
# Groups reported besides the whole sample: gov.cn pages and 行政法规 (date must be exact there).
GROUPS: dict[str, Callable[[dict], bool]] = {
    "all": lambda record: True,
    "gov.cn": lambda record: record["path"].startswith("govcn-pages/"),
    "行政法规": lambda record: _gold_value(record, "level") == "行政法规",
}


def load_gold(path: Path) -> list[dict]:
    """The gold records of a JSON Lines file (blank lines skipped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _gold_value(record: dict, name: str):
    entry = record.get("fields", {}).get(name)
    return entry.get("value") if isinstance(entry, dict) else entry


def _relations(gen: store.Generation, docs: list[dict], today: str | None) -> Relations:
    if today is None:
        return relations_from_json(gen.read_json(store.RELATIONS, {}))
    metas = {d["id"]: DocMeta.from_json(d.get("meta") or "{}") for d in docs if not d["dup_of"]}
    return relate(metas, today=today)


def _paths(ids: Iterable[str], path_of: dict[str, str]) -> list[str]:
    return sorted({path_of[i] for i in ids if i in path_of})


def _files(rel, relations: Relations, level: str, path: str) -> list[str]:
    """The ids of every file of a document's version chain, itself and copies of a version
    from another source included (a regulation known from one file: itself); none for a
    document outside chains."""
    if rel.versions:
        versions = [v["id"] for v in rel.versions]
    else:
        versions = [rel.representative] if versioned(level, path) else []
    return [s["id"] for v in versions for s in relations.sources.get(v) or [{"id": v}]]


def shown(index_dir: Path, today: str | None = None) -> dict[str, dict]:
    """Corpus path → {field: value shown} for every file of the live index of ``index_dir``
    (``versions`` and ``cites`` as sorted paths, ``versions`` as ``_files`` gives them),
    plus ``_duplicate_of`` for a file left out as an exact duplicate."""
    ix, gen = store.open_current(Path(index_dir))
    files = gen.read_json(store.MANIFEST, {}).get("files", {})
    docs = [d for entry in files.values() for d in entry["docs"]]
    path_of = {d["id"]: d["path"] for d in docs}
    by_path = {d["path"]: d for d in docs}
    relations = _relations(gen, docs, today)
    view = IndexView(ix)
    try:
        out = {}
        for doc in docs:
            original = by_path.get(doc["dup_of"], doc) if doc["dup_of"] else doc
            docnum = view.docnum_of(original["id"])
            stored = view.stored(docnum) if docnum is not None else {}
            rel = relations.get(original["id"])
            files = _files(rel, relations, stored.get("level", ""), original["path"])
            out[doc["path"]] = {
                **{name: stored.get(name) or "" for name in STORED},
                "status": rel.status, "status_basis": rel.status_basis,
                "versions": _paths(files, path_of),
                "cites": _paths((c["id"] for c in rel.cites), path_of),
                "_duplicate_of": doc["dup_of"] or "",
            }
        return out
    finally:
        view.reader.close()


def _same(name: str, gold, ours) -> bool:
    if name in ("versions", "cites"):
        return sorted(gold or []) == sorted(ours or [])
    return (gold or "").strip() == (ours or "").strip()


@dataclass
class Disagreement:
    path: str
    field: str
    gold: object
    evidence: str
    ours: object


@dataclass
class Score:
    """Agreements per (group, field), and every disagreement."""

    total: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)
    disagreements: list[Disagreement] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)     # gold paths the index does not have

    def accuracy(self, name: str, group: str = "all") -> float | None:
        n = self.total[group, name]
        return self.correct[group, name] / n if n else None


def _record_path(record: dict, values: dict[str, dict]) -> str:
    """The indexed path of a gold record (a table's row is ``file#N``; one row: ``#1``)."""
    path = record["path"]
    return path if path in values or f"{path}#1" not in values else f"{path}#1"


def score(gold: list[dict], values: dict[str, dict]) -> Score:
    """Compare each gold field with what the index shows for the same file."""
    result = Score()
    for record in gold:
        path = _record_path(record, values)
        ours = values.get(path)
        if ours is None:
            result.missing.append(record["path"])
            continue
        groups = [g for g, member in GROUPS.items() if member(record)]
        for name in FIELDS:
            entry = record.get("fields", {}).get(name)
            if entry is None:
                continue
            expected = _gold_value(record, name)
            agree = _same(name, expected, ours[name])
            for group in groups:
                result.total[group, name] += 1
                result.correct[group, name] += agree
            if not agree:
                evidence = entry.get("evidence", "") if isinstance(entry, dict) else ""
                if name == "status" and isinstance(entry, dict) and entry.get("basis"):
                    evidence = f"basis: {entry['basis']}; {evidence}"
                result.disagreements.append(Disagreement(
                    record["path"], name, expected, evidence,
                    f"{ours[name]} ({ours['status_basis']})" if name == "status" else ours[name]))
    return result
