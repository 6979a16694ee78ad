"""Documents that need a converter: PDF (text layer or scanned), Word, WPS, OpenDocument,
OFD and spreadsheets.

``read_document`` converts one file in a limited child process (``isolate.py``: a time and
a memory limit, a crash is a skipped file) and turns what comes back into articles:

- paged formats (PDF, OFD) keep their page boundaries (``Article.pages``) and lose their
  running headers, footers and page numbers (``layout.py``);
- the metadata comes from the document's own layout (``official.py``), read by the same
  rules as a gov.cn page's table, and what a gov.cn page beside it that links the file says
  fills what the file leaves out (``attachments.py``);
- a spreadsheet gives one article per row when it is a list of documents, else one per sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from indexer.errors import ArticleError
from indexer.sources.article import Article, collapse, finish
from indexer.sources.documents.isolate import ConversionFailed, Limits, run_limited
from indexer.sources.documents.layout import Paged, page_text
from indexer.sources.documents.official import official_fields, title_from_file

PAGED_SUFFIXES = frozenset({".pdf", ".ofd"})
WORD_SUFFIXES = frozenset({".docx", ".doc", ".wps", ".odt", ".rtf"})
SHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
DOCUMENT_SUFFIXES = PAGED_SUFFIXES | WORD_SUFFIXES | SHEET_SUFFIXES
MAX_DOCUMENT_BYTES = 200_000_000


@dataclass(frozen=True)
class ConvertOptions:
    """How documents are converted: OCR on or off, and the limits of one file."""

    ocr: bool = False
    seconds: float = 60.0             # per file (OCR adds ocr_page_seconds per scanned page)
    memory_mb: int = 1024             # address space a conversion may add
    max_pages: int = 1000
    ocr_page_seconds: float = 60.0
    ocr_cache: str = ""               # folder of OCR results by file hash ("": no cache)


@dataclass
class Converted:
    """What a conversion hands back across the process boundary (plain data)."""

    pages: list = field(default_factory=list)         # layout.Page, paged formats
    lines: list[str] = field(default_factory=list)    # flowing formats
    sheets: list = field(default_factory=list)        # (name, rows) of a workbook
    title: str = ""                                   # the file's own metadata title
    ocr_pages: list[int] = field(default_factory=list)
    unread_pages: list[int] = field(default_factory=list)


def _convert(path: str, suffix: str, options: ConvertOptions, sha: str) -> Converted:
    """Runs in the limited child."""
    if suffix == ".pdf":
        from indexer.sources.documents.ocr import Reader
        from indexer.sources.documents.pdf import read_pdf

        reader = Reader(sha, options.ocr_cache, options.ocr_page_seconds) if options.ocr else None
        found = read_pdf(path, options.max_pages, reader)
        return Converted(pages=found.pages, title=found.title, ocr_pages=found.ocr_pages,
                         unread_pages=found.unread_pages)
    if suffix == ".ofd":
        from indexer.sources.documents.ofd import read_ofd

        pages, title = read_ofd(path, options.max_pages)
        return Converted(pages=pages, title=title)
    if suffix in SHEET_SUFFIXES:
        from indexer.sources.documents.sheets import read_sheets

        return Converted(sheets=read_sheets(path))
    from indexer.sources.documents import word

    if suffix == ".docx":
        lines, title = word.read_docx(path)
    elif suffix in (".doc", ".wps"):
        lines, title = word.read_word97(path, options.seconds)
    else:
        lines, title = word.read_opendocument(path, options.seconds)
    return Converted(lines=[collapse(line) for line in lines], title=title)


def convert(file: Path, rel: str, options: ConvertOptions, sha: str = "") -> Converted:
    """The converted content of ``file``; raises ArticleError with the reason it failed."""
    try:
        return run_limited(_convert, (str(file), file.suffix.lower(), options, sha),
                           Limits(options.seconds, options.memory_mb))
    except ConversionFailed as exc:
        raise ArticleError(rel, exc.reason) from None


def _document_article(rel: str, lines: list[str], own_title: str, kind: str) -> Article:
    found = official_fields(lines)
    title = found.title or title_from_file(own_title) or PurePosixPath(rel).stem
    return Article(path=rel, title=title, body="\n".join(lines), date=found.written_date,
                   written_date=found.written_date, source=found.source,
                   doc_number=found.doc_number, kind="file", file_kind=kind)


def articles_of(converted: Converted, rel: str, suffix: str) -> list[Article]:
    """Articles from a conversion's result."""
    kind = suffix.lstrip(".")
    if converted.sheets:
        from indexer.sources.documents.workbook import sheet_articles

        return sheet_articles(converted.sheets, rel, kind)
    if converted.pages:
        paged: Paged = page_text(converted.pages)
        if not paged.text.strip():
            if converted.unread_pages:
                raise ArticleError(rel, "scanned PDF without a text layer (reindex --ocr reads it)")
            raise ArticleError(rel, "no text")
        article = _document_article(rel, paged.text.split("\n"), converted.title, kind)
        article.pages = paged.starts
        article.ocr_pages = converted.ocr_pages
        if converted.unread_pages:
            article.warnings.append(f"scanned pages without text not read: {_ranges(converted.unread_pages)} "
                                    "(reindex --ocr reads them)")
            article.needs_ocr = True
        return [finish(article)]
    lines = [line for line in converted.lines if line]
    if not lines:
        raise ArticleError(rel, "no text")
    return [finish(_document_article(rel, lines, converted.title, kind))]


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def read_document(file: Path, rel: str, options: ConvertOptions | None = None,
                  sha: str = "") -> list[Article]:
    """Articles of one document file (see the module docstring)."""
    options = options or ConvertOptions()
    suffix = file.suffix.lower()
    articles = articles_of(convert(file, rel, options, sha), rel, suffix)
    from indexer.sources.documents.attachments import inherit

    return inherit(articles, file, rel)
