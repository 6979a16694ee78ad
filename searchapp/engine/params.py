"""What one search asks for: ``SearchParams``, checked before anything is searched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from indexer.chars import SURROGATE
from searchapp.engine.dates import date_bound
from searchapp.engine.filters import UNDATED

MAX_PER_PAGE = 100
MAX_PAGE = 1000

FILTERS = ("source", "category", "year", "doc_type", "level", "region", "status")


_SURROGATE = re.compile(f"[{SURROGATE}]")


class BadParameter(ValueError):
    """A search parameter that cannot be used; the message (Chinese) is safe to show."""


def _sendable(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text) if isinstance(text, str) else text


def _values(value) -> tuple[str, ...]:
    """A filter's values: one string or several, blanks dropped, each once."""
    items = [value] if isinstance(value, str) else list(value or ())
    return tuple(dict.fromkeys(_sendable(v.strip()) for v in items if v and v.strip()))


@dataclass
class SearchParams:
    """What one search asks for. A filter (``source`` … ``status``) takes one value or
    several (any of them); ``exclude`` maps filter names to values to leave out."""

    q: str = ""
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"            # relevance | date
    date_from: str = ""
    date_to: str = ""
    source: tuple[str, ...] | str = ()
    category: tuple[str, ...] | str = ()
    year: tuple[str, ...] | str = ()
    doc_type: tuple[str, ...] | str = ()
    level: tuple[str, ...] | str = ()
    region: tuple[str, ...] | str = ()
    status: tuple[str, ...] | str = ()
    exclude: dict = field(default_factory=dict)
    title_only: bool = False
    all_versions: bool = False
    as_typed: bool = False             # no spelling correction

    def __post_init__(self):
        # Lone surrogates (a Python caller's bytes that were not UTF-8) become U+FFFD: the
        # query is echoed back, and no page or JSON can carry them.
        self.q, self.date_from, self.date_to = map(_sendable, (self.q, self.date_from,
                                                               self.date_to))
        for name in FILTERS:
            setattr(self, name, _values(getattr(self, name)))
        self.exclude = {k: v for k, v in ((k, _values(v)) for k, v in self.exclude.items()
                                          if k in FILTERS) if v}

    def filters(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Active filters: name → (values to keep, values to leave out)."""
        return {name: (getattr(self, name), self.exclude.get(name, ()))
                for name in FILTERS if getattr(self, name) or self.exclude.get(name)}

    def date_bounds(self) -> tuple[str | None, str | None]:
        low = date_bound(self.date_from, False) if self.date_from else None
        high = date_bound(self.date_to, True) if self.date_to else None
        return low, high

    def key(self) -> tuple:
        """A hashable key for caching the result of these parameters."""
        return (*(getattr(self, f.name) for f in fields(self) if f.name != "exclude"),
                tuple(sorted(self.exclude.items())))

    def validate(self) -> SearchParams:
        if self.sort not in ("relevance", "date"):
            raise BadParameter("排序方式只能是 relevance（按相关度）或 date（按时间）")
        if not 1 <= self.page <= MAX_PAGE:
            raise BadParameter(f"页码应在 1 到 {MAX_PAGE} 之间")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise BadParameter(f"每页条数应在 1 到 {MAX_PER_PAGE} 之间")
        for name, label in (("date_from", "起始日期"), ("date_to", "结束日期")):
            value = getattr(self, name)
            if value and date_bound(value, name == "date_to") is None:
                raise BadParameter(f"{label}“{value[:40]}”不是日期：请写成 2018、2018-03 或 2018-03-01")
        years = [y for y in self.year if y != UNDATED]
        for year in years:
            if not (len(year) == 4 and year.isdigit()):
                raise BadParameter(f"年份“{year[:40]}”应是四位数字，例如 2019")
        low, high = self.date_bounds()
        if low and high and low > high:
            raise BadParameter("日期范围互相矛盾：起始日期晚于结束日期")
        if years and all(f"{y}-12-31" < (low or "") or f"{y}-01-01" > (high or "9999")
                         for y in years):
            raise BadParameter("所选年份不在日期范围之内，请修改年份或日期范围")
        return self
