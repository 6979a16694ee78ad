"""Finding the article files under the source folders."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from indexer.sources.files import SUPPORTED_SUFFIXES

# Files that describe a folder rather than being articles in it.
NOT_ARTICLES = {"readme", "source", "license", "licence", "changelog", "manifest"}


@dataclass(frozen=True)
class SourceFile:
    abs_path: str
    path: str        # the document path: relative to its source, '/'-separated
    size: int
    mtime_ns: int


def _is_article_name(name: str) -> bool:
    stem, _, suffix = name.rpartition(".")
    return (not name.startswith(".") and f".{suffix.lower()}" in SUPPORTED_SUFFIXES
            and stem.lower() not in NOT_ARTICLES)


def _passed_over(name: str) -> bool:
    """A file of a kind the indexer does not read (hidden files and folder notes aside)."""
    stem, dot, suffix = name.rpartition(".")
    if name.startswith(".") or (dot and f".{suffix.lower()}" in SUPPORTED_SUFFIXES):
        return False
    return (stem if dot else name).lower() not in NOT_ARTICLES


def scan(sources: list[Path], problems: list[tuple[str, str]],
         passed_over: list[str] | None = None) -> list[SourceFile]:
    """All article files, sorted by path; unreadable entries are added to ``problems`` and
    files of kinds the indexer does not read to ``passed_over``.

    Symlinked directories are not followed (no loops); symlinked files are read.
    """
    prefix_with_name = len(sources) > 1
    found: dict[str, SourceFile] = {}
    for root in sources:
        root = root.resolve()
        for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: problems.append(
                (str(e.filename), f"cannot list folder: {e.strerror}"))):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                article = _is_article_name(name)
                if not article and (passed_over is None or not _passed_over(name)):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                if prefix_with_name:
                    rel = f"{root.name}/{rel}"
                if not article:
                    passed_over.append(rel)
                    continue
                try:
                    st = os.stat(full)
                except OSError as exc:
                    problems.append((rel, f"cannot read file: {exc.strerror}"))
                    continue
                found[rel] = SourceFile(full, rel, st.st_size, st.st_mtime_ns)
    if passed_over is not None:
        passed_over.sort()
    return [found[k] for k in sorted(found)]
