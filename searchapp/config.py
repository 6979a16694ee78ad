"""Settings, each declared once with its default and help.

The web app reads them from ``POLICY_SEARCH_<NAME>`` environment variables (Flask's
``from_prefixed_env``); the CLI uses the same variables for its options, so
``POLICY_SEARCH_INDEX_DIR`` means the same thing to ``reindex``, ``search``, ``serve`` and
``stats``. Without it (or ``--index-dir``) the index lives in the user's data folder
(``default_index_dir``), so the commands agree from whatever folder they are run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from indexer.storage import MMAP_AUTO_MAX_BYTES

ENV_PREFIX = "POLICY_SEARCH"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def envvar(self) -> str:
        return f"{ENV_PREFIX}_{self.name}"


SETTINGS = [
    Setting("INDEX_DIR", "", "Folder holding the search index (created by reindex); empty: the "
            "user's data folder (on Linux $XDG_DATA_HOME/policy-search/index, by default "
            "~/.local/share/policy-search/index)."),
    Setting("SOURCES", "", f"Article folders to index, separated by '{os.pathsep}'."),
    Setting("PER_PAGE", 10, "Results per page on the search page."),
    Setting("USER_DICT", "", "Extra jieba dictionary file (one word per line, optional "
            "frequency); reindex --full after a change."),
    Setting("SEGMENTER", "rjieba", "rjieba (the same words as jieba, 20 times faster), or jieba "
            "itself."),
    Setting("SYNONYMS", "", "Extra synonym file: one rule per line, 'a = b = c' or one-way 'a => b, c'."),
    Setting("REFRESH_SECONDS", 1.0, "How often a worker checks whether the index has changed."),
    Setting("RESULT_CACHE", 512, "Result pages each worker keeps for repeated searches (0: none)."),
    Setting("MMAP", "auto", "Map index files into memory (true), read them (false), or map "
            f"indexes up to {MMAP_AUTO_MAX_BYTES >> 20} MB on disk (auto): mapping is faster, "
            "reading keeps workers smaller."),
    Setting("PUBLIC_URL", "", "The site's public address (https://policy.example.org): citations "
            "(复制引用) of documents without an original link name their page under it, and feeds "
            "and CSV exports link there. Unset: citations name no address of this site."),
    Setting("QUERY_TIMEOUT_MS", 1000, "Time limit of one search: when reached it stops and "
            "answers with what it has found (\"timed_out\": true in the API, a notice on the page); "
            "0: no limit."),
    # reindex: document files (PDF, Word, OFD, spreadsheets; indexer/sources/documents)
    Setting("OCR", False, "Read scanned PDF pages with Tesseract (Debian tesseract-ocr and "
            "tesseract-ocr-chi-sim); the same as reindex --ocr."),
    Setting("CONVERT_TIMEOUT", 60.0, "Seconds one document file may take to convert (OCR adds "
            "60 s per scanned page); a file over it is skipped with the reason."),
    Setting("CONVERT_MEMORY_MB", 1024, "Memory (MB) one document conversion may use; a file "
            "over it is skipped with the reason."),
    Setting("MAX_PAGES", 1000, "Pages a PDF or OFD may have; a longer one is skipped with the reason."),
    # serve: how each worker process protects itself (searchapp/web/worker.py)
    Setting("CLIENT_TIMEOUT", 15.0, "Seconds a connection has to send its whole request (and "
            "later to take the answer); idle and slow connections are closed after it."),
    Setting("MAX_QUEUE", 32, "Complete requests a worker process lets wait to be searched; "
            "one more is answered 503 with Retry-After at once."),
    Setting("MAX_WAIT_MS", 500, "A request that waited this long before its worker could "
            "start it is answered 503 with Retry-After instead."),
    Setting("MAX_CONNECTIONS", 1000, "Open connections per worker process (slow ones "
            "included); beyond it new ones wait in the kernel's listen queue."),
    Setting("RETRY_AFTER", 1, "Seconds the Retry-After header of an overload 503 asks clients to wait."),
]
DEFAULTS = {s.name: s.default for s in SETTINGS}


def setting(name: str) -> Setting:
    return next(s for s in SETTINGS if s.name == name)


def configure_analysis(values: dict) -> None:
    """Pass the analysis settings (``USER_DICT``, ``SEGMENTER``) to the segmenter."""
    from indexer.analysis import configure

    configure(values.get("USER_DICT") or None,
              reference=str(values.get("SEGMENTER", "")).strip().lower() == "jieba")


def from_environment() -> dict:
    """Each setting's value from its environment variable, where one is set."""
    return {s.name: os.environ[s.envvar] for s in SETTINGS if s.envvar in os.environ}


def default_index_dir() -> Path:
    """The index folder when none is named: ``policy-search/index`` in the user's data
    folder (platformdirs: $XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application
    Support on macOS, %LOCALAPPDATA% on Windows)."""
    import platformdirs

    return platformdirs.user_data_path("policy-search", appauthor=False) / "index"


def index_dir(value: str | Path | None) -> Path:
    """The index folder a setting's value names (empty: ``default_index_dir()``)."""
    return Path(value) if str(value or "").strip() else default_index_dir()


def sample_dir() -> Path | None:
    """The bundled sample corpus: ``data/sample`` of the source checkout, or the copy an
    installed package carries (``setup.py`` bundles it as ``searchapp/sample``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "data" / "sample", here / "sample"):
        if candidate.is_dir():
            return candidate
    return None


def is_true(value) -> bool:
    """A boolean setting's value from the environment or a mapping."""
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def convert_options(values: dict, ocr: bool | None = None):
    """How reindex converts document files, from the settings (``ocr`` overrides OCR)."""
    from indexer.build import ConvertOptions

    get = {s.name: values.get(s.name, s.default) for s in SETTINGS}.get
    return ConvertOptions(ocr=is_true(get("OCR")) if ocr is None else ocr,
                          seconds=float(get("CONVERT_TIMEOUT")),
                          memory_mb=int(get("CONVERT_MEMORY_MB")), max_pages=int(get("MAX_PAGES")))


def split_sources(value: str | None) -> list[Path]:
    return [Path(p) for p in (value or "").split(os.pathsep) if p.strip()]
