"""Typos: a one-character correction for a query that finds little, from the index's own words.

Chinese typos are mostly IME slips: a character of the same or a near sound (营商坏境 for
营商环境, 数据安权 for 数据安全, 专利代理条力 for 专利代理条例). A slip usually turns a word into
one the index does not know (坏境, 安权, 条力); each character of such a word is replaced in
turn by the characters the index holds that sound the same (pypinyin, tones ignored) or
nearly (one letter apart: huai/huan), and a candidate is kept when its words are words of
the index. The candidate whose typed token
most documents hold as typed (a dictionary word's document frequency, else the documents
with its characters in sequence) is the correction. ``search`` then decides whether to show
its results instead (``corrected_query``) or to offer it (``did_you_mean``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pypinyin import Style, pinyin

from indexer.analysis.normalize import normalize
from indexer.analysis.tokens import is_cjk, phrase_grams, words
from indexer.schema import WORD_FIELDS
from searchapp.engine.context import SearchContext
from searchapp.engine.match import Matcher
from searchapp.engine.parse import Node
from searchapp.engine.plan import Phrase

MAX_TOKEN = 12            # characters: longer tokens are not corrected
MIN_HOLDING = 1           # a token no document holds as typed may be a typo
CHECKED = 5               # candidates looked up in full, of those whose words are commonest


@dataclass
class Correction:
    original: str            # the token as typed
    corrected: str
    holding: int             # documents holding the corrected token as typed
    holding_original: int


class Sounds:
    """The index's CJK characters by their toneless pinyin, built once per open index."""

    def __init__(self, ctx: SearchContext):
        chars = [t for t in ctx.view.expand_prefix("chars", "", 10**7) if len(t) == 1 and is_cjk(t)]
        self.of: dict[str, tuple[str, ...]] = {}
        self.by_sound: dict[str, list[str]] = {}
        for char in chars:
            sounds = tuple(dict.fromkeys(pinyin(char, heteronym=True, style=Style.NORMAL)[0]))
            self.of[char] = sounds
            for sound in sounds:
                self.by_sound.setdefault(sound, []).append(char)
        self.near: dict[str, list[str]] = {}

    def similar(self, char: str) -> list[str]:
        """Characters that sound the same as ``char``, then those one letter apart."""
        same, near = [], []
        for sound in self.of.get(char, ()):
            same += self.by_sound.get(sound, [])
            near += [c for s in self._near(sound) for c in self.by_sound[s]]
        found = dict.fromkeys(c for c in same + near if c != char)
        return list(found)

    def _near(self, sound: str) -> list[str]:
        if sound not in self.near:
            self.near[sound] = [s for s in self.by_sound if s != sound and _one_apart(s, sound)]
        return self.near[sound]


def _one_apart(a: str, b: str) -> bool:
    """One letter added, removed or changed (huai/huan, zi/zhi, in/ing)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def sounds(ctx: SearchContext) -> Sounds:
    return ctx.cached("sounds", lambda: Sounds(ctx))


def correct(ctx: SearchContext, tokens: list[Node]) -> Correction | None:
    """The best one-character correction of one of the typed ``tokens``, or None."""
    matcher = Matcher(ctx)
    best: Correction | None = None
    for token in tokens:
        typed = normalize(token.text).strip()
        if not 2 <= len(typed) <= MAX_TOKEN or not all(is_cjk(c) for c in typed):
            continue
        found = _best(ctx, matcher, sounds(ctx), typed)
        if found and (best is None or found.holding > best.holding):
            found.original, best = token.text.strip(), found
    return best


def _best(ctx, matcher, sounds: Sounds, typed: str) -> Correction | None:
    """The candidate most documents hold as typed, of the few whose words are commonest;
    none for a token that documents hold as typed (no typo: never corrected)."""
    suspects = _unknown_positions(ctx, typed)
    if not suspects:
        return None
    original = holding(ctx, matcher, typed)
    if original >= MIN_HOLDING:
        return None
    candidates = {}
    for i in suspects:
        for other in sounds.similar(typed[i]):
            candidate = typed[:i] + other + typed[i + 1:]
            if (estimate := _word_frequency(ctx, candidate)) > 0:
                candidates[candidate] = estimate
    best = None
    for candidate in sorted(candidates, key=candidates.get, reverse=True)[:CHECKED]:
        count = holding(ctx, matcher, candidate)
        if count >= MIN_HOLDING and count > 10 * original and (best is None or count > best.holding):
            best = Correction(typed, candidate, count, original)
    return best


def _unknown_positions(ctx: SearchContext, typed: str) -> list[int]:
    """The characters of ``typed`` inside words no title or text of the index has: a slip
    turns a word into one the dictionary does not know (营商坏境 → 营商 坏境), and only
    there is a character worth replacing (上海营商环境 has no slip, whatever it matches)."""
    view = ctx.view
    return [i for w, _, start, end in words(typed, mode="query")
            if not any(view.doc_frequency(f, w) for f in WORD_FIELDS[:2])
            for i in range(start, end)]


def _word_frequency(ctx: SearchContext, text: str) -> int:
    """The document frequency of the rarest word of ``text`` in titles and bodies (0 when
    one is no word of the index): a cheap guess at how common ``text`` is."""
    view = ctx.view
    return min((max(view.doc_frequency(f, w) for f in WORD_FIELDS[:2])
                for w, *_ in words(text, mode="query")), default=0)


def holding(ctx: SearchContext, matcher: Matcher, text: str) -> int:
    """Documents holding ``text`` as typed: as a word, or its characters in sequence."""
    ws = [w for w, *_ in words(text, mode="query")]
    if len(ws) == 1:
        return max(ctx.view.doc_frequency("content", ws[0]), ctx.view.doc_frequency("title", ws[0]))
    grams = tuple(phrase_grams(text))
    docs = [matcher.docs(Phrase(f, grams)) for f in ("chars", "title_chars")]
    return len(np.union1d(*docs))
