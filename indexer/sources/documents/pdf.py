"""PDF: the text layer through PDFium (pypdfium2), image-only pages through OCR.

Runs inside the limited child (``isolate.py``). Each page's text comes from PDFium's text
page in content order, one ``Line`` per line PDFium reports, placed by the boxes of its
first and last characters. A page with images and (almost) no text is a scan: with OCR on
it is rendered and read by Tesseract (``ocr.py``), otherwise it is listed as unread.

Chosen by measurement (bench/formats.py, bench/RESULTS.md): PDFium gave the text of the
fixtures at several hundred pages a second with the same characters as poppler's
pdftotext, and the line boxes that joining lines and dropping page furniture need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.sources.article import collapse
from indexer.sources.documents.isolate import ConversionFailed
from indexer.sources.documents.layout import Line, Page, tidy

SCAN_MAX_CHARS = 10           # a page with images and fewer characters than this is a scan


@dataclass
class PdfText:
    pages: list[Page]
    title: str = ""
    ocr_pages: list[int] = field(default_factory=list)       # 1-based, read by OCR
    unread_pages: list[int] = field(default_factory=list)    # 1-based scans left unread


def _open(path: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise ConversionFailed("encrypted PDF (needs a password)") from None
        raise ConversionFailed(f"damaged or truncated PDF ({exc})") from None


def _lines(textpage, height: float) -> list[Line]:
    text = textpage.get_text_range()
    if len(text) != textpage.count_chars():    # characters outside the BMP: no boxes
        return [Line(tidy(collapse(t)), 0, 0, 0, 0) for t in text.splitlines() if t.strip()]
    lines, at = [], 0
    for raw in text.split("\n"):
        end = at + len(raw)
        first = at + (len(raw) - len(raw.lstrip()))
        last = at + len(raw.rstrip().rstrip("\r")) - 1
        if last >= first:
            left, bottom, _, top = textpage.get_charbox(first)
            _, bottom2, right, top2 = textpage.get_charbox(last)
            line = tidy(collapse(raw))
            if line:
                lines.append(Line(line, left, right, height - max(top, top2), height - min(bottom, bottom2)))
        at = end + 1
    return lines


def _has_images(page) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def read_pdf(path: str, max_pages: int, ocr=None) -> PdfText:
    """The pages of the PDF at ``path``; ``ocr`` (an ``ocr.Reader``) reads scanned pages."""
    pdf = _open(path)
    try:
        count = len(pdf)
        if count > max_pages:
            raise ConversionFailed(f"too many pages ({count} > {max_pages} limit)")
        if count == 0:
            raise ConversionFailed("PDF without pages")
        result = PdfText([], title=(pdf.get_metadata_dict().get("Title") or "").strip())
        scans = []
        for number in range(count):
            page = pdf[number]
            width, height = page.get_size()
            textpage = page.get_textpage()
            lines = _lines(textpage, height)
            if sum(len(line.text) for line in lines) < SCAN_MAX_CHARS and _has_images(page):
                scans.append(number)
            result.pages.append(Page(width, height, lines))
        if scans and ocr is not None:
            for number, page in zip(scans, ocr.read(pdf, scans), strict=True):
                result.pages[number] = page
            result.ocr_pages = [n + 1 for n in scans]
        else:
            result.unread_pages = [n + 1 for n in scans]
        return result
    finally:
        pdf.close()
