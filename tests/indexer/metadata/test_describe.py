"""describe(): the metadata of one real document, exactly."""

import json

import pytest

from indexer.metadata import INDEX_FIELDS, DocMeta, describe
from tests.indexer.metadata import fixtures as fx
from tests.indexer.metadata.fixtures import meta, read


def fields(rel: str, *names: str) -> tuple:
    found = meta(rel)
    return tuple(getattr(found, name) for name in names)


KIND = ("doc_type", "level", "region", "source")


@pytest.mark.parametrize(("rel", "expected"), [
    # The cases: a 部门规章, a local regulation, a 国发 意见, a provincial report.
    (fx.STATE_SECURITY, ("办法", "部门规章", "中央", "国家安全部")),
    (fx.DONGYING, ("条例", "地方性法规", "山东省", "东营市人民代表大会常务委员会")),
    (fx.GUOFA_2019_5, ("意见", "国务院规范性文件", "中央", "国务院")),
    (fx.HEBEI, ("报告", "工作报告", "河北省", "河北省人民政府")),
    (fx.PATENT_AGENCY, ("条例", "行政法规", "中央", "国务院")),
    (fx.PATENT_AGENCY_PAGE, ("条例", "行政法规", "中央", "国务院")),
    (fx.GUOBAN_1997_2, ("通知", "国务院规范性文件", "中央", "国务院办公厅")),
    (fx.SHANGHAI_BUSINESS, ("条例", "地方性法规", "上海市", "上海市人民代表大会常务委员会")),
    (fx.SHANGQIU_BUSINESS, ("条例", "地方性法规", "河南省", "商丘市人民代表大会常务委员会")),
    # Filed under 行政法规/ by the collection, but passed by a ministry's own meeting: it
    # was shown as a 行政法规 of 国务院.
    (fx.ALGORITHMS, ("规定", "部门规章", "中央", "国家互联网信息办公室")),
    # A 通知 in 部门规章/ that is no decree, filed under 人力资源社会保障部/ but issued by the
    # ministry whose work that one took over: its own 文号 劳社部发[2008]3号 says so.
    (fx.MOHRSS, ("通知", "部门规范性文件", "中央", "劳动和社会保障部")),
    # News: no 文种 and no region, whatever the headline ends with.
    (fx.SEED, ("", "新闻", "", "ZAKER")),
])
def test_type_level_region_and_source(rel, expected):
    assert fields(rel, *KIND) == expected


def test_patent_agency_regulation_has_its_history_and_effective_date():
    found = meta(fx.PATENT_AGENCY)
    assert found.effective_date == "2019-03-01"
    assert found.history == [
        {"date": "1991-03-04", "event": "公布"},
        {"date": "2018-09-06", "event": "修订"},
        {"date": "2018-11-06", "event": "公布"},
        {"date": "2019-03-01", "event": "施行"},
    ]
    assert (found.date, found.number_key) == ("2018-11-06", "国令706")
    assert found.number_keys == ["国令706", "国令76"]


def test_page_of_the_same_regulation_reads_the_history_line_under_its_title():
    found = meta(fx.PATENT_AGENCY_PAGE)
    assert found.history == [{"date": "1991-03-04", "event": "公布"}, {"date": "2018-09-06", "event": "修订"}]
    # From the decree's preamble: 自2019年3月1日起施行.
    assert found.effective_date == "2019-03-01"


@pytest.mark.parametrize(("rel", "dates"), [
    # gov.cn re-posted it in 2018; the document is of 1997.
    (fx.GUOBAN_1997_2, ("1997-02-04", "2018-12-02")),
    (fx.GUOFA_2019_5, ("2019-01-27", "2019-02-15")),
    # Thu, 08 Sep 2022 23:55:00 GMT is 07:55 on the 9th in China; the 发布日期 is the day
    # the feed gives.
    (fx.SEED, ("2022-09-09", "2022-09-08")),
    # A version's date is its latest revision; a file gives no 发布日期.
    (fx.ROAD["2023-07-20"], ("2023-07-20", "")),
    # A report is dated by its delivery line (——2026年1月26日在河北省…会议上), not re-posting.
    (fx.HEBEI, ("2026-01-26", "2026-02-02")),
])
def test_own_date_and_published_date(rel, dates):
    assert fields(rel, "date", "published_date") == dates


def test_a_revised_text_keeps_its_first_effective_date_out():
    # 本条例自2004年7月1日起施行 is the first version's, not the 2023 one's.
    assert meta(fx.ROAD["2023-07-20"]).effective_date == ""
    assert meta(fx.IIT).effective_date == "2019-01-01"


@pytest.mark.parametrize(("rel", "expected"), [
    (fx.SEED, ["新媒体"]),                      # not the outlet (ZAKER) nor its channel (source)
    (fx.GUOFA_2019_5, ["市场监管、安全生产监管", "工商"]),
    (fx.DONGYING, []),                          # folders give level and region, not topics
])
def test_categories_are_the_sources_own_topics(rel, expected):
    assert meta(rel).categories == expected


def test_keys_for_versions_and_duplicates():
    assert meta(fx.ROAD["2019-03-02"]).chain_key == meta(fx.ROAD["2023-07-20"]).chain_key == "道路运输条例"
    assert meta(fx.IIT).chain_key == meta(fx.IIT_PAGE).chain_key == "个人所得税法实施条例"
    assert meta(fx.ROAD["2019-03-02"]).title_key == "中华人民共和国道路运输条例"
    assert len(meta(fx.ROAD["2023-07-20"]).fingerprint) == 16 * 8


def test_mentions_of_the_national_regulation():
    assert {"title": "优化营商环境条例", "key": "优化营商环境条例"} in meta(fx.SHANGHAI_BUSINESS).mentions
    assert {"title": "优化营商环境条例", "key": "优化营商环境条例"} in meta(fx.SHANGQIU_BUSINESS).mentions
    # A regulation naming itself is no mention.
    assert all(m["key"] != "优化营商环境条例" for m in meta(fx.BUSINESS).mentions)


def test_abolitions_are_read_from_the_text():
    assert meta(fx.SELF_EMPLOYED_NEW).abolishes == [{"title": "个体工商户条例", "key": "个体工商户条例"}]
    # 1987年8月5日国务院发布的《城乡个体工商户管理暂行条例》同时废止: a dated version.
    assert meta(fx.SELF_EMPLOYED).abolishes == [
        {"title": "城乡个体工商户管理暂行条例", "key": "城乡个体工商户管理暂行条例", "version": "1987-08-05"}]


def test_document_numbers_cited_in_the_text():
    assert meta(fx.GUOBAN_1997_2).numbers == [
        {"number": "国办发〔1996〕54号", "key": "国办发1996-54"},
        {"number": "国办发〔1994〕36号", "key": "国办发1994-36"},
        {"number": "国办发〔1996〕2号", "key": "国办发1996-2"},
    ]


def test_json_round_trip_keeps_every_field():
    found = meta(fx.PATENT_AGENCY)
    data = json.loads(json.dumps(found.to_json(), ensure_ascii=False))
    assert DocMeta.from_json(data) == found
    assert "published_date" not in data               # empty fields are left out
    assert DocMeta.from_json({**data, "from_a_newer_build": 1}) == found
    assert list(found.index_fields()) == list(INDEX_FIELDS)


def test_an_unknown_document_is_described_without_guessing():
    article = read(fx.SEED)
    article.kind, article.source, article.title = "html", "", "某网站的一篇文章"
    found = describe(article)
    assert (found.doc_type, found.level, found.region, found.source) == ("", "", "", "")
