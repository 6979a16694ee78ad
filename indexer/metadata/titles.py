"""Titles: the keys that join documents (versions, citations) and the 文种 a title names.

``title_key`` makes the spellings of one title equal (widths, traditional characters,
punctuation, brackets: 〈〉 inside a title is written <> or 《》 elsewhere). ``chain_key``
also drops what differs between the versions of one regulation: the 中华人民共和国 prefix
(the file of a regulation often omits it, a citation often adds it) and version notes such
as (2019修订) or （2018年修正本）.
"""

from __future__ import annotations

import re

from indexer.analysis.normalize import normalize

PRC = "中华人民共和国"
_NOT_WORD = re.compile(r"[\W_]+")
# Trailing notes of a version or a draft, not part of the regulation's name.
_VERSION_NOTE = re.compile(
    r"[(（]\s*(?:\d{4}\s*年?\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?\s*)?"
    r"(?:第[一二三四五六七八九十]+次)?(?:修订|修正|修改|公布|版|本)[本稿]?\s*[)）]\s*$"
    r"|[(（]\s*\d{4}\s*[)）]\s*$"
)

# 文种: the 15 kinds of official documents (党政机关公文处理工作条例) and the forms of
# rules, by the word a title ends with. Longer endings come first (办法 before 法,
# 通知 before 知). 令 is the decree form of 命令.
_ENDINGS = [
    ("细则", "细则"), ("办法", "办法"), ("条例", "条例"), ("规定", "规定"), ("规则", "规则"),
    ("纲要", "纲要"), ("方案", "方案"), ("规划", "规划"), ("计划", "计划"), ("规范", "规范"),
    ("准则", "准则"), ("守则", "守则"), ("章程", "章程"), ("预案", "预案"),
    ("决议", "决议"), ("决定", "决定"), ("命令", "命令"), ("公报", "公报"), ("公告", "公告"),
    ("通告", "通告"), ("意见", "意见"), ("通知", "通知"), ("通报", "通报"), ("报告", "报告"),
    ("请示", "请示"), ("批复", "批复"), ("议案", "议案"), ("纪要", "纪要"), ("函", "函"),
]
_FORMS = tuple(word for word, _ in _ENDINGS)
# 法 ends many words that are not laws (方法, 做法, 执法, 违法 …); a law's title is
# 中华人民共和国…法 or …法 after a subject of at least two characters that is none of these.
_NOT_LAW = re.compile(r"[方做想看说司执立用手违依守书算兵]法$")
_DECREE = re.compile(r"令(?:第?\d+号)?$")
RULE_FORMS = frozenset({"法", "条例", "规定", "办法", "细则", "规则"})
GOVERNMENT_FORMS = frozenset(form for _, form in _ENDINGS) - RULE_FORMS


def title_key(title: str) -> str:
    """The title normalised for comparison: folded, simplified, without punctuation."""
    return _NOT_WORD.sub("", normalize(title))


def title_keys(title: str) -> list[str]:
    """The keys a document is found by when a query is its whole title: the title as
    written (``title_key``) and without 中华人民共和国 or a version note (``chain_key``)."""
    return list(dict.fromkeys(k for k in (title_key(title), chain_key(title)) if k))


def strip_version(title: str) -> str:
    """The title without trailing version notes: 道路运输条例(2019修订) → 道路运输条例."""
    previous = None
    while previous != title:
        previous, title = title, _VERSION_NOTE.sub("", title).rstrip()
    return title


def chain_key(title: str) -> str:
    """What the versions of one regulation share: the key of the title without the
    中华人民共和国 prefix and version notes."""
    key = title_key(strip_version(title))
    return key[len(PRC):] if key.startswith(PRC) and len(key) > len(PRC) + 1 else key


def doc_type(title: str) -> str:
    """The 文种 named by the end of a title, or "" (news headlines end otherwise)."""
    text = strip_version(title).strip()
    # (试行), (暂行), (草案) … after the form word: 医疗机构制剂配制质量管理规范（试行）.
    text = re.sub(r"[(（][^()（）]{1,6}[)）]$", "", text).strip()
    if text.endswith(_FORMS):
        return next(form for word, form in _ENDINGS if text.endswith(word))
    if _DECREE.search(text) and len(text) > 2:
        return "命令"
    if text.endswith("法典") or text.endswith("法") and len(text) >= 3 and not _NOT_LAW.search(text):
        return "法"
    return ""
