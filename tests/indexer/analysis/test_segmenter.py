"""rjieba (when installed) must give exactly jieba's words: jieba is the reference."""

from pathlib import Path

import pytest

from indexer.analysis.normalize import normalize
from indexer.analysis.segmenter import jieba_segment, segment, segmenter, short_words, using_rjieba
from indexer.sources.files import read_articles
from indexer.sources.scan import scan
from tests.support import SAMPLE  # noqa: E402


@pytest.mark.skipif(not using_rjieba(), reason="rjieba is not installed: jieba is used")
@pytest.mark.slow
def test_rjieba_gives_jieba_words_on_the_whole_sample_corpus():
    texts = [a.title + "\n" + a.body for f in scan([SAMPLE], []) for a in
             read_articles(Path(f.abs_path), f.path)]
    assert len(texts) > 150
    for text in texts:
        norm = normalize(text)
        assert segment(norm) == jieba_segment(norm)


@pytest.mark.parametrize(("text", "expected"), [
    ("r-160.000", ["r", "-", "160.000"]),
    ("第1.2.1条", ["第", "1.2", ".", "1", "条"]),
    ("新质生产力和放管服", ["新质生产力", "和", "放管服"]),
    ("gpt-4o模型", None),
])
def test_segment_matches_jieba_on_latin_runs_and_policy_terms(text, expected):
    assert segment(text) == jieba_segment(text)
    if expected:
        assert segment(text) == expected


def test_short_words_are_the_dictionary_words_of_two_to_four_characters():
    expected = {w for w, freq in segmenter().FREQ.items() if freq and 2 <= len(w) <= 4}
    assert short_words() == expected
    assert {"办公", "国务院", "碳中和", "双随机", "道路交通"} <= short_words()   # jieba's, then ours
