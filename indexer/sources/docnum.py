"""发文字号 (document numbers): finding them in text and comparing spellings.

The same number is written many ways (〔〕 vs [] vs ［］, full-width digits,
with or without 第, decrees as 国令 / 国务院令 / 中华人民共和国国务院令), so
indexing and querying both go through ``docnum_key``.
"""

from __future__ import annotations

import re
import unicodedata

from indexer.chars import CJK

_CJK = CJK
_OPEN = r"〔\[［（(【﹝"
_CLOSE = r"〕\]］）)】﹞"
_DIGIT = r"0-9０-９"

# Whole-string forms, applied after NFKC and whitespace removal.
_KEY_YEAR = re.compile(
    rf"(?P<pre>[{_CJK}]{{1,12}})[{_OPEN}]?(?P<year>(?:19|20)\d\d)年?[{_CLOSE}]?第?(?P<num>\d{{1,5}})号"
)
_KEY_DECREE = re.compile(
    rf"(?:中华人民共和国)?(?P<org>(?:[{_CJK}](?:[{_CJK}]|、(?=[{_CJK}])){{0,30}}?)?)"
    rf"(?:令第?(?P<num>\d{{1,5}})号|第(?P<alt>\d{{1,5}})号令)"
)
# A standing committee's announcement, numbered within its term (届), so the term stays in
# the key: 宁波市第十三届人民代表大会常务委员会公告第16号 (also written without 公告).
_KEY_ANNOUNCEMENT = re.compile(rf"(?P<org>[{_CJK}]{{2,40}}?常务委员会)(?:公告)?第(?P<num>\d{{1,5}})号")

# Forms found inside running text. Without brackets a year-number pair is too
# easy to confuse with ordinary prose, so the bare form needs a 发/函/字/电 prefix.
_FIND = re.compile(
    rf"(?P<pre>[{_CJK}]{{1,12}})"
    rf"(?:[{_OPEN}]\s*(?:19|20|１９|２０)[{_DIGIT}]{{2}}\s*年?\s*[{_CLOSE}]"
    rf"|(?<=[发函字电])\s?(?:19|20)\d\d\s?)"
    rf"\s*第?\s*[{_DIGIT}]{{1,5}}\s*号"
    rf"|(?P<dpre>[{_CJK}](?:[{_CJK}]|、(?=[{_CJK}])){{0,30}})"
    rf"(?:令\s*第?\s*[{_DIGIT}]{{1,5}}\s*号|第\s*[{_DIGIT}]{{1,5}}\s*号令)"
)

# A number as typed in a query, spaces allowed anywhere (国发 2019 5号, 国务院令 第707号).
QUERY_NUMBER = (
    rf"(?:[{_CJK}]{{1,12}}\s*[{_OPEN}]?\s*\d{{4}}\s*年?\s*[{_CLOSE}]?\s*第?\s*\d{{1,5}}\s*号"
    rf"|[{_CJK}]{{0,12}}令\s*第?\s*\d{{1,5}}\s*号)"
)

# Words that precede a number in prose ("根据国发〔…〕", "的国务院令…") but
# never occur inside an issuer prefix; the prefix is cut after the last one.
# 和/经/对 are deliberately absent: they occur in issuers (人力资源和社会保障部,
# 国经贸, 对外贸易经济合作部).
_STOP_WORDS = r"文件|通知|精神|要求|规定"
_LEAD_STOP = re.compile(rf".*(?:[的了与及或将把被据按即见是根依照令第]|{_STOP_WORDS})")
_DECREE_LEAD_STOP = re.compile(rf".*(?:[的了与及或将把被据按即见是根依照第]|{_STOP_WORDS})")
_PRC = "中华人民共和国"
_FORMER = re.compile(r"^原(?=国|中华|中国)")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _mask_prc(prefix: str) -> str:
    # 中华人民共和国 contains 和, so it is masked before looking for prose words.
    return prefix.replace(_PRC, "#" * len(_PRC))


def _decree_issuer(org: str) -> str:
    # Joint decrees (国务院、中央军事委员会令) are numbered in the State Council series.
    issuers = [part.removeprefix(_PRC) for part in org.split("、")]
    if any(part == "国" or part.endswith("国务院") for part in issuers):
        return "国"
    return "、".join(issuers)


def docnum_key(text: str) -> str | None:
    """Canonical key for a whole string that is one document number, else None.

    A prefix holding prose words (根据国发〔2019〕5号) is rejected rather than
    trimmed: at query time such input is a sentence, not a number.
    """
    s = _normalise(text)
    if m := _KEY_DECREE.fullmatch(s):
        org = _decree_issuer(m["org"])
        if not org or _DECREE_LEAD_STOP.match(_mask_prc(org)):
            return None
        return f"{org}令{int(m['num'] or m['alt'])}"
    if m := _KEY_YEAR.fullmatch(s):
        if _LEAD_STOP.match(_mask_prc(m["pre"])):
            return None
        return f"{m['pre']}{m['year']}-{int(m['num'])}"
    if m := _KEY_ANNOUNCEMENT.fullmatch(s):
        return f"{m['org']}公告{int(m['num'])}"
    return None


def _trim(match: re.Match[str]) -> str:
    """The match without leading prose words that the greedy prefix swallowed."""
    text = match[0]
    stop = _DECREE_LEAD_STOP if match["dpre"] else _LEAD_STOP
    prefix = match["dpre"] or match["pre"]
    if m := stop.match(_mask_prc(prefix)):
        text = text[m.end():]
    elif text.startswith("日") and match.string[match.start() - 1 : match.start()].isdigit():
        # The end of a date (2014年7月30日原国家…令第4号); 日喀则市 starts with 日 too.
        text = text[1:]
    # 原 (the former …) before a body's name is not part of it.
    return _FORMER.sub("", text.lstrip("和并"))


def _iter_numbers(text: str):
    for m in _FIND.finditer(text):
        written = _trim(m).strip()
        key = docnum_key(written)
        if key:
            yield written, key


def find_doc_number(text: str) -> str | None:
    """The first document number in a text, as written."""
    return next((written for written, _ in _iter_numbers(text)), None)


def find_doc_numbers(text: str) -> list[tuple[str, str]]:
    """(as written, key) of every document number in a text, first spelling of each key."""
    return list({key: (written, key) for written, key in reversed(list(_iter_numbers(text)))}
                .values())[::-1]


def find_doc_number_keys(text: str) -> list[str]:
    """Keys of all document numbers in a text, first occurrence order, no repeats."""
    return list(dict.fromkeys(key for _, key in _iter_numbers(text)))


_TYPED_DECREE = re.compile(
    rf"(?:{_PRC})?(?P<org>[{_CJK}](?:[{_CJK}]|、(?=[{_CJK}])){{0,30}}?)令第?(?P<num>\d{{0,5}})"
)
_TYPED_YEAR = re.compile(
    rf"(?P<pre>[{_CJK}]{{2,12}}?)(?:[{_OPEN}]?(?P<year>(?:1|2)\d{{0,3}})"
    rf"(?P<sep>年?[{_CLOSE}]第?|年第?|第|-)?(?P<num>\d{{0,5}}))?"
)


def docnum_prefix(text: str) -> str | None:
    """The start of the keys a partly typed number can complete to, else None.

    ``国发`` gives ``国发``, ``国发〔2019〕`` ``国发2019-``, ``国务院令第7`` ``国令7``: what
    ``docnum_key`` makes of every number that begins as typed. A single character or a
    prefix holding prose words is not taken for a number.
    """
    s = _normalise(text).removesuffix("号").rstrip(_OPEN.replace("\\", ""))
    if m := _TYPED_DECREE.fullmatch(s):
        if _DECREE_LEAD_STOP.match(_mask_prc(m["org"])):
            return None
        return f"{_decree_issuer(m['org'])}令{m['num'].lstrip('0')}"
    m = _TYPED_YEAR.fullmatch(s)
    if not m or _LEAD_STOP.match(_mask_prc(m["pre"])):
        return None
    year, num = m["year"] or "", m["num"] or ""
    if len(year) < 4:
        return None if num or m["sep"] else m["pre"] + year
    return f"{m['pre']}{year}-{num.lstrip('0')}" if num or m["sep"] else m["pre"] + year


def docnum_order(key: str) -> tuple[int, int]:
    """Sorts keys newest first within an issuer: (year, number), decrees (0, number)."""
    if m := re.search(r"(\d{4})-(\d+)$", key):
        return int(m[1]), int(m[2])
    m = re.search(r"令(\d+)$", key)
    return (0, int(m[1])) if m else (0, 0)
