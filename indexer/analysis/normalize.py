"""Text normalisation shared by indexing, querying and highlighting.

Every function here is *length-preserving*: character ``i`` of the output comes from
character ``i`` of the input. That is what lets the analyzer record character offsets
on normalised text and the highlighter put ``<mark>`` tags on the original text.

Three foldings, in order:

* width and compatibility forms (NFKC, one character at a time): ``ＲＣＥＰ`` → ``RCEP``,
  ``２０２４`` → ``2024``, ``〔`` stays (it is not a compatibility form);
* case: ``RCEP`` → ``rcep``;
* traditional → simplified Chinese with OpenCC's ``t2s`` tables: ``營商環境`` → ``营商环境``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import opencc

# Characters whose NFKC form is a single different character (full-width Latin and
# digits, ideographic space, compatibility ideographs ...). Built once, lazily: a
# translate table runs in C, far faster than calling unicodedata per character.
_FOLD_TABLE: dict[int, str] | None = None


def _fold_table() -> dict[int, str]:
    global _FOLD_TABLE
    if _FOLD_TABLE is None:
        table = {}
        for code in range(0x80, 0x30000):
            if 0xD800 <= code <= 0xDFFF:
                continue
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char).lower()
            if len(folded) == 1 and folded != char:
                table[code] = folded
            elif len(folded) != 1 and char.lower() != char and len(char.lower()) == 1:
                table[code] = char.lower()
        for code in range(ord("A"), ord("Z") + 1):
            table[code] = chr(code + 32)
        # Lone surrogates cannot be encoded (OpenCC and every output would fail on them).
        for code in range(0xD800, 0xE000):
            table[code] = "\ufffd"
        _FOLD_TABLE = table
    return _FOLD_TABLE


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Fold width, compatibility forms and case, one character for one character."""
    if text.isascii():
        return text.lower()                  # of ASCII, the table folds only A-Z
    # As code points through an array: str.translate looks each character up in a dict
    # (75 ns a character; 3% of a large build), the array takes 13.
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    table = _fold_array()
    if int(points.max()) >= len(table):
        return text.translate(_fold_table())
    return table[points].tobytes().decode("utf-32-le")


@lru_cache(maxsize=1)
def _fold_array() -> np.ndarray:
    """``_fold_table`` as an array indexed by code point (itself where nothing changes)."""
    table = _fold_table()
    array = np.arange(max(table) + 1, dtype="<u4")
    array[list(table)] = [ord(folded) for folded in table.values()]
    return array


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length (falls back to per-character)."""
    if text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length: convert character by character instead, so
    # offsets stay valid; the rare phrase-level refinement is not worth wrong offsets.
    convert = _converter().convert
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, convert(ch)) for ch in text))


def normalize(text: str) -> str:
    """Full normalisation used before tokenising: fold, then simplify."""
    if len(text) <= _SHORT:
        return _normalize_short(text)
    return to_simplified(fold(text))


# A query's words and forms are normalised many times while it is understood and compiled;
# short texts are kept (long ones are documents, seen once).
_SHORT = 32


@lru_cache(maxsize=20_000)
def _normalize_short(text: str) -> str:
    return to_simplified(fold(text))


@lru_cache(maxsize=1)
def _unfold_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, folded in _fold_table().items():
        table[folded] = table.get(folded, "") + chr(code)
    return table


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@lru_cache(maxsize=20_000)
def variants(char: str) -> frozenset[str]:
    """Every character that ``normalize`` maps to the same character as ``char``.

    Used to search raw text for a normalised term without normalising the text.
    """
    base = normalize(char)
    forms = {char, base, *_unfold_table().get(base, "")}
    traditional = _to_traditional().convert(base)
    if len(traditional) == 1:
        forms |= {traditional, *_unfold_table().get(traditional, "")}
    return frozenset(f for f in forms
                     if f == char or normalize(f) == base and _plain_text_char(f))


def _plain_text_char(char: str) -> bool:
    """Characters that occur in ordinary text: not mathematical letters, circled or
    superscript forms, which would only make the highlighter's patterns longer."""
    code = ord(char)
    return (code < 0x2000 or 0x3000 <= code <= 0x9FFF or 0xF900 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x2FA1F)
