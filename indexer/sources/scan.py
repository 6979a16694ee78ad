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


def scan(sources: list[Path], problems: list[tuple[str, str]]) -> list[SourceFile]:
    """All article files, sorted by path; unreadable entries are added to ``problems``.

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
                if not _is_article_name(name):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                if prefix_with_name:
                    rel = f"{root.name}/{rel}"
                try:
                    st = os.stat(full)
                except OSError as exc:
                    problems.append((rel, f"cannot read file: {exc.strerror}"))
                    continue
                found[rel] = SourceFile(full, rel, st.st_size, st.st_mtime_ns)
    return [found[k] for k in sorted(found)]
