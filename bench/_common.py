"""Shared helpers for the speed benchmarks (``build.py``, ``query.py``, ``serve.py``).

Not a benchmark itself. The scripts import it after putting their own folder on ``sys.path``,
so they run as plain scripts (``python bench/query.py ...``) from any working directory.

Contents: the query mix (``queries.txt``) and its parser, process-tree memory from ``/proc``
(Linux), percentiles, sizes and a plain-text table printer. Standard library only, so that
``serve.py`` (the load generator) does not import the search engine.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.txt"

# queries.txt option names -> SearchParams field names (the same names as the API's).
OPTION_FIELDS = {"sort": "sort", "from": "date_from", "to": "date_to", "source": "source",
                 "category": "category", "year": "year", "title_only": "title_only",
                 "page": "page", "per_page": "per_page"}
_TRUE = {"1", "true", "on", "yes"}


# ---------------------------------------------------------------- the query mix
@dataclass(frozen=True)
class BenchQuery:
    """One line of the query mix: the query text plus API-style options (``from``, ``sort`` ...)."""

    line: str
    q: str
    options: dict[str, str] = field(default_factory=dict)

    def params_kwargs(self) -> dict:
        """Keyword arguments for ``searchapp.search.SearchParams``."""
        kwargs: dict = {"q": self.q}
        for key, value in self.options.items():
            name = OPTION_FIELDS[key]
            if name in ("page", "per_page"):
                kwargs[name] = int(value)
            elif name == "title_only":
                kwargs[name] = value.lower() in _TRUE
            else:
                kwargs[name] = value
        return kwargs

    def api_path(self) -> str:
        """The ``/api/search`` URL (path + query string) that asks the same thing."""
        return "/api/search?" + urlencode({"q": self.q, **self.options})


def parse_query_line(line: str) -> BenchQuery | None:
    """``QUERY [||key=value&key=value]``; blank lines and ``#`` comments give None.

    Keys: sort (relevance|date), from, to, source, category, year, title_only (1), page, per_page.
    The query text is kept exactly (it may be empty when there are filters).
    """
    text = line.rstrip("\n")
    if not text.strip() or text.lstrip().startswith("#"):
        return None
    q, sep, opts = text.partition("||")
    options: dict[str, str] = {}
    if sep:
        for part in opts.strip().split("&"):
            if not part.strip():
                continue
            key, eq, value = part.partition("=")
            key = key.strip()
            if not eq or key not in OPTION_FIELDS:
                raise ValueError(f"bad option {part!r} in query line {line!r} "
                                 f"(known: {', '.join(OPTION_FIELDS)})")
            options[key] = value.strip()
    return BenchQuery(line=text.strip(), q=q.strip(), options=options)


def load_queries(path: Path = QUERIES) -> list[BenchQuery]:
    queries = [q for q in map(parse_query_line, Path(path).read_text(encoding="utf-8").splitlines()) if q]
    if not queries:
        raise SystemExit(f"no queries in {path}")
    return queries


# ---------------------------------------------------------------- processes and memory (Linux /proc)
def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may contain spaces: split after it
    fields = data[data.rindex(b")") + 2:].split()
    return int(fields[1])


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (found through the ppid of every process in /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _ppid(int(entry)) == pid:
            out.append(int(entry))
    return sorted(out)


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (one pass over /proc)."""
    parent_of = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            ppid = _ppid(int(entry))
            if ppid is not None:
                parent_of[int(entry)] = ppid
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [p for p, pp in parent_of.items() if pp in frontier]
        tree.extend(frontier)
    return tree


def rss_kb(pid: int) -> int:
    """Resident set size (VmRSS) in kB; 0 when the process is gone."""
    return _status_kb(pid, "VmRSS")


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid: int) -> int:
    """Proportional set size in kB (shared pages split between sharers); 0 when unavailable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """Peak of the summed RSS (and PSS) of a process tree, sampled by ``sample()``."""

    def __init__(self, pid: int, pss: bool = True):
        self.pid = pid
        self.pss = pss
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_procs = 0
        self.samples = 0

    def sample(self) -> None:
        pids = process_tree(self.pid)
        self.samples += 1
        self.peak_procs = max(self.peak_procs, len(pids))
        self.peak_rss_kb = max(self.peak_rss_kb, sum(rss_kb(p) for p in pids))
        if self.pss:
            self.peak_pss_kb = max(self.peak_pss_kb, sum(pss_kb(p) for p in pids))


# ---------------------------------------------------------------- numbers and tables
def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of unsorted values; nan for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def tree_bytes(path: Path) -> int:
    """Total size of the files under ``path``."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def mb(n_bytes: float) -> float:
    return n_bytes / 1e6


def table(rows: Iterable[Sequence], header: Sequence[str] | None = None, title: str = "") -> str:
    """A plain-text table; numbers are right-aligned."""
    rows = [[_cell(c) for c in r] for r in rows]
    if header:
        rows.insert(0, list(header))
    if not rows:
        return title
    width = [max(_display_width(r[i]) if i < len(r) else 0 for r in rows) for i in range(max(map(len, rows)))]
    lines = [title] if title else []
    for n, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            right = _numeric(cell) and not (header and n == 0)
            cells.append(cell.rjust(_wide(cell, width[i])) if right else cell.ljust(_wide(cell, width[i])))
        lines.append("  ".join(cells).rstrip())
        if header and n == 0:
            lines.append("  ".join("-" * w for w in width))
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _numeric(cell: str) -> bool:
    return bool(cell) and cell.replace(",", "").replace(".", "").replace("-", "").isdigit()


def _display_width(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    return sum(2 if ord(c) >= 0x1100 and _east_asian_wide(c) else 1 for c in text)


def _east_asian_wide(char: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F")


def _wide(cell: str, width: int) -> int:
    """The ``str.ljust`` width that pads ``cell`` to ``width`` terminal columns."""
    return width - (_display_width(cell) - len(cell))
