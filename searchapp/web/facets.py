"""Facets as the results page shows them: each value with its count, a way to choose it
(or un-choose it) and to leave it out, the chosen and excluded values first, and the year
facet as a bar chart.

The engine counts every value of every facet (``SearchResults.facets``); this module only
arranges them. Choosing a value adds it to the facet's values (any of them: OR), so the
links of one facet keep its other choices; facets combine with AND.

A value not chosen is a submit button of the page's one state form (``STATE_FORM``: the
search's parameters as hidden fields, once): the button adds its own ``name=value``. A
link would have to repeat the whole search in its URL, and a results page lists hundreds
of values: with a long query that made pages of over 600 KB. Chosen and excluded values
(a few) are links that leave them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from searchapp.engine.filters import UNDATED
from searchapp.web.state import Linker

STATE_FORM = "search-state"   # the id of the results page's form holding the search state
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
    name: str = ""            # the facet
    href: str = ""            # a chosen or excluded value: the link that undoes it
    exclude_href: str = ""    # a chosen value: the link that leaves it out instead
    selected: bool = False
    excluded: bool = False


# A facet value's list item. Written here rather than in the template: a results page lists
# hundreds of values, and a template loop escaped each one ten times over (measured: half
# the page's rendering time); here the value is escaped once and plain string formatting
# joins the parts.
_HIDDEN = '<span class="visually-hidden">{}</span>'
_BUTTON = f'<button type="submit" form="{STATE_FORM}" class="{{}}" name="{{}}" value="{{}}"'


def items_html(values: list[FacetValue]) -> Markup:
    """The <li> of each value: its name (choose / un-choose), its count, "−" (exclude)."""
    out = []
    for v in values:
        value = escape(v.value)
        if v.selected:
            cls, pick = " is-selected", (f'<a class="pick selected" href="{escape(v.href)}" '
                                         f'aria-current="true" title="取消选择">'
                                         f'{_HIDDEN.format("已选：")}{value}</a>')
            exclude = (f' <a class="exclude" href="{escape(v.exclude_href)}" title="排除 {value}">'
                       '<span aria-hidden="true">−</span></a>')
        elif v.excluded:
            cls, pick = " is-excluded", (f'<a class="pick excluded" href="{escape(v.href)}" title="取消排除">'
                                         f'{_HIDDEN.format("已排除：")}<s>{value}</s></a>')
            exclude = ""
        else:
            cls = ""
            pick = _BUTTON.format("pick", v.name, value) + f">{value}</button>"
            exclude = (" " + _BUTTON.format("exclude", f"exclude_{v.name}", value)
                       + f' title="排除 {value}"><span aria-hidden="true">−</span></button>')
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
    paged_more: bool = False  # 更多 is the page listing them all (more=<name>), not a fold
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
    height: float             # of CHART_HEIGHT
    href: str = ""            # a chosen year: the link that un-chooses it
    selected: bool = False


@dataclass
class YearChart:
    bars: list[Bar] = field(default_factory=list)
    height: int = CHART_HEIGHT
    most: int = 0
    undated: int = 0          # documents without a date (not drawn; said under the chart)

    @property
    def bars_html(self) -> Markup:
        """Each year as a button of the state form (a chosen one as the link that un-chooses
        it) around an SVG bar, its count in the tooltip; a year without documents as an empty
        slot. Formatted here, like the facet items, to keep the page's rendering cheap; the
        whole chart is hidden from assistive technology and out of the tab order (the year
        facet's list below says and does the same)."""
        out = []
        for b in self.bars:
            # Years are four digits (year_chart keeps no other value): nothing to escape.
            data = f'data-year="{b.year}" data-count="{b.count}" title="{b.year} 年：{b.count} 篇"'
            top = round(self.height - b.height, 2)
            svg = (f'<svg viewBox="0 0 8 {self.height}" preserveAspectRatio="none" focusable="false">'
                   f'<rect x="0" y="{top}" width="8" height="{b.height}"/></svg>')
            if b.selected:
                out.append(f'<a class="bar selected" href="{escape(b.href)}" tabindex="-1" {data}>{svg}</a>')
            elif b.count:
                out.append(_BUTTON.format("bar", "year", b.year) + f' tabindex="-1" {data}>{svg}</button>')
            else:
                out.append(f'<span class="bar empty" {data}></span>')
        return Markup("\n".join(out))

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
    first = [FacetValue(v, found.get(v, 0), name, linker.removing(name, v), linker.excluding(name, v),
                        selected=True) for v in include]
    first += [FacetValue(v, found.get(v, 0), name, linker.removing(f"exclude_{name}", v), excluded=True)
              for v in exclude if v not in include]
    taken = set(include) | set(exclude)
    rest = [(v, c) for v, c in values if v not in taken]
    inline = expanded or len(first) + len(rest) <= INLINE
    listed = rest[:max(0, (MOST if inline else SHOWN) - len(first))]
    items = first + [FacetValue(v, c, name) for v, c in listed]
    unlisted = len(rest) - len(listed)
    return Facet(name, LABELS[name], items, unlisted=unlisted, chosen=len(include), expanded=expanded,
                 paged_more=bool(unlisted) and not inline)


MIN_BARS = 2         # one bar is no chart: the year facet's list says it


def year_chart(counts: list[tuple[str, int]], selected: tuple[str, ...], linker: Linker) -> YearChart:
    """Matches per year as bars, oldest on the left; years between them with no match get an
    empty slot when the span is short enough to read (a gap is information too). No chart
    for fewer than ``MIN_BARS`` years."""
    found = {y: c for y, c in counts if len(y) == 4 and y.isascii() and y.isdigit()}
    undated = dict(counts).get(UNDATED, 0)
    if len(found) < MIN_BARS:
        return YearChart(undated=undated)
    low, high = min(map(int, found)), max(map(int, found))
    years = ([str(y) for y in range(low, high + 1)] if high - low < CHART_SPAN
             else sorted(found))
    most = max(found.values())
    bars = [Bar(year, found.get(year, 0), height=round(found.get(year, 0) / most * CHART_HEIGHT, 2),
                href=linker.removing("year", year) if year in selected else "",
                selected=year in selected) for year in years]
    return YearChart(bars, most=most, undated=undated)
