"""The metadata an official document carries in its own text (GB/T 9704 公文格式).

A document file has no metadata table like a gov.cn page; the same facts stand in its
layout, and are read here by the same rules (``find_doc_number``, ``parse_date``):

- 发文机关标志: a short line at the top, ``国务院办公厅文件`` or, on a letter (函), the
  body's name alone;
- 发文字号: a short line near the top that is a document number (国办发〔2019〕3号);
- 标题: the lines between the header and the first of 发文字号 / 主送 (gov.cn prints the
  number under the title, GB/T 9704 above it: both are read), joined: a long title wraps;
- 主送机关: the first line ending in a colon;
- 发文机关署名 and 成文日期: the first line after the 主送 that is a date alone, and the
  short lines naming bodies just above it.

The title never comes from the file's own metadata (a word processor leaves "Microsoft
Word - 新建文档" there); ``title_from_file`` only falls back to it when it is a real title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.sources.dates import parse_date
from indexer.sources.docnum import find_doc_number

_HEAD = 20                      # lines where the header, number, title and 主送 stand
_ISSUER_END = re.compile(
    r"(?:国务院|部|委员会|委|总局|局|署|银行|办公厅|办公室|人民政府|政府|院|会|厅|中心|党委|党组|小组|公司)$")
_PUNCT = re.compile(r"[，。；！？,;!?]")
_LABEL = re.compile(r"^(?:附件|附表|附录)\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$")
_HEADING = re.compile(r"^第[一二三四五六七八九十百零〇0-9]+[章节条编]")
_JUNK_TITLE = re.compile(
    r"microsoft|wps|untitled|新建|文档\d*$|^doc\d*$|\.(?:docx?|wps|pdf|ofd)$|^[A-Za-z0-9_\-. ]+$", re.I)


@dataclass
class Official:
    title: str = ""
    doc_number: str = ""
    source: str = ""
    written_date: str | None = None
    title_lines: tuple[int, int] = (0, 0)      # [start, end) of the title in the lines


def _compact(line: str) -> str:
    return re.sub(r"\s+", "", line)


def _is_issuer(line: str) -> bool:
    text = _compact(line)
    return 2 <= len(text) <= 30 and not _PUNCT.search(text) and bool(_ISSUER_END.search(text)) \
        and "关于" not in text


# A number line that cannot be read as one (an OCR error in its prefix or brackets) still
# ends the title: a short line with a year in brackets followed by a number.
_NUMBER_LIKE = re.compile(r"[〔\[【(（][^〕\]】)）]{0,3}(?:19|20)\d\d\s*[〕\]】)）]\S?\s*\d")


def _number_at(lines: list[str]) -> tuple[int, str]:
    for i, line in enumerate(lines[:_HEAD]):
        text = _compact(line)
        if len(text) <= 40 and (found := find_doc_number(text)) and len(text) <= len(found) + 12:
            return i, found
    for i, line in enumerate(lines[:_HEAD]):
        if len(_compact(line)) <= 30 and _NUMBER_LIKE.search(_compact(line)):
            return i, ""
    return -1, ""


def _mark_at(lines: list[str]) -> int:
    """The last line of the 发文机关标志 (joint issuers stand one per line), or -1."""
    for i, line in enumerate(lines[:3]):
        text = _compact(line)
        if text.endswith("文件") and 4 <= len(text) <= 30:
            return i
        if i == 0 and _is_issuer(text):
            last = 0
            # Joint issuers differ; a letter's title may open with its issuer's name again.
            while last + 1 < min(len(lines), 4) and _is_issuer(lines[last + 1]) \
                    and _compact(lines[last + 1]) not in {_compact(x) for x in lines[:last + 1]}:
                last += 1
            return last
    return -1


def _title_like(line: str) -> bool:
    text = _compact(line)
    return 2 <= len(text) <= 40 and not re.search(r"[。；！？]", text) and not _HEADING.match(text) \
        and not text.endswith(("：", ":")) and parse_date(text) is None


def _title_span(lines: list[str], start: int, number_at: int, addressee_at: int) -> tuple[int, int]:
    stops = [i for i in (number_at, addressee_at) if i >= start]
    end = min(stops) if stops else start
    if end == start and number_at == start:          # 文号 above the title (GB/T 9704)
        start, stops = number_at + 1, [i for i in (addressee_at,) if i > number_at]
        end = min(stops) if stops else start
    if start < end <= start + 4 and all(_title_like(line) for line in lines[start:end]):
        return start, end
    # No header structure: the first line, if it reads as a title.
    while start < len(lines) and _LABEL.match(_compact(lines[start])):
        start += 1
    return (start, start + 1) if start < len(lines) and _title_like(lines[start]) else (start, start)


def _signature(lines: list[str], after: int) -> tuple[str, str | None]:
    """(署名, 成文日期) from the first date-only line after ``after``."""
    for i in range(max(after, 0), len(lines)):
        text = _compact(lines[i])
        if len(text) > 20 or (date := parse_date(text)) is None:
            continue
        names = []
        j = i - 1
        while j > after and len(names) < 3 and _is_issuer(lines[j]):
            names.insert(0, _compact(lines[j]))
            j -= 1
        return "、".join(names), date
    return "", None


def official_fields(lines: list[str]) -> Official:
    """What the layout of an official document says (see the module docstring)."""
    lines = [line for line in lines if line.strip()]
    number_at, number = _number_at(lines)
    mark_at = _mark_at(lines)
    start = mark_at + 1
    addressee_at = next((i for i, line in enumerate(lines[:_HEAD]) if i >= start
                         and line.rstrip().endswith(("：", ":")) and len(line) <= 150), -1)
    t0, t1 = _title_span(lines, start, number_at, addressee_at)
    title = "".join(_compact(line) for line in lines[t0:t1])
    signed, date = _signature(lines, max(addressee_at, number_at, t1 - 1))
    source = signed
    if not source and mark_at >= 0:
        mark = _compact(lines[mark_at])
        source = mark[:-2] if mark.endswith("文件") else mark
    if not source and "关于" in title and _is_issuer(title.split("关于", 1)[0]):
        source = title.split("关于", 1)[0]
    return Official(title, number, source, date, (t0, t1))


def title_from_file(own: str) -> str:
    """A title from the file's metadata, or "" when it is a word processor's placeholder."""
    own = own.strip()
    return "" if not own or _JUNK_TITLE.search(own) else own
