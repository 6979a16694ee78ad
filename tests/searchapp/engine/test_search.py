"""search() over the real fixture index: the right documents, first, with correct metadata."""

import pytest

from searchapp.engine.search import BadParameter, SearchParams, search

GOV_5 = "govcn-pages/www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
GOV_707 = "govcn-pages/www.gov.cn/zhengce/content/2018-12/22/content_5351177.htm"
LAW_707 = "lawrefbook-laws/行政法规/个人所得税法实施条例(2018-12-18).md"
CHUNYUN = "hexo-rsshub-posts/source/_posts/新媒体/ZAKER/source/2022年春运今日开启.md"
HEBEI = "provincial-gov-reports-2026/2026_河北省_政府工作报告.csv#1"


def paths(searcher, q, **kw):
    return [h.path for h in search(searcher, SearchParams(q=q, **kw)).hits]


@pytest.mark.parametrize("q", ["国发〔2019〕5号", "国发[2019]5号", "国发［２０１９］５号", "国发2019 5号",
                               "国发 2019年 5号", "docnum:国发〔2019〕5号"])
def test_document_number_in_any_spelling_finds_it_first(searcher, q):
    assert paths(searcher, q)[0] == GOV_5


def test_the_same_regulation_from_two_sources_is_one_entry_listing_both(searcher):
    hits = search(searcher, SearchParams(q="国令第707号")).hits
    assert hits[0].path == LAW_707
    assert [s["path"] for s in hits[0].sources] == [LAW_707, GOV_707]
    assert GOV_707 not in [h.path for h in hits]
    every = paths(searcher, "国令第707号", all_versions=True)
    assert set(every[:2]) == {GOV_707, LAW_707}


def test_a_copy_is_shown_when_only_it_matches(searcher):
    # The page has categories, the file none: only the page matches, so it is shown.
    assert paths(searcher, "国令第707号", category="税务") == [GOV_707]


def test_metadata_of_a_govcn_hit(searcher):
    hit = search(searcher, SearchParams(q="国发〔2019〕5号")).hits[0]
    assert (hit.date, hit.source, hit.doc_number) == ("2019-01-27", "国务院", "国发〔2019〕5号")
    assert hit.title == "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"


def test_title_search_finds_the_document(searcher):
    assert paths(searcher, "全面推行部门联合监管的意见")[0] == GOV_5


def test_body_phrase_finds_the_document(searcher):
    assert paths(searcher, '"春运今日开启"') == [CHUNYUN]


@pytest.mark.parametrize(("q", "expected"), [
    ("个税", {LAW_707}),                         # synonym: 个人所得税
    ("專利 個人所得稅", {LAW_707}),                # traditional characters
])
def test_variants(searcher, q, expected):
    got = set(paths(searcher, q))
    assert expected <= got


def test_sub_word_finds_longer_word(searcher):
    # 所得税 is indexed as a sub-word of 个人所得税; 国务院 of 国务院办公厅 and the like.
    assert LAW_707 in paths(searcher, "所得税", per_page=20)


def test_single_character_matches_inside_words(searcher):
    r = search(searcher, SearchParams(q="税", per_page=20))
    assert LAW_707 in {h.path for h in r.hits}
    assert "<mark>税</mark>" in str(r.hits[0].snippet_html)


def test_all_words_required_then_fallback(searcher):
    r = search(searcher, SearchParams(q="春运 个人所得税"))
    assert r.fallback and {h.path for h in r.hits} == {CHUNYUN, LAW_707}
    r = search(searcher, SearchParams(q="个人所得税 实施条例"))
    assert not r.fallback


def test_exclusion_and_or(searcher):
    assert LAW_707 not in paths(searcher, "个人所得税 -lawrefbook -条例")
    assert {CHUNYUN, GOV_5} <= set(paths(searcher, "春运 OR 双随机"))


def test_filters_and_date_sort(searcher):
    # Both copies carry the regulation's own date (成文日期 2018-12-18), not the page's.
    assert paths(searcher, "个人所得税", source="国务院", date_from="2018-12-18") == [LAW_707]
    assert paths(searcher, "个人所得税", source="国务院", date_from="2018-12-19") == []
    dated = search(searcher, SearchParams(q="发展", sort="date", per_page=50)).hits
    dates = [h.date for h in dated if h.date]
    assert dates == sorted(dates, reverse=True)
    assert paths(searcher, "发展 date:2026", per_page=50) == [HEBEI]


def test_facets_count_matches(searcher):
    r = search(searcher, SearchParams(q="个人所得税"))
    assert dict(r.facets["source"])["国务院"] == 1              # one entry for both copies
    assert dict(r.facets["year"])["2018"] == 1
    assert dict(r.facets["level"]) == {"行政法规": 1} and dict(r.facets["status"]) == {"现行有效": 1}
    r = search(searcher, SearchParams(q="个人所得税", all_versions=True))
    assert dict(r.facets["source"])["国务院"] == 2


@pytest.mark.parametrize("kw", [{"page": 0}, {"per_page": 101}, {"sort": "x"}, {"date_from": "x"}])
def test_bad_parameters(searcher, kw):
    with pytest.raises(BadParameter):
        search(searcher, SearchParams(q="税", **kw))


@pytest.mark.parametrize("q", ["", "-", "AND", '"', "()", "关于"])
def test_queries_with_nothing_to_search_say_so(searcher, q):
    r = search(searcher, SearchParams(q=q))
    assert r.total == 0 and r.message
