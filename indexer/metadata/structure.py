"""The structure of a regulation's text: 编/章/节 headings and 第N条 articles, and the
changes between two versions article by article.

``articles(body)`` gives the parts in order (for a table of contents and anchors such as
``#第十二条``); ``compare(old, new)`` the added, removed and changed articles.

Why ``compare`` aligns articles by content rather than by number: inserting or deleting
one article renumbers every later one, so matching 第十二条 with 第十二条 would report
each of them as changed. The articles of both texts are aligned as sequences of texts
(``difflib.SequenceMatcher``, longest common runs): identical articles match wherever
their numbers moved, and inside each stretch that differs, articles are paired with the
most similar one left when they are similar enough (a revised article), else they are
added or removed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

from indexer.analysis.normalize import fold

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = r"[零〇一二三四五六七八九十百千两\d]+"
_HEADING = re.compile(rf"^第({_NUMERAL})([编章节])(?:\s+|$)(.*)$")
_ARTICLE = re.compile(rf"^第({_NUMERAL})条(?:之([一二三四五六七八九十]+))?(?=\s|$|(.))\s*")
# Two versions' articles count as one revised article from this similarity on.
SAME_ARTICLE = 0.5


def cn_number(text: str) -> int:
    """Value of a Chinese (or Arabic) numeral as used in article numbers: 一百零二 → 102."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            digit = _CN_DIGITS.get(char, 0)
    return total + digit


@dataclass
class Part:
    """A heading (编, 章, 节) or an article (条) of a regulation."""

    kind: str       # "编", "章", "节" or "条"
    label: str      # 第三章, 第十二条, 第十条之一: also the anchor
    number: int     # 3, 12, 10
    title: str = ""  # a heading's words (总则); "" for an article
    text: str = ""   # an article's text, its label included; "" for a heading

    def to_json(self) -> dict:
        return asdict(self)


def _heading(line: str) -> Part | None:
    if m := _HEADING.match(line):
        return Part(m[2], f"第{m[1]}{m[2]}", cn_number(m[1]), title=m[3].replace(" ", ""))
    return None


def _article_start(line: str, expected: int) -> Part | None:
    """An article label at the start of a line: followed by a space, or glued to the text
    only when it is the next number (第五条规定的… opens no article out of sequence)."""
    m = _ARTICLE.match(line)
    if not m or (m[3] and cn_number(m[1]) != expected):
        return None
    label = f"第{m[1]}条" + (f"之{m[2]}" if m[2] else "")
    return Part("条", label, cn_number(m[1]), text=line)


def articles(body: str) -> list[Part]:
    """Headings and articles of a regulation in order; lines before the first of them
    (a decree's preamble) are left out, lines after an article belong to it."""
    parts: list[Part] = []
    current: Part | None = None
    last = 0
    for line in body.split("\n"):
        line = line.strip()
        if heading := _heading(line):
            parts.append(heading)
            current = None
        elif article := _article_start(line, last + 1):
            parts.append(article)
            current, last = article, article.number
        elif current is not None and line:
            current.text += "\n" + line
    return parts


def _similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= SAME_ARTICLE else 0.0


def _change(kind: str, old: Part | None, new: Part | None) -> dict[str, str]:
    return {"article": (new or old).label, "kind": kind, "old_article": old.label if old else "",
            "old": old.text if old else "", "new": new.text if new else ""}


def _pair_block(old: list[Part], new: list[Part]) -> list[dict[str, str]]:
    """Changes inside one stretch where the versions differ, in the new text's order.

    Each new article takes the most similar old one left if they are similar enough (a
    revised, maybe renumbered article; greedy, in order: stretches are short); then one
    left over takes the old article of its own number (rewritten in place); the rest are
    added, and old articles nobody took are removed.
    """
    left = list(old)
    pairs: dict[int, Part] = {}
    for j, article in enumerate(new):
        scored = [(_similarity(_plain(o), _plain(article)), i) for i, o in enumerate(left)]
        best, at = max(scored, default=(0.0, -1))
        if best >= SAME_ARTICLE:
            pairs[j] = left.pop(at)
    for j, article in enumerate(new):
        same = next((o for o in left if o.label == article.label), None)
        if j not in pairs and same is not None:
            pairs[j] = same
            left.remove(same)
    changes = [_change("changed", pairs[j], a) if j in pairs else _change("added", None, a)
               for j, a in enumerate(new)]
    return changes + [_change("removed", o, None) for o in left]


def _plain(part: Part) -> str:
    """An article's text as compared: without its label, spaces and width differences
    (one file writes (一), another （一）)."""
    return fold(part.text[len(part.label):]).replace(" ", "")


def compare(old_body: str, new_body: str) -> list[dict[str, str]]:
    """``[{"article", "kind", "old_article", "old", "new"}]``: the articles added, removed
    or changed from ``old_body`` to ``new_body`` in the new text's order (see the module's
    docstring). ``article`` is the new label (the old one for a removed article); a
    renumbered article with the same text is no change."""
    old = [p for p in articles(old_body) if p.kind == "条"]
    new = [p for p in articles(new_body) if p.kind == "条"]
    matcher = SequenceMatcher(None, [_plain(p) for p in old], [_plain(p) for p in new],
                              autojunk=False)
    changes: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes += _pair_block(old[i1:i2], new[j1:j2])
    return changes
