"""Everyday forms: the official term a short or colloquial form stands for, from the titles.

People shorten official terms the way Chinese abbreviations are made: a character of each
word of the term, most often the word's first or last one, some words left out (网络 预约
出租 汽车 → 网约车, 最低 生活 保障 → 低保, 经济 适用 住房 → 经适房). The documents keep the
official term, above all in their titles. So a form that no official title holds as written
is aligned with the titles that hold its characters in order: each character placed where
a dictionary word of the title begins or ends, at most ``MAX_SKIPPED`` characters left out
between the first and the last. The term runs from the word the first character begins
(or ends: 机动车 for 车) to the word the last one ends (or begins: 保险 for 保). Terms are
compared by how well the characters sit, then by how many official documents hold them.

The titles are those the build kept with the index (``indexer.vocabulary.read_titles``):
titles of laws, regulations and normative documents, without 中华人民共和国 and version
notes, each with its number of documents. Whether a term found here is searched is decided
when the query is understood (``understand.py``): only where the index's documents use the
term more than the form.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from cachetools import LRUCache

from indexer.analysis import is_word, segment
from indexer.chars import is_cjk

MIN_CHARS, MAX_CHARS = 2, 5     # the lengths of forms aligned
MAX_SKIPPED = 12                # characters between the form's first and last one in a term
MAX_TITLES = 400                # titles aligned per form (the most common first)
EDGE, INSIDE = 1.0, 0.3         # a character where a dictionary word begins or ends, or not
SKIP_COST = 0.01
CACHED_FORMS = 4096


@dataclass(frozen=True)
class Alignment:
    """An official term for a form, and how sure the alignment is."""

    term: str
    quality: float          # mean placement of the characters, less the skipped characters
    titles: int             # official titles holding the term this way
    documents: int          # their documents


class TitleTerms:
    """The official titles of one index, searched for terms a short form stands for."""

    def __init__(self, titles: list[tuple[str, int]]):
        self.titles = [t for t, _ in titles]
        self.counts = [n for _, n in titles]
        self.text = "\n".join(self.titles)
        self._starts = _line_starts(self.titles)
        self._found: LRUCache = LRUCache(CACHED_FORMS)

    def __len__(self) -> int:
        return len(self.titles)

    def in_titles(self, form: str) -> bool:
        """Whether an official title holds ``form`` as written."""
        return bool(form) and form in self.text

    def terms(self, form: str) -> list[Alignment]:
        """The official terms ``form`` may stand for, best first (cached)."""
        if form not in self._found:
            self._found[form] = self._terms(form)
        return self._found[form]

    def _terms(self, form: str) -> list[Alignment]:
        if not is_everyday_candidate(form):
            return []
        found: dict[str, list] = {}
        for line in self._lines_with(form):
            best = align(form, self.titles[line])
            if best is None:
                continue
            term, quality, skipped = best
            # Every character at an edge of a word (what is left of the quality is the
            # skipped characters' cost): an abbreviation, not characters met by chance.
            if quality < EDGE - SKIP_COST * skipped - 1e-9 or term == form:
                continue
            entry = found.setdefault(term, [quality, 0, 0])
            entry[0] = max(entry[0], quality)
            entry[1] += 1
            entry[2] += self.counts[line]
        ranked = [Alignment(t, q, n, d) for t, (q, n, d) in found.items()]
        return sorted(ranked, key=lambda a: (-a.quality, -a.documents, len(a.term), a.term))

    def _lines_with(self, form: str) -> list[int]:
        """The titles holding the characters of ``form`` in order (at most MAX_TITLES,
        the commonest first: the titles are kept commonest first)."""
        pattern = re.compile("[^\n]*?".join(map(re.escape, form)))
        lines = []
        for m in pattern.finditer(self.text):
            line = bisect.bisect_right(self._starts, m.start()) - 1
            if not lines or lines[-1] != line:
                lines.append(line)
                if len(lines) >= MAX_TITLES:
                    break
        return lines


def align(form: str, title: str) -> tuple[str, float, int] | None:
    """The best placement of the characters of ``form`` in ``title``, in order: (the term
    spanned, its quality, characters skipped between them), or None."""
    edges = _edges(title)
    places = [[o for o, c in enumerate(title) if c == char] for char in form]
    best = None
    for offsets in _placements(places, len(form) + MAX_SKIPPED):
        skipped = offsets[-1] - offsets[0] + 1 - len(offsets)
        if skipped == 0:
            continue          # the form as written, not an abbreviation
        quality = sum(EDGE if o in edges else INSIDE for o in offsets) / len(offsets)
        quality -= SKIP_COST * skipped
        if best is None or (quality, -skipped) > (best[1], -best[2]):
            best = (offsets, quality, skipped)
    if best is None:
        return None
    offsets, quality, skipped = best
    spans = _word_spans(title)
    term = title[_term_start(title, spans, offsets[0]):_term_end(title, spans, offsets[-1])]
    return term, quality, skipped


def _placements(places: list[list[int]], width: int):
    """Increasing offsets, one from each list, the last within ``width`` of the first: the
    ways the characters can sit in order (only those, not every combination)."""
    def walk(k: int, chosen: tuple[int, ...]):
        if k == len(places):
            yield chosen
            return
        low = chosen[-1] + 1 if chosen else 0
        high = chosen[0] + width if chosen else float("inf")
        for offset in places[k]:
            if low <= offset < high:
                yield from walk(k + 1, (*chosen, offset))
    yield from walk(0, ())


def _edges(title: str) -> set[int]:
    """Offsets of ``title`` where a dictionary word of 2 to 4 characters begins or ends."""
    found = set()
    for size in (2, 3, 4):
        for i in range(len(title) - size + 1):
            if is_word(title[i:i + size]):
                found.update((i, i + size - 1))
    return found


def _word_spans(title: str) -> list[tuple[int, int]]:
    """(start, end) of each word of the title as the segmenter cuts it."""
    spans, at = [], 0
    for word in segment(title):
        spans.append((at, at + len(word)))
        at += len(word)
    return spans


def _containing(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    return next(span for span in spans if span[0] <= offset < span[1])


def _term_start(title: str, spans, offset: int) -> int:
    """Where the term begins whose first character the form keeps: where the title's
    word holding it begins, unless a shorter dictionary word inside that word ends at it
    (机动车 inside a longer word, for 车)."""
    start, _ = _containing(spans, offset)
    for begin in range(start, offset - 1):
        if is_word(title[begin:offset + 1]):
            return begin
    return start


def _term_end(title: str, spans, offset: int) -> int:
    """Where the term ends whose last character the form keeps: where the title's word
    holding it ends, unless a shorter dictionary word inside that word begins at it
    (保险 inside 社会保险费, for 保)."""
    _, end = _containing(spans, offset)
    for stop in range(offset + 2, end):
        if is_word(title[offset:stop]):
            return stop
    return end


def is_everyday_candidate(form: str) -> bool:
    """A form short enough to be an abbreviation of a term, in Chinese characters."""
    return MIN_CHARS <= len(form) <= MAX_CHARS and all(is_cjk(c) for c in form)


def _line_starts(lines: list[str]) -> list[int]:
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    return starts


__all__ = ["Alignment", "TitleTerms", "align", "is_everyday_candidate"]
