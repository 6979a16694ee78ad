"""From positioned lines on pages to clean text: the page furniture dropped, paragraphs joined.

Every paged format (a PDF's text layer, OCR, OFD) is read into ``Line`` records: text and
box, y growing downwards. ``page_text`` then

- drops the running headers, footers and page numbers: lines at the top or bottom of a page
  that are a page number (``— 3 —``, ``第 3 页 共 9 页``, ``3/9``) or that repeat, digits
  aside, on at least half of the pages;
- joins the lines of a paragraph: a line that runs to the right margin continues on the
  next one unless that one is indented (official documents indent every paragraph). Chinese
  has no spaces, so a line break left inside a sentence would split a word for the analyser
  (城镇公共服务设施 / 建设); a paragraph that runs on over a page break is joined too;
- removes the spaces a layout puts between Chinese and Latin characters (``2018 年 11 月``).

The text keeps its page boundaries: ``Paged.starts`` holds the offset in the text at which
each page begins (mid-line when a paragraph runs on).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

BAND = 0.1                  # top and bottom share of a page where furniture sits
_PAGE_NUMBER = re.compile(
    r"^[-—–－_~·\s]*(?:第\s*)?[0-9０-９一二三四五六七八九十百IVXivx]+\s*(?:页)?[-—–－_~·\s]*$"
    r"|^第\s*\d+\s*页\s*[，,/]?\s*共\s*\d+\s*页$|^\d+\s*/\s*\d+$|^(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?$"
)
_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}])[ \u00a0]+|[ \u00a0]+(?=[{_CJK}])")
_DIGITS = re.compile(r"[0-9０-９]+")
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


@dataclass
class Line:
    text: str
    left: float
    right: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


@dataclass
class Paged:
    text: str
    starts: list[int]          # offset of each page's first character in ``text``


def tidy(text: str) -> str:
    """One line's text without layout spaces next to Chinese characters."""
    return _CJK_SPACE.sub("", text.replace("\u00ad", "")).strip()


def _at_edge(page: Page, i: int) -> bool:
    """Whether line ``i`` sits where furniture does: in the top or bottom band of the page,
    or its first or last line (some files give no true page size)."""
    line = page.lines[i]
    return (i == 0 or i == len(page.lines) - 1 or line.bottom <= page.height * BAND
            or line.top >= page.height * (1 - BAND))


def _key(line: Line) -> str:
    return _DIGITS.sub("#", line.text.replace(" ", ""))


def _furniture(pages: list[Page]) -> set[tuple[int, int]]:
    """(page, line) of every header, footer and page number."""
    seen: dict[str, set[int]] = {}
    for p, page in enumerate(pages):
        for i, line in enumerate(page.lines):
            if _at_edge(page, i):
                seen.setdefault(_key(line), set()).add(p)
    repeated = {key for key, on in seen.items() if len(on) >= 2 and len(on) >= len(pages) / 2}
    return {(p, i) for p, page in enumerate(pages) for i, line in enumerate(page.lines)
            if _at_edge(page, i) and (_PAGE_NUMBER.match(line.text) or _key(line) in repeated)}


def _joined(before: str, after: str) -> str:
    gap = " " if _LATIN_END.search(before) and _LATIN_START.search(after) else ""
    return before + gap + after


@dataclass
class _Margins:
    left: float
    right: float
    size: float

    @classmethod
    def of(cls, lines: list[Line]) -> _Margins:
        size = statistics.median(max(line.height, 1e-6) for line in lines)
        return cls(min(line.left for line in lines), max(line.right for line in lines), size)

    def full(self, line: Line) -> bool:
        return line.right >= self.right - 1.5 * self.size

    def indented(self, line: Line) -> bool:
        return line.left >= self.left + 0.8 * self.size


def _continues(line: Line, following: Line, margins: _Margins) -> bool:
    """Whether ``following`` goes on with the paragraph ``line`` is in: ``line`` runs to the
    right margin, ``following`` is not indented, and ``line`` does not end in a colon (a
    主送 line or "…通知如下：" ends its paragraph wherever it ends)."""
    return margins.full(line) and not margins.indented(following) and not line.text.endswith(("：", ":"))


def page_text(pages: list[Page]) -> Paged:
    """The text of ``pages`` (see the module docstring)."""
    drop = _furniture(pages)
    kept = [[line for i, line in enumerate(page.lines) if (p, i) not in drop and line.text]
            for p, page in enumerate(pages)]
    body_lines = [line for lines in kept for line in lines]
    margins = _Margins.of(body_lines) if body_lines else None
    out: list[str] = []          # paragraphs, the last one still open
    starts: list[int] = []
    length = 0                   # characters in out, with a "\n" between paragraphs
    open_line: Line | None = None
    for lines in kept:
        start = length
        for n, line in enumerate(lines):
            if open_line is not None and _continues(open_line, line, margins):
                grown = _joined(out[-1], line.text)
                at = length + len(grown) - len(out[-1]) - len(line.text)
                length += len(grown) - len(out[-1])
                out[-1] = grown
            else:
                at = length + (1 if out else 0)
                length = at + len(line.text)
                out.append(line.text)
            if n == 0:
                start = at
            open_line = line
        starts.append(start)
        if lines and not margins.full(lines[-1]):
            open_line = None
    return Paged("\n".join(out), [min(s, length) for s in starts])


def lines_of_runs(runs: list[tuple[str, float, float, float, float]]) -> list[Line]:
    """Lines from text runs (text, left, right, top, bottom) in reading order: runs whose
    vertical middles are within half a line of each other share a line, left to right."""
    lines: list[list[tuple]] = []
    for run in sorted(runs, key=lambda r: ((r[3] + r[4]) / 2, r[1])):
        middle, size = (run[3] + run[4]) / 2, max(run[4] - run[3], 1e-6)
        if lines:
            last = lines[-1][-1]
            if abs((last[3] + last[4]) / 2 - middle) <= size / 2:
                lines[-1].append(run)
                continue
        lines.append([run])
    out = []
    for group in lines:
        group.sort(key=lambda r: r[1])
        text = tidy(" ".join(r[0] for r in group))
        if text:
            out.append(Line(text, min(r[1] for r in group), max(r[2] for r in group),
                            min(r[3] for r in group), max(r[4] for r in group)))
    return out
