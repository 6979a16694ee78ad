"""Suggestions as the user types: document numbers (国发 → 国发〔2019〕5号), titles containing
what was typed, then indexed words."""

from __future__ import annotations

from typing import NamedTuple

from indexer.analysis import normalize, phrase_grams
from indexer.vocabulary import docnum_key, docnum_order, docnum_prefix
from searchapp.engine import docsets
from searchapp.engine.context import SearchContext

SUGGEST_LIMIT = 8
_SUGGEST_CANDIDATES = 400
_NUMBER_KEYS = 5_000        # keys of one issuer looked at (an issuer's numbers of all years)
_NUMBER_HOLDERS = 5         # documents looked at for the one a number belongs to


class Suggestion(NamedTuple):
    text: str                  # what goes into the search box
    description: str = ""      # shown beside it: the title a document number belongs to


def suggest(ctx: SearchContext, prefix: str) -> list[Suggestion]:
    """Document numbers that begin as typed (newest first), titles containing it (those
    starting with it first), then indexed words."""
    key = normalize(prefix).strip()
    if not key:
        return []
    found = _numbers(ctx, prefix)
    texts = {s.text for s in found}
    for text in _titles(ctx, key) + _words(ctx, key):
        if len(found) >= SUGGEST_LIMIT:
            break
        if text not in texts:
            texts.add(text)
            found.append(Suggestion(text))
    return found


def _numbers(ctx: SearchContext, typed: str) -> list[Suggestion]:
    """Numbers of indexed documents completing a partly typed 文号, with their titles.

    The ``docnum`` field also holds numbers a document's header mentions (the regulation
    it replaces), so a number is offered only with the document that was issued under it.
    """
    start = docnum_prefix(typed)
    if not start:
        return []
    keys = ctx.view.expand_prefix("docnum", start, _NUMBER_KEYS)
    found: list[Suggestion] = []
    for key in sorted(keys, key=docnum_order, reverse=True):
        docs = ctx.view.postings("docnum", key).docs[:_NUMBER_HOLDERS].tolist()
        for doc in docs:
            stored = ctx.view.stored(doc)
            number = stored.get("doc_number") or ""
            if number and docnum_key(number) == key:
                found.append(Suggestion(number, stored.get("title") or ""))
                break
        if len(found) >= SUGGEST_LIMIT:
            break
    return found


def _titles(ctx: SearchContext, key: str) -> list[str]:
    grams = phrase_grams(key)
    if not grams:
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
    return list(dict.fromkeys(starts + contains))[:SUGGEST_LIMIT]


def _words(ctx: SearchContext, key: str) -> list[str]:
    if not phrase_grams(key):
        return []
    return [w for w in ctx.view.expand_prefix("title", key, SUGGEST_LIMIT * 2) if w != key]
