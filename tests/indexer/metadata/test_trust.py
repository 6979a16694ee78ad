"""One real file for each kind of error a researcher would quote (issue #21), from the gold
standard's fixture folder ``tests/data/metadata-gold/corpus``."""

from __future__ import annotations

from functools import cache

import pytest

from indexer.metadata import DocMeta, describe, relate
from indexer.sources.files import read_articles
from tests.support import DATA

ROOT = DATA / "metadata-gold" / "corpus"
TODAY = "2026-12-07"
LAWS = "lawrefbook-laws/行政法规"
RULES = "lawrefbook-laws/部门规章"
ZJ = "lawrefbook-laws/DLC/浙江地方法规/地方性法规/浙江"
REPORTS = "provincial-gov-reports-2026"
GOVCN = "govcn-pages/www.gov.cn/zhengce/content"


@cache
def meta(rel: str) -> DocMeta:
    [article] = read_articles(ROOT / rel, rel)
    return describe(article)


@cache
def relations():
    metas = {}
    for file in sorted(ROOT.rglob("*")):
        if file.is_file():
            rel = file.relative_to(ROOT).as_posix()
            metas.update({a.path: describe(a) for a in read_articles(file, rel)})
    return relate(metas, today=TODAY)


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("province", "delivered", "posted"), [
    ("河北省", "2026-01-26", "2026-02-02"),        # ——2026年1月26日在河北省…会议上
    ("甘肃省", "2026-01-27", "2026-02-10"),        # ——二〇二六年一月二十七日在…
    ("广东省", "2026-01-26", "2026-01-31"),        # the line broken after 第十四届
    ("贵州省", "2026-01-27", "2026-02-02"),        # （2026年1月27日在…）
    ("青海省", "2026-01-27", "2026-01-31"),        # ――2026年1月27日 (U+2015)
    ("陕西省", "2026-01-27", "2026-02-02"),        # no dash, the governor on the same line
])
def test_a_work_report_is_dated_by_its_delivery_line(province, delivered, posted):
    rel = f"{REPORTS}/2026_{province}_政府工作报告.csv"
    [article] = read_articles(ROOT / rel, rel)
    report = describe(article)
    assert (report.date, report.published_date) == (delivered, posted)


def test_a_file_names_date_never_contradicts_the_documents_history():
    # 公布 2016-12-23 by 公告第77号, 施行 2017-03-01: the file name's 2017-01-13 is neither.
    assert meta(f"{ZJ}/杭州市法律援助条例(2017-01-13).md").date == "2016-12-23"
    # A 2019 regulation in a file named 2005: the header (2019年11月29日…通过) wins.
    henan = "lawrefbook-laws/DLC/河南地方法规/地方性法规/河南/河南省宗教事务条例(2005-07-30).md"
    assert meta(henan).date == "2019-11-29"
    # A header that stops at 2014 before the file name's 2016 revision: the file name's.
    assert meta(f"{LAWS}/个体工商户条例(2016-02-06).md").date == "2016-02-06"


def test_an_effective_date_from_a_clause_on_issue():
    # 本预案自印发之日起实施, in the attachment of a 2005 letter: its 成文日期.
    assert meta(f"{GOVCN}/2018-12/03/content_5345459.htm").effective_date == "2005-06-11"
    # 本办法自公布之日起施行 under a 国家食品药品监督管理局令 of 2004-07-08.
    assert meta(f"{RULES}/市场监督管理总局/互联网药品信息服务管理办法(2004-07-08).md").effective_date \
        == "2004-07-08"


# --- issuers and numbers ---------------------------------------------------------------------

@pytest.mark.parametrize(("rel", "source", "level"), [
    # Filed under the ministry that took over the work; its own 令 names its predecessor.
    (f"{RULES}/市场监督管理总局/互联网药品信息服务管理办法(2004-07-08).md", "国家食品药品监督管理局",
     "部门规章"),
    (f"{RULES}/市场监督管理总局/药品进口管理办法(2003-08-18).md", "国家食品药品监督管理局、海关总署",
     "部门规章"),
    # A full congress passed it; its standing committee only published it (公告第1号).
    (f"{ZJ}/丽水市制定地方性法规条例(2016-04-15).md", "丽水市人民代表大会", "地方性法规"),
    # The 国务院 approved it, the 交通部 issued it by its 令: still a 行政法规.
    (f"{LAWS}/上海航运交易所管理规定(1996-10-03).md", "交通部", "行政法规"),
    # 国务院 / 中央军委发布 over two lines: both bodies.
    (f"{LAWS}/军用标准化管理办法(1984-01-07).md", "国务院、中央军事委员会", "行政法规"),
    # A ministry's 发-series notice signed by the 劳动部, filed among the 行政法规.
    (f"{LAWS}/工资支付暂行规定(1994-12-06).md", "劳动部", "部门规范性文件"),
    # Filed under 人力资源社会保障部/; its 文号 劳社部发[2008]3号 is its predecessor's.
    (f"{RULES}/人力资源社会保障部/关于职工全年月平均工作时间和工资折算问题的通知(2009-03-29).md",
     "劳动和社会保障部", "部门规范性文件"),
])
def test_the_issuer_is_the_documents_own_before_the_folder(rel, source, level):
    assert (meta(rel).source, meta(rel).level) == (source, level)


@pytest.mark.parametrize(("rel", "number"), [
    (f"{ZJ}/杭州市城市地下管线建设管理条例(2008-12-10).md", "杭州市第十一届人民代表大会常务委员会公告第13号"),
    (f"{ZJ}/杭州市院前医疗急救管理条例(2014-10-27).md", "杭州市人民代表大会常务委员会第33号"),
    (f"{RULES}/公安部/公安机关办理行政案件程序规定(2019-04-27).md", "公安部令第149号"),   # was １４９
    (f"{RULES}/市场监督管理总局/药品进口管理办法(2003-08-18).md", "食品药品监管局、海关总署第4号令"),
    (f"{LAWS}/保安服务管理条例(2022-03-29).md", "国务院令第564号"),
])
def test_the_number_the_header_gives_in_half_width_digits(rel, number):
    assert meta(rel).doc_number == number


# --- relations -------------------------------------------------------------------------------

def test_an_abolition_of_a_regulation_named_by_its_first_issue():
    # 防范和处置非法集资条例 (2021): 1998年7月13日国务院发布的《非法金融机构和非法金融业务活动取缔办法》
    # 同时废止; the corpus holds that regulation as revised in 2011.
    old = relations().get(f"{LAWS}/非法金融机构和非法金融业务活动取缔办法(2011-01-08).md")
    new = f"{LAWS}/防范和处置非法集资条例(2021-01-26).md"
    assert (old.status, old.status_basis) == ("已废止", f"abolished by {new}")
    assert [c["id"] for c in relations().get(new).cites] == [
        f"{LAWS}/非法金融机构和非法金融业务活动取缔办法(2011-01-08).md"]


def test_an_abolition_of_titles_written_with_the_prc_prefix():
    # 《中华人民共和国中外合资经营企业法实施条例》… 同时废止: the file's title has no prefix.
    new = f"{LAWS}/外商投资法实施条例(2019-12-26).md"
    old = relations().get(f"{LAWS}/中外合资经营企业合营期限暂行规定(2011-01-08).md")
    assert (old.status, old.status_basis) == ("已废止", f"abolished by {new}")


def test_a_citation_goes_to_the_version_in_force_when_it_was_written():
    cites = [c["id"] for c in relations().get(f"{LAWS}/军人抚恤优待条例(2024-08-05).md").cites]
    # 烈士褒扬条例 of 2019 was in force on 2024-08-05; the 2024-09-27 version is later.
    assert f"{LAWS}/烈士褒扬条例(2019-08-01).md" in cites
    assert f"{LAWS}/烈士褒扬条例(2024-09-27).md" not in cites


def test_versions_with_one_text_are_two_versions():
    # The 2022 file adds the 2019 and 2022 revisions to the header of the same text.
    r = relations()
    old, new = (r.get(f"{LAWS}/进出口商品检验法实施条例({d}).md") for d in ("2019-03-02", "2022-03-29"))
    assert (new.status, new.status_basis) == ("现行有效", "newest version of a chain")
    assert (old.status, old.status_basis) == \
        ("已被修订", f"superseded by {LAWS}/进出口商品检验法实施条例(2022-03-29).md")


def test_no_status_without_a_basis():
    r = relations()
    # A 1997 State Council notice: nothing indexed says whether it is in force. A regulation
    # known from one file is the newest version of its chain: in force, on that basis.
    notice = f"{GOVCN}/2018-12/02/content_5345291.htm"
    assert (r.get(notice).status, r.get(notice).status_basis) == ("", "")
    single = f"{LAWS}/航标条例(2011-01-08).md"
    assert (r.get(single).status, r.get(single).status_basis) == ("现行有效", "newest version of a chain")
    every = [r.get(i) for i in r.status]
    assert every and all(e.status_basis for e in every if e.status)
