"""The metadata an official document's layout carries (GB/T 9704): 标志, 文号, 标题, 主送,
署名 and 成文日期, read by the rules of gov.cn pages."""

from __future__ import annotations

import pytest

from indexer.sources.documents.official import official_fields, title_from_file

GOVCN_ORDER = """国务院办公厅文件
国务院办公厅关于开展
城镇小区配套幼儿园治理工作的通知
国办发〔2019〕3号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
城镇小区配套建设幼儿园是城镇公共服务设施建设的重要内容。
国务院办公厅
2019年1月9日
（此件公开发布）"""

STANDARD_ORDER = """国务院办公厅文件
国办发〔2019〕3号
国务院办公厅关于开展
城镇小区配套幼儿园治理工作的通知
各省、自治区、直辖市人民政府：
正文第一段。
正文第二段写于2018年12月1日。
国务院办公厅
二〇一九年一月九日"""

LETTER = """国务院办公厅
国办函〔2004〕57号
国务院办公厅关于辽宁省在曾培炎副总理考察工作时所提问题和建议办理情况的函
辽宁省人民政府：
现将办理情况函告如下。
2004年8月12日"""

JOINT = """国务院办公厅
中央军委办公厅
关于加强对侵华日军遗弃化学武器调查和管理工作的通知
国办发〔1996〕25号
各省、自治区、直辖市人民政府：
正文。
国务院办公厅
中央军委办公厅
1996年6月29日"""

ATTACHMENT = """附件1
个人所得税专项附加扣除暂行办法
第一章 总则
第一条 根据《中华人民共和国个人所得税法》规定，制定本办法。"""


@pytest.mark.parametrize(("text", "title", "number", "source", "date"), [
    (GOVCN_ORDER, "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知", "国办发〔2019〕3号", "国务院办公厅",
     "2019-01-09"),
    (STANDARD_ORDER, "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知", "国办发〔2019〕3号",
     "国务院办公厅", "2019-01-09"),
    (LETTER, "国务院办公厅关于辽宁省在曾培炎副总理考察工作时所提问题和建议办理情况的函", "国办函〔2004〕57号",
     "国务院办公厅", "2004-08-12"),
    (JOINT, "关于加强对侵华日军遗弃化学武器调查和管理工作的通知", "国办发〔1996〕25号",
     "国务院办公厅、中央军委办公厅", "1996-06-29"),
    (ATTACHMENT, "个人所得税专项附加扣除暂行办法", "", "", None),
], ids=["govcn-order", "gbt9704-order", "letter", "joint", "attachment"])
def test_official_fields(text, title, number, source, date):
    found = official_fields(text.split("\n"))
    assert (found.title, found.doc_number, found.source, found.written_date) == (title, number, source, date)


@pytest.mark.parametrize(("own", "kept"), [
    ("Microsoft Word - 新建文档.doc", ""), ("Microsoft Word - 5360002.doc", ""), ("新建 DOCX 文档", ""),
    ("Untitled", ""), ("P020190109.pdf", ""), ("文档1", ""), ("report_final", ""),
    ("国务院关于印发个人所得税专项附加扣除暂行办法的通知", "国务院关于印发个人所得税专项附加扣除暂行办法的通知"),  # noqa: E501
])
def test_file_metadata_title_only_when_it_is_one(own, kept):
    assert title_from_file(own) == kept
