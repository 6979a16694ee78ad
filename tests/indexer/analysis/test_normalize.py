import pytest

from indexer.analysis.normalize import fold, normalize, to_simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＲＣＥＰ", "rcep"),
        ("２０２４年", "2024年"),
        ("營商環境", "营商环境"),
        ("專利代理條例", "专利代理条例"),
        ("国发〔2019〕5号", "国发〔2019〕5号"),
        ("Ａ　Ｂ", "a b"),
        ("①", "1"),
    ],
)
def test_normalize_folds_width_case_and_traditional(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("text", ["ＲＣＥＰ協定", "㎡ ﬁ ẞ İ", "發展\u3000改革", "😀營商", "ǅ"])
def test_normalize_keeps_length_so_offsets_stay_valid(text):
    assert len(normalize(text)) == len(text)
    assert len(fold(text)) == len(text)


def test_to_simplified_leaves_ascii_untouched():
    assert to_simplified("RCEP 2024") == "RCEP 2024"


@pytest.mark.parametrize(("text", "expected"), [
    ("ＡＢｃ", "abc"),
    ("HELLO world", "hello world"),
    ("Ａ\ud800Ｂ", "a\ufffdb"),                     # a lone surrogate from undecodable bytes
    ("Ｘ\U00030000", "x\U00030000"),                 # past the last character the table folds
    ("", ""),
])
def test_fold_maps_one_character_to_one(text, expected):
    assert fold(text) == expected
