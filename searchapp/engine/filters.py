"""Filters and facets over per-document codes: sources, categories, years, 文种, 效力级别,
地域 and 时效性.

Each facet is a code per document and a table of values: columns of the index
(``IndexView.codes``) or, for 时效性, the statuses the build computed
(``relations.py``). A filter keeps the documents whose code is one of the chosen values
(several values of one facet: any of them; several facets: all of them) and drops those
whose code is an excluded one; a facet count is a ``bincount`` of codes. Categories are
stored as "|"-joined lists, so their codes stand for combinations, split after counting.
"""

from __future__ import annotations

import numpy as np

from searchapp.engine import docsets
from searchapp.engine.context import SearchContext
from searchapp.engine.evaluate import date_docs
from searchapp.engine.relations import STATUS_VALUES

FACETS = {"source": "source", "category": "category_list", "year": "year",
          "doc_type": "doc_type", "level": "level", "region": "region", "status": None}
_LISTS = {"category_list"}
# Documents without a date have the year "": counted and chosen under this value (listed
# after the years), so that they do not vanish from the year facet.
UNDATED = "未注明日期"
_EMPTY_AS = {"year": UNDATED}


def facet_codes(ctx: SearchContext, name: str) -> tuple[np.ndarray, list[str]]:
    """(code of each document, values of the codes) of a facet."""
    column = FACETS[name]
    if column is None:
        return ctx.relations.status, list(STATUS_VALUES)
    return ctx.view.codes(column)


def _codes_with(values: list[str], wanted: tuple[str, ...], name: str) -> np.ndarray:
    """Codes of ``values`` (facet ``name``'s) that are ``wanted``; a list column's value is
    wanted when one of its items is."""
    wanted_set = {"" if name in _EMPTY_AS and w == _EMPTY_AS[name] else w for w in wanted}
    if FACETS[name] in _LISTS:
        return np.array([i for i, v in enumerate(values) if wanted_set & set(v.split("|"))],
                        dtype=np.int64)
    return np.array([i for i, v in enumerate(values) if v in wanted_set], dtype=np.int64)


def facet_filter(ctx: SearchContext, name: str, include: tuple[str, ...],
                 exclude: tuple[str, ...]) -> np.ndarray:
    """Live documents with any of ``include`` (all when empty) and none of ``exclude``."""
    codes, values = facet_codes(ctx, name)
    docs = ctx.all_docs()
    keep = np.ones(len(docs), dtype=bool)
    if include:
        keep &= np.isin(codes[docs], _codes_with(values, include, name))
    if exclude:
        keep &= ~np.isin(codes[docs], _codes_with(values, exclude, name))
    return docs[keep]


def filter_sets(ctx: SearchContext, params) -> dict[str, np.ndarray]:
    """The documents each active filter allows, by facet name ("date" for the date range)."""
    sets = {name: facet_filter(ctx, name, include, exclude)
            for name, (include, exclude) in params.filters().items()}
    low, high = params.date_bounds()
    if low or high:
        sets["date"] = date_docs(ctx, low, high)
    return sets


def combined(sets: dict[str, np.ndarray], size: int, leave_out: str = "") -> np.ndarray | None:
    """The documents every filter allows (but ``leave_out``'s), or None for no filter."""
    found = None
    for name, docs in sorted(sets.items(), key=lambda kv: len(kv[1])):
        if name != leave_out:
            found = docs if found is None else docsets.intersect(found, docs, size)
    return found


def counts(ctx: SearchContext, name: str, docs: np.ndarray) -> list[tuple[str, int]]:
    """Each value of a facet with the number of ``docs`` having it; years newest first,
    the others most frequent first."""
    codes, values = facet_codes(ctx, name)
    return _listed(name, values, np.bincount(codes[docs], minlength=len(values)))


# Facets are counted together, several per ``bincount``, while their combined codes fit in
# this many bins: one pass over a large result instead of one per facet.
JOINT_BINS = 1 << 16


def all_counts(ctx: SearchContext, names, docs: np.ndarray) -> dict[str, list[tuple[str, int]]]:
    """``counts`` of each facet of ``names`` over the same documents."""
    wanted = set(names)
    out = {}
    for group in ctx.cached("facet groups", lambda: _groups(ctx, tuple(FACETS))):
        if wanted.isdisjoint(group):
            continue
        joint, shape = _joint_codes(ctx, group)
        per = np.bincount(joint[docs], minlength=int(np.prod(shape))).reshape(shape)
        for axis, name in enumerate(group):
            if name in wanted:
                others = tuple(a for a in range(len(group)) if a != axis)
                out[name] = _listed(name, facet_codes(ctx, name)[1], per.sum(axis=others))
    return out


def _groups(ctx: SearchContext, names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """``names`` packed into groups whose combined codes fit in ``JOINT_BINS`` (the same
    groups for every search, so each group's codes are computed once per index)."""
    sizes = {n: _values_count(ctx, n) for n in names}
    groups: list[list[str]] = []
    for name in sorted(names, key=lambda n: sizes[n]):
        for group in groups:
            if np.prod([sizes[n] for n in group]) * sizes[name] <= JOINT_BINS:
                group.append(name)
                break
        else:
            groups.append([name])
    return [tuple(g) for g in groups]


def _joint_codes(ctx: SearchContext, group: tuple[str, ...]) -> tuple[np.ndarray, tuple]:
    """Each document's codes of the facets of ``group`` as one number (cached)."""
    def compute():
        shape = tuple(_values_count(ctx, n) for n in group)
        joint = np.zeros(ctx.size, dtype=np.int64)
        for name, size in zip(group, shape, strict=True):
            joint = joint * size + facet_codes(ctx, name)[0]
        return joint.astype(np.int32 if np.prod(shape) < 2**31 else np.int64), shape
    return ctx.cached(("joint codes", group), compute)


def _values_count(ctx: SearchContext, name: str) -> int:
    return max(len(facet_codes(ctx, name)[1]), 1)


def _listed(name: str, values: list[str], per_code: np.ndarray) -> list[tuple[str, int]]:
    found: dict[str, int] = {}
    empty = 0
    for code in np.flatnonzero(per_code).tolist():
        for value in values[code].split("|") if FACETS[name] in _LISTS else [values[code]]:
            if value:
                found[value] = found.get(value, 0) + int(per_code[code])
            else:
                empty += int(per_code[code])
    last = [(_EMPTY_AS[name], empty)] if empty and name in _EMPTY_AS else []
    if name == "year":
        return sorted(found.items(), reverse=True) + last
    return sorted(found.items(), key=lambda kv: (-kv[1], kv[0])) + last
