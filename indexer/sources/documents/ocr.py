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
from dataclasses import dataclass
from pathlib import Path

from indexer.sources.article import collapse
from indexer.sources.documents import isolate
from indexer.sources.documents.isolate import ConversionFailed
from indexer.sources.documents.layout import Line, Page, tidy

LANGUAGE = "chi_sim"
DPI = 300
# One uniform block of text: an official document's single column (automatic layout analysis
# (3) broke the red 发文机关标志 into fragments on the fixtures: 92.6 % against 95.6 %).
PAGE_SEGMENTATION = "6"
CACHE_VERSION = 2


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
        data = {"version": CACHE_VERSION, "language": LANGUAGE, "dpi": DPI, "pages": pages}
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


def _ocr_page(page, tmp: Path, seconds: float) -> dict:
    scale = DPI / 72
    bitmap = page.render(scale=scale, grayscale=True)
    pixels = bitmap.to_numpy()
    image = tmp / "page.pgm"
    height, width = pixels.shape[:2]
    with open(image, "wb") as fh:       # binary PGM: the plainest image Tesseract reads
        fh.write(f"P5 {width} {height} 255\n".encode("ascii"))
        fh.write(pixels.reshape(height, -1)[:, :width].tobytes())
    try:
        command = ["tesseract", str(image), "stdout", "-l", LANGUAGE, "--psm", PAGE_SEGMENTATION, "tsv"]
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds)
    except subprocess.TimeoutExpired:
        raise ConversionFailed(f"OCR of a page took longer than {seconds:.0f} s (time limit)") from None
    except OSError as exc:
        raise ConversionFailed(f"cannot run tesseract: {exc.strerror}") from None
    if out.returncode != 0:
        raise ConversionFailed(f"tesseract failed: {out.stderr.strip()[-200:]}")
    lines = _tsv_lines(out.stdout)
    return {"size": [width, height], "lines": [[ln.text, ln.left, ln.right, ln.top, ln.bottom]
                                                for ln in lines]}


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
