"""The province table: every full name, short form and division finds its province."""

import pytest

from indexer.metadata.regions import full_name, province_of, province_of_number, provinces


def test_the_table_holds_every_province_level_division():
    assert len(provinces()) == 34
    assert provinces()[:2] == ["北京市", "天津市"]
    assert "新疆维吾尔自治区" in provinces() and "香港特别行政区" in provinces()


@pytest.mark.parametrize(("text", "province"), [
    ("东营市人民代表大会常务委员会", "山东省"),
    ("商丘市优化营商环境条例", "河南省"),
    ("上海", "上海市"),
    ("新疆", "新疆维吾尔自治区"),
    ("汕头经济特区基层医疗卫生服务条例", "广东省"),
    ("吉林市", "吉林省"),
    ("海南藏族自治州", "青海省"),          # the longest name wins over 海南
    ("海南省", "海南省"),
    ("延边朝鲜族自治州", "吉林省"),
    ("黔东南", "贵州省"),
    ("山东地方法规", "山东省"),
    ("中国（上海）自由贸易试验区条例", ""),
    ("国务院", ""),
    ("", ""),
])
def test_province_of(text, province):
    assert province_of(text) == province


def test_full_names_and_document_number_prefixes():
    assert [full_name(n) for n in ("东营", "上海", "新疆")] == ["东营市", "上海市", "新疆维吾尔自治区"]
    assert full_name("国务院") == ""
    assert (province_of_number("沪府发"), province_of_number("浙政办发")) == ("上海市", "浙江省")
    # A one-character abbreviation alone could start anything: 新闻出版署.
    assert province_of_number("新闻出版署") == province_of_number("国发") == ""
