"""Issuing bodies: one spelling per body, and what kind of body issued a document.

The rule for ``normalise_source``: the issuing body's full name as the body itself signs
(国务院办公厅, 公安部, 上海市人民代表大会常务委员会), without the 中华人民共和国 prefix that
ministries sometimes carry (中华人民共和国公安部 → 公安部); abbreviations and old short forms
become the full name (中央军委 → 中央军事委员会, 人大常委会 → 人民代表大会常务委员会). A
bare place name is not a body: it becomes the body that issues documents of the
document's level there (上海 for a 地方性法规 → 上海市人民代表大会常务委员会, 河北省 for a work
report → 河北省人民政府). Joint issuers keep their order, separated by 、. News outlets
and other names are kept as given.
"""

from __future__ import annotations

import re

from indexer.metadata.regions import full_name, province_of

_ALIASES = {
    "中央军委": "中央军事委员会",
    "中央军委办公厅": "中央军事委员会办公厅",
    "国办": "国务院办公厅",
    "中办": "中共中央办公厅",
    "全国人大": "全国人民代表大会",
    "全国人大常委会": "全国人民代表大会常务委员会",
    "人力资源社会保障部": "人力资源和社会保障部",
    "人社部": "人力资源和社会保障部",
    "住房城乡建设部": "住房和城乡建设部",
    "工信部": "工业和信息化部",
    "发展改革委": "国家发展和改革委员会",
    "国家发展改革委": "国家发展和改革委员会",
    "国家发改委": "国家发展和改革委员会",
    "市场监督管理总局": "国家市场监督管理总局",
    "市场监管总局": "国家市场监督管理总局",
    "国家网信办": "国家互联网信息办公室",
    "人民银行": "中国人民银行",
    "人民银行总行": "中国人民银行",
    "国家卫生健康委": "国家卫生健康委员会",
    # The short forms (规范简称) State Council documents give bodies of the State Council,
    # past ones included: a rule keeps the name of the body that issued it.
    "食品药品监管局": "国家食品药品监督管理局",
    "食品药品监管总局": "国家食品药品监督管理总局",
    "药品监管局": "国家药品监督管理局",
    "药监局": "国家药品监督管理局",
    "工商总局": "国家工商行政管理总局",
    "质检总局": "国家质量监督检验检疫总局",
    "安全监管总局": "国家安全生产监督管理总局",
    "新闻出版广电总局": "国家新闻出版广电总局",
    "劳动保障部": "劳动和社会保障部",
    "劳社部": "劳动和社会保障部",                # its 文号 代字 (劳社部发)
    "劳动社会保障部": "劳动和社会保障部",
    "卫生计生委": "国家卫生和计划生育委员会",
    "国家卫生计生委": "国家卫生和计划生育委员会",
    "知识产权局": "国家知识产权局",
    "海关": "海关总署",
    "税务总局": "国家税务总局",
    "外汇局": "国家外汇管理局",
    "证监会": "中国证券监督管理委员会",
    "银保监会": "中国银行保险监督管理委员会",
    "银监会": "中国银行业监督管理委员会",
    "保监会": "中国保险监督管理委员会",
    "国资委": "国务院国有资产监督管理委员会",
}
_SUFFIXES = (("人大常委会", "人民代表大会常务委员会"), ("人大", "人民代表大会"), ("政府", "人民政府"))
_PRC = "中华人民共和国"
_JOINT = re.compile(r"[、，,;；]\s*")
CONGRESS = re.compile(r"人民代表大会(?:常务委员会)?$")
GOVERNMENT = re.compile(r"人民政府(?:办公厅|办公室)?$")
# The State Council (and the 政务院 it succeeded in 1954: its rules are 行政法规 too).
STATE_COUNCIL = re.compile(r"^(?:国务院|政务院)(?:办公厅)?$")
NATIONAL_CONGRESS = re.compile(r"^全国人民代表大会(?:常务委员会)?$")
# Central departments end so; a local one starts with its place (浙江省教育厅).
DEPARTMENT = re.compile(r"(?:部|委员会|委|总局|局|署|银行|办公室|总署|院|会)$")


def _one_body(name: str) -> str:
    name = name.strip()
    if name.startswith(_PRC) and len(name) > len(_PRC) + 1:
        name = name[len(_PRC):]
    if name in _ALIASES:
        return _ALIASES[name]
    for short, full in _SUFFIXES:
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name


def bodies(source: str) -> list[str]:
    """The issuing bodies a source names, each in its one spelling."""
    return [body for part in _JOINT.split(source) if (body := _one_body(part))]


def _place_body(place: str, level: str) -> str:
    """The body behind a bare place name, by the document's level; "" if none fits."""
    if level == "地方性法规":
        return full_name(place) + "人民代表大会常务委员会"
    if level in ("地方政府规章", "地方规范性文件", "工作报告"):
        return full_name(place) + "人民政府"
    return ""


def normalise_source(source: str, level: str) -> str:
    """The source in its one spelling per body (see the module's docstring)."""
    names = bodies(source)
    if len(names) == 1 and full_name(names[0]):
        return _place_body(names[0], level) or full_name(names[0])
    return "、".join(names)


# The body a 文号 names: its prefix before 发/函/字/令/电 when that is a body's name
# (劳社部发[2008]3号 → 劳社部 → 劳动和社会保障部).
_NUMBER_BODY = re.compile(r"^(.{2,8}?(?:部|委员会|委|总局|局|署))(?:发|函|字|令|电|明电)")


def number_body(number_key: str) -> str:
    """The full name of the body a 文号 names by a known short form (see ``_ALIASES``), else ""."""
    m = _NUMBER_BODY.match(number_key)
    return _ALIASES.get(m[1], "") if m else ""


def is_local(body: str) -> bool:
    """Whether a body belongs to a province or a city (上海市人民政府, 东营市…, 浙江省教育厅)."""
    return bool(province_of(body))
