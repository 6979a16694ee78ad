"""Analysis: normalising Chinese text and cutting it into the terms the index holds.

``normalize`` (width, case, traditional → simplified, length-preserving), ``segmenter``
(jieba / rjieba words), ``tokens`` (the word and character streams shared by indexing
and querying) and ``abbreviations`` (the short forms documents define for full terms).
"""
