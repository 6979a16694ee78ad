"""Query-time synonyms and abbreviations (交强险 = 机动车交通事故责任强制保险 ...).

Applied when a query is compiled, never at indexing, so an edited file takes effect on the
next query: the files are re-read when their modification time changes. Two lists are
shipped: ``indexer/data/synonyms.txt`` (abbreviations and equivalent names) and
``indexer/data/everyday.txt`` (everyday words for official terms, one way: 俗称, 简称,
旧称, each with the documents that use the term); the ``SYNONYMS`` setting
(``POLICY_SEARCH_SYNONYMS``) names an extra file of the same format, one rule per line
(``#`` starts a comment):

* ``a = b = c``: the forms are equivalent; a query for any of them also finds the others.
* ``a => b, c``: one way; a query for ``a`` also finds ``b`` and ``c``, which do not find
  ``a``. For a term that covers several narrower ones (五险一金 => 养老保险, 住房公积金, …):
  as an equivalence, 养老保险 would find every document about 住房公积金 through it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from indexer.analysis import normalize

SHIPPED_FILE = Path(str(resources.files("indexer") / "data" / "synonyms.txt"))
EVERYDAY_FILE = Path(str(resources.files("indexer") / "data" / "everyday.txt"))
MINED = "defined in the indexed documents"
CHECK_SECONDS = 1.0           # how often the files are looked at for a change
log = logging.getLogger("policy_search")


@dataclass(frozen=True)
class Rule:
    """One rule in force: a query holding one of ``sources`` also searches ``forms``."""

    sources: tuple[str, ...]
    forms: tuple[str, ...]
    origin: str               # the file it comes from, or MINED
    documents: int = 0        # for a mined rule: the documents defining it

    @property
    def label(self) -> str:
        """Where the rule comes from, as the API and ``policy-search synonyms`` say it: the
        shipped lists by name, your file by its path, documents that define it."""
        return {str(SHIPPED_FILE): "shipped", str(EVERYDAY_FILE): "shipped everyday forms"}.get(
            self.origin, self.origin)


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


class Synonyms:
    """The rules a search applies: the shipped list, an extra file (the ``SYNONYMS``
    setting), and abbreviations that indexed documents define (``mined``: (short form, full
    term, documents), one way). The files are read again when they change."""

    def __init__(self, extra: str | Path | None = None,
                 mined: Iterable[tuple[str, str, int]] = ()):
        self.files = [SHIPPED_FILE, EVERYDAY_FILE, *([Path(extra)] if extra else [])]
        self.mined = [tuple(m) for m in mined]
        self._lock = threading.Lock()
        self._checked = 0.0
        self._stamp: tuple | None = None
        self._rules: list[Rule] = []
        self._table: dict[str, list[str]] = {}
        self._origins: dict[str, list[tuple[str, str, str]]] = {}

    def expand(self, form: str) -> list[str]:
        """The forms to search for a normalised query word, itself first."""
        self._refresh()
        return self._table.get(form, [form])

    def origins(self, form: str) -> list[tuple[str, str, str]]:
        """(another form, where its rule comes from, kind) for each form a query word also
        searches: ``expand`` without the word itself, with the rules' origins. The kind is
        "everyday" for the rules of the everyday list, "synonym" for the others."""
        self._refresh()
        return self._origins.get(form, [])

    def stamp(self) -> tuple:
        """Changes whenever the rules do (a cached result page keys on it)."""
        self._refresh()
        return self._stamp

    def rules(self) -> list[Rule]:
        self._refresh()
        return list(self._rules)

    def _refresh(self) -> None:
        now = time.monotonic()
        if self._stamp is not None and now - self._checked < CHECK_SECONDS:
            return
        with self._lock:
            self._checked = now
            stamp = tuple(_mtime(p) for p in self.files)
            if stamp != self._stamp:
                self._rules = self._read()
                self._table = _table(self._rules)
                self._origins = _origins(self._rules)
                self._stamp = stamp

    def _read(self) -> list[Rule]:
        rules = []
        for path in self.files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:   # searching goes on without it
                log.warning("synonym file %s cannot be read (%s); its rules are not applied",
                            path, exc)
                continue
            rules += [Rule(tuple(s), tuple(f), str(path)) for s, f in parse_rules(text)]
        for short, full, documents in self.mined:
            rules.append(Rule((short,), (short, full), MINED, documents))
        return rules


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _table(rules: list[Rule]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for rule in rules:
        for form in rule.sources:
            table.setdefault(form, [form])
            table[form] += [f for f in rule.forms if f not in table[form]]
    return table


def _origins(rules: list[Rule]) -> dict[str, list[tuple[str, str, str]]]:
    table: dict[str, dict[str, tuple[str, str]]] = {}
    for rule in rules:
        origin = f"{rule.label} ({rule.documents} documents)" if rule.documents else rule.label
        kind = "everyday" if rule.origin == str(EVERYDAY_FILE) else "synonym"
        for form in rule.sources:
            for other in rule.forms:
                if other != form:
                    table.setdefault(form, {}).setdefault(other, (origin, kind))
    return {form: [(other, *how) for other, how in others.items()]
            for form, others in table.items()}


SHIPPED = Synonyms()           # the shipped list alone (for code without a search context)
