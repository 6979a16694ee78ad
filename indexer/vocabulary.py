"""The index's vocabulary as the query side needs it, behind one public module.

A query is read with the rules the build applied to the documents: title keys (a query
that is a document's whole title), 文号 in any spelling, dates, the sounds of characters
(typo corrections) and the titles of official documents (the official terms that everyday
short forms stand for). Each rule lives where the build uses it; ``searchapp`` reaches them
through this module, so the build's internals can move without the engine noticing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from indexer.analysis.sounds import sound_table
from indexer.metadata.levels import LEVELS
from indexer.metadata.regions import CENTRAL
from indexer.metadata.titles import chain_key, strip_version, title_key, title_keys
from indexer.sources.dates import parse_date
from indexer.sources.docnum import QUERY_NUMBER, docnum_key, docnum_order, docnum_prefix
from indexer.storage.generations import SOUNDS, TITLES, Generation

__all__ = [
    "CENTRAL", "OFFICIAL_LEVELS", "QUERY_NUMBER", "chain_key", "docnum_key", "docnum_order",
    "docnum_prefix", "official_titles", "parse_date", "read_sounds", "read_titles",
    "sound_table", "title_key", "title_keys", "title_phrases",
]

_PUNCTUATION = re.compile(r"[^\w]+|_")
# Levels whose titles name official terms (laws, regulations, normative documents); news
# headlines and work reports do not.
OFFICIAL_LEVELS = tuple(level for level in LEVELS if level not in ("工作报告", "新闻"))


def official_titles(records: Iterable[tuple[str, str]]) -> list[list]:
    """[phrase, documents] of the titles of official documents among (title, level)
    records, commonest first: what ``read_titles`` gives back to the engine. A phrase is a
    title's run of words between punctuation (中国（重庆）自由贸易试验区条例 has three), its
    key as ``chain_key`` makes it (without 中华人民共和国 and version notes)."""
    counts: Counter = Counter()
    for title, level in records:
        if level in OFFICIAL_LEVELS and title:
            counts.update(set(title_phrases(title)))
    return [[key, n] for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def title_phrases(title: str) -> list[str]:
    """The runs of words between the punctuation of a title, each as ``chain_key`` makes it."""
    return [k for k in (chain_key(part) for part in _PUNCTUATION.split(strip_version(title))) if k]


def read_titles(generation: Generation | None) -> list[tuple[str, int]] | None:
    """The official titles the build kept with a generation; None for an index built
    before they were kept."""
    data = generation.read_json(TITLES, None) if generation is not None else None
    return None if data is None else [(key, int(n)) for key, n in data]


def read_sounds(generation: Generation | None) -> dict[str, list[str]] | None:
    """Characters' readings the build kept with a generation; None when it has none."""
    return generation.read_json(SOUNDS, None) if generation is not None else None
