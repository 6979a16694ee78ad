import pytest

from indexer.sources.docnum import (
    docnum_key,
    docnum_prefix,
    find_doc_number,
    find_doc_number_keys,
    find_doc_numbers,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("国发〔2019〕5号", "国发2019-5"),
        ("国发[2019]5号", "国发2019-5"),
        ("国发［２０１９］５号", "国发2019-5"),
        ("国发2019 5号", "国发2019-5"),
        ("国发 2019年 5号", "国发2019-5"),
        ("国发(2019)5号", "国发2019-5"),
        ("国发（2019）5号", "国发2019-5"),
        ("国发【2019】5号", "国发2019-5"),
        ("国发〔2019〕第5号", "国发2019-5"),
        ("国发〔2019〕05号", "国发2019-5"),
        ("  国发〔2019〕5号  ", "国发2019-5"),
        ("国办发〔2018〕128号", "国办发2018-128"),
        ("国办发明电〔2018〕15号", "国办发明电2018-15"),
        ("人薪发［1995］32号", "人薪发1995-32"),
        ("劳社部发[2008]3号", "劳社部发2008-3"),
        ("国函〔2018〕159号", "国函2018-159"),
        ("国令第707号", "国令707"),
        ("国务院令第707号", "国令707"),
        ("中华人民共和国国务院令第707号", "国令707"),
        ("国令707号", "国令707"),
        ("国令第７０７号", "国令707"),
        ("中华人民共和国国务院、中华人民共和国中央军事委员会令第598号", "国令598"),
        ("公安部令第88号", "公安部令88"),
        ("中华人民共和国公安部令第88号", "公安部令88"),
    ],
)
def test_docnum_key_makes_spellings_equal(text, expected):
    assert docnum_key(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2019年5月",
        "2019年5号",
        "第五条",
        "令第5号",
        "双随机",
        "国发",
        "国发〔2019〕",
        "国发〔2019〕5号文件",
        "根据国发〔2019〕5号",
        "国发〔19〕5号",
        "5号",
        "",
    ],
)
def test_docnum_key_rejects_non_numbers(text):
    assert docnum_key(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("国发〔2019〕5号", "国发〔2019〕5号"),
        ("（国发〔2019〕5号）", "国发〔2019〕5号"),
        ("2018年12月18日 中华人民共和国国务院令第707号第四次修订", "中华人民共和国国务院令第707号"),
        ("根据《全国年节及纪念日放假办法》（国务院令第513号）的规定", "国务院令第513号"),
        ("依据国办发〔2018〕128号文件精神", "国办发〔2018〕128号"),
        ("人力资源和社会保障部令第1号公布", "人力资源和社会保障部令第1号"),
        ("国经贸企改〔2002〕859号", "国经贸企改〔2002〕859号"),
        ("人薪发［1995］32号", "人薪发［1995］32号"),
        # The day of a date and 原 (former) are not part of the issuer; 日喀则市 is.
        ("2014年7月30日原国家食品药品监督管理总局令第4号公布的", "国家食品药品监督管理总局令第4号"),
        ("1991年3月4日中华人民共和国国务院令第76号发布", "中华人民共和国国务院令第76号"),
        ("日喀则市人民政府令第5号", "日喀则市人民政府令第5号"),
        ("2019年5月5号发布", None),
        ("第五条 本条例自公布之日起施行。", None),
    ],
)
def test_find_doc_number_returns_it_as_written(text, expected):
    assert find_doc_number(text) == expected


def test_find_doc_number_keys_deduplicates_in_order():
    header = "\n".join(
        [
            "1994年1月28日 中华人民共和国国务院令第142号发布",
            "2018年12月18日 中华人民共和国国务院令第707号第四次修订",
            "另见国令第142号",
            "根据国发〔2019〕5号文件和国办发〔2018〕128号",
        ]
    )
    assert find_doc_number_keys(header) == ["国令142", "国令707", "国发2019-5", "国办发2018-128"]


def test_every_found_number_has_a_key():
    text = "国发〔2019〕5号、国令第707号和人薪发［1995］32号"
    found = find_doc_number(text)
    assert found == "国发〔2019〕5号"
    assert docnum_key(found) == "国发2019-5"
    assert find_doc_number_keys(text) == ["国发2019-5", "国令707", "人薪发1995-32"]


def test_find_doc_numbers_gives_each_key_once_as_first_written():
    text = "国发〔2019〕5号、国发[2019]5号和国令第707号"
    assert find_doc_numbers(text) == [("国发〔2019〕5号", "国发2019-5"), ("国令第707号", "国令707")]


@pytest.mark.parametrize("typed, expected", [
    ("国发", "国发"),
    ("国发〔", "国发"),
    ("国发〔2019", "国发2019"),
    ("国发〔2019〕", "国发2019-"),
    ("国发[2019]5", "国发2019-5"),
    ("国发2019年5号", "国发2019-5"),
    ("国务院令", "国令"),
    ("国务院令第7", "国令7"),
    ("中华人民共和国国务院令第707号", "国令707"),
    ("国办发（2019）", "国办发2019-"),
])
def test_docnum_prefix_is_the_start_of_the_keys_it_completes_to(typed, expected):
    assert docnum_prefix(typed) == expected
    # Whatever the typed number completes to, its key starts with the prefix.
    if typed.endswith(("5", "5号", "707号")):
        assert docnum_key(typed if typed.endswith("号") else typed + "号").startswith(expected)


@pytest.mark.parametrize("typed", ["国", "根据国发", "2019", "按国务院令"])
def test_docnum_prefix_rejects_what_is_no_number(typed):
    assert docnum_prefix(typed) is None
