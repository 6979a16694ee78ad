"""Queries as people type them, on real documents: compounds, no spaces, typos, operators,
synonyms, totals that do not move while paging."""

import pytest

from indexer.analysis.normalize import normalize
from searchapp.engine.search import SearchParams, search
from tests.support import open_context


@pytest.fixture(scope="module")
def ctx(metadata_index_dir):
    with open_context(metadata_index_dir) as opened:
        yield opened


def run(ctx, q, **kw):
    return search(ctx, SearchParams(q=q, per_page=kw.pop("per_page", 20), **kw))


def holds(ctx, hit, text: str) -> bool:
    stored = ctx.view.stored(ctx.view.docnum_of(hit.id))
    return normalize(text) in normalize(stored["title"] + "\n" + stored["body"])


@pytest.mark.parametrize("compound", ["安全生产", "信息服务", "经营许可"])
def test_documents_saying_the_compound_rank_above_scattered_words(ctx, compound):
    hits = run(ctx, compound).hits
    together = [holds(ctx, h, compound) for h in hits]
    assert together == sorted(together, reverse=True)          # all of them first
    assert together.count(True) >= 3 and together.count(False) >= 1


@pytest.mark.parametrize(("unspaced", "spaced"), [("上海营商环境", "上海 营商环境"),
                                                  ("道路运输经营", "道路 运输 经营"),
                                                  ("劳动保障部工资", "劳动保障部 工资")])
def test_an_unspaced_query_finds_what_the_spaced_one_finds(ctx, unspaced, spaced):
    a, b = run(ctx, unspaced), run(ctx, spaced)
    assert a.total == b.total > 0
    full = lambda r: {h.id for h in r.hits if not h.missing}  # noqa: E731
    assert full(a) == full(b)
    assert a.partial_total == b.partial_total


def test_a_word_of_an_unspaced_query_is_also_found_as_the_words_it_is_made_of(ctx):
    # 专利代理条例 says 管理 and 条例 but never 管理条例 (jieba's word in 专利代理管理条例).
    unspaced, spaced = run(ctx, "专利代理管理条例"), run(ctx, "专利 代理 管理 条例")
    assert [h.title for h in unspaced.hits if not h.missing] == ["专利代理条例"]
    assert unspaced.total == spaced.total == 1


def test_an_abbreviation_in_an_unspaced_query_finds_the_full_name(ctx):
    # 劳动保障部 → 劳动和社会保障部, only in the 发文机关 of this notice (its 劳社部发 文号 names
    # that ministry, though it is filed under its successor's folder); its 和 is a stop word.
    result = run(ctx, "劳动保障部工资")
    full = [h.title for h in result.hits if not h.missing]
    assert full == ["关于职工全年月平均工作时间和工资折算问题的通知"]
    assert result.hits[0].source == "劳动和社会保障部" and not result.fallback


def test_a_typo_is_corrected_and_the_original_can_be_searched_as_typed(ctx):
    typo, right = run(ctx, "营商坏境"), run(ctx, "营商环境")
    assert typo.corrected_query == "营商环境" and typo.query == "营商坏境"
    assert [h.id for h in typo.hits] == [h.id for h in right.hits] and typo.total == right.total == 6
    as_typed = run(ctx, "营商坏境", as_typed=True)
    assert as_typed.corrected_query == "" and as_typed.fallback


@pytest.mark.parametrize(("typo", "meant"), [("专利代理条力", "专利代理条例"), ("数据安权", "数据安全"),
                                              ("道路运输条列", "道路运输条例")])
def test_one_character_slips_of_the_ime(ctx, typo, meant):
    assert run(ctx, typo).corrected_query == meant


@pytest.mark.parametrize("q", ["安全生产", "营商环境", "个体工商户", "道路运输条例", "上海营商环境"])
def test_a_query_with_good_results_is_never_corrected(ctx, q):
    result = run(ctx, q)
    assert result.total and result.corrected_query == "" and result.did_you_mean == ""


def test_totals_do_not_depend_on_the_page(ctx):
    seen = {(r.total, r.partial_total) for page, per_page in ((1, 1), (2, 1), (3, 2), (1, 5), (2, 50))
            for r in [run(ctx, "营商环境 条例", page=page, per_page=per_page)]}
    assert len(seen) == 1
    (total, partial), = seen
    assert total == 5 and partial > 0
    everything = run(ctx, "营商环境 条例", per_page=100).hits
    assert [bool(h.missing) for h in everything] == [False] * total + [True] * partial


def test_not_and_and_are_operators(ctx):
    minus, words = run(ctx, "营商环境 -条例"), run(ctx, "营商环境 NOT 条例")
    assert [h.id for h in minus.hits] == [h.id for h in words.hits] and words.total == 1
    assert not any(holds(ctx, h, "条例") for h in words.hits)
    assert run(ctx, "营商环境 AND 条例").total == run(ctx, "营商环境 条例").total == 5
    assert run(ctx, "营商环境 not 条例").total != words.total      # lower case: a word


def test_an_abbreviation_and_the_full_name_count_alike(ctx):
    # 放管服 = 简政放权、放管结合、优化服务: the regulations saying the full name match as well
    # as the documents saying 放管服 (the form as typed only breaks ties).
    hits = run(ctx, "放管服").hits
    literal = [holds(ctx, h, "放管服") for h in hits]
    assert literal.count(True) == 2 and literal.count(False) >= 2
    assert hits[0].title == "促进个体工商户发展条例" and not literal[0]


def test_a_fallback_ranks_the_meaningful_word_first(ctx):
    result = run(ctx, "营商环境 不存在的词语")
    assert result.fallback
    assert all(holds(ctx, h, "营商环境") for h in result.hits[:5])
