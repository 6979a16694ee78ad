"""Abbreviations documents define (（以下简称X）), on sentences and files of the shared corpus."""

from __future__ import annotations

import pytest

from indexer.analysis.abbreviations import (
    CommonAbbreviation,
    common_abbreviations,
    find_abbreviations,
    synonym_lines,
)
from indexer.sources.files import read_articles
from searchapp.engine.synonyms import parse_rules
from tests.support import CORPUS, DATA

LAWS = DATA / "abbreviations" / "lawrefbook-laws" / "行政法规"


@pytest.mark.parametrize("sentence, pairs", [
    # The shortest end of the clause spelling the short form in order.
    ("第一条 为了规范私募投资基金（以下简称私募基金）业务活动，保护投资者以及相关当事人的合法权益",
     [("私募基金", "私募投资基金")]),
    ("第二条 本条例所称的科学技术普及（以下简称科普），是指国家机关、人民团体、企业事业单位",
     [("科普", "科学技术普及")]),
    ("第二条 本条例所称节约用水（以下简称节水），是指通过加强用水管理、转变用水方式",
     [("节水", "节约用水")]),
    ("第六条 国务院对外经济贸易主管部门(以下简称国务院外经贸主管部门)依照对外贸易法和本条例的规定",
     [("国务院外经贸主管部门", "国务院对外经济贸易主管部门")]),
    # Quotes around the short form; a full term that is one word.
    ("中国证券监督管理委员会(以下简称“证监会”)是证券委的监督管理执行机构",
     [("证监会", "中国证券监督管理委员会")]),
    # Widened over the national prefix the short form drops.
    ("第六条 国家市场监督管理总局（以下简称市场监管总局）负责指导协调、监督管理全国家用汽车产品三包工作",
     [("市场监管总局", "国家市场监督管理总局")]),
    # Widened to the whole word the first character sits in (城市绿地).
    ("划定城市绿地控制线（以下简称绿线），经依法批准后向社会公布", [("绿线", "城市绿地控制线")]),
    # Not widened over a particle (适用于市…) or a place name (上海市…).
    ("第二条 本条例适用于市人民代表大会常务委员会（以下简称市人大常委会）对市总预算执行的监督",
     [("市人大常委会", "市人民代表大会常务委员会")]),
    ("上海市工商行政管理局(以下简称市工商局)", [("市工商局", "市工商行政管理局")]),
    # A titled full term; 以下称 as well as 以下简称.
    ("第一条 根据《中华人民共和国专利法》（以下简称专利法），制定本细则",
     [("专利法", "中华人民共和国专利法")]),
    ("第一条 根据《中华人民共和国国境卫生检疫法》(以下称《国境卫生检疫法》)的规定，制定本细则",
     [("国境卫生检疫法", "中华人民共和国国境卫生检疫法")]),
    # Not widened over the name of the place either: 风景区 for any 风景名胜区.
    ("第二条 沙澧河风景名胜区（以下简称风景区）的规划、建设、保护、利用和管理,适用本条例",
     [("风景区", "风景名胜区")]),
    # Contained in the full term: kept when only a national prefix is dropped, from a short
    # form of more than two characters (海关 is too common a word to stand for one name).
    ("第二条 军队药品监督管理工作，由中国人民解放军总后勤部(以下简称总后勤部)卫生部负责",
     [("总后勤部", "中国人民解放军总后勤部")]),
    ("第三条 中华人民共和国港务监督机构(以下简称港务监督机构)、中华人民共和国海关(以下简称海关)、",
     [("港务监督机构", "中华人民共和国港务监督机构")]),
])
def test_find_abbreviations_recovers_the_full_term(sentence, pairs):
    assert find_abbreviations(sentence) == pairs


@pytest.mark.parametrize("sentence", [
    # "This regulation": generic.
    "第一条 根据《中华人民共和国市场主体登记管理条例》（以下简称《条例》）等有关法律法规，制定本实施细则",
    # The document's own referent, contained in the full term.
    "第五条 国家自然科学基金资助项目（以下简称基金资助项目），应当推动基础研究自由探索",
    # A description, not a name.
    "第四条 从事使用有毒物品作业的用人单位(以下简称用人单位)应当使用符合国家标准的有毒物品",
    "第二条 在长江宜宾以下干流河道内从事开采砂石(以下简称长江采砂)及其管理活动的，应当遵守本条例",
    # A label whose characters are not in the text before it.
    "第二条 凡在银行和其他金融机构(以下简称开户银行)开立账户的机关",
    "国务院认证认可监督管理部门授权的县级以上地方人民政府市场监督管理部门，以下称地方认证监督管理部门。",
    # The last item of a list; a collective name (统称); alternatives.
    "国家有权依法对机关、社会团体、企业、事业单位和公民个人(以下简称单位和个人)所拥有或者管理的民用运载工具",
    "第三条 机关、团体、企业、事业单位和民办非企业单位(以下统称用人单位)应当依照有关法律",
    "第十一条 企业、事业单位、机关、团体、部队等主办或者扶持单位(简称主办或者扶持单位，下同)对所主办",
])
def test_find_abbreviations_skips_what_is_not_an_abbreviation(sentence):
    assert find_abbreviations(sentence) == []


def test_find_abbreviations_returns_normalised_forms_once_each():
    text = "中國證券監督管理委員會(以下簡稱“證監會”)……中国证券监督管理委员会（以下简称证监会）"
    assert find_abbreviations(text) == [("证监会", "中国证券监督管理委员会")]


def test_find_abbreviations_without_parentheses():
    # The comma form of the definition, on the same real name as above.
    assert find_abbreviations("中国证券监督管理委员会，以下简称证监会，依法") == [
        ("证监会", "中国证券监督管理委员会")]


def _file_pairs(path):
    article = read_articles(path, path.name)[0]
    return find_abbreviations(article.title + "\n" + article.body)


def test_find_abbreviations_in_whole_laws():
    assert _file_pairs(LAWS / "印花税暂行条例(2011-01-08).md") == [
        ("纳税人", "纳税义务人"), ("贴花", "贴足印花税票")]
    assert _file_pairs(LAWS / "国务院关于通用航空管理的暂行规定(2014-07-29).md") == [
        ("民航局", "中国民用航空局")]
    assert _file_pairs(CORPUS / "lawrefbook-laws" / "行政法规" / "个人所得税法实施条例(2018-12-18).md") == [
        ("个人所得税法", "中华人民共和国个人所得税法")]


def test_common_abbreviations_keeps_pairs_defined_in_two_documents():
    documents = [_file_pairs(path) for path in sorted(LAWS.glob("*.md"))]
    assert common_abbreviations(documents) == [CommonAbbreviation("纳税人", "纳税义务人", 2)]
    assert len(common_abbreviations(documents, min_documents=1)) == 3


def test_common_abbreviations_counts_a_document_once():
    documents = [[("科普", "科学技术普及"), ("科普", "科学技术普及")], [("节水", "节约用水")]]
    assert common_abbreviations(documents) == []


def test_common_abbreviations_drops_a_short_form_defined_as_unrelated_terms():
    one, other = ("联席会议", "国务院职业教育工作部际联席会议"), ("联席会议", "处置非法集资部际联席会议")
    documents = [[one], [one], [other]]
    assert common_abbreviations(documents) == []


def test_common_abbreviations_keeps_full_terms_that_differ_by_a_leading_part():
    documents = [[("市场监管总局", "国家市场监督管理总局")], [("市场监管总局", "国家市场监督管理总局")],
                 [("市场监管总局", "市场监督管理总局")]]
    assert common_abbreviations(documents) == [CommonAbbreviation("市场监管总局", "国家市场监督管理总局", 2)]


def test_synonym_lines_are_one_way_rules_of_the_synonym_file():
    common = [CommonAbbreviation("证监会", "中国证券监督管理委员会", 3),
              CommonAbbreviation("市场监管总局", "国家市场监督管理总局", 2),
              CommonAbbreviation("中国证监会", "中国证券监督管理委员会", 2),
              CommonAbbreviation("市场监管总局", "市场监督管理总局", 2)]
    lines = synonym_lines(common)
    assert lines == ["证监会 => 中国证券监督管理委员会",
                     "市场监管总局 => 国家市场监督管理总局, 市场监督管理总局",
                     "中国证监会 => 中国证券监督管理委员会"]
    assert parse_rules("\n".join(lines))[1] == (
        ["市场监管总局"], ["市场监管总局", "国家市场监督管理总局", "市场监督管理总局"])
