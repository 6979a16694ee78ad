"""The analyzer contract: positions, offsets, sub-words, normalisation, dictionary, stop words."""

import pytest

from indexer.analysis.normalize import normalize
from indexer.analysis.tokens import (
    CharTokenizer,
    CharTokens,
    WordTokenizer,
    WordTokens,
    char_grams,
    phrase_grams,
    words,
)
from indexer.storage.segment_writer import Vocabulary
from tests.support import encoded


def tokens(tokenizer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in tokenizer(text, positions=True, chars=True, **kwargs)]


def test_index_mode_adds_sub_words_at_the_parent_position():
    assert tokens(WordTokenizer(), "国务院办公厅关于印发通知", mode="index") == [
        ("国务院办公厅", 0, 0, 6), ("国务", 0, 0, 2), ("院办", 0, 2, 4), ("办公", 0, 3, 5),
        ("国务院", 0, 0, 3), ("办公厅", 0, 3, 6), ("印发", 2, 8, 10), ("通知", 3, 10, 12),
    ]


def test_query_mode_is_precise_words_only_with_consecutive_positions():
    assert tokens(WordTokenizer(), "国务院办公厅关于印发通知", mode="query") == [
        ("国务院办公厅", 0, 0, 6), ("印发", 2, 8, 10), ("通知", 3, 10, 12),
    ]


def test_stop_words_are_dropped_without_renumbering():
    # 关于 (position 1) is a stop word: the next word keeps position 2.
    positions = {w: p for w, p, *_ in words("国务院办公厅关于印发通知", mode="query")}
    assert positions == {"国务院办公厅": 0, "印发": 2, "通知": 3}
    assert [w for w, *_ in words("The quick fox of RCEP", mode="query")] == ["quick", "fox", "rcep"]


def test_offsets_point_into_the_original_text_after_normalisation():
    text = "ＲＣＥＰ協定生效"
    got = tokens(WordTokenizer(), text, mode="query")
    assert got == [("rcep", 0, 0, 4), ("协定", 1, 4, 6), ("生效", 2, 6, 8)]
    assert text[4:6] == "協定"


def test_start_pos_and_start_char_are_honoured():
    got = [(t.text, t.pos, t.startchar) for t in
           WordTokenizer()("通知", positions=True, chars=True, start_pos=10, start_char=100)]
    assert got == [("通知", 10, 100)]


@pytest.mark.parametrize("term", ["新质生产力", "放管服", "卡脖子", "双随机一公开", "一网通办"])
def test_policy_dictionary_keeps_terms_whole(term):
    assert [w for w, *_ in words(f"推进{term}工作", mode="query")][1] == term


def test_char_tokens_skip_punctuation_and_keep_latin_runs_whole():
    assert tokens(CharTokenizer(), "增值税，RCEP协定") == [
        ("增", 0, 0, 1), ("值", 1, 1, 2), ("税", 2, 2, 3), ("rcep", 3, 4, 8),
        ("协", 4, 8, 9), ("定", 5, 9, 10),
    ]


def test_phrase_grams_ignore_punctuation_between_characters():
    assert phrase_grams("双随机、一公开") == phrase_grams("双随机一公开") == list("双随机一公开")


@pytest.mark.parametrize("tokens, stream", [(WordTokens, words), (CharTokens, char_grams)])
def test_encoded_streams_equal_the_tokenizer_stream(tokens, stream):
    text = ("国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见。"
            "ＲＣＥＰ協定 2019年 GPT-4o 的 of 增值税 𠀋字")
    vocabulary = Vocabulary()
    numbers, positions = encoded(tokens(normalize(text)), vocabulary)
    terms = list(vocabulary)
    got = sorted((terms[n], int(p)) for n, p in zip(numbers.tolist(), positions, strict=True))
    assert got == sorted((term, pos) for term, pos, *_ in stream(text))
    assert list(positions) == sorted(positions)
