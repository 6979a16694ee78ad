"""效力级别 (``level``) and ``region`` of a document.

The level is decided by the first of these that says anything, strongest evidence first:

1. a 政府工作报告 title → 工作报告;
2. the folder a regulation collection files it under (lawrefbook: 行政法规/, 部门规章/,
   DLC/山东地方法规/地方性法规/…), corrected where the header shows otherwise: a rule a
   ministry issued on its own is a 部门规章 even in 行政法规/ (互联网信息服务算法推荐管理规定),
   and a 通知 in 部门规章/ that is no decree (劳社部发[2008]3号) a 部门规范性文件;
3. the document's own 文号: 国令 → 行政法规, 国发/国办发/国函/国办函 → 国务院规范性文件, a
   ministry's 令 → 部门规章, its 发/函 → 部门规范性文件, 沪府发 … → 地方规范性文件;
4. the issuer and the 文种: 国务院 and a 条例 → 行政法规, 国务院 otherwise → 国务院规范性文件,
   全国人大(常委会) → 法律, a local 人大(常委会) → 地方性法规, a local 人民政府 → 地方政府规章
   for its rules, 地方规范性文件 otherwise;
5. a post (front matter, from a feed) with none of these → 新闻; anything else → "".
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from indexer.metadata import issuers as bodies
from indexer.metadata.regions import CENTRAL, province_of, province_of_number
from indexer.metadata.titles import RULE_FORMS
from indexer.sources.article import Article
from indexer.sources.law_header import state_council_act

LEVELS = (
    "法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "国务院规范性文件",
    "部门规范性文件", "地方规范性文件", "工作报告", "新闻",
)
CENTRAL_LEVELS = frozenset({"法律", "行政法规", "部门规章", "国务院规范性文件", "部门规范性文件"})
LEGISLATION = frozenset({"法律", "行政法规", "部门规章", "地方性法规", "地方政府规章"})
_FOLDERS = {
    "法律": "法律", "宪法": "法律", "行政法规": "行政法规", "部门规章": "部门规章",
    "地方性法规": "地方性法规", "自治条例": "地方性法规", "单行条例": "地方性法规",
    "经济特区法规": "地方性法规", "地方政府规章": "地方政府规章",
}
_STATE_COUNCIL_NUMBERS = ("国发", "国办发", "国函", "国办函", "国发明电", "国办发明电")
_NUMBER_PREFIX = re.compile(r"^(.*?)(?:\d{4}-\d+|令\d+)$")
# A year-numbered 文号 (劳部发1994-489): a document of a body's series, not a 令.
_SERIES = re.compile(r"\d{4}-\d+$")


def folder_level(path: str) -> str:
    """The level a regulation collection's folder files a document under (行政法规/,
    DLC/…/地方性法规/…), else ""."""
    return next((_FOLDERS[p] for p in PurePosixPath(path).parts[:-1] if p in _FOLDERS), "")


def _department_level(doc_type: str, decree: bool, number_key: str = "") -> str:
    """A ministry's 令 or rule (办法, 规定 …) is a 部门规章; a document of its 发/函 series
    (劳部发〔1994〕489号 工资支付暂行规定) a 部门规范性文件, whatever its title says."""
    if decree:
        return "部门规章"
    if _SERIES.search(number_key):
        return "部门规范性文件"
    return "部门规章" if doc_type in RULE_FORMS else "部门规范性文件"


def _corrected_folder_level(level: str, article: Article, issuers: list[str], doc_type: str,
                            number_key: str) -> str:
    decree = "令" in number_key
    if level == "行政法规" and issuers and not any(bodies.STATE_COUNCIL.match(b) for b in issuers) \
            and not state_council_act(article.header):
        return _department_level(doc_type, decree, number_key)
    if level == "部门规章" and not decree and (doc_type not in RULE_FORMS or _SERIES.search(number_key)):
        return "部门规范性文件"
    return level


def _number_level(key: str) -> str:
    """The level a 文号 key implies (国令707, 国发2019-5, 公安部令127, 沪府发2019-1)."""
    m = _NUMBER_PREFIX.match(key)
    prefix = m[1] if m else ""
    if key.startswith("国令"):
        return "行政法规"
    if prefix in _STATE_COUNCIL_NUMBERS:
        return "国务院规范性文件"
    if province_of_number(prefix) or bodies.is_local(prefix):
        return "地方政府规章" if "令" in key[len(prefix):] else "地方规范性文件"
    if prefix.endswith("部") or "部" in prefix[:-1]:
        return "部门规章" if key[len(prefix):].startswith("令") else "部门规范性文件"
    return ""


def _issuer_level(body: str, doc_type: str, decree: bool) -> str:
    if bodies.STATE_COUNCIL.match(body):
        return "行政法规" if doc_type == "条例" else "国务院规范性文件"
    if bodies.NATIONAL_CONGRESS.match(body):
        return "法律"
    if bodies.is_local(body):
        if bodies.CONGRESS.search(body):
            return "地方性法规"
        if bodies.GOVERNMENT.search(body) and (decree or doc_type in RULE_FORMS - {"法"}):
            return "地方政府规章"
        return "地方规范性文件"
    if bodies.DEPARTMENT.search(body):
        return _department_level(doc_type, decree)
    return ""


def level_of(article: Article, doc_type: str, issuers: list[str], number_key: str) -> str:
    """The 效力级别 of a document (see the module's docstring for the order of evidence)."""
    decree = "令" in number_key
    if "工作报告" in article.title and doc_type == "报告":
        return "工作报告"
    if level := folder_level(article.path):
        return _corrected_folder_level(level, article, issuers, doc_type, number_key)
    if number_key and (level := _number_level(number_key)):
        return level
    if issuers and (level := _issuer_level(issuers[0], doc_type, decree)):
        return level
    return "新闻" if article.kind == "post" else ""


def region_of(article: Article, level: str, issuers: list[str], number_key: str) -> str:
    """中央 for central levels; for local ones the province of the region column, the issuer,
    the 文号, the title or the folder, in that order; "" for news and unknown levels."""
    if level in CENTRAL_LEVELS:
        return CENTRAL
    if level in ("", "新闻"):
        return ""
    candidates = [article.region, *issuers[:1], article.title, *PurePosixPath(article.path).parts]
    for text in candidates:
        if province := province_of(text):
            return province
    return province_of_number(number_key)
