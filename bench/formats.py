"""Document formats: text quality and speed of the converters, and the libraries compared.

Run from the repository root (with the project installed)::

    python bench/formats.py                      # quality + speed on tests/data/formats
    python bench/formats.py --ocr                # also OCR of the scanned fixtures
    python bench/formats.py --incremental 1000   # 1,000 text PDFs: full build, then no change

Quality: for every fixture, the characters of the source text (``expected.json``, the text
the file was made from) found in the same order in the extracted text, whitespace removed
from both (``difflib`` matching blocks): ≥ 99 % is the target for text-layer PDFs and Word
files, ≥ 95 % for OCR. The extracted text is what the index stores (``read_articles``:
conversion, page furniture dropped, lines joined), so the figure covers the whole path.

Speed: pages per second of one process for text-layer PDFs through ``parse_file`` (the build's
per-file work: conversion in a limited child, layout, metadata, tokenising), and the bare
extraction speed and quality of the PDF libraries compared (PDFium through pypdfium2,
poppler's pdftotext, pdfminer.six when installed), antiword against LibreOffice for .doc.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FIXTURES = REPO / "tests" / "data" / "formats"

from indexer.analysis.segmenter import warm_up  # noqa: E402
from indexer.build.workers import parse_file  # noqa: E402
from indexer.sources.documents import ConvertOptions  # noqa: E402
from indexer.sources.files import read_articles  # noqa: E402
from indexer.sources.scan import SourceFile  # noqa: E402

_SPACE = re.compile(r"\s+")


def found_share(source: str, extracted: str) -> float:
    """Share of the source's characters found, in order, in the extracted text."""
    a, b = _SPACE.sub("", source), _SPACE.sub("", extracted)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(len(a), 1)


def _expected() -> dict[str, dict]:
    return {d["id"]: d for d in json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))}


def quality(options: ConvertOptions, folders: list[str]) -> list[tuple[str, float, str]]:
    expected = _expected()
    rows = []
    for folder in folders:
        for path in sorted((FIXTURES / folder).iterdir()):
            doc = expected[path.stem]
            started = time.perf_counter()
            article = read_articles(path, f"{folder}/{path.name}", options=options)[0]
            seconds = time.perf_counter() - started
            share = found_share(doc["text"], article.body)
            fields = all([article.title == doc["title"], article.doc_number == doc["doc_number"],
                          article.source == doc["source"], article.written_date == doc["date"]])
            rows.append((f"{folder}/{path.name}", share, "yes" if fields else "NO", seconds))
    return rows


def _pages(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def build_speed(rounds: int) -> tuple[float, int, float]:
    """(pages/s, pages, seconds) of ``parse_file`` over the text-layer PDFs, one process."""
    files = sorted((FIXTURES / "pdf").glob("*.pdf"))
    pages = sum(_pages(f) for f in files) * rounds
    started = time.perf_counter()
    for _ in range(rounds):
        for f in files:
            st = f.stat()
            parsed, docs = parse_file(SourceFile(str(f), f.name, st.st_size, st.st_mtime_ns))
            assert docs and not parsed.error, parsed.error
    seconds = time.perf_counter() - started
    return pages / seconds, pages, seconds


def _pypdfium2(path: Path) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def libraries(rounds: int) -> list[tuple[str, float, float]]:
    """(library, pages/s, mean share of source characters found) for bare PDF extraction."""
    expected = _expected()
    files = sorted((FIXTURES / "pdf").glob("*.pdf"))
    pages = sum(_pages(f) for f in files)
    candidates = [("pypdfium2 (PDFium)", _pypdfium2), ("pdftotext (poppler)", _pdftotext)]
    try:
        import pdfminer  # noqa: F401

        candidates.append(("pdfminer.six", _pdfminer))
    except ImportError:
        pass
    rows = []
    for name, extract in candidates:
        texts = {}
        started = time.perf_counter()
        for _ in range(rounds):
            texts = {f.stem: extract(f) for f in files}
        seconds = time.perf_counter() - started
        shares = [found_share(expected[k]["text"], t) for k, t in texts.items()]
        rows.append((name, pages * rounds / seconds, sum(shares) / len(shares)))
    return rows


def word97(rounds: int) -> list[tuple[str, float, float]]:
    """(tool, files/s, mean share) for .doc: antiword against LibreOffice."""
    from indexer.sources.documents.word import _antiword, soffice_text

    expected = _expected()
    files = sorted((FIXTURES / "doc").glob("*.doc"))
    rows = []
    for name, read, n in (("antiword", lambda p: _antiword(str(p), 60), rounds),
                          ("LibreOffice headless", lambda p: soffice_text(str(p), 120), 1)):
        started = time.perf_counter()
        for _ in range(n):
            texts = {f.stem: "\n".join(read(f)) for f in files}
        seconds = time.perf_counter() - started
        shares = [found_share(expected[k]["text"], t) for k, t in texts.items()]
        rows.append((name, len(files) * n / seconds, sum(shares) / len(shares)))
    return rows


def incremental(count: int, workers: int) -> None:
    """``count`` text PDFs (the fixtures copied under distinct names): a full build, then a
    run with nothing changed."""
    from indexer.build.pipeline import build_index

    with tempfile.TemporaryDirectory(prefix="bench-formats-") as tmp:
        src = Path(tmp) / "pdfs"
        files = sorted((FIXTURES / "pdf").glob("*.pdf"))
        for i in range(count):
            folder = src / f"{i // 100:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(files[i % len(files)], folder / f"{i:05d}.pdf")
        ix = Path(tmp) / "ix"
        started = time.perf_counter()
        report = build_index([src], ix, full=True, workers=workers)
        print(f"full build of {count} PDFs, {workers} workers: {time.perf_counter() - started:.1f} s, "
              f"{report.documents} documents ({len(report.duplicates)} copies), "
              f"{len(report.skipped)} skipped")
        for run in range(3):
            started = time.perf_counter()
            report = build_index([src], ix, workers=workers)
            print(f"incremental, nothing changed (run {run + 1}): {time.perf_counter() - started:.2f} s "
                  f"({report.unchanged} unchanged)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ocr", action="store_true", help="also OCR the scanned fixtures")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--incremental", type=int, default=0, metavar="N",
                        help="build N text PDFs, then time a run with nothing changed")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    warm_up(indexing=True)
    if args.incremental:
        incremental(args.incremental, args.workers)
        return
    print("text quality (share of source characters found, whitespace removed) and metadata")
    folders = ["pdf", "docx", "doc", "wps", "odt", "ofd"]
    rows = quality(ConvertOptions(), folders)
    if args.ocr:
        with tempfile.TemporaryDirectory() as cache:
            rows += quality(ConvertOptions(ocr=True, ocr_cache=cache), ["scanned"])
    for name, share, fields, seconds in rows:
        print(f"  {name:28s} {share:7.2%}  metadata {fields:3s}  {seconds:6.2f} s")
    for folder in folders + (["scanned"] if args.ocr else []):
        shares = [s for n, s, _, _ in rows if n.startswith(folder + "/")]
        mean = sum(shares) / len(shares)
        print(f"  {folder:8s} min {min(shares):7.2%}  mean {mean:7.2%}  ({len(shares)} files)")
    if args.ocr:
        pages = sum(_pages(f) for f in (FIXTURES / "scanned").glob("*.pdf"))
        seconds = sum(s for n, _, _, s in rows if n.startswith("scanned/"))
        print(f"OCR: {pages} pages in {seconds:.1f} s = {pages / seconds:.2f} pages/s "
              "(one process, cache empty)")
    rate, pages, seconds = build_speed(args.rounds)
    print(f"text-layer PDF through parse_file, one process: {pages} pages in {seconds:.2f} s = "
          f"{rate:.1f} pages/s")
    print("PDF libraries, bare extraction (pages/s, mean share of source characters):")
    for name, pages_per_second, share in libraries(args.rounds):
        print(f"  {name:22s} {pages_per_second:8.1f} pages/s  {share:7.2%}")
    print(".doc converters (files/s, mean share):")
    for name, per_second, share in word97(args.rounds):
        print(f"  {name:22s} {per_second:8.2f} files/s  {share:7.2%}")


if __name__ == "__main__":
    main()
