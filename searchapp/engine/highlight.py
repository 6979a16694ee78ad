"""Snippets and highlighting, without re-running jieba.

The query compiler hands us the normalised strings it searched for (words, sub-words,
phrases, single characters, synonyms, document numbers). We look for them in the stored
plain text with one regular expression in which every character is a class of all the
characters that normalise to it (``a`` → ``[aAａＡ]``, ``专`` → ``[专專]``), so the stored
text is never normalised at query time (folding a 280 KB page per hit was the slowest part
of a search) and a match is already at the right offsets for ``<mark>``. Punctuation and
spaces between characters are allowed (the character index ignores them, so
``双随机一公开`` matches 双随机、一公开 and must be highlighted there too).

A snippet is one to three fragments of about 60-120 characters, cut at Chinese sentence and
clause boundaries, the fragments with the most distinct query terms first, joined by ``…``.
Everything except our own ``<mark>`` tags is escaped; the result is ``markupsafe.Markup``.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import numpy as np
from markupsafe import Markup, escape

from indexer.analysis import char_units, normalize, variants

FRAGMENT_MIN = 60
FRAGMENT_MAX = 120
MAX_FRAGMENTS = 3
MAX_MATCHES = 1000
MAX_CANDIDATES = 40
CANDIDATE_WINDOW = 8000    # characters after the first match where fragments are looked for
# Matches further than this past the first are never in a fragment: candidates lie within
# CANDIDATE_WINDOW of it, and a fragment reaches at most 400 + FRAGMENT_MAX beyond.
SPAN_WINDOW = CANDIDATE_WINDOW + 1000
SHORTLIST = 8              # sentences measured in full, out of the best by their own matches
SNIPPET_SCAN = 20_000
_SENTENCE_CHARS = "。！？；!?;\n"
_SENTENCE_END = re.compile(f"[{_SENTENCE_CHARS}]")
# Indexed by code point: whether it ends a sentence (a lookup per character; np.isin
# sorted the text's codes on every call, three times slower).
_ENDS_SENTENCE = np.zeros(0x110000, dtype=bool)
_ENDS_SENTENCE[[ord(c) for c in _SENTENCE_CHARS]] = True
# Matched from a window's start, this ends just after the window's last sentence end: one
# scan in C instead of a search per sentence character.
_THROUGH_LAST_END = re.compile(f".*[{_SENTENCE_CHARS}]", re.S)
_CLAUSE_END = re.compile(r"[，、,：:]")
_GAP = r"[^\w]{0,3}?"
# Line breaks and other spaces show as one space (one for one, so offsets stay valid).
_SPACES = {ord(c): " " for c in "\n\r\t\f\v\u3000\xa0\u2028\u2029"}


@lru_cache(maxsize=256)
def term_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    """One regex for all terms, longest first, tolerant of punctuation between units.

    It opens with one character class of every term's first character, followed by the
    alternatives, each checking its own first character with a lookbehind: a pattern that
    starts with a plain class lets ``re`` skip through the text in C, five times faster
    here than trying every alternative at every position.
    """
    alternatives, heads = [], set()
    for term in sorted(set(terms), key=len, reverse=True):
        units = [u for u, _, _ in char_units(term)]
        if not units:
            continue
        head = units[0][0]
        heads |= variants(head)
        alternatives.append(f"(?<={_char_class(head)})"
                            + "".join(_char_class(c) for c in units[0][1:])
                            + "".join(_GAP + "".join(_char_class(c) for c in u) for u in units[1:]))
    if not alternatives:
        return None
    first = "[" + "".join(re.escape(h) for h in sorted(heads)) + "]"
    return re.compile(f"{first}(?:{'|'.join(alternatives)})")


def _char_class(char: str) -> str:
    forms = variants(char)
    if len(forms) == 1:
        return re.escape(char)
    return "[" + "".join(re.escape(f) for f in sorted(forms)) + "]"


@lru_cache(maxsize=8192)
def _matched_term(matched: str) -> str:
    return normalize(re.sub(r"[^\w]", "", matched))


def find_spans(text: str, terms: tuple[str, ...], first_chunk: int | None = None,
               window: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, matched term, normalised) of every match, in order.

    With ``first_chunk``, the rest of a long text is only scanned when the opening chunk
    did not show every term: snippets need a few good fragments, not every match of a
    280 KB page. With ``window``, no match is looked for further than that past the first.
    """
    pattern = term_pattern(terms)
    if pattern is None or not text:
        return []
    spans: list[tuple[int, int, str]] = []
    limit = len(text)

    def collect(matches) -> None:
        nonlocal limit
        for m in matches:
            if not spans and window is not None:
                limit = min(limit, m.start() + window)
            if m.start() >= limit or len(spans) >= MAX_MATCHES:
                return
            spans.append((m.start(), m.end(), _matched_term(m.group(0))))

    end = len(text) if first_chunk is None else min(len(text), first_chunk)
    collect(pattern.finditer(text, 0, end))
    end = min(end, limit)
    if end < limit and len(spans) < MAX_MATCHES and len({t for _, _, t in spans}) < len(set(terms)):
        # Restart at a character boundary a little before the cut, to catch a match on it.
        collect(pattern.finditer(text, max(spans[-1][1] if spans else 0, end - 40)))
    return spans


def mark(text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None) -> Markup:
    """Escape ``text[start:end]`` and wrap the spans that fall inside it in ``<mark>``."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e, _ in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s < pos:
            continue
        out.append(str(escape(text[pos:s].translate(_SPACES))))
        out.append(f"<mark>{escape(text[s:e].translate(_SPACES))}</mark>")
        pos = e
    out.append(str(escape(text[pos:end].translate(_SPACES))))
    return Markup("".join(out))


def highlight_all(text: str, terms: tuple[str, ...]) -> Markup:
    """The whole text with every match marked (titles, article pages)."""
    return mark(text, find_spans(text, terms))


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``, narrowed to clauses or a window if it is too long."""
    floor = max(0, pos - 400)
    m = _THROUGH_LAST_END.match(text, floor, pos)
    left = m.end() if m else floor
    m = _SENTENCE_END.search(text, pos)
    right = m.end() if m else min(len(text), pos + 400)
    if right - left <= FRAGMENT_MAX:
        return left, right
    clause_left = max((m.end() for m in _CLAUSE_END.finditer(text, max(left, pos - 50), pos)),
                      default=max(left, pos - 40))
    m = _CLAUSE_END.search(text, pos + 1, min(right, clause_left + FRAGMENT_MAX))
    clause_right = m.end() if m and m.end() - clause_left >= 20 else min(right, clause_left + FRAGMENT_MAX)
    return clause_left, clause_right


def _extend(text: str, left: int, right: int) -> int:
    """Add following sentences to a short fragment, up to FRAGMENT_MAX."""
    while right - left < FRAGMENT_MIN and right < len(text):
        m = _SENTENCE_END.search(text, right)
        nxt = m.end() if m else len(text)
        if nxt - left > FRAGMENT_MAX:
            return min(len(text), left + FRAGMENT_MAX) if right - left < 20 else right
        right = nxt
    return right


def snippet(text: str, terms: tuple[str, ...]) -> Markup:
    """Up to three highlighted fragments; the opening of the text when nothing matches."""
    return snippet_at(text, terms)[0]


def page_of(starts: list[int] | None, offset: int | None) -> int:
    """The 1-based page of a paged text (``starts``: each page's first offset) that holds
    ``offset``; 0 for a text without pages."""
    if not starts or offset is None:
        return 0
    return max(1, bisect.bisect_right(starts, offset))


def snippet_at(text: str, terms: tuple[str, ...]) -> tuple[Markup, int | None]:
    """``snippet`` and the offset of its first (best) fragment, None when nothing matched."""
    text = text or ""
    spans = find_spans(text, terms, first_chunk=SNIPPET_SCAN, window=SPAN_WINDOW)
    if not spans:
        right = _extend(text, 0, 0)
        return mark(text.strip(), [], 0, min(right, FRAGMENT_MAX)) + (
            Markup("…") if right < len(text) else Markup("")), None
    candidates = _candidates(text, spans)
    chosen: list[tuple[int, int]] = []
    for bounds, _ in sorted(candidates.items(), key=lambda kv: kv[1], reverse=True):
        if all(bounds[1] <= a or bounds[0] >= b for a, b in chosen):
            chosen.append(bounds)
            if len(chosen) == MAX_FRAGMENTS:
                break
    parts = [_trimmed(text, spans, a, b) for a, b in chosen]
    return Markup("…").join(parts), chosen[0][0]


def _sentence_ends(text: str, end: int) -> np.ndarray:
    """Offsets just after each sentence end in ``text[:end]``. On the code points as an
    array: a regular expression's match objects, one per end, cost a tenth of a search."""
    codes = np.frombuffer(text[:end].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return np.flatnonzero(_ENDS_SENTENCE[codes]) + 1


def _candidates(text: str, spans) -> dict[tuple[int, int], tuple]:
    """Fragment bounds → (distinct terms, matches, -start) for the sentences that promise
    most: every matching sentence is scored by its own matches first (one pass over the
    sentence ends), and only the best SHORTLIST are measured as fragments."""
    # Sentences are looked for in a window after the first match: MAX_CANDIDATES sentences
    # with matches lie well within it, and scanning a whole long page would cost more.
    scan_end = min(len(text), spans[-1][1] + 1, spans[0][0] + CANDIDATE_WINDOW)
    ends = _sentence_ends(text, scan_end)
    starts = [s for s, _, _ in spans]
    by_sentence: dict[int, list[str]] = {}
    for s, k, (_, _, term) in zip(starts, np.searchsorted(ends, starts, side="right").tolist(),
                                  spans, strict=True):
        if s >= scan_end:
            break
        if k not in by_sentence and len(by_sentence) == MAX_CANDIDATES:
            break
        by_sentence.setdefault(k, []).append(term)
    best = sorted(by_sentence, key=lambda k: (-len(set(by_sentence[k])), -len(by_sentence[k]), k))
    candidates = {}
    for k in best[:SHORTLIST]:
        first_span = bisect.bisect_left(starts, int(ends[k - 1]) if k else 0)
        left, right = _sentence_bounds(text, spans[first_span][0])
        right = _extend(text, left, right)
        lo = bisect.bisect_left(starts, left)
        hi = bisect.bisect_left(starts, right, lo)
        inside = [t for _, b, t in spans[lo:hi] if b <= right]
        candidates[(left, right)] = (len(set(inside)), len(inside), -left)
    return candidates


def _trimmed(text: str, spans, left: int, right: int) -> Markup:
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return mark(text, spans, left, right)
