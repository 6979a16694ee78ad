"""Query-time synonyms and abbreviations (交强险 = 机动车交通事故责任强制保险 ...).

Applied when a query is compiled, never at indexing, so an edited file takes effect on the
next query: the files are re-read when their modification time changes. The shipped list
is ``indexer/data/synonyms.txt``; ``POLICY_SEARCH_SYNONYMS`` names an extra file of the
same format, one rule per line (``#`` starts a comment):

* ``a = b = c``: the forms are equivalent; a query for any of them also finds the others.
* ``a => b, c``: one way; a query for ``a`` also finds ``b`` and ``c``, which do not find
  ``a``. For a term that covers several narrower ones (五险一金 => 养老保险, 住房公积金, …):
  as an equivalence, 养老保险 would find every document about 住房公积金 through it.
"""

from __future__ import annotations

import os
import re
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


def parse_rules(text: str) -> list[tuple[list[str], list[str]]]:
    """Each rule as (the forms a query may hold, the forms it then searches, itself first).

    ``a = b = c`` gives ([a, b, c], [a, b, c]); ``a => b, c`` gives ([a], [a, b, c]).
    Full-width separators (＝, ＝＞, ，) work as their ASCII forms.
    """
    rules = []
    for line in text.splitlines():
        line = normalize(line.split("#", 1)[0]).strip()
        left, arrow, right = line.partition("=>")
        if arrow:
            # Commas separate the forms on each side of the arrow (as in Solr's format).
            sources = _forms(left, r"[=,]")
            targets = [f for f in _forms(right, r"[=,]") if f not in sources]
            if sources and targets:
                rules.append((sources, sources + targets))
        else:
            # Only "=" here: a form may hold a comma, as it could before "=>" existed.
            sources = _forms(line, "=")
            if len(sources) > 1:
                rules.append((sources, sources))
    return rules


def _forms(side: str, separators: str) -> list[str]:
    forms: list[str] = []
    for part in re.split(separators, side):
        form = part.strip()
        if form and form not in forms:
            forms.append(form)
    return forms


def parse_groups(text: str) -> list[list[str]]:
    """The equivalence groups (``a = b = c`` lines); one-way rules are left out."""
    return [forms for sources, forms in parse_rules(text) if sources == forms]


def _load(files: list[Path]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue            # a missing extra file must not break searching
        for sources, forms in parse_rules(text):
            for form in sources:
                table.setdefault(form, [form])
                table[form] += [f for f in forms if f not in table[form]]
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
