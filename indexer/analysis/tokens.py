"""Chinese analysis: the tokenizers shared by indexing and querying.

Two token streams are indexed for every text, because no single one answers every query:

**Words** (``WordTokenizer``, fields ``title`` and ``content``). jieba's precise mode gives one
word per position, consecutive positions, correct character offsets. At index time each word
longer than two characters is followed by its dictionary sub-words (what jieba's search mode
adds) *at the parent word's position*, so ``办公厅`` finds 国务院办公厅 while positions stay
consecutive. At query time only precise-mode words are produced (the Elasticsearch IK
pattern: fine-grained to index, coarse to search), so a query never demands a sub-word that
the text does not contain. Stop words are skipped without renumbering positions.

**Characters** (``CharTokenizer``, fields ``title_chars`` and ``chars``). Every CJK character
is a token at its own position; Latin and digit runs are one token each. Punctuation and
spaces are not positions, so ``双随机、一公开`` and ``双随机一公开`` spell the same sequence. This
field answers what word segmentation cannot: one-character queries (``税`` inside 增值税),
exact quoted phrases (a phrase of characters at consecutive positions is an exact substring,
whatever jieba would make of the context) and sub-strings that are not dictionary words.

Unigrams, not bigrams, by measurement on ``data/sample`` (202 documents, 3.4 MB of text,
2 workers): unigram+bigram postings made the full build 2.2x slower (27.9 s against 12.8 s)
and the index 3.2x larger (46 MB against 14.5 MB), because every distinct bigram is a term
with its own posting block; bigram phrases were only 1.5-3x faster to match, and both are
avoided for plain words, which the word fields answer. Recall is the same: both spell
exact substrings.

Both tokenizers normalise first (width, case, traditional → simplified, see ``normalize``);
normalisation keeps the length, so offsets point into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import chain

import numpy as np
from whoosh.analysis import Token, Tokenizer

from indexer.analysis.normalize import normalize
from indexer.analysis.segmenter import data_path, segment, short_words
from indexer.analysis.segmenter import version as segmenter_version
from indexer.chars import CJK, CJK_RANGES, is_cjk


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    lines = data_path("stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _is_wordish(word: str) -> bool:
    """True for tokens worth indexing: anything with a letter, digit or ideograph."""
    return any(c.isalnum() for c in word)


def sub_words(word: str, known: frozenset[str]) -> Iterator[tuple[str, int]]:
    """Dictionary 2- to 4-grams inside a longer word, with their offset in it (jieba's search
    mode, and 4-grams); ``known`` is ``segment.short_words()``."""
    n = len(word)
    for size in (2, 3, 4):
        if n > size:
            for i in range(n - size + 1):
                gram = word[i:i + size]
                if gram in known:
                    yield gram, i


def cover(word: str, known: Callable[[str], bool]) -> list[str] | None:
    """The fewest words of 2 to 4 characters (``known`` says which strings are words) that
    spell ``word`` end to end (管理条例 → 管理, 条例; 生活垃圾分类 → 生活, 垃圾分类), longer ones
    first where there is a choice; None when there is no such spelling. Given the index's
    words, those that are dictionary words are the sub-words the index holds at the word's
    position, so a text with the word has them."""
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for i in range(n - 2, -1, -1):
        for size in (4, 3, 2):
            rest = best[i + size] if i + size <= n and size < n else None
            gram = word[i:i + size]
            if rest is not None and (best[i] is None or len(rest) + 1 < len(best[i])) \
                    and known(gram):
                best[i] = [gram, *rest]
    return best[0] or None


def words(text: str, mode: str = "index") -> Iterator[tuple[str, int, int, int]]:
    """(word, position, start, end) over normalised text; sub-words only when mode != 'query'."""
    stops = stop_words()
    known = short_words() if mode != "query" else frozenset()
    pos = 0
    end = 0
    for word in segment(normalize(text)):
        start, end = end, end + len(word)
        if not _is_wordish(word):
            continue
        if word not in stops:
            yield word, pos, start, end
            if mode != "query" and len(word) > 2:
                for sub, offset in sub_words(word, known):
                    yield sub, pos, start + offset, start + offset + len(sub)
        pos += 1


def query_words(text: str) -> tuple[tuple[str, int, int, int], ...]:
    """``words(text, mode="query")`` as a tuple, kept for the next call: understanding and
    compiling a query cut its few words and forms dozens of times."""
    return _query_words(text, segmenter_version())


@lru_cache(maxsize=20_000)
def _query_words(text: str, version: int) -> tuple[tuple[str, int, int, int], ...]:
    return tuple(words(text, mode="query"))


def char_units(text: str) -> Iterator[tuple[str, int, int]]:
    """(unit, start, end): each CJK character, or a whole Latin/digit run, in normalised text."""
    norm = normalize(text)
    i, n = 0, len(norm)
    while i < n:
        ch = norm[i]
        if is_cjk(ch):
            yield ch, i, i + 1
            i += 1
        elif ch.isalnum():
            j = i + 1
            while j < n and norm[j].isalnum() and not is_cjk(norm[j]):
                j += 1
            yield norm[i:j], i, j
            i = j
        else:
            i += 1


def char_grams(text: str) -> Iterator[tuple[str, int, int, int]]:
    """(unit, position, start, end): one position per CJK character or Latin/digit run."""
    for pos, (unit, start, end) in enumerate(char_units(text)):
        yield unit, pos, start, end


def phrase_grams(text: str) -> list[str]:
    """The char-field terms, at consecutive positions, that spell ``text`` exactly."""
    return list(_phrase_grams(text))


@lru_cache(maxsize=20_000)
def _phrase_grams(text: str) -> tuple[str, ...]:
    return tuple(unit for unit, _, _ in char_units(text))


_UNIT = re.compile(f"[{CJK}]|[^\\W_{CJK}]+")


# Encoded token streams: what the segment writer takes for a text field. ``encode`` turns a
# text into term numbers of the writer's vocabulary and positions with numpy and a cached
# look-up per distinct word or character, never a Python step per occurrence; tests pin
# that they equal the tokenizers' streams.

_PUNCTUATION = (-1,)           # a "word" without a position
_RUN = re.compile(f"[^\\W_{CJK}]+")


class WordTokens:
    """The word-field terms of normalised text: jieba's words, each with its sub-words at
    its position; stop words take a position but no term, punctuation neither."""

    __slots__ = ("words",)

    def __init__(self, norm: str):
        self.words = segment(norm)

    def encode(self, vocabulary) -> tuple[np.ndarray, np.ndarray]:
        numbers = vocabulary.memo.get("words")
        if numbers is None:
            numbers = vocabulary.memo["words"] = _WordNumbers(vocabulary)
        seqs = list(map(numbers.__getitem__, self.words))
        counts = np.fromiter(map(len, seqs), np.int64, len(seqs))
        flat = np.fromiter(chain.from_iterable(seqs), np.int64, int(counts.sum()))
        takes_position = np.fromiter(map(_PUNCTUATION.__ne__, seqs), bool, len(seqs))
        positions = np.repeat(np.cumsum(takes_position) - 1, counts)
        keep = flat >= 0
        return flat[keep], positions[keep].astype(np.uint32)


class _WordNumbers(dict):
    """word → the vocabulary numbers of its terms (``_PUNCTUATION`` for punctuation)."""

    def __init__(self, vocabulary):
        super().__init__()
        self.vocabulary = vocabulary

    def __missing__(self, word):
        terms = _word_terms(word)
        found = self[word] = (_PUNCTUATION if terms is None
                              else tuple(map(self.vocabulary.__getitem__, terms)))
        return found


class CharTokens:
    """The character-field terms of normalised text: each CJK character, and each run of
    other letters or digits, at consecutive positions."""

    __slots__ = ("norm",)

    def __init__(self, norm: str):
        self.norm = norm

    def encode(self, vocabulary) -> tuple[np.ndarray, None]:
        table = vocabulary.memo.get("cjk")
        if table is None:
            table = vocabulary.memo["cjk"] = np.full(_CJK_END, -1, dtype=np.int64)
        points = np.frombuffer(self.norm.encode("utf-32-le"), dtype="<u4")
        at = np.flatnonzero(_is_cjk_point(points))
        numbers = table[points[at]]
        if (numbers < 0).any():
            for point in np.unique(points[at][numbers < 0]).tolist():
                table[point] = vocabulary[chr(point)]
            numbers = table[points[at]]
        if _RUN.search(self.norm):
            runs = [(m.start(), vocabulary[m.group()]) for m in _RUN.finditer(self.norm)]
            starts = np.concatenate([at, np.fromiter((s for s, _ in runs), np.int64, len(runs))])
            numbers = np.concatenate([numbers, np.fromiter((n for _, n in runs), np.int64, len(runs))])
            numbers = numbers[np.argsort(starts, kind="stable")]
        return numbers, None                      # positions 0, 1, 2 …


_CJK_END = max(high for _, high in CJK_RANGES) + 1


def _is_cjk_point(points: np.ndarray) -> np.ndarray:
    found = np.zeros(len(points), dtype=bool)
    for low, high in CJK_RANGES:
        found |= (points >= low) & (points <= high)
    return found


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, ...] | None:
    """The terms one precise-mode word contributes; None for punctuation (no position)."""
    if not (word[0].isalnum() or _is_wordish(word)):
        return None
    if word in stop_words():
        return ()
    if len(word) <= 2:
        return (word,)
    return (word, *(sub for sub, _ in sub_words(word, short_words())))


class _StreamTokenizer(Tokenizer):
    """Adapts a (text, pos, start, end) generator to Whoosh's tokenizer contract."""

    def _stream(self, value: str, mode: str) -> Iterator[tuple[str, int, int, int]]:
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for text, pos, start, end in self._stream(value, mode):
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


class WordTokenizer(_StreamTokenizer):
    """jieba words; index mode adds sub-words at the parent's position."""

    def _stream(self, value, mode):
        return words(value, mode="query" if mode == "query" else "index")


class CharTokenizer(_StreamTokenizer):
    """One token per CJK character; Latin/digit runs whole."""

    def _stream(self, value, mode):
        return char_grams(value)


def word_analyzer() -> WordTokenizer:
    return WordTokenizer()


def char_analyzer() -> CharTokenizer:
    return CharTokenizer()
