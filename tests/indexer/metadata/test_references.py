"""Mentions, versions, abolitions and document numbers in running text."""

from indexer.metadata.references import abolished, mentions, number_references


def test_mentions_with_and_without_the_prc_prefix_are_one_mention():
    text = "根据《中华人民共和国道路运输条例》和《道路运输条例》，参照《进口药品注册证》。"
    # A certificate (…证) is no document.
    assert mentions(text) == [{"title": "中华人民共和国道路运输条例", "key": "道路运输条例"}]


def test_a_mention_names_a_version():
    assert mentions("依照2022年修订的《道路运输条例》")[0]["version"] == "2022"
    assert mentions("依照《道路运输条例》（2019年修订）")[0]["version"] == "2019"
    assert mentions("2008年5月27日发布的《机动车登记规定》")[0]["version"] == "2008-05-27"
    assert mentions("《机动车登记规定》（公安部令第102号）")[0]["docnum"] == "公安部令102"


def test_own_title_is_no_mention():
    assert mentions("《专利代理条例》公布，自2019年3月1日起施行", own_key="专利代理条例") == []


def test_abolitions():
    text = ("本条例自2022年11月1日起施行。《个体工商户条例》同时废止。"
            "2012年11月9日《国务院关于修改和废止部分行政法规的决定》第一次修订。"
            "《某某办法》第十条予以废止。")
    assert abolished(text) == [{"title": "个体工商户条例", "key": "个体工商户条例"}]
    assert abolished("下列规定同时废止：1987年8月5日国务院发布的《城乡个体工商户管理暂行条例》") == [
        {"title": "城乡个体工商户管理暂行条例", "key": "城乡个体工商户管理暂行条例", "version": "1987-08-05"}]


def test_document_numbers_in_text():
    text = ("依据国办发〔1996〕2号文件。2014年7月30日原国家食品药品监督管理总局令第4号公布的办法，"
            "国发〔2019〕5号。")
    assert number_references(text, own_keys=["国发2019-5"]) == [
        {"number": "国办发〔1996〕2号", "key": "国办发1996-2"},
        {"number": "国家食品药品监督管理总局令第4号", "key": "国家食品药品监督管理总局令4"},
    ]
