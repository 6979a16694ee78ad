"""Typos: a one-character correction of a token no document holds, from the index's own words.

Chinese typos are mostly IME slips: a character of the same or a near sound (营商坏境 for
营商环境, 数据安权 for 数据安全, 专利代理条力 for 专利代理条例). A slip usually turns a word into
one the index does not know (坏境, 安权, 条力), or leaves a character on its own (住房公积经);
each character there is replaced in turn by the characters the index holds that sound the
same (pypinyin, tones ignored), that sound like it to many speakers (l/n, zh/z, ang/an …)
or one letter apart (huai/huan). A candidate counts when the word its new character stands
in is a word of the index; the closest in sound, then the commonest of those words, are
looked up in full, and the one most documents hold as typed (a dictionary word's document
frequency, else the documents with its characters in sequence) is the correction.

A real word is never corrected: a token that is a word of the dictionary, or that some
document holds as typed, has no slip however little it finds. Understanding the query
(``understand.py``) asks for a correction only after the token was tried as an everyday
form; matching then decides, from the documents each spelling finds, whether to show the
correction's results (``corrected_query``) or to offer it (``did_you_mean``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from indexer.analysis import is_word, phrase_grams, query_words
from indexer.chars import is_cjk
from indexer.schema import WORD_FIELDS
from indexer.vocabulary import read_sounds, sound_table
from searchapp.engine import docsets
from searchapp.engine.context import SearchContext
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.plan import Phrase

MAX_TOKEN = 30            # characters: longer tokens are not corrected (a pasted sentence)
MIN_HOLDING = 1           # a token no document holds as typed may be a typo
CHECKED = 8               # candidates looked up in full, of the closest in sound and commonest
# Tokens this short are corrected only to a character of the same sound: a word this short
# that no document holds is more often a short form the index does not know (a near sound
# of it is some other common word) than a slip of the keyboard.
SHORT = 3
WINDOW = 4                # characters either side of a changed one, cut to find its word
log = logging.getLogger("policy_search")


@dataclass
class Correction:
    original: str            # the token as typed
    corrected: str
    holding: int             # documents holding the corrected token as typed


class Sounds:
    """The index's CJK characters by their toneless pinyin, built once per open index from
    the table the build keeps with it (``indexer.analysis.sounds``)."""

    def __init__(self, ctx: SearchContext):
        chars = [t for t in ctx.view.expand_prefix("chars", "", 10**7) if len(t) == 1 and is_cjk(t)]
        table = _table(ctx)
        self.of: dict[str, tuple[str, ...]] = {}
        self.by_sound: dict[str, list[str]] = {}
        for char in chars:
            sounds = tuple(table.get(char, ()))
            self.of[char] = sounds
            for sound in sounds:
                self.by_sound.setdefault(sound, []).append(char)
        self.near: dict[str, list[str]] = {}

    def similar(self, char: str) -> list[tuple[str, int]]:
        """(character, how far its sound is from ``char``'s): 0 the same sound, 1 a sound
        people confuse (l/n, zh/z, ang/an …), 2 one letter apart (huai/huan)."""
        found: dict[str, int] = {}
        for sound in self.of.get(char, ()):
            for tier, sounds in enumerate(([sound], *self._near(sound))):
                for other in sounds:
                    for c in self.by_sound.get(other, ()):
                        if c != char and found.get(c, 9) > tier:
                            found[c] = tier
        return sorted(found.items(), key=lambda item: item[1])

    def _near(self, sound: str) -> tuple[list[str], list[str]]:
        if sound not in self.near:
            apart = [s for s in self.by_sound if s != sound and _one_apart(s, sound)]
            confused = set(_confusions(sound))
            self.near[sound] = ([s for s in apart if s in confused] + [s for s in self.by_sound
                                if s in confused and s not in apart],
                                [s for s in apart if s not in confused])
        return self.near[sound]


# Sounds that speakers of many dialects, and fuzzy pinyin input, do not tell apart.
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("f", "h"), ("r", "l"))
_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("iang", "ian"), ("uang", "uan"))


def _table(ctx: SearchContext) -> dict[str, list[str]]:
    """The readings table of the index; an index built before it was kept gets it worked
    out here (pypinyin then stays loaded in this process)."""
    table = read_sounds(ctx.generation)
    if table is None:
        log.warning("%s has no table of sounds: run `policy-search reindex --full` to keep "
                    "typo corrections from loading pypinyin in every process",
                    ctx.generation.path if ctx.generation else "the index")
        table = sound_table()
    return table


def _confusions(sound: str) -> list[str]:
    """The sounds ``sound`` is confused with: one initial or one final swapped."""
    found = []
    for a, b in _INITIALS:
        for x, y in ((a, b), (b, a)):
            if sound.startswith(x) and not (x == "z" and sound.startswith("zh")) \
                    and not (x in "cs" and sound.startswith(x + "h")):
                found.append(y + sound[len(x):])
    for a, b in _FINALS:
        for x, y in ((a, b), (b, a)):
            if sound.endswith(x):
                found.append(sound[:-len(x)] + y)
    return list(dict.fromkeys(f for f in found if f != sound))


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


def correct(ctx: SearchContext, evaluator: Evaluator, typed: str) -> Correction | None:
    """The best one-character correction of the token ``typed`` (normalised), or None:
    for a real word, a token documents hold as typed, or no better spelling.

    :raises TimedOut: when the evaluator's deadline passes (counting the documents that
        hold a candidate is a phrase search over the whole index: a second at 10^6).
    """
    if not 2 <= len(typed) <= MAX_TOKEN or not all(is_cjk(c) for c in typed) or is_word(typed):
        return None
    return _best(ctx, evaluator, sounds(ctx), typed)


def _best(ctx, evaluator: Evaluator, sounds: Sounds, typed: str) -> Correction | None:
    """Of the candidates whose changed word is a word of the index, the closest in sound
    (then the commonest of those words) few are looked up in full: the one most documents
    hold as typed wins. None for a token that documents hold as typed (no typo: never
    corrected)."""
    suspects = _suspects(ctx, typed)
    if not suspects:
        return None
    original = holding(ctx, evaluator, typed)
    if original >= MIN_HOLDING:
        return None
    candidates: dict[str, tuple[int, int]] = {}
    for i in suspects:
        evaluator.deadline.check()
        for other, tier in sounds.similar(typed[i]):
            if tier and len(typed) <= SHORT:
                continue          # a short everyday form, not a slip: only the same sound
            candidate = typed[:i] + other + typed[i + 1:]
            if (estimate := _changed_word_frequency(ctx, candidate, i)) > 0:
                candidates[candidate] = min(candidates.get(candidate, (9, 0)), (tier, -estimate))
    best = None
    for candidate in sorted(candidates, key=candidates.get)[:CHECKED]:
        count = holding(ctx, evaluator, candidate)
        if count >= MIN_HOLDING and count > 10 * original and (best is None or count > best.holding):
            best = Correction(typed, candidate, count)
    return best


def _suspects(ctx: SearchContext, typed: str) -> list[int]:
    """The characters of ``typed`` worth replacing: those inside words no title or text of
    the index has, since a slip turns a word into one the dictionary does not know (营商坏境
    → 营商 坏境); where there is none, those jieba leaves on their own (住房公积经 → 经).
    上海营商环境 has no slip, whatever it matches."""
    view = ctx.view
    found = list(query_words(typed))
    unknown = [i for w, _, start, end in found
               if not any(view.doc_frequency(f, w) for f in WORD_FIELDS[:2])
               for i in range(start, end)]
    if unknown or len(found) < 2:
        return unknown
    return [start for w, _, start, end in found if end - start == 1]


def _changed_word_frequency(ctx: SearchContext, candidate: str, i: int) -> int:
    """The document frequency, in titles and texts, of the word of ``candidate`` holding
    its changed character ``i``: 0 when that word is no word of the index or only the
    character itself (暂行条了 is no better spelling of 暂行条里 for having 了)."""
    view = ctx.view
    # The words around it alone are cut: a word is at most a few characters long, and a
    # long token has thousands of candidates.
    left = max(0, i - WINDOW)
    for w, _, start, end in query_words(candidate[left:i + WINDOW + 1]):
        if start <= i - left < end:
            if end - start < 2:
                return 0
            return max(view.doc_frequency(f, w) for f in WORD_FIELDS[:2])
    return 0


def holding(ctx: SearchContext, evaluator: Evaluator, text: str) -> int:
    """Documents holding ``text`` as typed: as a word, or its characters in sequence."""
    ws = [w for w, *_ in query_words(text)]
    if len(ws) == 1:
        return max(ctx.view.doc_frequency("content", ws[0]), ctx.view.doc_frequency("title", ws[0]))
    grams = tuple(phrase_grams(text))
    docs = [evaluator.docs(Phrase(f, grams)) for f in ("chars", "title_chars")]
    return len(docsets.union(docs, ctx.size))
