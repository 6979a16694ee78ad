"""Match sets, our phrase matcher, restricted scoring and the reader caches give exactly what
Whoosh's own matchers give: the same documents and the same scores."""

import shutil

import pytest
from whoosh import query as wq

from indexer.build.pipeline import build_index
from indexer.storage import readcache
from indexer.storage.generations import open_current
from searchapp.engine import match as matchset
from searchapp.engine.compile import Compiler
from searchapp.engine.match import MatchSets
from searchapp.engine.parse import parse
from searchapp.engine.phrase import Phrase
from searchapp.engine.search import SearchParams, scoring_model, search
from tests.support import SAMPLE  # noqa: E402

QUERIES = [
    "营商环境", "小微企业 融资担保", "税", "水", '"高质量发展"', '"放管服"改革', "交强险", "个税",
    "title:条例", "title:办法 -暂行", "养老 OR 医疗", "(养老 OR 医疗) 保险", "-暂行", "税*",
    "国发〔2019〕5号", "国令第707号", "date:2018..2019 条例", "source:国务院 公共服务",
    '"高质量" -发展', '粮食 -"安全"', "營商環境", "ＲＣＥＰ", "PM2.5", "春运", '"春运今日开启"',
    "饲料添加剂 蜂产品", "双随机一公开", "个人所得税 专项附加扣除", '"人人"', '"人人有"',
]


def compiled(searcher, q):
    return Compiler(reader=searcher.reader()).compile(parse(q)).query


def scores(searcher, q) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}


@pytest.fixture(scope="module")
def segmented(tmp_path_factory):
    """The bundled sample built by two workers (two segments), then one file deleted and one
    changed: an index with several segments and deleted documents."""
    root = tmp_path_factory.mktemp("segmented")
    corpus = root / "sample"
    shutil.copytree(SAMPLE, corpus)
    index = root / "index"
    build_index([corpus], index, workers=2)
    posts = sorted((corpus / "lawrefbook-laws").rglob("*.md"))
    posts[0].unlink()
    posts[1].write_text(posts[1].read_text(encoding="utf-8") + "\n\n补充一句：放管服改革继续推进。\n",
                        encoding="utf-8")
    build_index([corpus], index, workers=1)
    ix, _ = open_current(index)
    with ix.searcher(weighting=scoring_model()) as s:
        assert len(s.reader().leaf_readers()) > 1 and s.reader().has_deletions()
        yield s


@pytest.mark.parametrize("q", QUERIES)
def test_match_set_is_what_whoosh_matches(searcher, q):
    query = compiled(searcher, q)
    assert MatchSets(searcher).docs(query) == set(searcher.docs_for_query(query))


@pytest.mark.parametrize("q", QUERIES)
def test_match_set_over_segments_and_deletions(segmented, q):
    query = compiled(segmented, q)
    expected = set(segmented.docs_for_query(query))
    assert MatchSets(segmented).docs(query) == expected
    within = set(range(0, segmented.doc_count_all(), 3)) & set(segmented.reader().all_doc_ids())
    assert MatchSets(segmented).docs(query, within=within) == expected & within


def test_phrase_checks_are_kept_for_later_searches(segmented, monkeypatch):
    monkeypatch.setattr(matchset, "PHRASE_CACHE_DOCS", 60)
    query, other = compiled(segmented, '"高质量发展"'), compiled(segmented, '"放管服"改革')
    expected = set(segmented.docs_for_query(query))
    # A third of the documents at a time, then all: each search builds on earlier checks.
    for k in range(3):
        within = set(range(k, segmented.doc_count_all(), 3))
        assert MatchSets(segmented).docs(query, within=within) == expected & within
    assert MatchSets(segmented).docs(query) == expected
    # Another phrase pushes it out of the small cache; it is then checked afresh.
    assert MatchSets(segmented).docs(other) == set(segmented.docs_for_query(other))
    assert MatchSets(segmented).docs(query) == expected
    sets = MatchSets(segmented)
    assert sets._phrases_held[0] <= 60 or len(sets._phrases) == 1


def test_match_sets_find_something(segmented):
    counts = {q: len(MatchSets(segmented).docs(compiled(segmented, q))) for q in QUERIES}
    assert counts['"放管服"改革'] > 0 and counts['"高质量发展"'] > 0 and counts["饲料添加剂 蜂产品"] == 0
    assert counts["税"] > counts["个税"] > 0


@pytest.mark.parametrize("words", [["放", "管", "服"], ["高", "质", "量", "发", "展"], ["春", "运"],
                                   ["质", "高"], ["不", "存", "在", "的", "字", "串"]])
def test_phrase_matches_and_scores_as_whoosh(segmented, words):
    ours = scores(segmented, Phrase("chars", words, boost=1.5))
    theirs = scores(segmented, wq.Phrase("chars", words, boost=1.5))
    assert ours.keys() == theirs.keys()
    assert all(ours[d] == pytest.approx(theirs[d]) for d in ours)


@pytest.mark.parametrize("q", ['"放管服"改革', "交强险", "营商环境", "养老 OR 医疗", "title:办法 -暂行"])
def test_scoring_on_the_match_set_gives_whoosh_scores(segmented, q):
    query = compiled(segmented, q)
    sets = MatchSets(segmented)
    docs = sets.docs(query)
    restricted = scores(segmented, sets.for_scoring(query, docs))
    full = scores(segmented, query)
    assert restricted.keys() == docs == full.keys()
    assert all(restricted[d] == pytest.approx(full[d]) for d in docs)


def test_reader_caches_change_no_result(index_dir):
    ix, _ = open_current(index_dir)
    queries = [compiled(ix.searcher(), q) for q in QUERIES]
    with ix.searcher(weighting=scoring_model()) as plain:
        before = [scores(plain, q) for q in queries if q is not None]
    with ix.searcher(weighting=scoring_model()) as cached:
        readcache.install(cached)
        for _ in range(2):          # the second round answers from the caches
            assert [scores(cached, q) for q in queries if q is not None] == before


def test_total_counts_every_match(segmented):
    """The total and the facets count every match, however many there are."""
    for q in ("发展", "水", "养老 OR 医疗", "条例"):
        result = search(segmented, SearchParams(q=q))
        assert result.total == len(set(segmented.docs_for_query(compiled(segmented, q))))
        assert sum(n for _, n in result.facets["year"]) <= result.total


def test_date_sort_is_newest_first_over_all_matches(segmented):
    result = search(segmented, SearchParams(q="条例", sort="date", per_page=20))
    dates = [h.date for h in result.hits]
    assert dates == sorted(dates, reverse=True)
    newest = max(segmented.stored_fields(d).get("date") or ""
                 for d in segmented.docs_for_query(compiled(segmented, "条例")))
    assert dates[0] == newest
