"""One spelling per issuing body."""

import pytest

from indexer.metadata.issuers import bodies, normalise_source


@pytest.mark.parametrize(("source", "level", "expected"), [
    ("上海", "地方性法规", "上海市人民代表大会常务委员会"),
    ("上海市", "地方性法规", "上海市人民代表大会常务委员会"),
    ("上海市人民代表大会常务委员会", "地方性法规", "上海市人民代表大会常务委员会"),
    ("上海市人大常委会", "地方性法规", "上海市人民代表大会常务委员会"),
    ("河北省", "工作报告", "河北省人民政府"),
    ("浙江省政府", "地方规范性文件", "浙江省人民政府"),
    ("中华人民共和国公安部", "部门规章", "公安部"),
    ("人力资源社会保障部", "部门规范性文件", "人力资源和社会保障部"),
    ("市场监督管理总局", "部门规章", "国家市场监督管理总局"),
    ("国务院办公厅、中央军委办公厅", "国务院规范性文件", "国务院办公厅、中央军事委员会办公厅"),
    ("ZAKER", "新闻", "ZAKER"),
    ("", "", ""),
])
def test_normalise_source(source, level, expected):
    assert normalise_source(source, level) == expected


def test_joint_issuers_keep_their_order():
    assert bodies("国务院、中央军委") == ["国务院", "中央军事委员会"]
