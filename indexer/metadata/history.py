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

from indexer.sources.dates import iter_dates

# Strongest first: "修订通过" is a revision, "批准修订" too; "发布" and "颁布" are older
# words for 公布 (the 立法法 of 2000 says 公布), so one spelling serves every period.
_EVENT_WORDS = (
    ("修订", "修订"), ("修正", "修正"), ("修改", "修正"), ("公布", "公布"), ("发布", "公布"),
    ("颁布", "公布"), ("印发", "公布"), ("批准", "批准"), ("通过", "通过"), ("施行", "施行"),
)
_QUOTED = re.compile(r"《[^《》]*》")
_HISTORY_LINE = re.compile(r"^[(（]\s*\d{4}\s*年.*[)）]$")
# 自公布之日起施行, 自印发之日起实施, 发布之日施行, 本规定发布施行, 由交通部发布施行: in force
# from the day it was issued. In a text only a clause about the text itself counts, ending
# its sentence (本条例…公布之日起施行。): 本条例第七条规定的规划…公布实施的《…》 and 批准后
# 公布施行 said of a plan the text asks for are not this text's date.
_ISSUED = r"(?:公布|发布|印发|颁布|下发|颁发|发出)"
_ENTER = r"(?:施行|生效|执行|实施|实行)"
_ON_PUBLICATION = re.compile(rf"{_ISSUED}之日(?:起)?{_ENTER}|{_ISSUED}{_ENTER}")
_FORMS = (r"(?:条例|规定|办法|细则|通知|意见|决定|预案|方案|规则|法|规范|准则|章程|守则|纲要|"
          r"规划|命令|令|公告|通告|批复|函|决议|标准)")
_SELF_ISSUED = re.compile(
    rf"本(?:实施|暂行|试行)?{_FORMS}[^。；]{{0,30}}?{_ISSUED}(?:之日(?:起)?)?{_ENTER}(?=[。；,，]|$)",
    re.M)
# 自2019年3月1日起施行, 自二○○四年十月一日起施行, 从1986年7月1日起施行,
# 自2001年8月1日零时起施行, 自2020年 1 月 1 日起实施: the date is read by iter_dates.
_EFFECTIVE = re.compile(rf"[自从]([^自从起。；，\n]{{6,24}}?)(?:零时)?起{_ENTER}")
_SELF_EFFECTIVE = re.compile(
    rf"本(?:实施|暂行|试行)?{_FORMS}[^。；，\n]{{0,10}}?[自从]([^自从起。；，\n]{{6,24}}?)(?:零时)?起{_ENTER}")
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
    """施行日期 of this version: a 施行 event, else the text's own clause (本条例自…起施行;
    自公布之日起施行 and the like give this version's date). A date before the version's own
    date is the first version's (a revised text keeps 本条例自2004年7月1日起施行), so it is
    not this version's."""
    for event in reversed(events):
        if event["event"] == "施行" and event["date"] >= date:
            return event["date"]
    for dates in _clause_dates(body, date):
        # The earliest: from then on the text is (at least partly) in force.
        if valid := [d for d in dates if d and d >= date]:
            return min(valid)
    return ""


def stated_dates(body: str) -> list[str]:
    """The dates a text's own clauses say it takes effect (本条例自2019年3月1日起施行)."""
    return [d for dates in _clause_dates(body, "") for d in dates]


def _clause_dates(body: str, issued: str):
    """The dates of the 施行 clauses of the text's end, then its start (a notice's
    本通知自印发之日起施行), then of a clause about the text itself (本规范自…起实施)
    anywhere (a regulation followed by long appendices)."""
    for part in (body[-_TAIL:], body[:_HEAD]):
        dates = _stated(_EFFECTIVE.finditer(part))
        if issued and _SELF_ISSUED.search(part):
            dates.append(issued)
        yield dates
    if len(body) > _TAIL + _HEAD and "起" in body:
        yield _stated(_SELF_EFFECTIVE.finditer(body))


def _stated(matches) -> list[str]:
    return [iso for m in matches for _, _, iso in iter_dates(m[1].replace(" ", ""))]
