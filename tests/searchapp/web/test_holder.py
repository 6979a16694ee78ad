"""The index a worker holds: reopened after a reindex, kept from the cyclic collector, and the
replaced one freed."""

import gc
import weakref

import pytest

from indexer.build.pipeline import build_index
from searchapp.web.holder import IndexHolder
from tests.support import CORPUS


@pytest.fixture()
def unfrozen():
    yield
    gc.unfreeze()


def test_the_open_index_is_out_of_the_collectors_sight_and_a_replaced_one_is_freed(
        tmp_path, unfrozen):
    build_index([CORPUS], tmp_path / "ix", workers=1)
    holder = IndexHolder(tmp_path / "ix", refresh_seconds=0)
    first = holder.context()
    # Frozen: a full collection no longer walks the index's objects.
    assert gc.get_freeze_count() > 0
    assert not any(o is first for o in gc.get_objects())
    total, generation = first.view.doc_count, first.generation.name

    # A full reindex (a new generation): the next request gets a new context, and the old
    # one is freed although it was frozen.
    build_index([CORPUS], tmp_path / "ix", workers=1, full=True)
    gone = weakref.ref(first)
    del first
    second = holder.context()
    assert second.generation.name != generation and second.view.doc_count == total
    assert gone() is None
    assert not any(o is second for o in gc.get_objects())
    holder.close()
