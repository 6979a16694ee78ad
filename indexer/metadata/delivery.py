"""The date a report or speech was delivered, from its delivery line.

A 政府工作报告 (and any speech given at a meeting) says under its title when and where it
was given: ``——2026年1月26日在河北省第十四届人民代表大会第四次会议上``, also written
``（2026年1月27日在…）``, ``――二〇二六年一月二十七日在…`` or broken over two lines. That
is the document's own date; the date a site re-posted it is its 发布日期.
"""

from __future__ import annotations

import re
import unicodedata

from indexer.sources.dates import iter_dates

# The lines a delivery line can be among: the title, a source and time line, page chrome
# left over, the speaker's name come first.
_TOP_LINES = 20
_LEAD = re.compile(r"^[\s—―\-－–－~～(（]*")


def delivery_date(body: str) -> str:
    """ISO date of a delivery line near the top of ``body`` (a date at the start of a line,
    after dashes or a bracket, followed by 在), else ""."""
    for line in body.split("\n", _TOP_LINES)[:_TOP_LINES]:
        line = unicodedata.normalize("NFKC", line)
        start = _LEAD.match(line).end()
        for begin, end, iso in iter_dates(line):
            if begin == start and line.startswith("在", end):
                return iso
            break
    return ""
