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


def _held_elsewhere(lock) -> bool:
    """Whether another thread holds ``lock`` (this one tries to take it, without waiting)."""
    import threading

    taken = []

    def attempt():
        taken.append(lock.acquire(blocking=False))
        if taken[0]:
            lock.release()

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    return not taken[0]


def test_a_request_holds_the_index_from_first_use_to_teardown(app):
    from searchapp.web.holder import get_holder, get_index

    holder = get_holder(app)
    with app.test_request_context("/search?q=税"):
        assert not _held_elsewhere(holder.lock)
        ctx = get_index()
        assert get_index() is ctx                     # one context for the whole request
        assert _held_elsewhere(holder.lock)           # a reindex switch waits for this request
    assert not _held_elsewhere(holder.lock)           # released by the teardown


def test_a_missing_index_is_released_too(tmp_path):
    from searchapp.web.app import create_app
    from searchapp.web.holder import get_holder

    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)})
    for _ in range(2):
        assert app.test_client().get("/search?q=税").status_code == 503
        assert not _held_elsewhere(get_holder(app).lock)


def test_no_view_takes_the_lock_itself():
    from tests.support import REPO

    for module in (REPO / "searchapp" / "web").glob("*.py"):
        if module.name != "holder.py":
            assert ".lock" not in module.read_text(encoding="utf-8"), module.name
