"""Everything a first search would compute about an index, computed when it is opened.

Searches derive per-document arrays from the index (dates, BM25 length norms, facet codes,
the relations' arrays, the official titles) once per open index. A server worker opens an
index when it starts and when a reindex changes it; doing that work then, not in the first
request after, keeps the first search of a user as fast as the others.
"""

from __future__ import annotations

import numpy as np

from indexer.analysis import warm_up
from indexer.schema import TEXT_FIELDS
from searchapp.engine.context import SearchContext
from searchapp.engine.evaluate import date_docs
from searchapp.engine.filters import FACETS, facet_codes
from searchapp.engine.highlight import term_pattern
from searchapp.engine.questions import question_words
from searchapp.engine.rank import norms, prior, question_prior
from searchapp.engine.spelling import sounds


def warm(ctx: SearchContext) -> SearchContext:
    _first_use()
    ctx.synonyms.expand("国")
    ctx.all_docs()
    date_docs(ctx, None, None)
    for field in TEXT_FIELDS:
        norms(ctx, field)
    for name in FACETS:
        facet_codes(ctx, name)
    sounds(ctx)
    prior(ctx)
    question_prior(ctx)
    ctx.titles()
    return ctx


def _first_use() -> None:
    """What a process builds the first time any search needs it: the segmenter's dictionary
    (already there in a server, loaded before its workers fork), the converter to
    traditional characters (highlighting matches 專 for 专), numpy's set
    routines (imported on first call)."""
    warm_up()
    question_words()
    term_pattern(("国",))
    np.unique(np.arange(3))
