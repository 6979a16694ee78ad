"""The synonym file: its format (``a = b = c``, ``a => b, c``) and the shipped list."""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest

from indexer.analysis.normalize import normalize
from indexer.analysis.segmenter import data_path
from searchapp.engine import synonyms as tables
from searchapp.engine.synonyms import (
    EVERYDAY_FILE,
    MINED,
    SHIPPED_FILE,
    Synonyms,
    parse_groups,
    parse_rules,
)

SHIPPED = data_path("synonyms.txt").read_text(encoding="utf-8")


def test_equivalent_forms_all_expand():
    assert parse_rules("交强险 = 机动车交通事故责任强制保险  # 注释\n") == [
        (["交强险", "机动车交通事故责任强制保险"], ["交强险", "机动车交通事故责任强制保险"])]


def test_one_way_rule_expands_its_left_side_only():
    assert parse_rules("五险一金 => 社会保险, 住房公积金") == [
        (["五险一金"], ["五险一金", "社会保险", "住房公积金"])]


def test_full_width_separators_and_forms_are_normalised():
    assert parse_rules("双碳 ＝＞ 碳达峰，碳中和\nＲＣＥＰ ＝ 區域全面經濟夥伴關係協定") == [
        (["双碳"], ["双碳", "碳达峰", "碳中和"]),
        (["rcep", "区域全面经济伙伴关系协定"], ["rcep", "区域全面经济伙伴关系协定"])]


def test_lines_without_a_rule_are_ignored():
    assert parse_rules("# 只有注释\n\n个税\n个税 =\n => 个人所得税\n个税 => \n") == []


def test_a_form_may_hold_a_comma_in_an_equivalence_as_before():
    # Files written before "=>" existed only split on "=".
    assert parse_groups("简政放权，放管结合，优化服务 = 放管服") == [["简政放权,放管结合,优化服务", "放管服"]]


def test_parse_groups_leaves_one_way_rules_out():
    assert parse_groups("个税 = 个人所得税\n国企 => 国有企业") == [["个税", "个人所得税"]]


@pytest.mark.parametrize("form, forms", [
    ("个税", ["个税", "个人所得税"]),
    ("个人所得税", ["个人所得税", "个税"]),
    ("rcep", ["rcep", "区域全面经济伙伴关系协定"]),
    ("发改委", ["发改委", "发展和改革委员会", "发展改革委"]),
    # One way: 国企 is mostly read inside 中国企业, so 国有企业 does not expand to it.
    ("国企", ["国企", "国有企业"]),
    ("国有企业", ["国有企业"]),
    ("五险一金", ["五险一金", "社会保险", "住房公积金"]),
    ("社会保险", ["社会保险", "社保"]),
])
def test_expand_with_the_shipped_list(form, forms):
    assert tables.SHIPPED.expand(form) == forms


def test_expand_adds_the_rules_of_the_extra_file_and_rereads_it(tmp_path, monkeypatch):
    from searchapp.engine import synonyms

    monkeypatch.setattr(synonyms, "CHECK_SECONDS", 0)
    extra = tmp_path / "extra.txt"
    extra.write_text("专精特新 => 小巨人\n", encoding="utf-8")
    table = Synonyms(extra)
    assert table.expand("专精特新") == ["专精特新", "专业化、精细化、特色化、新颖化", "小巨人"]
    assert table.expand("小巨人") == ["小巨人"]
    before = table.stamp()
    extra.write_text("小巨人 = 专精特新中小企业\n", encoding="utf-8")
    os.utime(extra, ns=(1, 1))                    # another modification time, surely
    assert table.stamp() != before
    assert table.expand("小巨人") == ["小巨人", "专精特新中小企业"]


def test_an_unreadable_extra_file_is_logged_and_skipped(tmp_path, caplog):
    table = Synonyms(tmp_path / "missing.txt")
    assert table.expand("个税") == ["个税", "个人所得税"]
    assert "missing.txt cannot be read" in caplog.text


def test_mined_abbreviations_expand_one_way():
    table = Synonyms(mined=[("船检局", "中华人民共和国船舶检验局", 3)])
    assert table.expand("船检局") == ["船检局", "中华人民共和国船舶检验局"]
    assert table.expand("中华人民共和国船舶检验局") == ["中华人民共和国船舶检验局"]
    assert (table.rules()[-1].origin, table.rules()[-1].documents) == (MINED, 3)


def _raw_rules(text: str) -> list[tuple[list[str], list[str]]]:
    """The rules of ``text`` as written, before normalisation (split as ``parse_rules`` does)."""
    rules = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        left, arrow, right = line.partition("=>")
        if arrow:
            rules.append((re.split(r"[=,]", left), re.split(r"[=,]", right)))
        elif line:
            rules.append((line.split("="), []))
    return rules


def test_shipped_list_has_300_rules_every_line_one_rule():
    rules = parse_rules(SHIPPED)
    assert len(rules) >= 300
    assert len(rules) == len(_raw_rules(SHIPPED))


def test_shipped_forms_are_not_empty_and_written_normalised():
    for left, right in _raw_rules(SHIPPED):
        for raw in left + right:
            form = raw.strip()
            assert form, f"empty form in {left} {right}"
            # Latin letters keep their capitals (RCEP); everything else is as indexed.
            assert normalize(form) == form.lower(), form


def test_shipped_forms_each_belong_to_one_rule():
    # A form typed as a query gets the expansions of every rule it starts; two rules for one
    # form would silently merge. (A one-way rule's targets may repeat: 出租汽车 is one.)
    typed = Counter(form for sources, _ in parse_rules(SHIPPED) for form in sources)
    assert {form: n for form, n in typed.items() if n > 1} == {}


def test_the_everyday_list_is_one_way_and_apart_from_the_shipped_list():
    everyday = parse_rules(EVERYDAY_FILE.read_text(encoding="utf-8"))
    shipped = parse_rules(SHIPPED_FILE.read_text(encoding="utf-8"))
    assert len(everyday) >= 600
    assert all(sources != forms for sources, forms in everyday)     # everyday => official
    shipped_forms = {f for _, forms in shipped for f in forms}
    lefts = [s for sources, _ in everyday for s in sources]
    assert not shipped_forms & set(lefts) and len(lefts) == len(set(lefts))


def test_an_everyday_word_expands_to_the_official_term_and_not_back():
    rules = Synonyms()
    assert rules.expand("鞭炮") == ["鞭炮", "炮仗", "爆竹", "烟花爆竹"]
    assert rules.expand("烟花爆竹") == ["烟花爆竹"]
    assert ("烟花爆竹", "shipped everyday forms", "everyday") in rules.origins("鞭炮")
