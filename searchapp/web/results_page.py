"""What the results template needs besides the results: facets, the year chart, the chips of
the active filters, and the links that keep the search state (export, advanced search,
article pages)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import url_for

from searchapp.engine.search import FILTERS
from searchapp.web.facets import LABELS, facet_views, year_chart
from searchapp.web.state import Linker, changed, single_example

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
                 more: str = "") -> dict:
    """Template variables of the results page; ``results`` is None when the parameters were
    refused (``error`` says why, and the forms show what was asked so it can be corrected)."""
    linker = Linker(url_for("search.search_page"), items)
    no_page = [(k, v) for k, v in items if k != "page"]
    context = {
        "params": params, "results": results, "error": error, "state": items, "linker": linker,
        "q": next((v for k, v in items if k == "q"), ""),
        "chips": chips(items, linker),
        "state_qs": urlencode(items),
        # One url_for per page, not per result (each costs tens of microseconds).
        "article_prefix": url_for("search.article_page", article_id="0")[:-1],
        "advanced_href": url_for("search.advanced") + ("?" + urlencode(no_page) if no_page else ""),
        "export_href": url_for("search.api_search") + "?" + urlencode([*no_page, ("format", "csv")]),
        "single_example": single_example(params.q if params else ""),
        "facets": [], "chart": None, "filters_open": bool(more),
    }
    if results is not None:
        context["facets"] = facet_views(results.facets, params, linker, more)
        context["chart"] = year_chart(results.facets.get("year") or [], params.year, linker)
        context["took"] = took_text(results.took_ms)
        context["original_href"] = linker.to(changed(items, as_typed="1"))
    return context
