"""Facet counts: several facets counted in one pass give each facet's own counts."""

import numpy as np
import pytest

from searchapp.engine import filters
from searchapp.engine.filters import FACETS, all_counts, counts
from tests.support import open_context


@pytest.mark.parametrize("bins", [1, 64, filters.JOINT_BINS])
def test_facets_counted_together_equal_each_counted_alone(metadata_index_dir, bins, monkeypatch):
    monkeypatch.setattr(filters, "JOINT_BINS", bins)      # before the context groups them
    rng = np.random.default_rng(bins)
    with open_context(metadata_index_dir) as ctx:
        for share in (0.2, 0.6, 1.0):
            docs = np.flatnonzero(rng.random(ctx.size) < share)
            together = all_counts(ctx, FACETS, docs)
            assert together == {name: counts(ctx, name, docs) for name in FACETS}
            some = ["year", "level", "source"]
            assert all_counts(ctx, some, docs) == {name: together[name] for name in some}
        assert dict(all_counts(ctx, ["level"], ctx.all_docs())["level"])["行政法规"] >= 2
