"""relate(): versions, statuses, duplicates and citations over the fixture documents."""

import json
from functools import cache

from indexer.metadata import DocMeta, Relations, relate
from tests.indexer.metadata import fixtures as fx
from tests.indexer.metadata.fixtures import all_metas

TODAY = "2026-12-02"


@cache
def relations(today: str = TODAY) -> Relations:
    # Document ids are the paths here; a build uses its own ids.
    return relate(all_metas(), today=today)


def test_road_transport_regulation_is_one_chain_of_three_versions():
    r = relations()
    newest = r.get(fx.ROAD["2023-07-20"])
    assert (newest.status, newest.versions_count, newest.chain) == ("现行有效", 3, "中央/道路运输条例")
    assert newest.versions == [
        {"id": fx.ROAD["2019-03-02"], "title": "中华人民共和国道路运输条例", "date": "2019-03-02",
         "status": "已被修订"},
        {"id": fx.ROAD["2022-03-29"], "title": "中华人民共和国道路运输条例", "date": "2022-03-29",
         "status": "已被修订"},
        {"id": fx.ROAD["2023-07-20"], "title": "中华人民共和国道路运输条例", "date": "2023-07-20",
         "status": "现行有效"},
    ]
    assert r.get(fx.ROAD["2019-03-02"]).status == "已被修订"
    assert r.get(fx.ROAD["2019-03-02"]).versions == newest.versions
    assert r.chains["中央/道路运输条例"] == [fx.ROAD[y] for y in ("2019-03-02", "2022-03-29", "2023-07-20")]


def test_page_and_file_of_one_regulation_are_one_entry_listing_both_sources():
    r = relations()
    expected_sources = [
        {"id": fx.PATENT_AGENCY, "path": fx.PATENT_AGENCY, "source": "国务院"},
        {"id": fx.PATENT_AGENCY_PAGE, "path": fx.PATENT_AGENCY_PAGE, "source": "国务院"},
    ]
    for member in (fx.PATENT_AGENCY, fx.PATENT_AGENCY_PAGE):
        entry = r.get(member)
        # The file with the regulation's full history is the one shown.
        assert entry.representative == fx.PATENT_AGENCY
        assert entry.sources == expected_sources
        assert (entry.status, entry.versions_count) == ("现行有效", 1)
    assert r.duplicates == {
        fx.PATENT_AGENCY: [fx.PATENT_AGENCY, fx.PATENT_AGENCY_PAGE],
        fx.IIT: [fx.IIT, fx.IIT_PAGE],
    }


def test_versions_of_one_regulation_are_not_duplicates_though_title_and_number_agree():
    assert relations().get(fx.ROAD["2022-03-29"]).sources == []


def test_local_regulations_are_in_the_national_regulations_cited_by():
    r = relations()
    # Oldest first: 商丘's was approved (批准) on 2020-03-31, 上海's passed on 2020-04-10.
    assert r.get(fx.BUSINESS).cited_by == [
        {"id": fx.SHANGQIU_BUSINESS, "title": "商丘市优化营商环境条例"},
        {"id": fx.SHANGHAI_BUSINESS, "title": "上海市优化营商环境条例"},
    ]
    assert {"id": fx.BUSINESS, "title": "优化营商环境条例", "mention": "《优化营商环境条例》"} in \
        r.get(fx.SHANGHAI_BUSINESS).cites


def test_a_mention_by_title_and_by_number_is_one_link():
    r = relations()
    # 国办发〔1997〕2号 names 国办发〔1996〕2号 by its title and by its number.
    title = "国务院办公厅转发国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见报告的通知"
    assert r.get(fx.GUOBAN_1997_2).cites == [
        {"id": fx.GUOBAN_1996_2, "title": title, "mention": f"《{title}》"}]
    assert r.get(fx.GUOBAN_1996_2).cited_by == [{
        "id": fx.GUOBAN_1997_2,
        "title": "国务院办公厅转发国家地震局关于1997年地震趋势和加强防震减灾工作意见报告的通知",
    }]


def test_abolished_only_where_a_document_in_the_index_says_so():
    r = relations()
    # 促进个体工商户发展条例 (2022): 《个体工商户条例》同时废止.
    assert (r.get(fx.SELF_EMPLOYED).status, r.get(fx.SELF_EMPLOYED).status_basis) == \
        ("已废止", f"abolished by {fx.SELF_EMPLOYED_NEW}")
    # The new one, the only version of its chain that the index holds, abolished by nothing.
    assert (r.get(fx.SELF_EMPLOYED_NEW).status, r.get(fx.SELF_EMPLOYED_NEW).status_basis) == \
        ("现行有效", "newest version of a chain")


def test_statuses_depend_on_the_day():
    # 专利代理条例 was published on 2018-11-06 and took effect on 2019-03-01.
    assert relations("2019-02-28").get(fx.PATENT_AGENCY).status == "尚未施行"
    assert relations("2019-03-01").get(fx.PATENT_AGENCY).status == "现行有效"


def test_a_status_only_with_its_basis():
    r = relations()
    assert r.get(fx.SEED).status == r.get(fx.HEBEI).status == ""
    # Nothing indexed says a 国务院 notice of 2019 or a 国办发 of 1996 is in force (or not).
    for notice in (fx.GUOFA_2019_5, fx.GUOBAN_1996_2):
        assert (r.get(notice).status, r.get(notice).status_basis) == ("", "")
    assert (r.get(fx.PATENT_AGENCY).status, r.get(fx.PATENT_AGENCY).status_basis) == \
        ("现行有效", "newest version of a chain")
    old = r.get(fx.ROAD["2019-03-02"])
    assert (old.status, old.status_basis) == ("已被修订", f"superseded by {fx.ROAD['2022-03-29']}")
    assert relations("2019-02-28").get(fx.PATENT_AGENCY).status_basis == "effective date in the future"
    every = [r.get(i) for i in all_metas()]
    assert all(bool(e.status) == bool(e.status_basis) for e in every)


def test_citation_counts_for_the_summary():
    summary = relations().citations
    assert (summary.mentions, summary.resolved, summary.numbers, summary.numbers_resolved) == \
        (38, 4, 5, 1)
    # Cited by each of the three versions of 道路运输条例; laws (法律) are not among the fixtures.
    assert summary.top_unresolved[0] == ("中华人民共和国道路交通安全法", 3)


def test_relations_are_json():
    r = relations()
    data = json.loads(json.dumps(r.get(fx.PATENT_AGENCY).to_json(), ensure_ascii=False))
    assert set(data) == {"status", "status_basis", "chain", "versions", "versions_count",
                         "representative", "sources", "cites", "cited_by"}


def test_relations_are_computed_from_json_records_alone():
    records = {i: json.loads(json.dumps(m.to_json())) for i, m in all_metas().items()}
    again = relate({i: DocMeta.from_json(d) for i, d in records.items()}, today=TODAY)
    assert [again.get(i) for i in records] == [relations().get(i) for i in records]


def test_an_unknown_id_has_empty_relations():
    entry = relations().get("nope")
    assert (entry.status, entry.representative, entry.versions_count) == ("", "nope", 1)
