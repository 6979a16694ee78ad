"""Ranking: the first page found with bounds equals the first page of scoring every match,
while positions are read for fewer documents."""

import numpy as np
import pytest

from searchapp.engine import rank
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.plan import Bonus, Or, Phrase, Term
from searchapp.engine.rank import Ranker, prior
from tests.support import open_context, plan_of


@pytest.fixture(scope="module")
def ctx(metadata_index_dir):
    with open_context(metadata_index_dir) as opened:
        yield opened


def every_score(ctx, query, docs, limit, factors=None, share=None):
    scores = Ranker(ctx, docs, prior=factors, factor=share).scores(query)
    order = rank.top(scores, docs, limit)
    return docs[order].tolist(), scores[order].tolist()


@pytest.mark.parametrize("q", ["管理办法", "营商环境", "条例", "服务", '"人民政府"', "发展 规划",
                               "国务院 管理", "实施 办法"])
@pytest.mark.parametrize("limit", [1, 2, 5])
@pytest.mark.parametrize("with_prior", [False, True])
def test_the_best_are_those_of_scoring_every_match(ctx, q, limit, with_prior, monkeypatch):
    monkeypatch.setattr(rank, "EXHAUSTIVE", 0)        # bound even the fixture's few matches
    monkeypatch.setattr(rank, "PROBE", 2)
    query = plan_of(ctx, q)
    docs = Evaluator(ctx).docs(query)
    assert len(docs) > limit, q
    factors = prior(ctx) if with_prior else None
    share = np.linspace(0.5, 1.0, ctx.size) if with_prior else None    # as partial matches'
    order, scores = Ranker(ctx, docs, prior=factors, factor=share).best(query, limit)
    assert (docs[order].tolist(), scores.tolist()) == \
        every_score(ctx, query, docs, limit, factors, share)


def test_documents_that_cannot_reach_the_page_are_not_checked_for_phrases(ctx, monkeypatch):
    monkeypatch.setattr(rank, "EXHAUSTIVE", 0)
    monkeypatch.setattr(rank, "PROBE", 4)
    query = plan_of(ctx, "管理办法")
    docs = Evaluator(ctx).docs(query)
    checked = []
    ranker = Ranker(ctx, docs)
    matched = ranker.evaluator.docs
    ranker.evaluator.docs = lambda node, within=None: checked.append(len(within)) or matched(node, within)
    order, _ = ranker.best(query, 1)
    assert len(order) == 1
    # The last part is settled only for the documents still in reach of the first place.
    assert checked[-1] < len(docs), (checked, len(docs))


def test_top_keeps_ties_in_document_order():
    keys = np.array([1.0, 3.0, 3.0, 2.0, 3.0])
    docs = np.array([10, 11, 12, 13, 14])
    assert rank.top(keys, docs, 2).tolist() == [1, 2]
    assert rank.top(keys, -docs, 2).tolist() == [4, 2]


def test_a_negative_boost_turns_the_bounds(ctx, monkeypatch):
    monkeypatch.setattr(rank, "EXHAUSTIVE", 0)
    monkeypatch.setattr(rank, "PROBE", 2)
    bonus = Bonus(Phrase("content", ("管理", "办法")), 20.0)
    query = Or((Term("content", "管理"), Or((Term("content", "办法"), bonus), boost=-1.0)))
    docs = Evaluator(ctx).docs(query)
    assert len(docs) > 3
    order, scores = Ranker(ctx, docs).best(query, 3)
    assert (docs[order].tolist(), scores.tolist()) == every_score(ctx, query, docs, 3)
