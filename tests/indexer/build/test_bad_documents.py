"""Bad document files lose nothing and stop nothing: each is reported with its path and a
reason (English and Chinese), within a time and memory limit per file, the rest of the folder
is indexed and the index that was serving keeps serving."""

from __future__ import annotations

import shutil
import stat
import zipfile

import pypdfium2
import pytest

from indexer.build.pipeline import build_index
from indexer.errors import chinese_reason
from indexer.sources.documents import ConvertOptions
from indexer.sources.documents.isolate import ConversionFailed, Limits, run_limited
from searchapp.build_report import summary
from tests.support import FORMATS, open_context


def _folder(tmp_path):
    """A folder with two good documents (a PDF and a .docx) to which a bad one is added."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(FORMATS / "pdf" / "5344150.pdf", src / "good.pdf")
    shutil.copy(FORMATS / "docx" / "5365945.docx", src / "good.docx")
    return src


def _truncated(src):
    data = (FORMATS / "pdf" / "5360002.pdf").read_bytes()
    (src / "truncated.pdf").write_bytes(data[: len(data) // 3])
    return "truncated.pdf"


def _encrypted(src):
    shutil.copy(FORMATS / "bad" / "encrypted.pdf", src / "encrypted.pdf")
    return "encrypted.pdf"


def _zip_bomb(src):
    """A real .docx whose document part is replaced by 300 MB of spaces (1/1000 compressed)."""
    with zipfile.ZipFile(FORMATS / "docx" / "5360002.docx") as good, \
            zipfile.ZipFile(src / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in good.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item, good.read(item))
        with bomb.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(300):
                fh.write(chunk)
    return "bomb.docx"


def _long_pdf(src):
    """2,000 pages: one page of a real PDF imported 2,000 times by PDFium."""
    one = pypdfium2.PdfDocument(str(FORMATS / "pdf" / "5344150.pdf"))
    big = pypdfium2.PdfDocument.new()
    big.import_pages(one, [0] * 2000)
    big.save(str(src / "long.pdf"))
    return "long.pdf"


def _hanging(src, monkeypatch, tmp_path):
    """A .doc whose converter hangs: antiword replaced on PATH by a program that sleeps."""
    tools = tmp_path / "tools"
    tools.mkdir()
    fake = tools / "antiword"
    fake.write_text("#!/bin/sh\nsleep 600\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tools}:{__import__('os').environ['PATH']}")
    shutil.copy(FORMATS / "doc" / "5360002.doc", src / "hangs.doc")
    return "hangs.doc"


CASES = {
    "encrypted": (_encrypted, "encrypted PDF (needs a password)", "PDF 已加密，需要密码"),
    "truncated": (_truncated, "damaged or truncated PDF", "PDF 已损坏或不完整"),
    "zip-bomb": (_zip_bomb, "zip bomb: expands to", "压缩炸弹：解压后过大"),
    "2000-pages": (_long_pdf, "too many pages (2000 > 1000 limit)", "页数过多"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_reported_and_the_rest_indexed(tmp_path, case):
    src = _folder(tmp_path)
    make, reason, chinese = CASES[case]
    name = make(src)
    report = build_index([src], tmp_path / "ix", workers=1)
    skipped = dict(report.skipped)
    assert skipped[name].startswith(reason)
    assert chinese_reason(skipped[name]) == chinese
    assert report.documents == 2
    assert f"skipped {name}: {skipped[name]}（{chinese}）" in summary(report)


def test_converter_that_hangs_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    src = _folder(tmp_path)
    name = _hanging(src, monkeypatch, tmp_path)
    report = build_index([src], tmp_path / "ix", workers=1, convert=ConvertOptions(seconds=3))
    reason = dict(report.skipped)[name]
    # The build's limit on the child and the converter's own (the same 3 s) race: either way
    # the file is reported as too slow.
    assert reason in ("conversion took longer than 3 s (time limit)",
                      "conversion took longer than 3 s (time limit; antiword)")
    assert chinese_reason(reason) == "转换超时"
    assert f"skipped {name}: {reason}（转换超时）" in summary(report)
    assert report.documents == 2
    assert report.seconds < 30


def test_conversion_over_the_memory_limit_is_stopped():
    def swallow():
        return bytearray(400 * 1024 * 1024)

    with pytest.raises(ConversionFailed, match="used more than 100 MB of memory"):
        run_limited(swallow, (), Limits(seconds=30, memory_mb=100))


def test_converter_crash_is_a_reason_not_a_failed_build():
    def crash():
        import os
        import signal

        os.kill(os.getpid(), signal.SIGSEGV)

    with pytest.raises(ConversionFailed, match=r"converter crashed \(SIGSEGV\)"):
        run_limited(crash, (), Limits(seconds=30))


def test_bad_files_in_parallel_workers(tmp_path, monkeypatch):
    """The same folder with two build workers: a bad file never fails the build."""
    monkeypatch.setattr("indexer.build.pipeline.PARALLEL_MIN_BYTES", 0)
    src = _folder(tmp_path)
    for make, _, _ in CASES.values():
        make(src)
    report = build_index([src], tmp_path / "ix", workers=2)
    assert sorted(dict(report.skipped)) == ["bomb.docx", "encrypted.pdf", "long.pdf", "truncated.pdf"]
    assert report.documents == 2


def test_old_index_keeps_serving_while_bad_files_are_added(tmp_path):
    src = _folder(tmp_path)
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    with open_context(ix) as ctx:
        before = ctx.view.doc_count
        for make, _, _ in CASES.values():
            make(src)
        report = build_index([src], ix, workers=1)
        assert len(report.skipped) == 4
        assert ctx.view.doc_count == before == 2          # the open index answers as before
    with open_context(ix) as ctx:
        assert ctx.view.doc_count == 2
