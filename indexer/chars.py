"""Character classes that reading, analysis and the query parser share, defined once.

Each is the inside of a regular expression's ``[...]``.
"""

from __future__ import annotations

# CJK ideographs: the unified block, extension A, the compatibility block, and extensions
# B to F with the supplement.
CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
CJK = r"\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0002fa1f"
# C0 control characters but tab, line feed and carriage return's neighbours kept by
# callers that need lines, and DEL: no page or API field can carry them.
CONTROL = r"\x00-\x08\x0b-\x1f\x7f"
# Zero-width and bidirectional formatting characters: invisible in a query box.
INVISIBLE = r"\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
# Lone surrogates: what bytes that are not UTF-8 become (PEP 383) or a JSON escape gives.
SURROGATE = r"\ud800-\udfff"


def is_cjk(char: str) -> bool:
    """True for one CJK ideograph (a longer string, such as a Latin run, is never CJK)."""
    if len(char) != 1:
        return False
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in CJK_RANGES)
