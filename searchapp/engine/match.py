"""Matching: the documents a search's plan matches, after its filters, counted for facets.

For the reading as typed (and for a corrected reading, when the query has a slip): the
documents matching the whole query, one entry per version chain and per group of copies
(``relations.py``); then the reading shown. A correction exists only for a token no document
holds as typed (``spelling.py``), so what the query as typed finds are its words
scattered: the correction is shown when it finds as many documents, else offered
(``did_you_mean``). Then the partial matches of the reading shown (``partial.py``) and the
facet counts of the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from searchapp.engine import docsets
from searchapp.engine.context import SearchContext
from searchapp.engine.deadline import Deadline, TimedOut
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.filters import FACETS, all_counts, combined, counts, filter_sets
from searchapp.engine.partial import Partials, partial_matches
from searchapp.engine.plan import Every, Reading
from searchapp.engine.rank import official


@dataclass
class Matched:
    """What matching found for one search."""

    reading: Reading                  # the reading shown
    docs: np.ndarray                  # its full matches (one per entry), ascending
    partials: Partials | None
    fallback: bool                    # no full match: the partial matches are the result
    corrected: bool = False           # the reading shown is the corrected one
    offer_correction: bool = False    # as typed is shown, the correction offered
    best_match: bool = False          # the partial matches hold the full ones, ranked together
    facets: dict | None = None


def match(ctx: SearchContext, params, readings: tuple[Reading, Reading | None],
          deadline: Deadline) -> Matched:
    """Match the readings of a search (:raises TimedOut: at the deadline)."""
    evaluator = Evaluator(ctx, deadline)
    filters = filter_sets(ctx, params)
    within = combined(filters, ctx.size)
    typed, corrected = readings
    shown = _Shown(ctx, params.all_versions)
    reading, docs = typed, shown(evaluator.docs(typed.query or Every(), within))
    chosen = offered = False
    if corrected is not None:
        try:
            other = shown(evaluator.docs(corrected.query or Every(), within))
        except TimedOut:
            other = None          # the result as typed stands
        if other is not None and len(other):
            # The token as typed is in no document: what it finds are its words scattered.
            # The correction is shown when it finds as much; else offered (a name the
            # index does not know may sound like a word it does).
            if len(other) >= len(docs):
                reading, docs, chosen = corrected, other, True
            else:
                offered = True
    best = reading.best_match and params.sort == "relevance"
    partials = _partials(evaluator, reading, docs, within, shown, best)
    fallback = partials is not None and not len(docs) and bool(len(partials))
    found = Matched(reading, docs, partials, fallback, chosen, offered, best_match=best)
    found.facets = _facets(ctx, evaluator, params, reading.query or Every(), filters,
                           partials.docs if fallback else docs, shown, fallback)
    return found


def _partials(evaluator: Evaluator, reading: Reading, docs: np.ndarray, within,
              shown, best_match: bool) -> Partials | None:
    """The documents lacking a part; for a best match, every document with any part, the
    full matches among them."""
    if not reading.parts:
        return None
    if reading.restriction is not None:      # the query's exclusions, scopes and dates
        within = evaluator.docs(reading.restriction, within)
    full = docsets.EMPTY if best_match else docs
    partials = partial_matches(evaluator, reading.parts, full, within,
                               any_part=best_match or not len(docs), meaningful=reading.meaningful,
                               official=official(evaluator.ctx) if best_match else None)
    if partials is not None:
        partials.keep(shown(partials.docs, besides=full))
    return partials


class _Shown:
    """The documents a result lists (ascending): one per version chain (its newest that
    matches) and one per duplicate group, unless every version is asked for; none whose
    entry is already shown ``besides`` (the full matches, for the partial ones)."""

    def __init__(self, ctx: SearchContext, all_versions: bool):
        self.ctx = ctx
        self.all_versions = all_versions

    def __call__(self, docs: np.ndarray, besides: np.ndarray | None = None) -> np.ndarray:
        if self.all_versions or not len(docs):
            return docs
        relations = self.ctx.relations
        if besides is not None and len(besides):
            docs = relations.without_entries_of(docs, besides)
        return relations.collapse(docs, self.ctx.date_keys())


def _facets(ctx: SearchContext, evaluator: Evaluator, params, query, filters: dict,
            docs: np.ndarray, shown, fallback: bool) -> dict:
    """Facet counts over the result; a facet with chosen values counts as if its own
    choice were not made, so its other values keep their counts (OR within a facet)."""
    chosen = {name for name, (include, _) in params.filters().items() if include}
    if fallback:
        chosen = set()
    out = all_counts(ctx, [name for name in FACETS if name not in chosen], docs)
    for name in chosen:
        others = combined(filters, ctx.size, leave_out=name)
        out[name] = counts(ctx, name, shown(evaluator.docs(query, within=others)))
    return {name: out[name] for name in FACETS}
