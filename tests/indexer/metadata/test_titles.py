"""文种 from titles, and the keys that join spellings and versions of a title."""

import pytest

from indexer.metadata.titles import chain_key, doc_type, strip_version, title_key


@pytest.mark.parametrize(("title", "expected"), [
    ("国务院关于修改〈价格违法行为行政处罚规定〉的决定", "决定"),
    ("国务院关于印发个人所得税专项附加扣除暂行办法的通知", "通知"),
    ("国务院关于印发《国务院工作规则》的通知", "通知"),
    ("中华人民共和国个人所得税法", "法"),
    ("中华人民共和国民法典", "法"),
    ("专利法实施细则", "细则"),
    ("中华人民共和国市场主体登记管理条例实施细则", "细则"),
    ("北京市实施《中华人民共和国城市居民委员会组织法》办法", "办法"),
    ("2026年河北省政府工作报告", "报告"),
    ("国务院办公厅转发国家地震局关于1997年地震趋势和加强防震减灾工作意见报告的通知", "通知"),
    ("国务院关于同意建立国务院职业教育工作部际联席会议制度的批复", "批复"),
    ("国务院办公厅关于黄金经济政策有关问题的复函", "函"),
    ("国务院关于在我国统一实行法定计量单位的命令", "命令"),
    ("中华人民共和国国务院令第706号", "命令"),
    ("医疗机构制剂配制质量管理规范（试行）", "规范"),
    ("道路运输条例(2019修订)", "条例"),
    ("国务院印发《关于推进政务新媒体健康有序发展的意见》", ""),    # a headline
    ("31省份新增本土确诊110例，其中河南87例、天津10例", ""),
    ("执法", ""),
    ("如何看待新的工作方法", ""),
])
def test_doc_type(title, expected):
    assert doc_type(title) == expected


@pytest.mark.parametrize(("title", "stripped"), [
    ("道路运输条例(2019修订)", "道路运输条例"),
    ("道路运输条例（2019年修订）", "道路运输条例"),
    ("个人所得税法实施条例（2018年修正本）", "个人所得税法实施条例"),
    ("某某条例（2019年3月第二次修正）", "某某条例"),
    ("处方药与非处方药分类管理办法（试行）", "处方药与非处方药分类管理办法（试行）"),
])
def test_version_notes_are_not_part_of_the_name(title, stripped):
    assert strip_version(title) == stripped


def test_keys():
    assert chain_key("中华人民共和国道路运输条例") == "道路运输条例"
    assert chain_key("道路运输条例（2019年修订）") == "道路运输条例"
    assert title_key("國務院關於 修改〈價格〉的決定") == "国务院关于修改价格的决定"
    # The prefix alone is a title of its own.
    assert chain_key("中华人民共和国") == "中华人民共和国"
