"""One-character corrections: which characters sound alike, and which are tried first."""

import subprocess
import sys

import pytest

from searchapp.engine.deadline import Deadline, TimedOut
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.search import SearchParams, search
from searchapp.engine.spelling import _confusions, correct, sounds
from tests.support import open_context


@pytest.fixture(scope="module")
def ctx(metadata_index_dir):
    with open_context(metadata_index_dir) as opened:
        yield opened


@pytest.mark.parametrize(("sound", "confused"), [
    ("nei", ["lei"]), ("zhan", ["zan", "zhang"]), ("sheng", ["seng", "shen"]),
    ("fu", ["hu"]), ("xin", ["xing"]), ("jian", ["jiang"]), ("a", []),
])
def test_confusions_swap_one_initial_or_final(sound, confused):
    assert sorted(_confusions(sound)) == confused


def test_the_same_sound_comes_before_a_confused_one_before_one_letter_apart(ctx):
    tiers = dict(sounds(ctx).similar("内"))        # nei
    assert tiers["类"] == 1                           # lei: l/n, which many speakers merge
    assert tiers["为"] == 2                           # wei: one letter apart only
    assert "内" not in tiers
    assert dict(sounds(ctx).similar("例"))["力"] == 0  # li = li


def test_a_long_title_with_a_slip_is_corrected(ctx):
    result = search(ctx, SearchParams(q="互联网信息服务算法推荐管理规顶"))
    assert result.corrected_query == "互联网信息服务算法推荐管理规定"
    assert [h.title for h in result.hits][:1] == ["互联网信息服务算法推荐管理规定"]


def test_the_typo_check_keeps_to_the_time_limit(ctx):
    typed = "互联网信息服务算法推荐管理规顶"
    assert correct(ctx, Evaluator(ctx), typed).corrected == "互联网信息服务算法推荐管理规定"
    with pytest.raises(TimedOut):
        correct(ctx, Evaluator(ctx, Deadline(-1)), typed)


def test_searching_never_loads_pypinyin(metadata_index_dir):
    # The readings come from the index (sounds.json, written by the build): a server
    # process does not hold pypinyin's dictionaries.
    code = ("import sys; from searchapp.engine.opening import open_context; "
            "from searchapp.engine.search import SearchParams, search; "
            f"ctx = open_context({str(metadata_index_dir)!r}); "
            "r = search(ctx, SearchParams(q='营商坏境')); "
            "print(r.corrected_query, 'pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["营商环境", "False"]
