"""Index files inside compound segments are read in place, not copied."""

import pickle

from indexer.storage.generations import open_current
from indexer.storage.mapped import MappedBufferFile


def test_segment_files_are_read_in_place(index_dir):
    ix, _ = open_current(index_dir)
    with ix.reader() as reader:
        for segment, _ in reader.leaf_readers():
            assert isinstance(segment._terms._dbfile, MappedBufferFile)
            assert isinstance(segment._terms._postfile, MappedBufferFile)


def test_reads_and_pickles_from_a_view():
    big = {"x": list(range(5000))}               # longer than one read_pickle chunk
    data = b"\x00\x00\x00\x07" + pickle.dumps(("head", 1), 2) + pickle.dumps(big, 2) + b"tail"
    f = MappedBufferFile(memoryview(data))
    assert f.read_int() == 7
    assert f.read_pickle() == ("head", 1)
    assert f.read_pickle() == big
    assert f.read(4) == b"tail" and f.read(4) == b""
    f.seek(0)
    assert f.get(4, 2) == data[4:6] and f.tell() == 0
    sub = f.subset(len(data) - 4, 4)
    assert sub.read() == b"tail"
