"""What a text refers to: 《title》 mentions, 文号 references and the documents it abolishes.

A mention keeps the title as written and its ``chain_key`` (so 《中华人民共和国道路运输条例》 and
《道路运输条例》 meet), plus the version where the text names one: a year or date before it
(2022年修订的《…》, 2008年5月27日发布的《…》), a note after it (《…》（2019年修订）) or the
decree number after it (《机动车登记规定》（公安部令第102号）).
"""

from __future__ import annotations

import re

from indexer.metadata.titles import chain_key, doc_type
from indexer.sources.docnum import docnum_key, find_doc_numbers

_MENTION = re.compile(r"《([^《》\n]{2,80})》")
_VERSION_BEFORE = re.compile(
    r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?[^《》，。；、]{0,30}?"
    r"(?:修订|修正|公布|发布|颁布|印发|通过|批准)的$"
)
_VERSION_AFTER = re.compile(r"[(（](\d{4})年?(?:第[一二三四五六七八九十]+次)?(?:修订|修正)本?[)）]")
_NUMBER_AFTER = re.compile(r"[(（]([^()（）]{2,30}号)[)）]")
# Mentions that name no document: certificates, forms, newspapers (《进口药品注册证》).
_OTHER_ENDINGS = ("公约", "协定", "协议", "条约", "宪章", "目录", "清单", "标准", "大纲", "指南")
_STOPS = "。；;\n"
_ABOLISH = "废止"
_LOOK_BEHIND, _NUMBER_WINDOW = 45, 60


def _version_before(text: str, start: int) -> str:
    m = _VERSION_BEFORE.search(text, max(0, start - _LOOK_BEHIND), start)
    if not m:
        return ""
    year, month, day = m.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}" if day else year


def _version_after(text: str, end: int) -> tuple[str, str]:
    """(version year, 文号 key) written right after a mention."""
    if m := _VERSION_AFTER.match(text, end):
        return m[1], ""
    if (m := _NUMBER_AFTER.match(text, end)) and (key := docnum_key(m[1])):
        return "", key
    return "", ""


def is_document_title(title: str) -> bool:
    """Whether a 《》 holds a document's title rather than a certificate, form or book."""
    return bool(doc_type(title)) or title.endswith(_OTHER_ENDINGS)


def _mention(text: str, m: re.Match[str]) -> dict[str, str]:
    title = m[1].strip()
    found = {"title": title, "key": chain_key(title)}
    version = _version_before(text, m.start())
    after, number = _version_after(text, m.end())
    if version or after:
        found["version"] = version or after
    if number:
        found["docnum"] = number
    return found


def mentions(text: str, own_key: str = "") -> list[dict[str, str]]:
    """Distinct document mentions in a text: ``[{"title", "key", "version"?, "docnum"?}]``;
    mentions of the document itself (``own_key``) are left out."""
    found: dict[tuple[str, str, str], dict[str, str]] = {}
    for m in _MENTION.finditer(text):
        if not is_document_title(m[1]):
            continue
        mention = _mention(text, m)
        ident = (mention["key"], mention.get("version", ""), mention.get("docnum", ""))
        if mention["key"] != own_key and ident not in found:
            found[ident] = mention
    return list(found.values())


def _sentences_with(text: str, word: str):
    """The sentences (between 。；and line ends) that contain ``word``, each once."""
    at, end = text.find(word), -1
    while at >= 0:
        if at >= end:
            start = max(text.rfind(c, 0, at) for c in _STOPS) + 1
            end = min((i for c in _STOPS if (i := text.find(c, at)) >= 0), default=len(text))
            yield text[start:end]
        at = text.find(word, at + 1)


def abolished(text: str, own_key: str = "") -> list[dict[str, str]]:
    """Mentions that a sentence of the text abolishes (…《X》同时废止, 废止《X》, 《X》予以废止).

    Only sentences that say 废止 outside any 《》 count: 《国务院关于修改和废止部分行政法规
    的决定》 abolishes nothing by being cited. A mention followed by 第…条 abolishes an
    article, not the document.
    """
    found: list[dict[str, str]] = []
    for part in _sentences_with(text, _ABOLISH):
        if _ABOLISH not in _MENTION.sub("", part):
            continue
        for m in _MENTION.finditer(part):
            if is_document_title(m[1]) and not part.startswith("第", m.end()):
                mention = _mention(part, m)
                if mention["key"] != own_key and mention not in found:
                    found.append(mention)
    return found


def _number_windows(text: str) -> list[tuple[int, int]]:
    """Spans that can hold a document number: every number ends in 号, so only the text
    just before each 号 is searched (a full scan of a long text costs milliseconds)."""
    spans: list[tuple[int, int]] = []
    at = text.find("号")
    while at >= 0:
        start = max(0, at - _NUMBER_WINDOW)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], at + 1)
        else:
            spans.append((start, at + 1))
        at = text.find("号", at + 1)
    return spans


def number_references(text: str, own_keys: list[str]) -> list[dict[str, str]]:
    """文号 written in a text (国发〔2019〕5号, 国务院令第406号): ``[{"number", "key"}]``,
    without the document's own numbers."""
    found: dict[str, str] = {}
    for start, end in _number_windows(text):
        for written, key in find_doc_numbers(text[start:end]):
            if key not in own_keys:
                found.setdefault(key, written)
    return [{"number": written, "key": key} for key, written in found.items()]
