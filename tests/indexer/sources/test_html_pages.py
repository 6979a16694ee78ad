"""Text lines of HTML post bodies: blocks, breaks, table rows, dropped elements and page
chrome, whichever parser tree the body goes through."""

from indexer.sources.html_pages import html_lines

BODY = """<div><p>第一条 为了规范管理，&quot;制定&quot;本办法。</p>
<p>第二段<br>换行后<img src="a.jpg">图后文字</p>
<!-- 注释 --><script>var x = 1;</script>脚本之后
<table><tr><td>发文机关：</td><td>国务院</td></tr><tr><td><p>布局单元</p></td><td>乙</td></tr></table>
<ul><li>一项</li><li>二项 <b>加粗</b> 尾</li></ul>尾声</div>"""

LINES = ["第一条 为了规范管理，\"制定\"本办法。", "第二段", "换行后图后文字", "脚本之后",
         "发文机关： 国务院", "布局单元", "乙", "一项", "二项 加粗 尾", "尾声"]


def test_blocks_breaks_rows_and_the_text_after_dropped_elements():
    assert html_lines(BODY) == LINES


def test_an_element_named_as_page_chrome_is_left_out():
    chrome = BODY.replace("<ul>", '<div class="share-box">分享到微信</div><ul>')
    assert html_lines(chrome) == LINES


def test_a_long_element_named_like_chrome_that_is_not_mostly_links_stays():
    text = "正文" * 200
    lines = html_lines(f'<div id="printContent"><p>{text}</p></div><p>后记</p>')
    assert lines == [text, "后记"]


def test_fragments_lxml_cannot_take_still_give_their_text():
    assert html_lines('<?xml version="1.0" encoding="utf-8"?><p>甲</p><p>乙</p>') == ["甲", "乙"]
    assert html_lines("<p></p>") == []


def test_text_after_the_end_of_html_is_kept():
    assert html_lines("<html><body><p>甲</p></body></html>\n<p>乙</p>") == ["甲", "乙"]


def test_deep_nesting_keeps_its_text():
    body = "<div>" * 300 + "深处" + "</div>" * 300 + "<p>之后</p>"
    assert html_lines(body) == ["深处", "之后"]


def test_a_lone_surrogate_becomes_a_replacement_character():
    assert html_lines("<p>第一段\ud800内容</p><p>第二段</p>") == ["第一段\ufffd内容", "第二段"]
