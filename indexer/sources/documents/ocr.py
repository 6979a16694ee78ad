"""OCR of scanned pages: PDFium renders a page, Tesseract (Debian ``tesseract-ocr`` with
``tesseract-ocr-chi-sim``) reads it, its TSV output gives lines with boxes.

Results are cached by the file's content hash (one JSON file per PDF in the cache folder,
beside the index's generations), so a rebuild, a ``--full`` one included, never reads the
same scan twice. The child asks the parent for more time per page before it starts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2.raw as pdfium_c

from indexer.sources.article import collapse
from indexer.sources.documents import isolate
from indexer.sources.documents.isolate import ConversionFailed
from indexer.sources.documents.layout import Line, Page, tidy

LANGUAGE = "chi_sim"
# Pages without a scanned image are rendered at this resolution; a scan is read at its own
# (within the bounds below): resampling a 200 dpi black-and-white scan to 300 dpi blurred
# its strokes (the fixtures: 97.4 % of characters read at 200 dpi, 95.4 % at 300, 94.0 % at 400).
DPI = 300
MIN_DPI, MAX_DPI = 150, 400
# One uniform block of text: an official document's single column (automatic layout analysis
# (3) broke the red 发文机关标志 into fragments on the fixtures: 92.6 % against 95.6 %).
PAGE_SEGMENTATION = "6"
CACHE_VERSION = 3          # 3: scans read at their own resolution


def available() -> bool:
    """Whether Tesseract and its Simplified Chinese data are installed."""
    if shutil.which("tesseract") is None:
        return False
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in out.stdout.split()


@dataclass
class Reader:
    """Reads scanned pages of one PDF; ``sha`` keys its cache entry."""

    sha: str
    cache_dir: str = ""
    page_seconds: float = 60.0

    def _cache_file(self) -> Path | None:
        return Path(self.cache_dir) / f"{self.sha}.json" if self.cache_dir and self.sha else None

    def _cached(self) -> dict:
        path = self._cache_file()
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path else {}
        except (OSError, ValueError):
            return {}
        ok = data.get("version") == CACHE_VERSION and data.get("language") == LANGUAGE
        return data.get("pages", {}) if ok else {}

    def _store(self, pages: dict) -> None:
        path = self._cache_file()
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": CACHE_VERSION, "language": LANGUAGE, "pages": pages}
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)

    def read(self, pdf, numbers: list[int]) -> list[Page]:
        """One ``Page`` per 0-based page number, from the cache or from Tesseract."""
        cached = self._cached()
        todo = [n for n in numbers if str(n) not in cached]
        if todo:
            isolate.extend(self.page_seconds * len(todo))
            with tempfile.TemporaryDirectory(prefix="policy-search-ocr-") as tmp:
                for n in todo:
                    cached[str(n)] = _ocr_page(pdf[n], Path(tmp), self.page_seconds)
            self._store(cached)
        return [Page(*cached[str(n)]["size"], [Line(*line) for line in cached[str(n)]["lines"]])
                for n in numbers]


def scan_dpi(page) -> float:
    """The resolution of the largest image on ``page`` (its pixels over its width on the
    page), within ``MIN_DPI``-``MAX_DPI``; ``DPI`` for a page without one."""
    best = None
    for obj in page.get_objects():
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        left, _, right, _ = obj.get_bounds()
        width_px, _ = obj.get_px_size()
        if right - left > 72 and (best is None or right - left > best[0]):
            best = (right - left, width_px * 72 / (right - left))
    return DPI if best is None else min(max(best[1], MIN_DPI), MAX_DPI)


def _ocr_page(page, tmp: Path, seconds: float) -> dict:
    dpi = scan_dpi(page)
    pixels = page.render(scale=dpi / 72, grayscale=True).to_numpy()
    height, width = pixels.shape[:2]
    out = _tesseract(_pgm(pixels, tmp / "page.pgm"), PAGE_SEGMENTATION, seconds)
    lines = [_reread_date(page, dpi, ln, tmp, seconds) if _DATE_LINE.fullmatch(ln.text) else ln
             for ln in _tsv_lines(out)]
    return {"size": [width, height], "lines": [[ln.text, ln.left, ln.right, ln.top, ln.bottom]
                                                for ln in lines]}


# A line that is a date (the 落款's 2018年11月20日): read again at twice the resolution, as
# one line. Its digits are thin: at a scan's resolution 11 is read as 1 (both fixture
# scans), and a date is what a reader cites.
_DATE_LINE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_REREAD_SCALE = 2
_REREAD_MARGIN = 8                    # pixels of the first reading around the line


def _reread_date(page, dpi: float, line: Line, tmp: Path, seconds: float) -> Line:
    pixels = page.render(scale=_REREAD_SCALE * dpi / 72, grayscale=True).to_numpy()
    top, bottom, left, right = (int(max(0, v) * _REREAD_SCALE) for v in (
        line.top - _REREAD_MARGIN, line.bottom + _REREAD_MARGIN,
        line.left - _REREAD_MARGIN, line.right + _REREAD_MARGIN))
    crop = pixels[top:bottom, left:right].copy()
    again = tidy(collapse(_tesseract(_pgm(crop, tmp / "line.pgm"), "7", seconds, tsv=False)))
    return replace(line, text=again) if _DATE_LINE.fullmatch(again) else line


def _pgm(pixels, path: Path) -> Path:
    """``pixels`` (grey, one byte each) as a binary PGM: the plainest image Tesseract reads."""
    height, width = pixels.shape[:2]
    with open(path, "wb") as fh:
        fh.write(f"P5 {width} {height} 255\n".encode("ascii"))
        fh.write(pixels.reshape(height, -1)[:, :width].tobytes())
    return path


def _tesseract(image: Path, segmentation: str, seconds: float, tsv: bool = True) -> str:
    command = ["tesseract", str(image), "stdout", "-l", LANGUAGE, "--psm", segmentation]
    try:
        out = subprocess.run(command + (["tsv"] if tsv else []), capture_output=True, text=True,
                             timeout=seconds)
    except subprocess.TimeoutExpired:
        raise ConversionFailed(f"OCR of a page took longer than {seconds:.0f} s (time limit)") from None
    except OSError as exc:
        raise ConversionFailed(f"cannot run tesseract: {exc.strerror}") from None
    if out.returncode != 0:
        raise ConversionFailed(f"tesseract failed: {out.stderr.strip()[-200:]}")
    return out.stdout


_CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
_WIDE = str.maketrans({":": "：", ";": "；", ",": "，", "?": "？", "!": "！", "(": "（", ")": "）",
                       "〈": "（", "〉": "）"})
_NEAR_CJK = re.compile(f"(?<=[{_CJK}])[:;,?!()〈〉]|[:;,?!()〈〉](?=[{_CJK}])")
# 〔2018〕 read as [2018], 【2018], (2018j …: the brackets of a document number's year.
_YEAR_BRACKETS = re.compile(r"[\[【〔(（〈]?\s*((?:19|20)\d\d)\s*[\]】〕)）j]\s*(\d{1,5})\s*号")


def fix_punctuation(text: str) -> str:
    """Chinese punctuation where Tesseract gives its ASCII look-alikes: a colon or bracket
    beside Chinese text is the full-width one, a document number's year stands in 〔〕."""
    text = _NEAR_CJK.sub(lambda m: m[0].translate(_WIDE), text)
    return _YEAR_BRACKETS.sub(r"〔\1〕\2号", text)


def _tsv_lines(tsv: str) -> list[Line]:
    """Lines from Tesseract's TSV (level 5 rows are words, grouped by block/par/line)."""
    groups: dict[tuple, list[tuple]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (float(c) for c in cols[6:10])
        groups.setdefault((cols[2], cols[3], cols[4]), []).append(
            (collapse(cols[11]), left, left + width, top, top + height))
    lines = []
    for words in groups.values():
        text = fix_punctuation(tidy(" ".join(w[0] for w in words)))
        if text:
            lines.append(Line(text, min(w[1] for w in words), max(w[2] for w in words),
                              min(w[3] for w in words), max(w[4] for w in words)))
    return lines


__all__ = ["Reader", "available"]
