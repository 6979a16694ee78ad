from searchapp.engine.highlight import FRAGMENT_MAX, SPAN_WINDOW, find_spans, highlight_all, snippet

LAW = ("第一条 为了规范个人所得税的征收，制定本条例。\n"
       "第二条 纳税人应当依法缴纳增值税和个人所得税；逾期不缴的，加收滞纳金。\n"
       "第三条 本条例自公布之日起施行。")


def test_snippet_marks_words_and_joins_sentences():
    assert str(snippet(LAW, ("个人所得税",))) == (
        "第一条 为了规范<mark>个人所得税</mark>的征收，制定本条例。 第二条 纳税人应当依法缴纳增值税和"
        "<mark>个人所得税</mark>；逾期不缴的，加收滞纳金。")


def test_single_character_is_marked_inside_longer_words():
    assert str(snippet(LAW, ("税",))).count("<mark>税</mark>") == 4


def test_phrase_matches_across_punctuation_the_index_ignores():
    assert str(snippet("推行“双随机、一公开”监管。", ("双随机一公开",))) == \
        "推行“<mark>双随机、一公开</mark>”监管。"


def test_traditional_text_is_marked_for_a_simplified_query():
    assert str(snippet("營商環境持續優化。", ("营商环境",))) == "<mark>營商環境</mark>持續優化。"


def test_everything_but_mark_is_escaped():
    assert str(highlight_all("<script>个税</script>", ("个税",))) == \
        "&lt;script&gt;<mark>个税</mark>&lt;/script&gt;"
    assert "<b>" not in str(snippet("<b>粗体</b> 个税。", ("个税",)))


def test_no_match_gives_the_opening_of_the_text():
    text = "无匹配的文本。" * 30
    out = str(snippet(text, ("xyz",)))
    assert out.endswith("…") and "<mark>" not in out
    assert len(out) <= FRAGMENT_MAX + 1


def test_long_sentences_are_cut_at_clause_boundaries():
    text = "，".join(f"第{i}项措施落实到位" for i in range(60)) + "，推进营商环境改革。"
    out = str(snippet(text, ("营商环境",)))
    assert "<mark>营商环境</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) <= FRAGMENT_MAX


def test_a_term_found_only_far_into_a_long_text_is_still_marked():
    # The first 20,000 characters lack 滞纳金: the rest of the text is scanned for it.
    text = "纳税人应当依法缴纳税款。" * 2000 + "逾期不缴的，加收滞纳金。"
    out = str(snippet(text, ("滞纳金",)))
    assert out == "逾期不缴的，加收<mark>滞纳金</mark>。"


def test_matches_far_past_the_first_are_not_collected_for_a_snippet():
    text = "推进营商环境改革。" + "其他内容。" * 4000 + "营商环境再优化。"
    assert [s for s, _, _ in find_spans(text, ("营商环境",), window=SPAN_WINDOW)] == [2]
    assert len(find_spans(text, ("营商环境",))) == 2
