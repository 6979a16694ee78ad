"""Filters and facet counts from per-document columns, and title suggestions.

Columns come from the index as codes into a table of values (``IndexView.codes``): a
filter is the documents whose code is one of the wanted ones, a facet is a ``bincount`` of
the matching documents' codes. Categories are stored as "|"-joined lists, so their codes
stand for combinations, split after counting.
"""

from __future__ import annotations

import numpy as np

from indexer.analysis.normalize import normalize
from indexer.analysis.tokens import phrase_grams
from searchapp.engine import docsets
from searchapp.engine.context import SearchContext
from searchapp.engine.match import date_docs

FACET_COLUMNS = {"source": "source", "category": "category_list", "year": "year"}
SUGGEST_LIMIT = 8
_SUGGEST_CANDIDATES = 400


def _value_codes(values: list[str], wanted: str, column: str) -> np.ndarray:
    if column == "category_list":
        return np.array([i for i, v in enumerate(values) if wanted in v.split("|")], dtype=np.int64)
    return np.array([i for i, v in enumerate(values) if v == wanted], dtype=np.int64)


def column_docs(ctx: SearchContext, column: str, value: str) -> np.ndarray:
    """Live documents whose ``column`` holds ``value``."""
    codes, values = ctx.view.codes(column)
    wanted = _value_codes(values, value, column)
    if not len(wanted):
        return docsets.EMPTY
    docs = ctx.all_docs()
    return docs[np.isin(codes[docs], wanted)]


def filter_docs(ctx: SearchContext, source: str = "", category: str = "", year: str = "",
                date_from: str | None = None, date_to: str | None = None) -> np.ndarray | None:
    """Documents allowed by the filters, or None when there is no filter."""
    sets = [column_docs(ctx, col, value) for col, value in
            (("source", source), ("category_list", category), ("year", year)) if value]
    if date_from or date_to:
        sets.append(date_docs(ctx, date_from, date_to))
    if not sets:
        return None
    found = sets[0]
    for other in sets[1:]:
        found = docsets.intersect(found, other, ctx.size)
    return found


def facets(ctx: SearchContext, docs: np.ndarray) -> dict[str, list[tuple[str, int]]]:
    """Counts per value of each facet over ``docs``; years newest first, others by count."""
    out = {}
    for name, column in FACET_COLUMNS.items():
        codes, values = ctx.view.codes(column)
        counts = np.bincount(codes[docs], minlength=len(values))
        found: dict[str, int] = {}
        for code in np.flatnonzero(counts).tolist():
            for value in values[code].split("|") if column == "category_list" else [values[code]]:
                if value:
                    found[value] = found.get(value, 0) + int(counts[code])
        if name == "year":
            out[name] = sorted(found.items(), reverse=True)
        else:
            out[name] = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    return out


def suggest(ctx: SearchContext, prefix: str) -> list[str]:
    """Titles containing the prefix (those starting with it first), then indexed words."""
    key = normalize(prefix).strip()
    grams = phrase_grams(key)
    if not key or not grams:
        return []
    view = ctx.view
    docs = None
    for gram in sorted(set(grams), key=lambda g: view.doc_frequency("title_chars", g)):
        found = view.postings("title_chars", gram).docs
        docs = found if docs is None else docsets.intersect(docs, found, ctx.size)
    starts, contains = [], []
    for doc in (docs if docs is not None else docsets.EMPTY)[:_SUGGEST_CANDIDATES].tolist():
        title = view.stored(doc).get("title") or ""
        norm = normalize(title)
        if key in norm:
            (starts if norm.startswith(key) else contains).append(title)
    found = list(dict.fromkeys(starts + contains))[:SUGGEST_LIMIT]
    for word in view.expand_prefix("title", key, SUGGEST_LIMIT * 2):
        if len(found) >= SUGGEST_LIMIT:
            break
        if word != key and word not in found:
            found.append(word)
    return found
