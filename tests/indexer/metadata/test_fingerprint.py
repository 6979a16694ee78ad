"""Fingerprints tell copies of one text from versions and from other texts."""

from indexer.metadata.duplicates import SAME_TEXT
from indexer.metadata.fingerprint import SKETCH, fingerprint, similarity
from tests.indexer.metadata import fixtures as fx
from tests.indexer.metadata.fixtures import read


def sim(a: str, b: str) -> float:
    return similarity(fingerprint(read(a).body), fingerprint(read(b).body))


def test_copies_from_two_sources_are_near_identical():
    # The gov.cn page adds the decree's preamble and writes brackets full-width.
    assert sim(fx.PATENT_AGENCY, fx.PATENT_AGENCY_PAGE) >= SAME_TEXT
    assert sim(fx.IIT, fx.IIT_PAGE) >= SAME_TEXT


def test_versions_and_other_documents_are_not():
    assert sim(fx.ROAD["2019-03-02"], fx.ROAD["2023-07-20"]) < SAME_TEXT
    assert sim(fx.PATENT_AGENCY, fx.BUSINESS) == 0.0


def test_sketch_shape():
    sketch = fingerprint(read(fx.ROAD["2023-07-20"]).body)
    assert len(sketch) == SKETCH * 8 and similarity(sketch, sketch) == 1.0
    assert fingerprint("短句。") == "" and similarity("", "") == 0.0
