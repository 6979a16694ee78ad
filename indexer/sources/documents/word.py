"""Word processor files: .docx through python-docx; .doc and .wps through antiword, with
LibreOffice headless as the fallback; .odt and .rtf through LibreOffice.

Runs inside the limited child (``isolate.py``); the external tools run as its children, so
the time limit kills them too. Each returns the document's paragraphs as lines, in order
(tables row by row, cells separated by a space), and the title the file's metadata gives.

A .wps of WPS Office (2003 and later) is a Word 97 binary document under another name, so it
is read like .doc. antiword reads the fixtures' .doc in milliseconds where LibreOffice takes
about two seconds to start (bench/RESULTS.md); it refuses Word 6/95 and some WPS files,
which LibreOffice then reads.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from indexer.sources.documents.isolate import ConversionFailed

MAX_UNZIPPED_MB = 256          # a zip container (docx, xlsx, odt, ofd) may hold no more
MAX_RATIO = 200                # nor expand a member more than this (a zip bomb)


def check_zip(path: str) -> None:
    """Refuse a zip container that is not one or would expand into a bomb."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ConversionFailed(f"damaged or truncated file (not a valid zip container: {exc})") \
            from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_MB * 1024 * 1024:
        raise ConversionFailed(f"zip bomb: expands to {total / 1e6:.0f} MB "
                               f"(> {MAX_UNZIPPED_MB} MB limit)")
    for info in infos:
        if info.file_size > 10_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            times = info.file_size // max(info.compress_size, 1)
            raise ConversionFailed(f"zip bomb: {info.filename} expands {times} times "
                                   f"to {info.file_size / 1e6:.0f} MB")


def read_docx(path: str) -> tuple[list[str], str]:
    """(paragraph lines in body order, metadata title) of a .docx."""
    check_zip(path)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(path)
    except Exception as exc:           # python-docx raises several kinds for a bad package
        raise ConversionFailed(f"damaged Word file ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines += Paragraph(element, document).text.split("\n")
        elif tag == "tbl":
            for row in Table(element, document).rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
                lines.append(" ".join(c for c in cells if c))
    return lines, document.core_properties.title or ""


def _run(command: list[str], seconds: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, timeout=seconds)
    except subprocess.TimeoutExpired:
        name = Path(command[0]).name
        raise ConversionFailed(f"conversion took longer than {seconds:.0f} s (time limit; {name})") \
            from None
    except OSError as exc:
        raise ConversionFailed(f"cannot run {command[0]}: {exc.strerror}") from None


def _antiword(path: str, seconds: float) -> list[str] | None:
    if shutil.which("antiword") is None:
        return None
    out = _run(["antiword", "-m", "UTF-8.txt", "-w", "0", path], seconds)
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return out.stdout.decode("utf-8", "replace").splitlines()


def soffice_text(path: str, seconds: float) -> list[str]:
    """The text LibreOffice headless exports (one line per paragraph)."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise ConversionFailed("cannot read this kind of file: LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="policy-search-lo-") as tmp:
        # A profile of its own: two conversions at once must not share one.
        command = [binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                   "--nologo", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", tmp, path]
        out = _run(command, seconds)
        produced = Path(tmp) / (Path(path).stem + ".txt")
        if out.returncode != 0 or not produced.exists():
            raise ConversionFailed("LibreOffice could not read the file (damaged or not a document)")
        return produced.read_text(encoding="utf-8-sig", errors="replace").splitlines()


def read_word97(path: str, seconds: float) -> tuple[list[str], str]:
    """(lines, "") of a .doc or .wps: antiword, else LibreOffice."""
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and not magic.startswith(b"{\\rtf"):
        raise ConversionFailed("damaged file or not a Word document (no OLE2 header)")
    lines = _antiword(path, seconds)
    return (lines if lines is not None else soffice_text(path, seconds)), ""


def read_opendocument(path: str, seconds: float) -> tuple[list[str], str]:
    """(lines, "") of an .odt or .rtf, through LibreOffice."""
    if path.lower().endswith(".odt"):
        check_zip(path)
    return soffice_text(path, seconds), ""


__all__ = ["check_zip", "read_docx", "read_opendocument", "read_word97", "soffice_text"]
