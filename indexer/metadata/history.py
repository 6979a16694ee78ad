"""A regulation's history (公布, 修订, 修正, 施行 …) and the date it takes effect.

The history is read from the lines a regulation file puts before its text (lawrefbook:
``2004年4月30日 中华人民共和国国务院令第406号公布``) or, for a page, from the line in
parentheses under the title: ``（1991年3月4日中华人民共和国国务院令第76号发布 2018年9月6日国务院第
23次常务会议修订通过）``. Each date starts an event that runs to the next date; the event
is named by the strongest word in it.
"""

from __future__ import annotations

import re
import unicodedata

from indexer.sources.dates import iter_dates, parse_date

# Strongest first: "修订通过" is a revision, "批准修订" too; "发布" and "颁布" are older
# words for 公布 (the 立法法 of 2000 says 公布), so one spelling serves every period.
_EVENT_WORDS = (
    ("修订", "修订"), ("修正", "修正"), ("修改", "修正"), ("公布", "公布"), ("发布", "公布"),
    ("颁布", "公布"), ("印发", "公布"), ("批准", "批准"), ("通过", "通过"), ("施行", "施行"),
)
_QUOTED = re.compile(r"《[^《》]*》")
_HISTORY_LINE = re.compile(r"^[(（]\s*\d{4}\s*年.*[)）]$")
_ON_PUBLICATION = re.compile(r"(?:公布|发布|印发|颁布)之日(?:起)?(?:施行|生效)")
_EFFECTIVE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:施行|生效|执行)")
_TAIL, _HEAD = 3000, 600


def _event(segment: str) -> str:
    return next((event for word, event in _EVENT_WORDS if word in segment), "")


def history(lines: list[str]) -> list[dict[str, str]]:
    """``[{"date", "event"}]`` from history lines, by date; a date without an event word
    (a signature date, a date inside a cited title) is left out."""
    # Titles inside 《》 (修改…的决定) hold event words and dates that are not events.
    text = _QUOTED.sub("《》", unicodedata.normalize("NFKC", "\n".join(lines)))
    found = list(iter_dates(text))
    events: list[dict[str, str]] = []
    for i, (_, end, iso) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        segment = text[end:stop]
        event = _event(segment)
        if event and {"date": iso, "event": event} not in events:
            events.append({"date": iso, "event": event})
        if event != "施行" and _ON_PUBLICATION.search(segment):
            events.append({"date": iso, "event": "施行"})
    return sorted(events, key=lambda e: e["date"])


def history_lines(header: list[str], body: str) -> list[str]:
    """The header lines, or the parenthesised history line near the top of a page's body."""
    if header:
        return header
    for line in body.split("\n", 15)[:15]:
        if _HISTORY_LINE.match(line):
            return [line]
    return []


def effective_date(events: list[dict[str, str]], body: str, date: str) -> str:
    """施行日期 of this version: a 施行 event, else the text's own clause (本条例自…起施行,
    自公布之日起施行). A date before the version's own date is the first version's (a
    revised text keeps 本条例自2004年7月1日起施行), so it is not this version's."""
    for event in reversed(events):
        if event["event"] == "施行" and event["date"] >= date:
            return event["date"]
    for part in (body[-_TAIL:], body[:_HEAD]):
        if found := _clause_date(part, date):
            return found
    return ""


def _clause_date(text: str, date: str) -> str:
    dates = [parse_date(f"{y}-{m}-{d}") for y, m, d in _EFFECTIVE.findall(text)]
    if _ON_PUBLICATION.search(text) and date:
        dates.append(date)
    # The earliest: from then on the text is (at least partly) in force.
    valid = [d for d in dates if d and d >= date]
    return min(valid) if valid else ""
