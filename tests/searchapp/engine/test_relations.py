"""One entry per version chain and per group of copies, on the metadata corpus's real
versions (道路运输条例 in three versions) and copies (one regulation from two sources)."""

import numpy as np
import pytest

from tests.support import open_context


@pytest.fixture(scope="module")
def ctx(metadata_index_dir):
    with open_context(metadata_index_dir) as opened:
        yield opened


def spelled_out(ctx, docs):
    """What ``collapse`` means, a document at a time."""
    relations, dates = ctx.relations, ctx.date_keys()
    present = set(docs.tolist())
    kept = [d for d in docs.tolist() if relations.representative[d] not in present]
    newest: dict[int, int] = {}
    for d in kept:
        chain = int(relations.chain[d])
        if chain and (chain not in newest or (dates[d], d) > (dates[newest[chain]], newest[chain])):
            newest[chain] = d
    return [d for d in kept if not relations.chain[d] or newest[int(relations.chain[d])] == d]


def test_the_corpus_has_chains_and_copies(ctx):
    assert (ctx.relations.chain > 0).sum() >= 3
    assert (ctx.relations.representative >= 0).sum() >= 1


@pytest.mark.parametrize("seed", range(20))
def test_collapse_keeps_the_newest_version_and_the_representative(ctx, seed):
    rng = np.random.default_rng(seed)
    docs = np.flatnonzero(rng.random(ctx.size) < rng.choice([0.3, 0.7, 1.0]))
    assert ctx.relations.collapse(docs, ctx.date_keys()).tolist() == spelled_out(ctx, docs)


def test_an_entry_shown_among_full_matches_is_not_shown_again(ctx):
    relations = ctx.relations
    chained = np.flatnonzero(relations.chain > 0)
    first, rest = chained[:1], chained[1:]
    same_chain = rest[relations.chain[rest] == relations.chain[first[0]]]
    assert len(same_chain)
    loose = np.flatnonzero((relations.chain == 0) & (relations.representative < 0))[:3]
    docs = np.sort(np.concatenate([same_chain, loose]))
    assert relations.without_entries_of(docs, first).tolist() == loose.tolist()
