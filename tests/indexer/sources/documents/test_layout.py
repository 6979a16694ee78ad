"""Positioned lines → text: page furniture dropped, paragraphs joined, page starts kept."""

from __future__ import annotations

from indexer.sources.documents.layout import Line, Page, lines_of_runs, page_text, tidy

W, H = 600, 800


def page(*rows, number=None) -> Page:
    """Lines from (text, left, right) at successive heights, with a header and a footer."""
    lines = [Line("中国政府网 www.gov.cn", 250, 350, 20, 30)]
    lines += [Line(text, left, right, 100 + 30 * i, 120 + 30 * i)
              for i, (text, left, right) in enumerate(rows)]
    if number is not None:
        lines.append(Line(f"— {number} —", 290, 310, 770, 780))
    return Page(W, H, lines)


def test_furniture_dropped_and_lines_joined_across_pages():
    pages = [
        page(("国务院办公厅关于开展", 200, 400), ("各省人民政府：", 80, 250),
             ("城镇小区配套建设幼儿园是城镇公共服务设施", 112, 520), ("建设的重要内容。", 80, 300),
             ("满足人民群众对", 112, 520), number=1),
        page(("幼有所育的期盼。", 80, 260), ("二、工作任务", 112, 250), number=2),
    ]
    paged = page_text(pages)
    assert paged.text.split("\n") == [
        "国务院办公厅关于开展", "各省人民政府：", "城镇小区配套建设幼儿园是城镇公共服务设施建设的重要内容。",
        "满足人民群众对幼有所育的期盼。", "二、工作任务"]
    # Page 2 starts inside the paragraph that runs over the break.
    assert paged.text[paged.starts[1]:].startswith("幼有所育")
    assert paged.starts[0] == 0


def test_indented_line_starts_a_paragraph_even_after_a_full_line():
    rows = (("第一段到行末结束", 80, 520), ("第二段缩进开始", 112, 300))
    paged = page_text([page(*rows, number=1), page(*rows, number=2)])
    assert paged.text.split("\n") == ["第一段到行末结束", "第二段缩进开始"] * 2


def test_page_number_forms_dropped_on_a_single_page():
    for number in ("— 1 —", "- 1 -", "1", "第1页", "第 1 页 共 3 页", "1/3", "Page 1 of 3"):
        lines = [Line("正文一行。", 80, 300, 100, 120), Line(number, 290, 310, 770, 780)]
        assert page_text([Page(W, H, lines)]).text == "正文一行。", number


def test_repeated_text_in_the_body_is_kept():
    """Only lines at the top or bottom of pages repeat as furniture: a heading repeated in
    the middle of every page stays."""
    rows = [("开头一行。", 80, 300), ("第三行。", 80, 300), ("重复的小标题", 80, 300), ("第四行。", 80, 300),
            ("第五行。", 80, 300)]
    paged = page_text([page(*rows, number=1), page(*rows, number=2)])
    assert paged.text.count("重复的小标题") == 2


def test_latin_words_keep_a_space_chinese_loses_layout_spaces():
    assert tidy("2018 年 11 月") == "2018年11月"
    assert tidy("国办发〔2019〕3 号") == "国办发〔2019〕3号"
    assert tidy("Open Data 平台") == "Open Data平台"
    lines = [Line("The State Council and", 80, 520, 100, 120), Line("its ministries", 80, 200, 130, 150)]
    assert page_text([Page(W, H, lines)]).text == "The State Council and its ministries"


def test_runs_grouped_into_lines():
    runs = [("幼儿园", 150, 200, 100, 110), ("城镇小区", 80, 148, 101, 111), ("第二行", 80, 120, 130, 140)]
    assert [line.text for line in lines_of_runs(runs)] == ["城镇小区幼儿园", "第二行"]
