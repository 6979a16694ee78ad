"""Facets as the results page shows them: each value with its count and two links (choose
or un-choose it, leave it out), the chosen and excluded values first, and the year facet
as a bar chart.

The engine counts every value of every facet (``SearchResults.facets``); this module only
arranges them. Choosing a value adds it to the facet's values (any of them: OR), so the
links of one facet keep its other choices; facets combine with AND.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from searchapp.web.state import Linker

LABELS = {"year": "年份", "level": "效力级别", "status": "时效性", "doc_type": "文种",
          "source": "来源", "region": "地域", "category": "分类"}
ORDER = ("year", "level", "status", "doc_type", "source", "region", "category")
SHOWN = 8            # values listed before "更多"
MOST = 300           # values listed at all; beyond that the field search (source:…) is the way
CHART_SPAN = 60      # years drawn with their empty years between them; longer spans: only years found
CHART_HEIGHT = 60    # SVG units


@dataclass
class FacetValue:
    value: str
    count: int
    href: str                 # choose it, or un-choose it when chosen
    exclude_href: str = ""    # leave it out ("" when excluded already)
    selected: bool = False
    excluded: bool = False


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]
    hidden: int = 0           # values beyond MOST, not listed
    chosen: int = 0

    @property
    def shown(self) -> list[FacetValue]:
        return self.values[:SHOWN]

    @property
    def more(self) -> list[FacetValue]:
        return self.values[SHOWN:]


@dataclass
class Bar:
    year: str
    count: int
    x: float
    y: float
    height: float
    href: str
    selected: bool = False


@dataclass
class YearChart:
    bars: list[Bar] = field(default_factory=list)
    width: int = 0
    height: int = CHART_HEIGHT
    most: int = 0

    @property
    def first(self) -> str:
        return self.bars[0].year if self.bars else ""

    @property
    def last(self) -> str:
        return self.bars[-1].year if self.bars else ""


def facet_views(counts: dict[str, list[tuple[str, int]]], params, linker: Linker) -> list[Facet]:
    """The facets to show, in ``ORDER``; a facet without values and choices is left out."""
    out = []
    for name in ORDER:
        include = getattr(params, name)
        exclude = params.exclude.get(name, ())
        values = counts.get(name) or []
        if not values and not include and not exclude:
            continue
        out.append(_facet(name, values, include, exclude, linker))
    return out


def _facet(name, values, include, exclude, linker: Linker) -> Facet:
    found = dict(values)
    first = [FacetValue(v, found.get(v, 0), linker.removing(name, v), linker.excluding(name, v),
                        selected=True) for v in include]
    first += [FacetValue(v, found.get(v, 0), linker.removing(f"exclude_{name}", v), excluded=True)
              for v in exclude if v not in include]
    taken = set(include) | set(exclude)
    rest = [(v, c) for v, c in values if v not in taken]
    listed = rest[:max(0, MOST - len(first))]
    items = first + [FacetValue(v, c, linker.adding(name, v), linker.excluding(name, v))
                     for v, c in listed]
    return Facet(name, LABELS[name], items, hidden=len(rest) - len(listed), chosen=len(include))


def year_chart(counts: list[tuple[str, int]], selected: tuple[str, ...], linker: Linker) -> YearChart:
    """Matches per year as bars, oldest on the left; years between them with no match get an
    empty slot when the span is short enough to read (a gap is information too)."""
    found = {y: c for y, c in counts if y.isdigit()}
    if not found:
        return YearChart()
    low, high = min(map(int, found)), max(map(int, found))
    years = ([str(y) for y in range(low, high + 1)] if high - low < CHART_SPAN
             else sorted(found))
    most = max(found.values())
    bars = []
    for i, year in enumerate(years):
        count = found.get(year, 0)
        height = round(count / most * CHART_HEIGHT, 2)
        href = linker.removing("year", year) if year in selected else linker.adding("year", year)
        bars.append(Bar(year, count, x=i * 10 + 1, y=round(CHART_HEIGHT - height, 2), height=height,
                        href=href, selected=year in selected))
    return YearChart(bars, width=len(years) * 10, most=most)
