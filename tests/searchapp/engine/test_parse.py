"""The query parser: structure for the language, and no exception for anything typed."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchapp.engine.dates import date_bound, date_query
from searchapp.engine.parse import MAX_NODES, parse
from searchapp.engine.plan import Term, leaves
from tests.support import plan_of


def shape(node):
    if node is None:
        return None
    if node.kind in ("word", "phrase", "date"):
        return (node.kind, node.text)
    if node.kind == "docnum":
        return ("docnum", node.name)
    if node.kind == "field":
        return ("field", node.name, shape(node.children[0]))
    return (node.kind, *[shape(c) for c in node.children])


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("营商环境 条例", ("and", ("word", "营商环境"), ("word", "条例"))),
        ('"最佳口碑省"', ("phrase", "最佳口碑省")),
        ("“最佳口碑省”", ("phrase", "最佳口碑省")),
        ("条例 -征求意见", ("and", ("word", "条例"), ("not", ("word", "征求意见")))),
        ('条例 -"征求 意见"', ("and", ("word", "条例"), ("not", ("phrase", "征求 意见")))),
        ("(a OR b) c", ("and", ("or", ("word", "a"), ("word", "b")), ("word", "c"))),
        ("title:条例", ("field", "title", ("word", "条例"))),
        ("source:国务院", ("field", "source", ("word", "国务院"))),
        ("date:2018..2019", ("date", "2018..2019")),
        ("国发〔2019〕5号", ("docnum", "国发2019-5")),
        ("国发[2019]5号", ("docnum", "国发2019-5")),
        ("国发2019 5号", ("docnum", "国发2019-5")),
        ("国发 2019年 5号 意见", ("and", ("docnum", "国发2019-5"), ("word", "意见"))),
        ("国发（2019）5号", ("docnum", "国发2019-5")),
        ("docnum:国令第707号", ("docnum", "国令707")),
        ('"unbalanced', ("phrase", "unbalanced")),
        ("a AND", ("word", "a")),
        ("))) x", ("word", "x")),
        ("x:y", ("word", "x:y")),
    ],
)
def test_parse_structure(q, expected):
    assert shape(parse(q)) == expected


@pytest.mark.parametrize("q", ["", "   ", "-", "AND", "OR", "((((", '""', "\x00\x01", "-()"])
def test_nothing_searchable_gives_none(q):
    assert parse(q) is None


def test_huge_queries_are_capped():
    node = parse(" ".join(f"词{i}" for i in range(1000)))
    assert len(node.children) == MAX_NODES


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [("2018", False, "2018-01-01"), ("2018", True, "2018-12-31"), ("2018-03", False, "2018-03-01"),
     ("2019年1月27日", False, "2019-01-27"), ("2019-13", False, None), ("soon", False, None)],
)
def test_date_bounds(text, end, expected):
    assert date_bound(text, end) == expected


def test_date_query_open_ended():
    q = date_query("2018..")
    assert (q.low, q.high) == ("2018-01-01", None)


query_text = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from('"()*:\\-－|国发〔〕号令第 ')),
    max_size=300)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_text)
def test_parser_and_compiler_never_raise(q):
    tree = parse(q)
    query = plan_of(None, q)
    assert (tree is None) <= (query is None)      # nothing parsed, nothing searched
    for leaf in leaves(query) if query is not None else ():
        texts = [leaf.text] if isinstance(leaf, Term) else [t for t in leaf.terms if t]
        assert texts and all(t.strip() == t and t for t in texts), leaf


@settings(max_examples=30, deadline=None)
@given(query_text, st.integers(min_value=20, max_value=60))
def test_long_queries_never_raise(q, times):
    text = (q + " 营商环境 ") * times
    assert len(parse(text).children) <= MAX_NODES
    assert plan_of(None, text) is not None
