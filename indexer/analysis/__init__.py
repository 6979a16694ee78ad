"""Analysis: normalising Chinese text and cutting it into the terms the index holds.

``normalize`` (width, case, traditional → simplified, length-preserving), ``segmenter``
(jieba / rjieba words), ``tokens`` (the word and character streams shared by indexing
and querying) and ``abbreviations`` (the short forms documents define for full terms).

What the query side uses is exported here: searching reads queries with the same rules.
"""

from indexer.analysis.normalize import fold, normalize, variants
from indexer.analysis.segmenter import configure, is_word, segment, short_words, warm_up
from indexer.analysis.tokens import (
    char_units,
    cover,
    phrase_grams,
    query_words,
    stop_words,
    words,
)

__all__ = [
    "char_units", "configure", "cover", "fold", "is_word", "normalize", "phrase_grams", "query_words",
    "segment",
    "short_words", "stop_words", "variants", "warm_up", "words",
]
