"""Queries as people say them, on real documents: questions, everyday forms, real words left
alone, exact titles first, a ranked best match, official documents above news."""

import pytest

from searchapp.engine.evaluate import Evaluator
from searchapp.engine.parse import parse
from searchapp.engine.questions import question_words
from searchapp.engine.search import SearchParams, search
from searchapp.engine.spelling import correct
from searchapp.engine.understand import understand
from tests.support import open_context


@pytest.fixture(scope="module")
def ctx(query_index_dir):
    with open_context(query_index_dir) as opened:
        yield opened


def run(ctx, q, **kw):
    return search(ctx, SearchParams(q=q, per_page=kw.pop("per_page", 10), **kw))


def titles(result):
    return [h.title for h in result.hits]


def test_a_question_asks_for_its_content_words(ctx):
    result = run(ctx, "出国旅游要注意什么")
    understood = result.understood
    assert understood["question"] and understood["terms"] == ["出国", "旅游"]
    assert understood["dropped"] == ["要", "什么"] and understood["optional"] == ["注意"]
    assert titles(result)[0] == "中国公民出国旅游管理办法"
    assert not result.fallback and result.total >= 2       # 注意 and 什么 decide nothing


@pytest.mark.parametrize(("q", "first"), [
    ("退休金怎么算", "国务院关于处理国家机关工作人员退职、退休时计算工作年限的暂行规定"),
    ("出国旅游要注意什么？", "中国公民出国旅游管理办法"),
    ("旅行社要交多少质量保证金", "旅行社条例"),
])
def test_questions_find_the_regulation_that_answers_them(ctx, q, first):
    result = run(ctx, q)
    assert result.understood["question"]
    assert titles(result)[0] == first
    assert result.hits[0].score > 0


def test_question_words_are_split_off_and_joined_as_the_list_has_them(ctx):
    found = understand(ctx, parse("主动辞职能不能领失业金"), "主动辞职能不能领失业金")
    assert found.question and found.dropped == ["能不能"] and found.optional == ["领"]
    found = understand(ctx, parse("当兵的年龄要求是多少岁"), "当兵的年龄要求是多少岁")
    assert "多少" in found.dropped and "岁" in found.optional


def test_an_interrogative_phrase_makes_a_question_and_a_post_can_answer_it(ctx):
    # 怎么回事 is one word to the segmenter, not 怎么 + 回事. Only the post explains the
    # 汇算 it reports: the official documents' prior in questions does not outrank it.
    result = run(ctx, "个税汇算是怎么回事")
    assert result.understood["question"] and result.understood["dropped"] == ["是", "怎么回事"]
    assert result.hits[0].level == "新闻" and "个税汇算" in result.hits[0].title


def test_a_query_without_a_question_word_is_searched_as_typed(ctx):
    found = understand(ctx, parse("出国旅游 注意"), "出国旅游 注意")
    assert not found.question and not found.dropped and not found.optional


def test_the_question_word_list_has_three_classes():
    assert set(question_words().values()) == {"question", "frame", "general"}
    assert question_words()["怎么"] == "question" and question_words()["需要"] == "frame"


def test_an_everyday_form_finds_the_official_term_of_a_title(ctx):
    result = run(ctx, "退役兵")
    assert titles(result)[0] == "退役士兵安置条例" and result.hits[0].score > 0
    expansion, = [e for e in result.understood["expansions"] if e["kind"] == "everyday"]
    assert expansion == {"form": "退役兵", "to": "退役士兵", "kind": "everyday",
                         "origin": "official titles", "titles": 1, "documents": 1}


def test_a_dictionary_word_is_never_corrected(ctx):
    # 车险 sounds like 车间, a word these documents use; it is a word itself, and a short
    # form of the title's 机动车 … 保险.
    assert correct(ctx, Evaluator(ctx), "车险") is None
    result = run(ctx, "车险")
    assert result.corrected_query == "" and result.did_you_mean == ""
    assert titles(result)[0] == "机动车交通事故责任强制保险条例"


def test_a_slip_is_still_corrected_as_an_alternative_reading(ctx):
    result = run(ctx, "营商坏境")
    assert result.corrected_query == "营商环境"
    assert result.understood["correction"] == {"from": "营商坏境", "to": "营商环境"}


@pytest.mark.parametrize(("q", "first"), [
    ("物业管理条例", "物业管理条例"),
    ("河南省物业管理条例", "河南省物业管理条例"),
    ("优化营商环境条例", "优化营商环境条例"),
    ("上海市优化营商环境条例", "上海市优化营商环境条例"),
    ("中华人民共和国物业管理条例", "物业管理条例"),
])
def test_a_query_that_is_a_whole_title_puts_that_document_first(ctx, q, first):
    assert titles(run(ctx, q))[0] == first


def test_without_a_full_match_the_best_match_is_ranked(ctx):
    result = run(ctx, "退役士兵 不存在的词语", per_page=20)
    assert result.fallback and result.total == 0 and result.partial_total
    scores = [h.score for h in result.hits]
    assert all(s > 0 for s in scores) and scores == sorted(scores, reverse=True)
    assert titles(result)[0] == "退役士兵安置条例"
    assert result.hits[0].missing == ["不存在的词语"]


def test_a_partial_match_found_by_an_everyday_forms_official_term_is_scored(ctx):
    # 车险 is said by no regulation: the statute is found by an official term it stands
    # for (机动车…保险, words in sequence) and ranks by it, above a post that says 过年.
    result = run(ctx, "车险 过年")
    assert result.fallback
    first = result.hits[0]
    assert (first.title, first.missing) == ("机动车交通事故责任强制保险条例", ["过年"])
    assert first.score > 0


def test_the_official_document_ranks_above_the_news_that_reports_it(ctx):
    hits = run(ctx, "个税 专项附加扣除").hits
    assert hits[0].title == "国务院关于印发个人所得税专项附加扣除暂行办法的通知"
    assert any(h.level == "新闻" for h in hits)              # the news is still found


def test_a_news_query_still_finds_the_news_first(ctx):
    assert run(ctx, "个税汇算 退税").hits[0].level == "新闻"


def test_a_question_finds_the_national_rule_before_a_provinces(ctx):
    # Both regulations say 业主大会 and 成立 alike; the national one answers for everywhere.
    assert titles(run(ctx, "业主大会怎么成立"))[:2] == ["物业管理条例", "河南省物业管理条例"]
    # A question that names the province finds the province's rule first.
    assert titles(run(ctx, "河南业主大会怎么成立"))[:2] == ["河南省物业管理条例", "物业管理条例"]
