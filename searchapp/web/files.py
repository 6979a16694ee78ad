"""Document files on the web: the original file, 附件 links both ways, the empty index's
account of what was skipped.

- ``original_file``: where the file behind a document is, inside one of the sources the
  index was built from, or None (never a path outside them: the stored path is resolved,
  symbolic links too, and must stay under its source folder);
- ``download_name``: a file name safe in a Content-Disposition header;
- ``attachment_links``: a page's 附件 and a file's pages, as [{id, title, path, file_kind}],
  only those in the index;
- ``last_report``: what the last reindex skipped (with reasons in Chinese and English) and
  passed over, for the page shown when the index holds nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from indexer import storage as store
from indexer.build import doc_id

MIMETYPES = {
    "pdf": "application/pdf", "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword", "wps": "application/vnd.ms-works", "rtf": "application/rtf",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12", "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
KIND_LABELS = {"pdf": "PDF", "ofd": "OFD", "docx": "Word", "doc": "Word", "wps": "WPS",
               "odt": "ODT", "rtf": "RTF", "xlsx": "Excel", "xlsm": "Excel", "xls": "Excel",
               "ods": "ODS"}
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/;:*?<>|]')


def file_path(doc: dict) -> str:
    """The source-relative path of the file a stored document came from."""
    return (doc.get("path") or "").split("#", 1)[0]


def original_file(index_dir: Path, doc: dict) -> Path | None:
    """The document's file in the sources the live index was built from, or None."""
    if not doc.get("file_kind"):
        return None
    gen = store.current(Path(index_dir))
    sources = [Path(s) for s in (gen.read_json(store.META, {}).get("sources", []) if gen else [])]
    rel = PurePosixPath(file_path(doc))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        return None
    if len(sources) > 1:             # paths then start with their source folder's name
        sources = [s for s in sources if s.name == rel.parts[0]]
        rel = PurePosixPath(*rel.parts[1:])
    for root in sources:
        real_root = os.path.realpath(root)
        candidate = os.path.realpath(os.path.join(real_root, *rel.parts))
        if os.path.commonpath([real_root, candidate]) == real_root and os.path.isfile(candidate):
            return Path(candidate)
    return None


def download_name(doc: dict) -> str:
    """The file's own name, without characters a header or a file system would choke on."""
    name = _UNSAFE_NAME.sub("_", PurePosixPath(file_path(doc)).name).strip(". ")
    return name or f"{doc.get('id', 'document')}.{doc.get('file_kind') or 'bin'}"


def attachment_links(view, doc: dict) -> dict[str, list[dict]]:
    """{"attachments": […], "attachment_of": […]}: the indexed documents on either end."""
    out: dict[str, list[dict]] = {}
    for name in ("attachments", "attachment_of"):
        found = []
        for path in doc.get(name) or ():
            docnum = view.docnum_of(doc_id(path))
            if docnum is None:
                continue
            other = view.stored(docnum)
            found.append({"id": other["id"], "title": other.get("title") or path, "path": path,
                          "file_kind": other.get("file_kind") or ""})
        out[name] = found
    return out


def last_report(index_dir: Path) -> dict:
    """The last reindex's skipped files (path, reason, reason_zh) and passed-over files."""
    gen = store.current(Path(index_dir))
    report = gen.read_json(store.REPORT, {}) if gen else {}
    passed = report.get("passed_over") or []
    kinds: dict[str, int] = {}
    for path in passed:
        name = PurePosixPath(path).name
        kind = PurePosixPath(name).suffix.lower() or "（无扩展名）"
        kinds[kind] = kinds.get(kind, 0) + 1
    return {"skipped": report.get("skipped") or [], "passed_over": passed,
            "passed_kinds": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
            "scanned": report.get("scanned", 0), "sources": (gen.read_json(store.META, {}) if gen else {})
            .get("sources", [])}
