"""Dates as a query gives them (``date:2018..2019``, the ``from``/``to`` parameters): the
ISO bounds of a year, a month or a day."""

from __future__ import annotations

import re

from indexer.analysis import normalize
from indexer.vocabulary import parse_date
from searchapp.engine.plan import DateRange

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")


def date_bound(text: str, end: bool) -> str | None:
    """'2018' / '2018-03' / any full date form → ISO bound (start or end of the period)."""
    text = normalize(text or "").strip()
    if not text:
        return None
    if _YEAR.match(text):
        return f"{text}-12-31" if end else f"{text}-01-01"
    if m := _MONTH.match(text):
        month = int(m.group(2))
        if 1 <= month <= 12:
            return f"{m.group(1)}-{month:02d}-{31 if end else 1:02d}"
        return None
    return parse_date(text)


def date_query(text: str) -> DateRange | None:
    """``2018..2019``, ``2018..``, ``..2019`` or a single period ``2019`` / ``2019-02``."""
    start, sep, stop = text.partition("..")
    if not sep:
        start = stop = text
    low, high = date_bound(start, False), date_bound(stop, True)
    if low is None and high is None:
        return None
    return DateRange(low, high)
