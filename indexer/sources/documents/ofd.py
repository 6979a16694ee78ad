"""OFD (GB/T 33190, the national format of official electronic documents) through ofdkit.

ofdkit is a reader in the standard library alone that copes with the non-conforming files
real systems write; easyofd, the other maintained package, failed on the fixtures and
brings PyMuPDF (AGPL) with it (bench/RESULTS.md). Runs inside the limited child.
"""

from __future__ import annotations

import ofdkit

from indexer.sources.article import collapse
from indexer.sources.documents.isolate import ConversionFailed
from indexer.sources.documents.layout import Page, lines_of_runs
from indexer.sources.documents.word import check_zip


def read_ofd(path: str, max_pages: int) -> tuple[list[Page], str]:
    """(pages with their lines, the title in the file's DocInfo)."""
    check_zip(path)
    try:
        document = ofdkit.open(path)
    except ofdkit.OFDError as exc:
        raise ConversionFailed(f"damaged or unreadable OFD ({exc})") from None
    with document:
        if len(document.pages) > max_pages:
            raise ConversionFailed(f"too many pages ({len(document.pages)} > {max_pages} limit)")
        pages = []
        for page in document.pages:
            runs = [(text, r.x, r.x + r.width, r.y - _size(r, text), r.y)
                    for r in page.runs if (text := collapse(r.text))]
            lines = lines_of_runs(runs)
            # Some writers leave the page box out: the default is then smaller than the text.
            height = max([page.height] + [line.bottom * 1.05 for line in lines])
            pages.append(Page(max([page.width] + [line.right for line in lines]), height, lines))
        return pages, (document.info.title or "").strip()


def _size(run, text: str) -> float:
    """The run's font size, or, where the file leaves it out, its width per character
    (Chinese characters are square)."""
    return run.size if run.size > 0 else run.width / max(len(text), 1)
