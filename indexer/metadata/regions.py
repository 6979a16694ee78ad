"""Which province a name belongs to: 上海 → 上海市, 东营市 → 山东省, 新疆 → 新疆维吾尔自治区.

The table is ``indexer/data/regions.txt`` (province-level divisions, their short forms and
abbreviations, and their prefecture-level divisions). Lookups go by prefix, because names
come at the start of issuers and titles: 东营市人民代表大会常务委员会, 上海市优化营商环境条例.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

CENTRAL = "中央"
# A division's short form drops these endings (杭州市 → 杭州, 阿里地区 → 阿里).
_SUFFIXES = ("市", "地区", "盟", "林区")


@dataclass
class _Tables:
    province: dict[str, str] = field(default_factory=dict)   # any name → its province
    division: dict[str, str] = field(default_factory=dict)   # any name → its own full name
    abbreviation: dict[str, str] = field(default_factory=dict)  # 沪 → 上海市
    longest: int = 0


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


def _add(tables: _Tables, names: tuple[str, ...], full: str, province: str) -> None:
    for name in names:
        # A province's own names come first and win over a division's (吉林 → 吉林省).
        if name and name not in tables.province:
            tables.province[name] = province
            tables.division[name] = full
            tables.longest = max(tables.longest, len(name))


def _parse(lines: list[str]) -> _Tables:
    tables = _Tables()
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, _, divisions = line.partition(":")
        province, short, abbreviation = head.split()
        _add(tables, (province, short), province, province)
        tables.abbreviation[abbreviation] = province
        for item in divisions.split():
            full, _, alias = item.partition("=")
            _add(tables, (full, alias or _short(full)), full, province)
    return tables


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    text = resources.files("indexer").joinpath("data/regions.txt").read_text("utf-8")
    return _parse(text.splitlines())


def provinces() -> list[str]:
    """The full names of the province-level divisions, in the table's order."""
    return list(_tables().abbreviation.values())


def _prefix(text: str) -> str:
    """The longest name in the table that ``text`` starts with, else ""."""
    tables = _tables()
    for n in range(min(len(text), tables.longest), 1, -1):
        if text[:n] in tables.province:
            return text[:n]
    return ""


def province_of(text: str) -> str:
    """The province whose name (or one of whose divisions' names) ``text`` starts with, else "".

    The longest name wins, so 吉林市 is read before 吉林 and 海南藏族自治州 before 海南.
    """
    name = _prefix(text)
    return _tables().province[name] if name else ""


def full_name(name: str) -> str:
    """The full name of the division ``name`` is exactly a name of (东营 → 东营市), else ""."""
    return _tables().division.get(name, "")


def province_of_number(prefix: str) -> str:
    """The province of a local government's 文号 prefix (沪府发, 浙政办发 → its province), else "".

    Only X府/X政 prefixes count: a one-character abbreviation alone is too often the
    first character of something else (新闻出版署).
    """
    if len(prefix) >= 2 and prefix[1] in "府政":
        return _tables().abbreviation.get(prefix[0], "")
    return ""
