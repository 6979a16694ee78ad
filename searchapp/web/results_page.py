"""What the results template needs besides the results: facets, the year chart, the chips of
the active filters, the full and the partial matches apart, and the links that keep the
search state (advanced search, article pages).

The page holds the search state once, as the hidden fields of one form (``STATE_FORM``);
facet values, year bars, pages, export and 订阅 are its submit buttons. Links that must
repeat the state are few; a result's link hands it to the article page only while it is
short (``CARRIED_STATE_BYTES``), so a page stays small whatever the query's length.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import url_for

from searchapp.engine.search import FILTERS
from searchapp.web.facets import LABELS, STATE_FORM, facet_views, year_chart
from searchapp.web.state import Linker, changed, single_example

# A result's link carries the search state (for 返回搜索结果 and the highlights) up to this
# many bytes of query string: about 100 Chinese characters of query, with filters. Ten
# results with a 500-character query would otherwise add 45 KB to a page.
CARRIED_STATE_BYTES = 1024

_OTHER_CHIPS = {"from": "起", "to": "止", "title_only": "仅标题", "all_versions": "全部版本"}


def chips(items: list[tuple[str, str]], linker: Linker) -> list[tuple[str, str]]:
    """(text, link that removes it) for each active filter, in URL order."""
    out = []
    for key, value in items:
        if key in FILTERS:
            text = f"{LABELS[key]}：{value}"
        elif key.startswith("exclude_") and key[8:] in FILTERS:
            text = f"排除{LABELS[key[8:]]}：{value}"
        elif key in _OTHER_CHIPS:
            flag = key in ("title_only", "all_versions")
            text = _OTHER_CHIPS[key] if flag else f"{_OTHER_CHIPS[key]}：{value}"
        else:
            continue
        out.append((text, linker.removing(key, value)))
    return out


def took_text(ms: float) -> str:
    """The time taken; a cached page answers in well under a millisecond ("0 毫秒" read as a bug)."""
    return "不到 1 毫秒" if ms < 1 else f"{ms:.0f} 毫秒"


def page_context(items: list[tuple[str, str]], params=None, results=None, error: str = "",
                 more: str = "", query_cut: int = 0) -> dict:
    """Template variables of the results page; ``results`` is None when the parameters were
    refused (``error`` says why, and the forms show what was asked so it can be corrected).
    ``query_cut``: the length of a query longer than what was searched."""
    linker = Linker(url_for("search.search_page"), items)
    no_page = [(k, v) for k, v in items if k != "page"]
    state_qs = urlencode(items)
    context = {
        "params": params, "results": results, "error": error, "state": items, "linker": linker,
        "q": next((v for k, v in items if k == "q"), ""), "query_cut": query_cut,
        "chips": chips(items, linker), "state_form": STATE_FORM, "state_fields": no_page,
        "state_qs": state_qs,
        "carried_qs": state_qs if len(state_qs) <= CARRIED_STATE_BYTES else "",
        "clear_filters_href": linker.to([(k, v) for k, v in no_page if k in ("q", "sort", "per_page")]),
        # One url_for per page, not per result (each costs tens of microseconds).
        "article_prefix": url_for("search.article_page", article_id="0")[:-1],
        "advanced_href": url_for("search.advanced") + ("?" + urlencode(no_page) if no_page else ""),
        "single_example": single_example(params.q if params else ""),
        "facets": [], "chart": None, "filters_open": bool(more),
        "full_hits": [], "partial_hits": [], "shown": 0,
    }
    if results is not None:
        context["facets"] = facet_views(results.facets, params, linker, more)
        context["chart"] = year_chart(results.facets.get("year") or [], params.year, linker)
        context["took"] = took_text(results.took_ms)
        context["original_href"] = linker.to(changed(items, as_typed="1"))
        context["shown"] = results.total + results.partial_total
        context.update(split_hits(results))
    return context


def split_hits(results) -> dict:
    """The page's full matches and, in a section of their own, those lacking some of the
    query's words (``Hit.missing``). When nothing matched every word (``fallback``), or a
    question's matches are ranked together (``best_match``), they are one list."""
    if results.fallback or results.best_match:
        return {"full_hits": results.hits, "partial_hits": []}
    return {"full_hits": [h for h in results.hits if not h.missing],
            "partial_hits": [h for h in results.hits if h.missing]}
