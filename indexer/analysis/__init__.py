"""Analysis: normalising Chinese text and cutting it into the terms the index holds.

``normalize`` (width, case, traditional → simplified, length-preserving), ``segmenter``
(jieba / rjieba words) and ``tokens`` (the word and character streams shared by indexing
and querying).
"""
