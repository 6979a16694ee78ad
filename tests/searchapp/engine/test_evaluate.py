"""Plan nodes evaluated on posting lists equal a document-by-document evaluation of them."""

from pathlib import Path

import numpy as np
import pytest

from indexer.build.documents import prepare
from indexer.sources.files import read_articles
from indexer.sources.scan import scan
from indexer.storage.segment_writer import Vocabulary
from searchapp.engine.deadline import Deadline, TimedOut
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.plan import (
    And,
    Bonus,
    DateRange,
    DisMax,
    Every,
    Maybe,
    Near,
    Not,
    Or,
    Phrase,
    Term,
)
from tests.support import CORPUS, encoded, plan_of

QUERIES = [
    "营商环境", "个人所得税 实施条例", '"个人所得税"', '"双随机一公开"', "税", "国发〔2019〕5号",
    "春运 OR 双随机", "个人所得税 -条例", "(春运 OR 营商) 发展", "title:条例", "source:国务院",
    "发展 date:2019..2022", "date:..2018", "所得税", "国务院办公厅", "RCEP", '"的的"', '"的人"',
    '"中华人民共和国"', "营商环境 NOT 条例", "发* 改革", "個人所得稅", "个人所得税实施条例",
    "快递管理条例", "人力资源社会保障部年休假", "生活垃圾分类", "人社部", "人社部 工资",
]


class Doc:
    """One document's terms and positions per field, for brute-force matching."""

    def __init__(self, prepared):
        self.fields: dict[str, dict[str, set[int]]] = {}
        for field, tokens in prepared.text.items():
            vocabulary = Vocabulary()
            numbers, positions = encoded(tokens, vocabulary)
            terms = list(vocabulary)
            for n, p in zip(numbers.tolist(), positions.tolist(), strict=True):
                self.fields.setdefault(field, {}).setdefault(terms[n], set()).add(p)
        for field, terms in prepared.keywords.items():
            self.fields.setdefault(field, {}).update({t: {0} for t in terms})
        self.date = prepared.columns["date"]

    def matches(self, node) -> bool:
        if isinstance(node, Term):
            return node.text in self.fields.get(node.field, {})
        if isinstance(node, Phrase):
            return bool(self.starts(node.field, node.terms))
        if isinstance(node, Near):
            ends = {p + len(node.parts[0]) for p in self.starts(node.field, node.parts[0])}
            for part in node.parts[1:]:
                ends = {p + len(part) for p in self.starts(node.field, part)
                        if any(0 <= p - e <= node.gap for e in ends)}
            return bool(ends)
        if isinstance(node, Bonus):
            return self.matches(node.child)
        if isinstance(node, And):
            return all(not self.matches(c.child) if isinstance(c, Not) else self.matches(c)
                       for c in node.children)
        if isinstance(node, (Or, DisMax)):
            return any(self.matches(c) for c in node.children)
        if isinstance(node, Maybe):
            return self.matches(node.required)
        if isinstance(node, Not):
            return not self.matches(node.child)
        if isinstance(node, Every):
            return True
        if isinstance(node, DateRange):
            return bool(self.date) and (node.low or "") <= self.date <= (node.high or "9999")
        raise TypeError(node)

    def starts(self, field: str, terms) -> set[int]:
        """Where the terms stand in sequence in the field."""
        have = self.fields.get(field, {})
        if not all(t in have for t in terms if t is not None):
            return set()
        return {p for p in have[terms[0]]
                if all(t is None or p + i in have[t] for i, t in enumerate(terms))}


@pytest.fixture(scope="module")
def brute(index_dir):
    from tests.support import open_context

    with open_context(index_dir) as ctx:
        docs = {}
        for sf in scan([CORPUS], []):
            try:
                articles = read_articles(Path(sf.abs_path), sf.path)
            except Exception:
                continue
            for article in articles:
                prepared = prepare(article)
                docnum = ctx.view.docnum_of(prepared.id)
                if docnum is not None:
                    docs[docnum] = Doc(prepared.doc)
    return docs


@pytest.mark.parametrize("q", QUERIES)
def test_match_sets_equal_brute_force(searcher, brute, q):
    plan = plan_of(searcher, q)
    assert plan is not None
    got = Evaluator(searcher).docs(plan).tolist()
    want = sorted(d for d, doc in brute.items() if doc.matches(plan))
    assert got == want
    assert got == sorted(set(got))


def bonuses(node):
    """Every Bonus in a plan (the optional parts matching never evaluates as a whole)."""
    if isinstance(node, Bonus):
        yield node
        yield from bonuses(node.child)
    for child in getattr(node, "children", ()):
        yield from bonuses(child)
    if isinstance(node, Maybe):
        yield from bonuses(node.required)
        yield from bonuses(node.optional)


@pytest.mark.parametrize("q", ["个人所得税实施条例", "快递管理条例", "中华人民共和国国务院令"])
def test_bonus_sets_equal_brute_force(searcher, brute, q):
    found = list(bonuses(plan_of(searcher, q)))
    assert any(isinstance(b.child, Near) for b in found)
    for bonus in found:
        got = Evaluator(searcher).docs(bonus.child).tolist()
        assert got == sorted(d for d, doc in brute.items() if doc.matches(bonus.child)), bonus


def test_title_words_near_each_other(searcher, brute):
    # 个人所得税 … 实施条例 in 中华人民共和国个人所得税法实施条例: one character (法) between.
    near = Near("title_chars", (tuple("个人所得税"), tuple("实施条例")), 1)
    got = Evaluator(searcher).docs(near).tolist()
    assert got and all("个人所得税法实施条例" in searcher.view.stored(d)["title"] for d in got)
    assert not len(Evaluator(searcher).docs(Near("title_chars", near.parts, 0)))
    assert not len(Evaluator(searcher).docs(Near("title_chars", near.parts[::-1], 5)))


def test_within_restricts(searcher, brute):
    plan = plan_of(searcher, "发展")
    within = np.array(sorted(brute)[::2])
    got = Evaluator(searcher).docs(plan, within=within).tolist()
    assert got == [d for d in within.tolist() if brute[d].matches(plan)]


def test_a_spent_deadline_stops_matching(searcher):
    plan = plan_of(searcher, "发展 改革")
    with pytest.raises(TimedOut):
        Evaluator(searcher, Deadline(-1)).docs(plan)


@pytest.mark.parametrize("batches", [(1, 2), (256, 4096)])
@pytest.mark.parametrize("text", ["个人所得税", "营商环境", "双随机一公开", "环境营商", "税所得"])
def test_any_says_whether_a_phrase_occurs_at_all(searcher, brute, monkeypatch, text, batches):
    monkeypatch.setattr("searchapp.engine.phrase.EXISTS_BATCHES", batches)
    phrase = Phrase("chars", tuple(text))
    assert Evaluator(searcher).any(phrase) == any(doc.matches(phrase) for doc in brute.values())


@pytest.mark.parametrize("text", ["营商环境", "环境营商"])
def test_whether_a_phrase_occurs_is_remembered(searcher, brute, text):
    phrase = Phrase("chars", tuple(text))
    assert searcher.occurs((phrase.field, phrase.terms)) is None
    found = Evaluator(searcher).any(phrase)
    assert searcher.occurs((phrase.field, phrase.terms)) is found
    assert found == any(doc.matches(phrase) for doc in brute.values())
