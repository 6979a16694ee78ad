import codecs
import json
import re
from pathlib import Path

import pytest

from indexer.errors import ArticleError
from indexer.sources.files import SUPPORTED_SUFFIXES, Article, decode_bytes, read_articles
from indexer.sources.markdown import parse_markdown_doc
from tests.support import DATA  # noqa: E402

CORPUS = DATA / "corpus"
EDGE = DATA / "edge"

GOVCN_5 = "govcn-pages/www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
GOVCN_707 = "govcn-pages/www.gov.cn/zhengce/content/2018-12/22/content_5351177.htm"
HEXO = "hexo-rsshub-posts/source/_posts"
BROKEN_YAML = "hexo-rsshub-posts/post/二次元/AGE 动漫 - 番剧详情/" + '"""""""\'第1集\'""""""".md'
INVALID_DATE = f"{HEXO}/新媒体/ZAKER/精读/00后开始立遗嘱了，他们牵挂的东西跟90后有什么不同？.md"
SINA = f"{HEXO}/金融/新浪财经/新浪财经－国內/1-5月上海房地产开发投资比去年同期下降180%。.md"
GUANCHA = f"{HEXO}/新媒体/观察者网/头条/31省份新增本土确诊110例，其中河南87例、天津10例.md"
PLACEHOLDER = f"{HEXO}/新媒体/ZAKER/source/2022年春运今日开启.md"
SEED = "seed/000_bd949e5a4088c150.txt"
IIT = "lawrefbook-laws/行政法规/个人所得税法实施条例(2018-12-18).md"
MOHRSS = (
    "lawrefbook-laws/部门规章/人力资源社会保障部/"
    "关于职工全年月平均工作时间和工资折算问题的通知(2009-03-29).md"
)
DONGYING = (
    "lawrefbook-laws/DLC/山东地方法规/地方性法规/山东/"
    "东营市城镇容貌和环境卫生管理条例(2016-09-26).md"
)
HEBEI = "provincial-gov-reports-2026/2026_河北省_政府工作报告.csv"
MANIFEST = "provincial-gov-reports-2026/run_manifest_2026.csv"
TOOLBAR = {"下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】"}


def read_one(rel: str, root: Path = CORPUS) -> Article:
    articles = read_articles(root / rel, rel)
    assert len(articles) == 1
    return articles[0]


def reason(path: Path, rel: str | None = None) -> str:
    with pytest.raises(ArticleError) as info:
        read_articles(path, rel or path.name)
    assert info.value.path == (rel or path.name)
    return info.value.reason


EXPECTED = {
    GOVCN_5: dict(
        title="国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见",
        # The document's own date is its 成文日期; gov.cn's 发布日期 is kept beside it.
        date="2019-01-27",
        written_date="2019-01-27",
        published_date="2019-02-15",
        kind="html",
        source="国务院",
        categories=["市场监管、安全生产监管", "工商"],
        tags=[],
        doc_number="国发〔2019〕5号",
        doc_number_keys=["国发2019-5"],
        url="http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm",
        warnings=[],
    ),
    GOVCN_707: dict(
        title="中华人民共和国个人所得税法实施条例",
        date="2018-12-18",
        written_date="2018-12-18",
        published_date="2018-12-22",
        source="国务院",
        categories=["财政、金融、审计", "税务"],
        doc_number="国令第707号",
        doc_number_keys=["国令707"],
    ),
    BROKEN_YAML: dict(
        title="第1集",
        body="第1集",
        date="2021-03-22",
        source="AGE 动漫 - 番剧详情",
        categories=["二次元", "AGE 动漫 - 番剧详情"],
        warnings=["front matter is not valid YAML; salvaged 6 fields line by line"],
    ),
    SEED: dict(
        title="【二十大·二十问】如何把握新发展格局下产业布局的基本逻辑",
        # Thu, 08 Sep 2022 23:55:00 GMT is the morning of the 9th in China.
        date="2022-09-09",
        published_date="2022-09-08",             # as the feed gives it: Thu, 08 Sep 2022 … GMT
        kind="post",
        source="ZAKER",
        categories=["新媒体", "ZAKER", "source"],
        doc_number="",
        doc_number_keys=[],
        url="",
        warnings=[],
    ),
    INVALID_DATE: dict(
        title="00后开始立遗嘱了，他们牵挂的东西跟90后有什么不同？",
        date=None,
        source="ZAKER",
        categories=["新媒体", "ZAKER", "精读"],
        warnings=["unreadable date 'Invalid Date'"],
    ),
    # The title comes from the front matter: the file name lost the decimal point.
    SINA: dict(
        title="1-5月上海房地产开发投资比去年同期下降18.0%。", date="2022-06-17", source="新浪财经"
    ),
    GUANCHA: dict(
        title="31省份新增本土确诊110例，其中河南87例、天津10例",
        date="2022-01-11",
        source="观察者网",
        categories=["新媒体", "观察者网", "头条"],
    ),
    PLACEHOLDER: dict(title="2022年春运今日开启", body="原文已被删除", date="2022-01-18"),
    IIT: dict(
        title="中华人民共和国个人所得税法实施条例",
        date="2018-12-18",
        written_date=None,
        source="国务院",
        categories=["行政法规"],
        doc_number="中华人民共和国国务院令第707号",
        doc_number_keys=["国令707", "国令142"],
        url="",
        warnings=[],
        published_date=None,
        kind="text",
        header=[
            "1994年1月28日 中华人民共和国国务院令第142号发布",
            "2005年12月19日 《国务院关于修改〈中华人民共和国个人所得税法实施条例〉的决定》第一次修订",
            "2008年2月18日 《国务院关于修改〈中华人民共和国个人所得税法实施条例〉的决定》第二次修订",
            "2011年7月19日 《国务院关于修改〈中华人民共和国个人所得税法实施条例〉的决定》第三次修订",
            "2018年12月18日 中华人民共和国国务院令第707号第四次修订",
            "2019年1月1日 施行",
        ],
    ),
    MOHRSS: dict(
        title="关于职工全年月平均工作时间和工资折算问题的通知",
        date="2009-03-29",
        source="人力资源社会保障部",
        categories=["部门规章", "人力资源社会保障部"],
        doc_number="劳社部发[2008]3号",
        doc_number_keys=["劳社部发2008-3"],
    ),
    # The file name carries the publication date; the header stops at the approval.
    DONGYING: dict(
        title="东营市城镇容貌和环境卫生管理条例",
        # 批准 2016-09-23 makes the city's regulation law; the file name's 09-26, three days
        # later, is its publication, not another version.
        date="2016-09-23",
        source="东营市人民代表大会常务委员会",
        categories=["地方性法规", "山东"],
        doc_number="",
        doc_number_keys=[],
    ),
}


@pytest.mark.parametrize(("rel", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_real_files_give_exact_metadata(rel, expected):
    article = read_one(rel)
    assert article.path == rel
    for name, value in expected.items():
        assert getattr(article, name) == value, name


@pytest.mark.parametrize("rel", [*EXPECTED, f"{HEBEI}#1"], ids=[*EXPECTED, HEBEI])
def test_bodies_are_clean_lines(rel):
    file_rel = rel.split("#")[0]
    [article] = read_articles(CORPUS / file_rel, file_rel)
    lines = article.body.split("\n")
    assert all(line and line == line.strip() for line in lines)
    assert not any("  " in line or "\u3000" in line or "\xa0" in line for line in lines)
    assert not TOOLBAR & set(lines)
    assert not re.search(r"<[a-zA-Z/!]", article.body)


def test_govcn_body_is_the_document_only():
    body = read_one(GOVCN_5).body
    lines = body.split("\n")
    assert lines[:3] == [
        "国务院关于在市场监管领域全面推行",
        "部门联合“双随机、一公开”监管的意见",
        "国发〔2019〕5号",
    ]
    assert lines[-3:] == ["国务院", "2019年1月27日", "（此件公开发布）"]
    for noise in ("索引号", "主题分类", "扫一扫", "javascript", "window.", "AddFavorite"):
        assert noise not in body


def test_front_matter_post_body_drops_images_and_links_markup():
    body = read_one(SEED).body
    assert body.startswith("\" 二十大 · 二十问 \" 网络主题宣传活动\n")
    assert "http" not in body and "img" not in body


def test_lawrefbook_body_starts_after_info_end():
    article = read_one(IIT)
    assert article.body.startswith("第一条 根据《中华人民共和国个人所得税法》")
    assert "INFO END" not in article.body and "#" not in article.body
    assert article.body.endswith("第三十六条 本条例自2019年1月1日起施行。")


def test_lawrefbook_headings_lose_their_marks():
    lines = read_one(DONGYING).body.split("\n")
    assert lines[0] == "第一章 总 则"


def test_provincial_csv_row():
    [article] = read_articles(CORPUS / HEBEI, HEBEI)
    assert article.path == f"{HEBEI}#1"
    assert article.title == "2026年河北省政府工作报告"
    assert (article.date, article.published_date) == ("2026-02-02", "2026-02-02")
    assert (article.source, article.region, article.kind) == ("河北省", "河北省", "row")
    assert article.url.startswith("https://s.fjlib.net:6443/interlibSSO/")
    assert not article.body.startswith("下载")
    assert article.body.split("\n")[:3] == [
        "2026年河北省政府工作报告",
        "——2026年1月26日在河北省第十四届人民代表大会第四次会议上",
        "来源：河北日报",
    ]
    assert article.warnings == []


def test_manifest_csv_is_not_an_article_file():
    assert reason(CORPUS / MANIFEST, MANIFEST) == (
        "no article columns (need a title or content column)"
    )


GBK_TITLE = "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"


@pytest.mark.parametrize(
    "name", ["gbk_no_charset.html", "gbk_meta_charset.html", "gb2312_http_equiv.htm"]
)
def test_gbk_pages_with_and_without_declaration(name):
    raw = (EDGE / name).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    article = read_one(name, EDGE)
    assert article.title == GBK_TITLE
    assert article.date == "2019-02-15"
    lines = article.body.split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("在市场监管领域全面推行“双随机、一公开”监管")
    assert "分享" not in article.body and "下载" not in article.body


@pytest.mark.parametrize(
    ("name", "expected"),
    [("binary.md", "binary file"), ("empty.md", "empty file")],
)
def test_unreadable_edge_files(name, expected):
    assert reason(EDGE / name) == expected


def test_front_matter_post_without_body_is_title_only():
    article = read_one("frontmatter_empty_body.md", EDGE)
    assert (article.title, article.body, article.date) == ("只有标题的文章", "", "2022-09-08")
    assert (article.categories, article.tags) == (["测试"], ["空正文"])


def test_unreadable_front_matter_date_is_a_warning():
    article = read_one("bad_date.md", EDGE)
    assert article.date is None
    assert article.warnings == ["unreadable date '2019年13月40日'"]
    assert article.source == "测试"
    assert article.body == "正文标题\n这是正文第一段。\n第二段 有全角空格。"


def test_jsonl_rows():
    first, second = read_articles(EDGE / "rows.jsonl", "edge/rows.jsonl")
    assert (first.path, second.path) == ("edge/rows.jsonl#1", "edge/rows.jsonl#2")
    assert first.title == GBK_TITLE
    assert first.body == "各省、自治区、直辖市人民政府：\n现提出如下意见。"
    assert (first.date, first.source) == ("2019-02-15", "国务院")
    assert (first.doc_number, first.doc_number_keys) == ("国发〔2019〕5号", ["国发2019-5"])
    assert first.url == "http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
    assert (second.title, second.body, second.date) == ("第二篇", "第一段\n第二段", "2019-01-27")
    assert second.tags == ["监管", "双随机"]


# Synthetic cases that need no committed file.


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_unsupported_suffix(tmp_path):
    path = write(tmp_path, "notes.xyz", "正文")
    assert reason(path) == "unsupported file type .xyz"
    assert ".xyz" not in SUPPORTED_SUFFIXES


def test_file_over_the_limit(tmp_path):
    path = write(tmp_path, "big.md", "字" * 1000)
    with pytest.raises(ArticleError) as info:
        read_articles(path, "big.md", max_bytes=1000)
    assert info.value.reason == "file too large (0.003 MB > 0.001 MB limit)"


@pytest.mark.parametrize("content", ["  \n\t\n", "\ufeff\u3000\n"])
def test_whitespace_only_file_is_empty(tmp_path, content):
    assert reason(write(tmp_path, "blank.md", content)) == "empty file"


def test_front_matter_without_title_or_text(tmp_path):
    path = write(tmp_path, "post.md", "---\ntitle: ''\ndate: 2022-09-08\n---\n\n")
    assert reason(path) == "no text"


def test_plain_text_without_heading_takes_first_line_as_title(tmp_path):
    text = "关于开展城镇小区配套幼儿园治理工作的通知\n国办发〔2019〕3号\n正文。\n"
    write(tmp_path, "note.txt", text)
    article = read_one("note.txt", tmp_path)
    assert article.title == "关于开展城镇小区配套幼儿园治理工作的通知"
    assert (article.doc_number, article.doc_number_keys) == ("国办发〔2019〕3号", ["国办发2019-3"])


def test_csv_chrome_breadcrumb_and_skipped_rows(tmp_path):
    text = (
        "\ufeff标题,正文,日期,省份\n"
        '报告,"您的位置:\n首页\n>\n要闻\n要闻\n报告\n【字体：\n大\n中\n小\n】\n各位代表：\n相关文档：",'
        "2026-02-03,云南省\n"
        ",,,\n"
        ',"",2026-02-04,贵州省\n'
        "第三篇,正文,2026/2/5,\n"
    )
    first, second = read_articles(write(tmp_path, "r.csv", text), "r.csv")
    assert (first.path, first.body, first.source) == ("r.csv#1", "报告\n各位代表：", "云南省")
    assert second.path == "r.csv#4"
    assert second.warnings == ["row 3 skipped: no title and no text"]
    assert second.date == "2026-02-05"


def test_csv_with_only_a_header_has_no_rows(tmp_path):
    assert reason(write(tmp_path, "h.csv", "title,content\n")) == "no rows"


def test_json_list_and_single_object(tmp_path):
    rows = [{"title": "一", "body": "甲"}, {"name": "二", "text": "乙", "date": "坏日期"}]
    first, second = read_articles(write(tmp_path, "a.json", json.dumps(rows)), "a.json")
    assert (first.path, second.path, second.title) == ("a.json#1", "a.json#2", "二")
    assert second.warnings == ["unreadable date '坏日期'"]
    [single] = read_articles(write(tmp_path, "b.json", json.dumps(rows[0])), "b.json")
    assert (single.path, single.body) == ("b.json", "甲")
    assert reason(write(tmp_path, "c.json", '{"id": 1}')) == (
        "no article columns (need a title or content column)"
    )


def test_html_page_chrome_is_removed(tmp_path):
    html = """<html><head><title>标题一 - 某某网</title><script>alert(1)</script></head><body>
    <div class="breadcrumb">首页 &gt; 政策</div><nav>导航</nav>
    <div class="share-box">分享到</div>
    <article><h1>标题一</h1><p>第一段&nbsp;&nbsp;文字<br>换行</p>
    <table><tr><td>甲</td><td>乙</td></tr></table>
    <div class="img_box"><img src="a.jpg"></div></article>
    <footer>版权所有</footer></body></html>"""
    write(tmp_path, "p.html", html)
    article = read_one("p.html", tmp_path)
    assert article.title == "标题一"
    assert article.body == "标题一\n第一段 文字\n换行\n甲 乙"


def test_html_chrome_without_content_container(tmp_path):
    menu = "".join(f'<a href="#">栏目{i}</a>' for i in range(120))
    text = "正文段落。" * 80
    html = (
        f'<html><body><div class="menu">{menu}</div>'
        f'<div id="printContent"><div>{text}</div><div>第二段</div></div>'
        '<div class="bread-crumb">首页 &gt; 政策</div></body></html>'
    )
    write(tmp_path, "q.html", html)
    article = read_one("q.html", tmp_path)
    assert article.body == f"{text}\n第二段"
    assert article.title == text[:60]


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("正文".encode(), None, "正文"),
        (codecs.BOM_UTF8 + "正文".encode(), None, "正文"),
        ("正文".encode("utf-16"), None, "正文"),
        ("中华人民共和国".encode("gbk"), None, "中华人民共和国"),
        ("中华人民共和国".encode("gbk"), "gb2312", "中华人民共和国"),
        # A stale GBK declaration on a UTF-8 file must not garble it.
        ("中华人民共和国".encode(), "gbk", "中华人民共和国"),
    ],
)
def test_decode_bytes(data, declared, expected):
    assert decode_bytes(data, declared) == expected


def test_decode_bytes_refuses_binary():
    with pytest.raises(ValueError, match="binary file"):
        decode_bytes(b"abc\x00def")


def test_error_string():
    error = ArticleError("a/b.md", "empty file")
    assert (str(error), error.path, error.reason) == ("a/b.md: empty file", "a/b.md", "empty file")


def test_a_ministrys_rule_filed_under_state_council_regulations_keeps_its_issuer():
    rel = "lawrefbook-laws/行政法规/互联网信息服务算法推荐管理规定(2021-11-16).md"
    article = read_one(rel, DATA / "metadata-corpus")
    assert (article.source, article.categories) == ("国家互联网信息办公室", ["行政法规"])


def test_a_regulation_a_ministry_promulgated_after_state_council_approval_is_the_ministrys():
    # The 国务院 approved it, the 民政部 issued it by its own 令: the issuer is the 民政部
    # (its level stays 行政法规: see test_describe).
    text = ("# 中国公民收养子女登记办法\n\n1999年5月12日 国务院批准\n\n1999年5月25日 民政部令第14号发布\n\n"
            "<!-- INFO END -->\n\n第一条 为了规范收养登记行为，制定本办法。\n")
    article = parse_markdown_doc(text, "lawrefbook-laws/行政法规/中国公民收养子女登记办法(1999-05-25).md")
    assert article.source == "民政部"
    assert article.header == ["1999年5月12日 国务院批准", "1999年5月25日 民政部令第14号发布"]
