"""A document's text as the article page shows it: for a regulation, its 编/章/节 as headings,
one anchor per article (``id="第十二条"``) and a table of contents; for every document,
query terms highlighted and 《…》 references linked to the documents they resolve to.

The structure comes from ``indexer.metadata.structure.articles``; the body is then walked
line by line so that nothing it leaves out (a decree's preamble, a line under a heading)
is lost from the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup

from indexer.metadata import Part, articles
from searchapp.engine.highlight import highlight_all

MIN_ARTICLES = 3           # fewer 第N条 lines: a notice that mentions one, not a regulation
ARTICLE_INDEX_FROM = 10    # without headings, a regulation this long gets an index of its articles
_HEADING_ORDER = ("编", "章", "节")


@dataclass
class Block:
    kind: str                              # "p" | "heading" | "tiao"
    html: Markup = Markup("")              # a paragraph, a heading's text
    anchor: str = ""
    label: str = ""                        # 第三章, 第十二条
    level: int = 0                         # heading level (2: h2 …)
    paragraphs: list[Markup] = field(default_factory=list)   # an article's text after its label


@dataclass
class TocEntry:
    label: str
    title: str
    anchor: str
    depth: int


@dataclass
class LawText:
    blocks: list[Block]
    toc: list[TocEntry] = field(default_factory=list)
    article_index: list[tuple[str, str]] = field(default_factory=list)   # (label, anchor)
    structured: bool = False


def law_text(body: str, terms: tuple[str, ...], links: dict[str, str]) -> LawText:
    """The blocks of ``body``; ``links`` maps a mention (《标题》) to the URL it links to."""
    render = _renderer(terms, links)
    parts = articles(body)
    if sum(p.kind == "条" for p in parts) < MIN_ARTICLES:
        return LawText([Block("p", render(line)) for line in _lines(body)])
    present = [k for k in _HEADING_ORDER if any(p.kind == k for p in parts)]
    levels = {kind: 2 + i for i, kind in enumerate(present)}
    text = LawText([], structured=True)
    anchors: set[str] = set()
    chapter, current, pending = "", None, list(parts)
    for line in _lines(body):
        part = pending[0] if pending and _opens(pending[0], line) else None
        if part is None:
            if current is not None:
                current.paragraphs.append(render(line))
            else:
                text.blocks.append(Block("p", render(line)))
            continue
        pending.pop(0)
        if part.kind == "条":
            current = Block("tiao", anchor=_unique(part.label, anchors), label=part.label,
                            paragraphs=[render(line[len(part.label):].lstrip())])
            text.blocks.append(current)
            text.article_index.append((part.label, current.anchor))
            continue
        current = None
        chapter = part.label if part.kind in ("编", "章") else chapter
        # 第一节 recurs in every chapter: its anchor is chapter and section (第二章第一节).
        anchor = _unique((chapter if part.kind == "节" else "") + part.label, anchors)
        text.blocks.append(Block("heading", render(part.title), anchor, part.label, levels[part.kind]))
        text.toc.append(TocEntry(part.label, part.title, anchor, levels[part.kind] - 2))
    if text.toc or len(text.article_index) < ARTICLE_INDEX_FROM:
        text.article_index = []
    return text


def paged_text(body: str, starts: list[int], terms: tuple[str, ...], links: dict[str, str]) -> LawText:
    """A paged document's text (a PDF, an OFD): before each page's text, a marker with the
    anchor ``page-N``; a paragraph running over a page break is split at the marker."""
    render = _renderer(terms, links)
    text = LawText([])
    bounds = [*starts, len(body)]
    for number, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False), start=1):
        text.blocks.append(Block("page", anchor=f"page-{number}", label=f"第 {number} 页"))
        text.blocks += [Block("p", render(line)) for line in _lines(body[start:end])]
    return text


def _lines(body: str) -> list[str]:
    return [line.strip() for line in body.split("\n") if line.strip()]


def _opens(part: Part, line: str) -> bool:
    """Whether ``line`` is the one ``articles`` read ``part`` from."""
    if part.kind == "条":
        return part.text.split("\n", 1)[0] == line
    return line.startswith(part.label) and line[len(part.label):].strip().replace(" ", "") == part.title


def _unique(anchor: str, taken: set[str]) -> str:
    """An id not used yet on the page (an appendix may number its own articles again)."""
    candidate, n = anchor, 1
    while candidate in taken:
        n += 1
        candidate = f"{anchor}-{n}"
    taken.add(candidate)
    return candidate


def _renderer(terms: tuple[str, ...], links: dict[str, str]):
    """text → Markup: query terms marked, mentions of linked documents made links."""
    if not links:
        return lambda text: highlight_all(text, terms)
    pattern = re.compile("|".join(re.escape(m) for m in sorted(links, key=len, reverse=True)))

    def render(text: str) -> Markup:
        out, pos = [], 0
        for m in pattern.finditer(text):
            out.append(highlight_all(text[pos:m.start()], terms))
            out.append(Markup('<a class="cite" href="{}">{}</a>').format(
                links[m.group()], highlight_all(m.group(), terms)))
            pos = m.end()
        out.append(highlight_all(text[pos:], terms))
        return Markup("").join(out)

    return render
