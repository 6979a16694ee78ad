"""History events and 施行日期 from header lines and texts."""

from indexer.metadata.history import effective_date, history, history_lines


def test_each_date_starts_an_event_named_by_its_strongest_word():
    lines = [
        "1997年11月28日 重庆市第一届人民代表大会常务委员会第五次会议通过",
        "2004年6月28日 重庆市第二届人民代表大会常务委员会第十次会议《关于取消部分地方性法规中行政"
        "许可项目的决定》第二次修正   2012年9月27日重庆市第三届人民代表大会常务委员会第三十六次会议修订",
        "2018年9月6日 国务院第23次常务会议修订通过",
        "1990年1月1日 国家统计局令第1号发布  自发布之日施行",
    ]
    assert history(lines) == [
        {"date": "1990-01-01", "event": "公布"},
        {"date": "1990-01-01", "event": "施行"},
        {"date": "1997-11-28", "event": "通过"},
        {"date": "2004-06-28", "event": "修正"},
        {"date": "2012-09-27", "event": "修订"},
        {"date": "2018-09-06", "event": "修订"},
    ]


def test_words_inside_cited_titles_are_no_events():
    # 修改 in the decision's title is not what happened on that day: a revision did.
    lines = ["2022年3月29日 《国务院关于修改和废止部分行政法规的决定》第四次修订"]
    assert history(lines) == [{"date": "2022-03-29", "event": "修订"}]
    assert history(["一九九五年三月二十六日"]) == []


def test_a_pages_history_line_under_its_title():
    body = ("专利代理条例\n（1991年3月4日中华人民共和国国务院令第76号发布 2018年9月6日国务院第23次"
            "常务会议修订通过）\n第一条 …")
    assert history_lines([], body) == [body.split("\n")[1]]
    assert history_lines(["2019年1月1日 施行"], body) == ["2019年1月1日 施行"]


def test_effective_date():
    events = [{"date": "2018-11-06", "event": "公布"}, {"date": "2019-03-01", "event": "施行"}]
    assert effective_date(events, "", "2018-11-06") == "2019-03-01"
    assert effective_date([], "第三十二条 本条例自2019年3月1日起施行。", "2018-11-06") == "2019-03-01"
    assert effective_date([], "本通知自印发之日起施行。", "2019-01-27") == "2019-01-27"
    # The first version's date in a revised text is not this version's.
    assert effective_date([], "第八十二条 本条例自2004年7月1日起施行。", "2023-07-20") == ""
    assert effective_date([], "本条例自2019年2月30日起施行。", "2018-11-06") == ""
