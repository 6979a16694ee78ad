"""Facets as the results page shows them: each value with its count and two links (choose
or un-choose it, leave it out), the chosen and excluded values first, and the year facet
as a bar chart.

The engine counts every value of every facet (``SearchResults.facets``); this module only
arranges them. Choosing a value adds it to the facet's values (any of them: OR), so the
links of one facet keep its other choices; facets combine with AND.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from searchapp.web.state import Linker, quoted

LABELS = {"year": "年份", "level": "效力级别", "status": "时效性", "doc_type": "文种",
          "source": "来源", "region": "地域", "category": "分类"}
ORDER = ("year", "level", "status", "doc_type", "source", "region", "category")
SHOWN = 8            # values listed before "更多"
INLINE = 30          # a facet with at most this many values has them all on the page (更多 unfolds them);
                     # a longer one links 更多 to the page listing it in full (more=<name>): the
                     # long tails of sources and categories were most of a page's rendering time
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


# A facet value's list item. Written here rather than in the template: a results page lists
# hundreds of values, and a template loop escaped each one ten times over (measured: half
# the page's rendering time); here the value is escaped once, the links of values not
# chosen come ready-made (Linker.adding), and plain string formatting joins them.
_HIDDEN = '<span class="visually-hidden">{}</span>'


def items_html(values: list[FacetValue]) -> Markup:
    """The <li> of each value: its name (choose / un-choose), its count, "−" (exclude)."""
    out = []
    for v in values:
        value, href = escape(v.value), escape(v.href)
        if v.selected:
            cls, pick = " is-selected", (f'<a class="pick selected" href="{href}" aria-current="true" '
                                         f'title="取消选择">{_HIDDEN.format("已选：")}{value}</a>')
        elif v.excluded:
            cls, pick = " is-excluded", (f'<a class="pick excluded" href="{href}" title="取消排除">'
                                         f'{_HIDDEN.format("已排除：")}<s>{value}</s></a>')
        else:
            cls, pick = "", f'<a class="pick" href="{href}">{value}</a>'
        exclude = (f' <a class="exclude" href="{escape(v.exclude_href)}" title="排除 {value}">'
                   '<span aria-hidden="true">−</span></a>') if v.exclude_href else ""
        count = f'<span class="count">{v.count}</span>'
        out.append(f'<li class="facet-value{cls}">{pick} {count}{exclude}</li>\n')
    return Markup("".join(out))


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]  # those on the page
    unlisted: int = 0         # values not on the page
    chosen: int = 0
    more_href: str = ""       # the page listing them all, when there is one
    expanded: bool = False    # listed in full on request (more=<name>)

    @property
    def shown(self) -> list[FacetValue]:
        return self.values[:SHOWN]

    @property
    def more(self) -> list[FacetValue]:
        return self.values[SHOWN:]

    @property
    def shown_html(self) -> Markup:
        return items_html(self.shown)

    @property
    def more_html(self) -> Markup:
        return items_html(self.more)


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
    def bars_html(self) -> Markup:
        """The bars as SVG: a link per year around a rect with its tooltip (formatted here,
        like the facet items, to keep the page's rendering cheap)."""
        out = []
        for b in self.bars:
            cls = "bar selected" if b.selected else "bar"
            # Years are four digits (year_chart keeps no other value): nothing to escape.
            out.append(f'<a href="{escape(b.href)}" tabindex="-1"><rect class="{cls}" x="{b.x}" y="{b.y}" '
                       f'width="8" height="{b.height}" data-year="{b.year}" data-count="{b.count}">'
                       f'<title>{b.year} 年：{b.count} 篇</title></rect></a>\n')
        return Markup("".join(out))

    @property
    def first(self) -> str:
        return self.bars[0].year if self.bars else ""

    @property
    def last(self) -> str:
        return self.bars[-1].year if self.bars else ""


def facet_views(counts: dict[str, list[tuple[str, int]]], params, linker: Linker,
                more: str = "") -> list[Facet]:
    """The facets to show, in ``ORDER``; a facet without values and choices is left out.
    ``more`` names the facet to list in full."""
    out = []
    for name in ORDER:
        include = getattr(params, name)
        exclude = params.exclude.get(name, ())
        values = counts.get(name) or []
        if not values and not include and not exclude:
            continue
        out.append(_facet(name, values, include, exclude, linker, name == more))
    return out


def _facet(name, values, include, exclude, linker: Linker, expanded: bool) -> Facet:
    found = dict(values)
    first = [FacetValue(v, found.get(v, 0), linker.removing(name, v), linker.excluding(name, v),
                        selected=True) for v in include]
    first += [FacetValue(v, found.get(v, 0), linker.removing(f"exclude_{name}", v), excluded=True)
              for v in exclude if v not in include]
    taken = set(include) | set(exclude)
    rest = [(v, c) for v, c in values if v not in taken]
    inline = expanded or len(first) + len(rest) <= INLINE
    listed = rest[:max(0, (MOST if inline else SHOWN) - len(first))]
    items = first + [_unchosen(name, v, c, linker) for v, c in listed]
    unlisted = len(rest) - len(listed)
    return Facet(name, LABELS[name], items, unlisted=unlisted, chosen=len(include), expanded=expanded,
                 more_href=linker.expanding(name) if unlisted and not inline else "")


def _unchosen(name: str, value: str, count: int, linker: Linker) -> FacetValue:
    """A value not chosen: its links append one pair to the page's query string (a page
    lists hundreds of them, so the value is encoded once for both)."""
    encoded = quoted(value)
    return FacetValue(value, count, linker.adding_quoted(name, encoded),
                      linker.adding_quoted(f"exclude_{name}", encoded))


def year_chart(counts: list[tuple[str, int]], selected: tuple[str, ...], linker: Linker) -> YearChart:
    """Matches per year as bars, oldest on the left; years between them with no match get an
    empty slot when the span is short enough to read (a gap is information too)."""
    found = {y: c for y, c in counts if len(y) == 4 and y.isascii() and y.isdigit()}
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
