"""The synonym file format: ``a = b = c`` and ``a => b, c``."""

from __future__ import annotations

from searchapp.engine.synonyms import SYNONYMS_ENV, expand, parse_groups, parse_rules


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


def test_expand_adds_the_rules_of_the_extra_file(tmp_path, monkeypatch):
    extra = tmp_path / "extra.txt"
    extra.write_text("专精特新 => 小巨人\n", encoding="utf-8")
    monkeypatch.setenv(SYNONYMS_ENV, str(extra))
    assert expand("专精特新") == ["专精特新", "小巨人"]
    assert expand("小巨人") == ["小巨人"]
