"""Query-time synonyms and abbreviations (交强险 = 机动车交通事故责任强制保险 ...).

Applied when a query is compiled, never at indexing, so an edited file takes effect on the
next query: the files are re-read when their modification time changes. The shipped list
is ``indexer/data/synonyms.txt``; ``POLICY_SEARCH_SYNONYMS`` names an extra file of the
same format (one group per line, forms separated by ``=``, ``#`` starts a comment).
"""

from __future__ import annotations

import os
import threading
from importlib import resources
from pathlib import Path

from indexer.analysis.normalize import normalize

SYNONYMS_ENV = "POLICY_SEARCH_SYNONYMS"
_lock = threading.Lock()
_cache: dict[tuple, dict[str, list[str]]] = {}


def _files() -> list[Path]:
    files = [Path(str(resources.files("indexer") / "data" / "synonyms.txt"))]
    extra = os.environ.get(SYNONYMS_ENV)
    if extra:
        files.append(Path(extra))
    return files


def parse_groups(text: str) -> list[list[str]]:
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        forms = [normalize(f.strip()) for f in line.split("=") if f.strip()]
        if len(forms) > 1:
            groups.append(forms)
    return groups


def _load(files: list[Path]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue            # a missing extra file must not break searching
        for group in parse_groups(text):
            for form in group:
                table.setdefault(form, [form])
                table[form] += [g for g in group if g not in table[form]]
    return table


def synonyms() -> dict[str, list[str]]:
    """Normalised form → all its forms (itself first)."""
    files = _files()
    stamp = tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in files)
    with _lock:
        if stamp not in _cache:
            _cache.clear()
            _cache[stamp] = _load(files)
        return _cache[stamp]


def expand(form: str) -> list[str]:
    """The forms to search for a normalised query word."""
    return synonyms().get(form, [form])
