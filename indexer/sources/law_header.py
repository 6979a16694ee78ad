"""What a regulation file's header says about it: who issued it, its 文号 and its date.

A lawrefbook file puts its history before the text, one event a line, oldest first::

    2016年10月26日 杭州市第十二届人民代表大会常务委员会第四十次会议通过
    2016年12月23日 浙江省第十二届人民代表大会常务委员会第三十六次会议批准
    2016年12月23日 杭州市第十二届人民代表大会常务委员会公告第77号公布
    2017年3月1日 施行

Each date starts an event that runs to the next date (a line may hold two, a body may stand
on a line of its own: ``1984年1月7日 国务院`` / ``中央军委发布``). The issuer of the version in
the file is the body of its latest event that made the text — passed, issued or revised it
— by the document's own words: a 令 (公安部令第125号, 国家教育委员会令第10号、卫生部令第1号,
海关总署第61号令), a 人民代表大会 or its 常务委员会 that passed it (never one that only
approved it, 批准), the body of a revising decision (《国务院关于修改…的决定》), a body's own
meeting, a line ``…发布``. A standing committee's 公告 publishes what its congress passed:
it names the issuer only when nothing else does.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePosixPath

from indexer.chars import CJK
from indexer.sources.article import take_date
from indexer.sources.dates import iter_dates
from indexer.sources.docnum import find_doc_number

_NUM = r"[一二三四五六七八九十百零〇\d]+"
_PRC = "中华人民共和国"
_QUOTED = re.compile(r"《[^《》]*》")
_BODY = rf"[{CJK}]"
_BODIES = rf"(?:{_BODY}|、(?={_BODY}))"
# A 令 and the bodies before it (joint decrees name several, separated by 、).
_DECREE = re.compile(rf"({_BODIES}+?)(?:令第?\s*{_NUM}\s*号|第\s*{_NUM}\s*号令)")
# A standing committee's announcement: 宁波市第十三届人民代表大会常务委员会公告第16号公布,
# 青岛市人民代表大会常务委员会公告公布, 杭州市人民代表大会常务委员会第33号公布.
_ANNOUNCEMENT = re.compile(
    rf"({_BODY}+?)(?:第{_NUM}届)?(人民代表大会常务委员会)(?:公告)?(?:第\s*{_NUM}\s*号)?公布")
_ANNOUNCEMENT_NUMBER = re.compile(
    rf"{_BODY}+?(?:第{_NUM}届)?人民代表大会常务委员会(?:公告)?第\s*\d+\s*号(?=公布)")
_PUBLISHED = re.compile(rf"^({_BODIES}{{2,60}}?)(?:修正|修订)?(?:发布|公布|颁布)(?:施行)?$")
# The body that passed the text: a congress or its standing committee (relative names —
# 市十二届…, 县第五届… — are the place the title starts with).
_CONGRESS = re.compile(
    rf"^经?({_BODY}*?)第?{_NUM}届(人民代表大会(?:常务委员会)?)(?:第{_NUM}次)?会议"
    r"[^批]*?(?:通过|修订|修正)")
_MEETING = re.compile(
    rf"^经?(?:中华人民共和国)?({_BODY}{{2,20}}?)(?:\d{{4}}年)?第{_NUM}次"
    r"(?:部务|室务|局务|署务|委务|行务|主任|常务)会议")
# The body of a revising decision: 《国务院关于修改〈…〉的决定》, 《国务院、中央军事委员会关于…》.
_DECISION = re.compile(rf"《({_BODIES}{{2,60}}?)关于(?:修改|废止和修改|修改和废止)")
_MAKING = re.compile(r"通过|修订|修正|发布|公布|颁布|印发|令")
_BARE_NAME = re.compile(rf"^{_BODIES}{{2,30}}$")
# Days after a header's last event within which a file name's date is that version's
# publication rather than a later version (city regulations: 3-55 days after 批准).
PUBLICATION_DAYS = 60
_LAW_EVENT = re.compile(r"公布|发布|修订|通过|修正|批准|颁布|印发")
_IN_FORCE = re.compile(r"施行|执行|实施|生效")
_NAMED_DATE = re.compile(r"\((\d{4}-\d{1,2}-\d{1,2})\)")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日")


def _joined(header: list[str]) -> str:
    """The header as one text, NFKC (full-width digits), a body alone on its line joined to
    the next line by 、 (1984年1月7日 国务院 / 中央军委发布)."""
    lines = [unicodedata.normalize("NFKC", line).strip() for line in header]
    out: list[str] = []
    for line in lines:
        last = _after_date(out[-1]) if out else ""
        bare = _BARE_NAME.match(last) and not _LAW_EVENT.search(last)
        if bare and not _starts_with_date(line):
            out[-1] += "、" + line
        else:
            out.append(line)
    return "\n".join(out)


def _starts_with_date(line: str) -> bool:
    return next((start == 0 for start, _, _ in iter_dates(line)), False)


def _after_date(line: str) -> str:
    m = _DATE_LINE.match(line)
    return line[m.end():].strip() if m else line


def _signature(header: list[str]) -> str:
    """The body that signs a notice in the header (a name alone on its line, the date on
    the next: 劳动部 / 一九九四年十二月六日), or ""."""
    lines = [unicodedata.normalize("NFKC", line).strip() for line in header]
    for line, after in zip(lines, lines[1:], strict=False):
        if _BARE_NAME.match(line) and _starts_with_date(after):
            return line.removeprefix(_PRC)
    return ""


def _segments(header: list[str]) -> list[str]:
    """The text of each dated event of the header, oldest first (see the module docstring)."""
    text = _joined(header)
    found = list(iter_dates(text))
    return [text[end:found[i + 1][0] if i + 1 < len(found) else len(text)].strip(" \n，,。根据")
            for i, (_, end, _) in enumerate(found)]


def _decree_issuer(text: str) -> str:
    orgs = [part.removeprefix(_PRC) for m in _DECREE.finditer(text) for part in m[1].split("、")]
    return "、".join(dict.fromkeys(o for o in orgs if len(o) >= 2))


def _place(relative: str, title: str) -> str:
    """The place a relative name (市, 县) stands for: the title's opening place name."""
    end = title.find(relative)
    return title[: end + 1] if end > 0 else relative


def _congress(text: str, title: str) -> str:
    m = _CONGRESS.match(text)
    if not m:
        return ""
    place = m[1] if len(m[1]) >= 2 else _place(m[1] or "市", title)
    return place + m[2]


def _maker(segment: str, title: str) -> str:
    """The body that made the text in one event (passed, issued or revised it), or "" (a
    standing committee's 公告 only publishes it)."""
    plain = _QUOTED.sub("", segment).strip()
    if not _MAKING.search(segment.replace("修改", "")) or _ANNOUNCEMENT.search(plain):
        return ""
    if issuer := _decree_issuer(plain) or _congress(plain, title):
        return issuer
    if m := _DECISION.search(segment):
        return "、".join(b.removeprefix(_PRC) for b in m[1].split("、"))
    for line in reversed(plain.split("\n")):
        if m := _MEETING.match(line) or _PUBLISHED.match(line):
            return m[1].removeprefix(_PRC)
    return ""


def header_issuer(header: list[str], title: str = "") -> str:
    """The body that issued the version in the file, by the header's own words (see the
    module's docstring), or ""."""
    segments = _segments(header) if header else []
    for segment in reversed(segments):
        if issuer := _maker(segment, title):
            return issuer
    if signed := _signature(header):
        return signed
    for segment in segments:
        if m := _ANNOUNCEMENT.search(_QUOTED.sub("", segment)):
            return (m[1] if len(m[1]) >= 2 else _place("市", title)) + m[2]
    return ""


# A State Council act in a header: its approval, meeting, decree or revising decision.
_STATE_COUNCIL_ACT = re.compile(r"(?:国务院|政务院)[^，。\n]{0,16}(?:批准|通过|发布|公布|令|修订|关于修改)")


def state_council_act(header: list[str]) -> bool:
    """Whether the header shows an act of the State Council (or the 政务院) on the text:
    a rule it approved and a ministry issued is still a 行政法规."""
    return any(_STATE_COUNCIL_ACT.search(line) for line in header)


def law_source(header: list[str], folders: list[str], title: str = "") -> str:
    """The issuer of a regulation file: its header's, else its collection's folder (行政法规/:
    the 国务院)."""
    issuer = header_issuer(header, title)
    if folders[:1] == ["行政法规"]:
        return issuer or "国务院"
    return issuer or (folders[1] if len(folders) > 1 else "")


def law_doc_number(header: list[str]) -> str:
    """The newest number in the dated history lines (a 令, or a standing committee's
    公告第N号), else the first number in the header.

    History lines run oldest to newest; headers without them are embedded notices whose
    own number comes first and later numbers are citations.
    """
    def number(line: str) -> str:
        found = find_doc_number(line)
        if not found and (m := _ANNOUNCEMENT_NUMBER.search(_QUOTED.sub("", line))):
            found = m[0]
        return found or ""

    history = [n for line in header if _DATE_LINE.match(line) and (n := number(line))]
    if history:
        return history[-1]
    return next((n for line in header if (n := number(line))), "")


def law_date(header: list[str], rel: str) -> str | None:
    """Date of the version in the file: the latest date of its header, or the file name's.

    The file name's date is the version's where the header stops before it by more than
    ``PUBLICATION_DAYS`` (452 of 951 lawrefbook files omit their latest revision:
    个体工商户条例(2016-02-06) lists 2014 last). A file name dated a few days or weeks after
    the header's last event names no event of its own: it is the publication of that same
    version (东营市…条例(2016-09-26): 批准 2016-09-23), and the header's date is kept. A
    file name dated before the header's last event contradicts the document's own history,
    which wins (核材料管制条例(1987-06-14): 1987年6月15日 国务院发布).
    """
    every = _event_dates(header)
    named = None
    if m := _NAMED_DATE.search(PurePosixPath(rel).name):
        named = take_date(m[1], [])
    if not every:
        return named
    last = max(every)
    if named and named > last and _days(last, named) > PUBLICATION_DAYS:
        return named
    return last


def _event_dates(header: list[str]) -> list[str]:
    """Dates of the header's events: each date starts an event that runs to the next date
    (over line breaks: 1958年4月19日 交通部 / 水产部发布). Dates of events of the text —
    公布, 通过, 批准, 修订 … — else any date but a 施行 date (a bare date under a notice is
    still its date; a 施行 date says when it applies)."""
    text = unicodedata.normalize("NFKC", "\n".join(header))
    found = list(iter_dates(text))
    segments = [(iso, text[end:found[i + 1][0] if i + 1 < len(found) else len(text)])
                for i, (_, end, iso) in enumerate(found)]
    events = [iso for iso, segment in segments if _LAW_EVENT.search(segment)]
    return events or [iso for iso, segment in segments if not _IN_FORCE.search(segment)]


def _days(earlier: str, later: str) -> int:
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days
