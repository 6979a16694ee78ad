"""Abbreviations that documents define themselves: 国家发展和改革委员会（以下简称国家发展改革委）.

Chinese regulations name a body or a term in full once and give the short form they use from
then on: ``（以下简称X）``, ``（简称X）``, ``(以下简称"X")``, ``（以下称X）``, ``，以下简称为X，``.
``find_abbreviations`` returns the (short form, full term) pairs one text defines;
``common_abbreviations`` keeps the pairs that several documents define the same way, which
is what makes a pair safe as a query-time expansion: a definition found in one document
only is often that document's own shorthand (国务院职业教育工作部际联席会议（以下简称联席会议））;
``synonym_lines`` writes the kept pairs as one-way rules of the synonym file format.

Where the full term starts is the hard part: the text before the parenthesis is a whole
clause (第一条 为了规范私募投资基金（以下简称私募基金）). The rule, after Schwartz and Hearst's
for English abbreviations: the full term is the shortest end of the clause that contains
the characters of the short form in order (私募基金 → 私募投资基金), widened to whole words
(城市绿地控制线 for 绿线) and over the national prefixes official names start with
(国家 in 国家市场监督管理总局). It does not widen over other words, because nothing but a
grammar tells 机动车 in 机动车交通事故责任强制保险 from 规范 in 规范私募投资基金; a shorter
full term is still spelled inside every mention of the longer one, so it stays correct as
an expansion. Precision over recall everywhere:

* a short form whose characters are not in the text before it, in order, is a label, not
  an abbreviation (企业和个体工商户（以下称用人单位）) and is skipped;
* a full term holding 的, 是, 或者, 及 … is a description (从事粮食收购的经营者), skipped;
* a short form contained in its full term is the document's own referent (目录 for
  工业产品目录, 公司 for 股份有限公司) unless only a national prefix is dropped
  (专利法 for 中华人民共和国专利法);
* generic short forms (条例, 本办法, 《规定》) and lists (出境、入境证件) are skipped.

Every form is normalised (``normalize``: half-width, lower case, simplified), as the
synonym table's forms are.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from indexer.analysis.normalize import normalize
from indexer.analysis.segmenter import segment
from indexer.chars import CJK

# The marker, on normalised text (（ → (, ： → :). 统称 (a collective name for a list) is not an
# abbreviation and does not match: 以下 must be followed directly by 简称 or 称.
_PAREN_DEFINITION = re.compile(
    r"\(\s*(?:以下|下文|下|本章|本节)?\s*(?:简称|称)\s*为?\s*:?\s*"
    r"(?P<short>[^()\n]{1,40}?)\s*(?:[,;]\s*(?:以下|下文)?同)?\s*\)"
)
_BARE_DEFINITION = re.compile(
    r",\s*以下(?:简称|称)\s*为?\s*:?\s*(?P<short>[^,;.。:!?()\n]{1,40}?)\s*(?=[,;.。])"
)

_QUOTES = "\"'“”‘’「」『』《》〈〉 "
# Pairs of quotes around a titled full term: 《中华人民共和国专利法》（以下简称专利法）.
_CLOSING = {"》": "《", "”": "“", '"': '"', "」": "「", "』": "『"}
# Where a clause, and so the full term, cannot reach back past: punctuation, spaces,
# article numbers (第十二条), list markers and the end of an earlier parenthesis.
_BOUNDARY = re.compile(
    r"[\s,.;:!?、()\[\]{}\"'“”‘’《》〈〉【】「」『』。…—]"
    r"|第[一二三四五六七八九十百千零〇\d]+[条章节款项编]"
)
_CJK = re.compile(f"[{CJK}]")

# Words that make a stretch of text a description or a list, not a name.
_NOT_IN_NAMES = frozenset({
    "的", "之", "是", "指", "即", "或", "或者", "及", "及其", "以及", "等", "所称", "所", "其",
    "其他", "其它", "并", "且", "为", "由", "在", "对于", "按照", "依照", "根据", "以上", "以下",
    # verbs that describe what a party does (在长江……从事开采砂石（以下简称长江采砂）)
    "从事", "进行", "负责", "承担", "具有", "包括", "属于", "依法", "提供", "开展", "利用", "取得",
})
# Single characters a word may start with that belong to the clause, not to a name
# (于市 in 适用于市人民代表大会常务委员会).
_FUNCTION_CHARS = frozenset("于在对由向经将把被从自以为与和及或等并且其之的是")
_LEVELS = frozenset("省市县区州乡镇村")
# Words official names start with, which abbreviations drop: 国家市场监督管理总局 →
# 市场监管总局, 中国民用航空局 → 民航局, 中华人民共和国海关 → 海关.
NATIONAL_PREFIXES = ("中华人民共和国", "中国人民解放军", "中共中央", "国务院", "中国", "国家", "中央",
                     "全国")
# Short forms that name "this document" or a kind of document, not a thing to search for.
GENERIC_SHORT_FORMS = frozenset({
    "法", "本法", "条例", "办法", "规定", "细则", "实施细则", "意见", "通知", "决定", "方案", "规划",
    "纲要", "公告", "通告", "目录", "名录", "清单", "协定", "协议", "合同", "章程", "标准", "规则",
    "准则", "指南", "计划", "报告", "批复", "函", "决议", "公约", "条约", "规范", "制度",
})
_DEMONSTRATIVES = ("本", "该", "此", "上述", "前述", "下述", "前款", "本款")
MAX_FULL_LENGTH = 40


class CommonAbbreviation(NamedTuple):
    """A (short form, full term) pair and the number of documents that define it."""

    short: str
    full: str
    documents: int


def find_abbreviations(text: str) -> list[tuple[str, str]]:
    """(short form, full term) for each abbreviation ``text`` defines, in order, once each.

    >>> find_abbreviations("国家发展和改革委员会（以下简称国家发展改革委）负责……")
    [('国家发展改革委', '国家发展和改革委员会')]
    """
    norm = normalize(text)
    found: list[tuple[str, str]] = []
    for pattern in (_PAREN_DEFINITION, _BARE_DEFINITION):
        for match in pattern.finditer(norm):
            short = _short_form(match.group("short"))
            full = short and _full_term(short, norm[:match.start()].rstrip())
            if full and (short, full) not in found:
                found.append((short, full))
    return found


def _short_form(raw: str) -> str | None:
    """The short form of one definition, quotes stripped; None for lists and alternatives
    (出境、入境证件, 主办或者扶持单位) and for generic words."""
    form = raw.strip(_QUOTES).replace(" ", "")
    if (2 <= len(form) <= 16 and _CJK.search(form) and not re.search(r"[、,;:()\"“”《》或]", form)
            and form not in GENERIC_SHORT_FORMS and not form.startswith(_DEMONSTRATIVES)):
        return form
    return None


def _full_term(short: str, before: str) -> str | None:
    """The full term ``short`` abbreviates, from the text just before its definition."""
    if before[-1:] in _CLOSING:
        # A quoted or titled name (《中华人民共和国专利法》（以下简称专利法）): the whole title.
        start = before.rfind(_CLOSING[before[-1]], 0, len(before) - 1)
        full = before[start + 1:-1].replace(" ", "") if start >= 0 else ""
        if not _in_order(short, full):
            return None
    else:
        window = max(0, len(before) - 120)
        bounds = list(_BOUNDARY.finditer(before, window))
        clause = before[bounds[-1].end() if bounds else window:]
        full = _shortest_full_term(short, clause)
        if full == clause and bounds and bounds[-1].group() == "、":
            return None         # the last item of a list (企业、事业单位和公民个人)
    return full if full and _acceptable(short, full) else None


def _in_order(short: str, text: str) -> bool:
    """True when the characters of ``short`` occur in ``text`` in the same order."""
    rest = iter(text)
    return all(ch in rest for ch in short)


def _shortest_full_term(short: str, clause: str) -> str | None:
    """The shortest end of ``clause`` holding ``short``'s characters in order, widened to
    the start of its first word and over national prefixes; None when there is none."""
    start = len(clause)
    for ch in reversed(short):
        start = clause.rfind(ch, 0, start)
        if start < 0:
            return None
    words = segment(clause)
    offsets = [0]
    for word in words:
        offsets.append(offsets[-1] + len(word))
    index = max(i for i, offset in enumerate(offsets[:-1]) if offset <= start)
    if offsets[index] < start and (set(clause[offsets[index]:start]) & _FUNCTION_CHARS
                                   or short[0] in _LEVELS):
        # The first character sits inside a word that also holds a particle of the clause
        # (于市 in 适用于市人民代表大会常务委员会), or the short form keeps only the level of a
        # place name (市工商局 for 上海市工商行政管理局 is every city's 市工商行政管理局).
        return clause[start:]
    while index > 0 and words[index - 1] in NATIONAL_PREFIXES:
        index -= 1
    return clause[offsets[index]:]


def _acceptable(short: str, full: str) -> bool:
    """Whether (short, full) is an abbreviation worth keeping rather than a description."""
    if len(full) <= len(short) or len(full) > MAX_FULL_LENGTH or full.startswith(_DEMONSTRATIVES):
        return False
    if short in full:
        # 专利法 for 中华人民共和国专利法 names the same law; 公司 for 股份有限公司 does not.
        prefix = full[:-len(short)] if full.endswith(short) else None
        # Two characters (海关, 境内) are too common to stand for one name.
        return bool(prefix) and len(short) > 2 and _only_national_prefixes(prefix)
    return not any(word in _NOT_IN_NAMES for word in segment(full))


def _only_national_prefixes(text: str) -> bool:
    while text:
        prefix = next((p for p in NATIONAL_PREFIXES if text.startswith(p)), None)
        if prefix is None:
            return False
        text = text[len(prefix):]
    return True


def common_abbreviations(documents: Iterable[Iterable[tuple[str, str]]],
                         min_documents: int = 2) -> list[CommonAbbreviation]:
    """The pairs defined in at least ``min_documents`` documents, most common first.

    ``documents`` gives each document's pairs (``find_abbreviations`` of its text). A short
    form that documents define as unrelated full terms (联席会议 for 国务院职业教育工作部际联席会议
    in one, 处置非法集资部际联席会议 in another) is each document's own shorthand and is
    dropped whole; full terms that only differ by a leading part (市场监督管理总局,
    国家市场监督管理总局) are the same name and are kept.
    """
    counts: defaultdict[tuple[str, str], int] = defaultdict(int)
    for pairs in documents:
        # Pairs read back from the manifest (an incremental reindex) are JSON lists.
        for pair in {tuple(p) for p in pairs}:
            counts[pair] += 1
    fulls: defaultdict[str, set[str]] = defaultdict(set)
    for short, full in counts:
        fulls[short].add(full)
    ambiguous = {short for short, forms in fulls.items() if not _one_name(forms)}
    kept = [CommonAbbreviation(short, full, n) for (short, full), n in counts.items()
            if n >= min_documents and short not in ambiguous]
    return sorted(kept, key=lambda a: (-a.documents, a.short, a.full))


def _one_name(fulls: set[str]) -> bool:
    """True when every full term ends with the shortest one (the same name, more or less
    of its leading part)."""
    shortest = min(fulls, key=len)
    return all(full.endswith(shortest) for full in fulls)


def synonym_lines(abbreviations: Iterable[CommonAbbreviation]) -> list[str]:
    """The pairs as one-way rules of the synonym file (``证监会 => 中国证券监督管理委员会``).

    One way because a mined short form can be a common word (纳税人 for 纳税义务人, 管委会
    for 管理委员会): a query for it should also find the full term, but a query for the full
    term should not find every use of the word.
    """
    fulls: dict[str, list[str]] = {}
    for item in abbreviations:
        fulls.setdefault(item.short, []).append(item.full)
    return [f"{short} => {', '.join(forms)}" for short, forms in fulls.items()]
