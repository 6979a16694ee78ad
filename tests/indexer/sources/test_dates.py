import datetime as dt

import pytest

from indexer.sources.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Thu, 08 Sep 2022 15:55:00 GMT", "2022-09-08"),
        ("08 Sep 2022 23:55:00 +0800", "2022-09-08"),
        ("2022-09-08", "2022-09-08"),
        ("2022-09-08T10:00:00+08:00", "2022-09-08"),
        ("2022-09-08T10:00:00Z", "2022-09-08"),
        ("2022-09-08 10:00:00+08:00", "2022-09-08"),
        ("2022-09-08 10:00:00", "2022-09-08"),
        ("2021-03-22 04:50:47", "2021-03-22"),
        ("2019年01月27日", "2019-01-27"),
        ("2019年1月27日", "2019-01-27"),
        ("2019 年 1 月 27 日", "2019-01-27"),
        ("2026年02月10日 07时41分", "2026-02-10"),
        ("2019-1-27", "2019-01-27"),
        ("2019/1/27", "2019-01-27"),
        ("2019.1.27", "2019-01-27"),
        ("２０１９年１月２７日", "2019-01-27"),
        ("  2019-01-27  ", "2019-01-27"),
        ("二〇〇四年三月二日", "2004-03-02"),
        ("一九九五年三月二十六日", "1995-03-26"),
        (dt.date(2019, 1, 27), "2019-01-27"),
        (dt.datetime(2021, 3, 22, 4, 50, 47), "2021-03-22"),
    ],
)
def test_parse_date_reads_every_corpus_form(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # 16:00 GMT is midnight in China: feeds' GMT stamps are moved to UTC+8.
        ("Thu, 08 Sep 2022 23:55:00 GMT", "2022-09-09"),
        ("Sun, 10 Oct 2021 18:26:44 GMT", "2021-10-11"),
        ("Sat, 09 Jul 2022 15:59:00 GMT", "2022-07-09"),
        ("Sat, 09 Jul 2022 16:00:00 GMT", "2022-07-10"),
        ("2022-09-08T17:00:00Z", "2022-09-09"),
        ("2022-09-08T20:00:00-04:00", "2022-09-09"),
        (dt.datetime(2022, 9, 8, 20, 0, tzinfo=dt.UTC), "2022-09-09"),
        # Without a zone, or with an ambiguous letter zone (China or US Central), as given.
        ("2022-09-08 23:00:00", "2022-09-08"),
        ("Thu, 08 Sep 2022 23:55:00 CST", "2022-09-08"),
    ],
)
def test_times_with_a_zone_are_dated_in_china_time(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2022-09-08 25:00:00Z",
        "2019年13月40日",
        "2019-02-30",
        "2019-13-01",
        "Invalid Date",
        "Thu, 08 Foo 2022 23:55:00 GMT",
        "2019-01",
        "2019-1/27",
        "2019-01-27 foo",
        "20190127",
        "",
        "   ",
        None,
        20190127,
        "二〇〇四年十三月二日",
    ],
)
def test_parse_date_rejects_unreadable_values(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018年12月18日 中华人民共和国国务院令第707号第四次修订", ["2018-12-18"]),
        ("1994年1月28日 发布，2019年1月1日 施行", ["1994-01-28", "2019-01-01"]),
        ("个人所得税法实施条例(2018-12-18).md", ["2018-12-18"]),
        ("一九九四年十二月六日", ["1994-12-06"]),
        ("2019年13月40日 通过", []),
        ("第十四届人民代表大会第四次会议", []),
    ],
)
def test_find_dates_in_running_text(text, expected):
    assert find_dates(text) == expected
