"""The sounds of characters (pinyin without tones), for correcting slips of pinyin input.

Worked out when an index is built and kept with it (``sounds.json``), so that searching
never loads pypinyin, whose dictionaries take some 55 MB in every server process; the
table is the same for every index (41,596 characters, 0.7 s).
"""

from __future__ import annotations

from indexer.chars import is_cjk


def sound_table() -> dict[str, list[str]]:
    """Each CJK character pypinyin knows → its readings without tones (绿 → lv, lu)."""
    from pypinyin import Style, pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    table = {}
    for code in pinyin_dict:
        char = chr(code)
        if is_cjk(char):
            readings = pinyin(char, heteronym=True, style=Style.NORMAL)[0]
            table[char] = list(dict.fromkeys(readings))
    return table
