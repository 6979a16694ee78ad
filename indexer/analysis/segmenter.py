"""Word segmentation: jieba, or its Rust port rjieba when installed — the same words.

jieba is the reference. rjieba (jieba-rs) gives the same words about 20 times faster,
except in one place: jieba re-splits runs of Latin letters, digits and punctuation that
are not dictionary words with ``[a-zA-Z0-9]+(?:\\.\\d+)?%?`` (``r-160.000`` → ``r``, ``-``,
``160.000``; ``1.2.1`` → ``1.2``, ``.``, ``1``) and rjieba does not; ``segment`` applies
the same split to rjieba's output. A test checks both give identical words on the whole
sample corpus. ``configure(reference=True)`` forces the reference.

Both load the shipped policy dictionary and the extra one ``configure`` names (the
``USER_DICT`` setting, which the CLI and the web app pass on; indexing and searching must
use the same one).
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jieba

from indexer.analysis.normalize import normalize

_lock = threading.Lock()
_jieba: jieba.Tokenizer | None = None
_settings = {"user_dict": None, "reference": False}
_version = 0                       # bumped by configure: caches of cuts key on it
_LATIN_RUN = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_NEEDS_SPLIT = re.compile(r"^[\x21-\x7e]*[^a-zA-Z0-9\x80-\U0010ffff][\x21-\x7e]*$")


def data_path(name: str) -> Path:
    return Path(str(resources.files("indexer") / "data" / name))


def configure(user_dict: str | Path | None = None, reference: bool = False) -> None:
    """Set the extra dictionary and whether to segment with jieba itself rather than rjieba.
    Call it before segmenting: a change drops what was loaded with the old settings."""
    global _jieba, _fast, _version
    wanted = {"user_dict": str(user_dict) if user_dict else None, "reference": bool(reference)}
    if wanted != _settings:
        with _lock:
            _settings.update(wanted)
            _jieba, _fast = None, _UNSET
            short_words.cache_clear()
            _version += 1


def _dictionaries() -> list[Path]:
    extra = _settings["user_dict"]
    return [data_path("userdict.txt"), *([Path(extra)] if extra else [])]


def segmenter() -> jieba.Tokenizer:
    """The shared jieba tokenizer with our dictionaries, loaded once.

    Only needed when rjieba is missing (or forced off), so indexing and serving with
    rjieba never load jieba's Python dictionary (about 150 MB per process and a second).
    """
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for path in _dictionaries():
                    # jieba leaves a file it opens itself unclosed: hand it open files.
                    with open(path, "rb") as fh:
                        tok.load_userdict(fh)
                _jieba = tok
    return _jieba


# A main-dictionary line of a word of 2 to 4 characters: "word freq tag".
_SHORT_ENTRY = re.compile(r"^(\S{2,4}) (\d+)", re.M)


@lru_cache(maxsize=1)
def short_words() -> frozenset[str]:
    """The words of 2 to 4 characters of jieba's dictionary and ours: the sub-words indexed
    inside longer words. jieba's search mode keeps 2- and 3-character ones (with a frequency
    above zero); 4-character ones are added so that a compound typed as one word is found
    inside a longer one (道路交通 in 道路交通安全法, 养老服务 in 养老服务业).

    Read from the dictionary files (0.4 s) rather than from jieba's loaded table (1 s), which
    is what made every build load jieba's whole Python dictionary. A test checks the set
    equals the one jieba's table gives.
    """
    with jieba.get_dict_file() as fh:
        text = fh.read().decode("utf-8")
    found = {word for word, freq in _SHORT_ENTRY.findall(text) if freq != "0"}
    for word, freq, _ in _user_entries():
        # jieba gives a word listed without a frequency one that lets it be cut out.
        if 2 <= len(word) <= 4 and (freq is None or freq > 0):
            found.add(word)
        elif freq == 0:
            found.discard(word)
    return frozenset(found)


def _user_entries():
    """(word, frequency or None, tag or None) of our dictionaries, read as jieba reads them."""
    for path in _dictionaries():
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            line = line.strip()
            if line:
                word, freq, tag = jieba.re_userdict.match(line).groups()
                yield word, int(freq) if freq else None, tag.strip() if tag else None


_UNSET = object()
_fast = _UNSET


def _rjieba():
    """rjieba with our dictionaries, or None (not installed, or the reference is forced)."""
    global _fast
    if _fast is _UNSET:
        with _lock:
            if _fast is _UNSET:
                _fast = _load_rjieba()
    return _fast


def _load_rjieba():
    if _settings["reference"]:
        return None
    try:
        import rjieba
    except ImportError:
        return None
    fast = rjieba.Jieba()
    for word, freq, tag in _user_entries():
        fast.add_word(word, freq, tag)
    return fast


def using_rjieba() -> bool:
    return _rjieba() is not None


def warm_up(indexing: bool = False) -> None:
    """Load what segmenting will need now (before forking workers, so they share it)."""
    normalize("體")          # builds the fold table (half a second) and loads OpenCC
    if _rjieba() is None:
        segmenter()
    if indexing:
        short_words()


def segment(text: str, hmm: bool = True) -> list[str]:
    """Precise-mode words of ``text`` (with HMM for unknown words, unless ``hmm`` is
    False: then only dictionary words and single characters); they concatenate to it."""
    fast = _rjieba()
    if fast is None:
        return list(segmenter().cut(text, HMM=hmm))
    out = []
    for word in fast.cut(text, hmm=hmm):
        if len(word) > 1 and word.isascii() and _NEEDS_SPLIT.match(word):
            out.extend(part for part in _LATIN_RUN.split(word) if part)
        else:
            out.append(word)
    return out


def version() -> int:
    """Changes whenever ``configure`` changes how text is cut (a key for caches of cuts)."""
    return _version


def is_word(text: str) -> bool:
    """Whether ``text`` is a word of the segmenter's dictionaries (jieba's and ours)."""
    fast = _rjieba()
    if fast is not None:
        return bool(fast.has_word(text))
    return segmenter().FREQ.get(text, 0) > 0


def jieba_segment(text: str) -> list[str]:
    """The reference segmentation (for tests and benchmarks)."""
    return list(segmenter().cut(text))
