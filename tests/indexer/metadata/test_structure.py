"""articles() and compare() on the versions of 道路运输条例."""

import pytest

from indexer.metadata import articles, compare
from indexer.metadata.structure import cn_number
from tests.indexer.metadata import fixtures as fx
from tests.indexer.metadata.fixtures import read


def body(year: str) -> str:
    return read(fx.ROAD[year]).body


@pytest.mark.parametrize(("text", "value"), [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("八十二", 82), ("一百", 100),
    ("一百零二", 102), ("一百一十", 110), ("两千零一十九", 2019), ("12", 12),
])
def test_chinese_numerals(text, value):
    assert cn_number(text) == value


def test_headings_and_articles_of_a_regulation():
    parts = articles(body("2023-07-20"))
    headings = [(p.kind, p.label, p.title) for p in parts if p.kind != "条"]
    assert headings == [
        ("章", "第一章", "总则"), ("章", "第二章", "道路运输经营"), ("节", "第一节", "客运"),
        ("节", "第二节", "货运"), ("节", "第三节", "客运和货运的共同规定"),
        ("章", "第三章", "道路运输相关业务"), ("章", "第四章", "国际道路运输"),
        ("章", "第五章", "执法监督"), ("章", "第六章", "法律责任"), ("章", "第七章", "附则"),
    ]
    numbered = [p for p in parts if p.kind == "条"]
    assert [p.number for p in numbered] == list(range(1, 83))
    assert numbered[11].label == "第十二条"
    assert numbered[-1].text == "第八十二条 本条例自2004年7月1日起施行。"
    # An article keeps the lines under it: 第八条's list of conditions.
    assert numbered[7].text.split("\n")[:2] == ["第八条 申请从事客运经营的，应当具备下列条件：",
                                                "（一）有与其经营业务相适应并经检测合格的车辆；"]


def test_a_decree_preamble_is_not_part_of_the_structure():
    parts = articles(read(fx.PATENT_AGENCY_PAGE).body)
    assert [p.label for p in parts[:2]] == ["第一章", "第一条"]
    assert len([p for p in parts if p.kind == "条"]) == 32


def test_a_reference_at_the_start_of_a_line_opens_no_article():
    parts = articles("第一条 甲。\n第五条规定的事项，依照本条执行。\n第二条 乙。")
    assert [(p.label, p.text) for p in parts] == [
        ("第一条", "第一条 甲。\n第五条规定的事项，依照本条执行。"), ("第二条", "第二条 乙。")]


def test_changes_between_the_2022_and_2023_versions():
    changes = compare(body("2022-03-29"), body("2023-07-20"))
    assert [(c["kind"], c["article"], c["old_article"]) for c in changes] == [
        ("changed", "第六十三条", "第六十三条"),
        ("changed", "第六十五条", "第六十五条"),
        # One article was dropped, so the later ones moved up by one.
        ("changed", "第六十八条", "第六十九条"),
        ("removed", "第六十八条", "第六十八条"),
        ("changed", "第七十条", "第七十一条"),
        ("changed", "第七十四条", "第七十五条"),
    ]
    removed = changes[3]
    assert removed["new"] == ""
    assert removed["old"].startswith("第六十八条 违反本条例的规定，客运经营者、货运经营者不按照规定携带")
    # Renumbered articles whose text did not change (第七十二条 → 第七十一条) are not listed.
    assert "第七十一条" not in [c["article"] for c in changes]


def test_bracket_widths_alone_are_no_change():
    old = "第一条 有下列情形之一的：\n(一)甲；\n(二)乙。"
    new = "第一条 有下列情形之一的：\n（一）甲；\n（二）乙。"
    assert compare(old, new) == []


def test_an_inserted_article_is_added_without_changing_the_rest():
    old = "第一条 甲甲甲甲。\n第二条 乙乙乙乙。"
    new = "第一条 甲甲甲甲。\n第二条 丙丙丙丙。\n第三条 乙乙乙乙。"
    assert compare(old, new) == [{"article": "第二条", "kind": "added", "old_article": "",
                                  "old": "", "new": "第二条 丙丙丙丙。"}]
