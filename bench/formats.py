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
poppler's pdftotext, pdfminer.six when installed), antiword against LibreOffice for .doc,
python-docx against docx2txt and LibreOffice for .docx, python-calamine against openpyxl and
xlrd for spreadsheets (the others when installed: they are not the project's dependencies).
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


def installed_mb(*distributions: str) -> float:
    """Installed size of ``distributions`` (their files as pip recorded them), in MB."""
    from importlib import metadata

    total = 0
    for name in distributions:
        files = metadata.distribution(name).files or []
        total += sum(f.locate().stat().st_size for f in files if f.locate().is_file())
    return total / 1e6


def _optional(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def word_readers(rounds: int) -> list[tuple[str, float, float, str]]:
    """(reader, files/s, mean share, installed size) for .docx: python-docx (ours) against
    docx2txt (when installed) and LibreOffice headless."""
    from indexer.sources.documents.word import read_docx, soffice_text

    expected = _expected()
    files = sorted((FIXTURES / "docx").glob("*.docx"))
    readers = [("python-docx", lambda p: read_docx(str(p))[0], rounds,
                f"{installed_mb('python-docx'):.1f} MB (and lxml, used for HTML already)")]
    if _optional("docx2txt"):
        import docx2txt

        readers.append(("docx2txt", lambda p: [docx2txt.process(str(p))], rounds,
                        f"{installed_mb('docx2txt'):.2f} MB"))
    readers.append(("LibreOffice headless", lambda p: soffice_text(str(p), 120), 1, "Debian package"))
    rows = []
    for name, read, n, size in readers:
        started = time.perf_counter()
        for _ in range(n):
            texts = {f.stem: "\n".join(read(f)) for f in files}
        seconds = time.perf_counter() - started
        shares = [found_share(expected[k]["text"], t) for k, t in texts.items()]
        rows.append((name, len(files) * n / seconds, sum(shares) / len(shares), size))
    return rows


def sheet_readers(rows_count: int = 20_000) -> list[tuple[str, float, float, str]]:
    """(reader, rows/s, share of cells equal to calamine's, installed size) for a list of
    ``rows_count`` documents written by openpyxl (.xlsx) and by LibreOffice Calc (.xls, when
    soffice is installed): python-calamine (ours) against openpyxl and xlrd (when installed)."""
    from indexer.sources.documents.sheets import _cell, read_sheets

    if not _optional("openpyxl"):
        return []
    import openpyxl

    with tempfile.TemporaryDirectory(prefix="bench-sheets-") as tmp:
        xlsx = Path(tmp) / "list.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["标题", "发文字号", "发文机关", "成文日期", "主题分类", "链接"])
        docs = list(_expected().values())
        for i in range(rows_count):
            d = docs[i % len(docs)]
            sheet.append([f"{d['title']}（{i}）", d["doc_number"], d["source"], d["date"], "综合政务",
                          f"https://example.org/{i}"])
        book.save(xlsx)
        files = [xlsx]
        if shutil.which("soffice"):
            subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", tmp, str(xlsx)],
                           capture_output=True, timeout=300)
            if (Path(tmp) / "list.xls").exists():
                files.append(Path(tmp) / "list.xls")

        def by_openpyxl(path: Path) -> list[list[str]]:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            return [[_cell(v) for v in row] for row in wb.active.iter_rows(values_only=True)]

        def by_xlrd(path: Path) -> list[list[str]]:
            import xlrd

            ws = xlrd.open_workbook(str(path)).sheet_by_index(0)
            return [[_cell(v) for v in ws.row_values(r)] for r in range(ws.nrows)]

        out = []
        for path in files:
            kind = path.suffix
            readers = [(f"python-calamine {kind}", lambda p: read_sheets(str(p))[0][1],
                        f"{installed_mb('python-calamine'):.1f} MB")]
            if kind == ".xlsx":
                readers.append((f"openpyxl {kind}", by_openpyxl,
                                f"{installed_mb('openpyxl', 'et-xmlfile'):.1f} MB"))
            elif _optional("xlrd"):
                readers.append((f"xlrd {kind}", by_xlrd, f"{installed_mb('xlrd'):.1f} MB"))
            reference = None
            for name, read, size in readers:
                started = time.perf_counter()
                rows = read(path)
                seconds = time.perf_counter() - started
                reference = reference or rows
                cells = [c for r in reference for c in r]
                pairs = zip(reference, rows, strict=False)
                same = sum(a == b for ra, rb in pairs for a, b in zip(ra, rb, strict=False))
                out.append((name, len(rows) / seconds, same / max(len(cells), 1), size))
        return out


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
    print(".docx readers (files/s, mean share of source characters, installed size):")
    for name, files_per_second, share, size in word_readers(args.rounds):
        print(f"  {name:22s} {files_per_second:8.2f} files/s  {share:7.2%}  {size}")
    print("spreadsheet readers, a 20,000-row list (rows/s, cells equal to calamine's, installed size):")
    for name, rows_per_second, share, size in sheet_readers():
        print(f"  {name:22s} {rows_per_second:10.0f} rows/s  {share:7.2%}  {size}")
    print(".doc converters (files/s, mean share):")
    for name, per_second, share in word97(args.rounds):
        print(f"  {name:22s} {per_second:8.2f} files/s  {share:7.2%}")


if __name__ == "__main__":
    main()
