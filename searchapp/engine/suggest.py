"""Suggestions as the user types: titles containing what was typed, then indexed words."""

from __future__ import annotations

from indexer.analysis.normalize import normalize
from indexer.analysis.tokens import phrase_grams
from searchapp.engine import docsets
from searchapp.engine.context import SearchContext

SUGGEST_LIMIT = 8
_SUGGEST_CANDIDATES = 400


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
