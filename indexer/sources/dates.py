"""Date parsing for the forms that occur in the corpus.

Every function returns ISO ``YYYY-MM-DD`` or nothing: a value that cannot be
read unambiguously is rejected rather than guessed, because a wrong date
silently corrupts date filters and sorting.

A time with a zone (``GMT``, ``Z``, ``+0000`` …) is converted to China time (UTC+8)
before the date is taken: feeds stamp Chinese news in GMT, and a post made at 01:30 in
Beijing is dated the previous day in GMT. A time without a zone is taken as given.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}

# The time part is validated loosely but must still look like a time, so that
# strings such as "2019-01-27 foo" are not accepted as dates.
_ZONE = r"(?P<zone>Z|[+-]\d{2}:?\d{2}|GMT|UTC)"
_TIME = (
    r"(?:[T\s]+(?P<hour>\d{1,2})[:时](?P<minute>\d{1,2})(?:[:分]\d{1,2}(?:\.\d+)?秒?)?分?"
    rf"\s*{_ZONE}?)?"
)
_NUMERIC = re.compile(rf"(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}")
_CHINESE = re.compile(rf"(\d{{4}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]{_TIME}")
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?)?"
    # Letter zones other than GMT/UTC (CST, EST …) are ambiguous and left unconverted.
    rf"(?:\s*(?:{_ZONE}|[A-Z]{{2,4}}))?"
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS |= {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_CN_NUM = "〇零○一二三四五六七八九十"
_CHINESE_NUMERALS = re.compile(rf"([{_CN_NUM}]{{4}})年([{_CN_NUM}]{{1,3}})月([{_CN_NUM}]{{1,3}})日")

# Patterns used to find dates inside running text (headers, filenames).
_FIND = re.compile(
    r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"|(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"
    rf"|{_CHINESE_NUMERALS.pattern}"
)


def _iso(year: int | str, month: int | str, day: int | str) -> str | None:
    try:
        d = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return d.isoformat() if 1000 <= d.year <= 2999 else None


def _cn_number(text: str) -> int | None:
    """Small Chinese numerals as used in dates: 七, 十二, 二十七, 三十一."""
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    t = _CN_DIGITS.get(tens, -1) if tens else 1
    o = _CN_DIGITS.get(ones, -1) if ones else 0
    return None if t < 0 or o < 0 else t * 10 + o


def _cn_date(year: str, month: str, day: str) -> str | None:
    digits = [_CN_DIGITS.get(c) for c in year]
    m, d = _cn_number(month), _cn_number(day)
    if None in digits or m is None or d is None:
        return None
    return _iso("".join(map(str, digits)), m, d)


_CHINA = dt.timezone(dt.timedelta(hours=8))


def _zone_offset(zone: str) -> dt.timedelta:
    if zone in ("Z", "GMT", "UTC"):
        return dt.timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def _china_date(iso: str | None, m: re.Match[str]) -> str | None:
    """``iso`` moved to China time when the match holds a time with a zone."""
    if iso is None or not m["zone"] or m["hour"] is None:
        return iso
    hour, minute = int(m["hour"]), int(m["minute"])
    if hour > 23 or minute > 59:
        return None
    tz = dt.timezone(_zone_offset(m["zone"]))
    moment = dt.datetime.fromisoformat(iso).replace(hour=hour, minute=minute, tzinfo=tz)
    return moment.astimezone(_CHINA).date().isoformat()


def _as_written(iso: str | None, m: re.Match[str]) -> str | None:
    """``iso`` as written (a time that is no time makes the value unreadable, as for
    ``_china_date``)."""
    if iso is None or m["hour"] is None:
        return iso
    return iso if int(m["hour"]) <= 23 and int(m["minute"]) <= 59 else None


def parse_date(value: object, china: bool = True) -> str | None:
    """ISO date for a whole value (string, date or datetime), or None if unreadable.

    ``china=False`` gives the day as written, in the zone the value names (Mon, 13 Dec
    2021 19:10:34 GMT → 2021-12-13, which is 2021-12-14 in China): a 发布日期 as given.
    """
    if isinstance(value, dt.datetime):
        moment = value.astimezone(_CHINA) if value.tzinfo is not None and china else value
        return moment.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    zoned = _china_date if china else _as_written
    if m := _NUMERIC.fullmatch(text):
        return zoned(_iso(m[1], m[3], m[4]), m)
    if m := _CHINESE.fullmatch(text):
        return zoned(_iso(m[1], m[2], m[3]), m)
    if m := _RFC822.fullmatch(text):
        month = _MONTHS.get(m[2].lower())
        return zoned(_iso(m[3], month, m[1]), m) if month else None
    if m := _CHINESE_NUMERALS.fullmatch(text):
        return _cn_date(m[1], m[2], m[3])
    return None


def iter_dates(text: str):
    """(start, end, ISO date) of every valid date written inside a text, in order.

    Offsets are those of the NFKC form of the text, which has the same length as the
    text for the dates and digits that occur in Chinese documents (full-width digits).
    """
    for m in _FIND.finditer(unicodedata.normalize("NFKC", text)):
        if m[1]:
            iso = _iso(m[1], m[2], m[3])
        elif m[4]:
            iso = _iso(m[4], m[5], m[6])
        else:
            iso = _cn_date(m[7], m[8], m[9])
        if iso:
            yield m.start(), m.end(), iso


def find_dates(text: str) -> list[str]:
    """ISO dates of all valid dates written inside a text, in order of appearance."""
    return [iso for _, _, iso in iter_dates(text)]
