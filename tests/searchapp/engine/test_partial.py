"""Partial matches on real documents: how much of a query each document covers."""

import math

import numpy as np
import pytest

from searchapp.engine import docsets
from searchapp.engine.compile import compile_plan
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.parse import parse
from searchapp.engine.partial import JUNK_WEIGHT, partial_matches
from searchapp.engine.rank import official
from searchapp.engine.understand import understand
from tests.support import open_context


@pytest.fixture(scope="module")
def ctx(query_index_dir):
    with open_context(query_index_dir) as opened:
        yield opened


def parts_of(ctx, q):
    reading = compile_plan(understand(ctx, parse(q), q), ctx.view)[0]
    return dict(zip(reading.labels, reading.parts, strict=True))


def only(partials, docs, others):
    """The weight of the partial matches holding ``docs``' part and none of ``others``."""
    alone = np.setdiff1d(docs, others)
    return set(partials.weight[np.searchsorted(partials.docs, alone)].round(9))


def test_a_word_no_official_document_says_counts_little_unless_a_title_holds_it(ctx):
    # 人群 and 记者 are each in two posts and in no official document; a post's title
    # holds 人群 (特定人群), no title holds 记者: the asker's own word, not a subject.
    parts = parts_of(ctx, "人群 记者")
    evaluator = Evaluator(ctx)
    crowd, press = (evaluator.docs(parts[w], None) for w in ("人群", "记者"))
    assert len(crowd) == len(press) == 2 and not official(ctx)[np.union1d(crowd, press)].any()
    partials = partial_matches(evaluator, list(parts.values()), docsets.EMPTY, None,
                               any_part=True, official=official(ctx))
    idf = math.log(1 + ctx.view.doc_count / 3)
    assert only(partials, crowd, press) == {round(idf, 9)}
    assert only(partials, press, crowd) == {round(idf * JUNK_WEIGHT, 9)}
    assert partials.total_weight == pytest.approx(idf * (1 + JUNK_WEIGHT))


def test_without_the_official_mask_every_word_counts_for_its_idf(ctx):
    parts = parts_of(ctx, "人群 记者")
    partials = partial_matches(Evaluator(ctx), list(parts.values()), docsets.EMPTY, None,
                               any_part=True)
    assert partials.total_weight == pytest.approx(2 * math.log(1 + ctx.view.doc_count / 3))
