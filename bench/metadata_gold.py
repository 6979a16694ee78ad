"""Metadata gold-standard benchmark: each field as a built index shows it, against a sample
of documents checked by hand.

Run from the repository root (with the project installed)::

    python bench/metadata_gold.py
    python bench/metadata_gold.py --gold bench/gold/metadata.jsonl --corpus ../shared/corpus \\
        --today 2026-12-07 --index /tmp/ix-gold

Builds a real index of the corpus (``build_index``, full, into a temporary folder unless
``--index`` names one to build or reuse with ``--reuse``), reads what it stores for each
gold document — the stored fields that search results, ``search --json``, the CSV export
and the article API show, and its relations (status, versions, citations) as the build
computed them, or for ``--today`` as the build would on that day — and prints per-field
accuracy overall, for gov.cn pages and for 行政法规, then every disagreement: path,
field, the gold value with its evidence, ours. The gold standard's format is described in
``indexer/metadata/evaluate.py`` and ``docs/metadata.md``.

``--make-fixture DIR`` instead copies the gold documents and every document their relations
name (versions, citations, the document a status rests on), byte for byte, to
``DIR/corpus/<path>`` and their gold records to ``DIR/gold.jsonl``: the test fixture
``tests/data/metadata-gold`` (``--skip PATH`` leaves a gold document out, ``--extra PATH``
adds a corpus file)::

    python bench/metadata_gold.py --make-fixture tests/data/metadata-gold --skip … --extra …
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import table  # noqa: E402

from indexer.build.pipeline import build_index  # noqa: E402
from indexer.metadata.evaluate import FIELDS, GROUPS, Score, load_gold, score, shown  # noqa: E402

GOLD = Path("bench/gold/metadata.jsonl")
CORPUS = Path("../shared/corpus")
TODAY = "2026-12-07"             # the day the gold standard's statuses were recorded


def _share(result: Score, name: str, group: str) -> str:
    n = result.total[group, name]
    if not n:
        return "-"
    return f"{100 * result.correct[group, name] / n:.1f}% ({result.correct[group, name]}/{n})"


def accuracy_table(result: Score) -> str:
    rows = [(name, *(_share(result, name, g) for g in GROUPS)) for name in FIELDS]
    return table(rows, ("field", *GROUPS), "accuracy per field (agreeing / gold records with the field)")


def _text(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]" if value else "[]"
    return str(value) if value not in (None, "") else '""'


def disagreement_lines(result: Score) -> str:
    lines = [f"disagreements: {len(result.disagreements)}"]
    for d in sorted(result.disagreements, key=lambda d: (d.field, d.path)):
        lines.append(f"  {d.path} | {d.field}\n      gold: {_text(d.gold)}"
                     + (f"  (evidence: {d.evidence})" if d.evidence else "")
                     + f"\n      ours: {_text(d.ours)}")
    if result.missing:
        lines.append(f"gold documents not in the index: {len(result.missing)}")
        lines += [f"  {p}" for p in result.missing]
    return "\n".join(lines)


def _named(record: dict) -> set[str]:
    """The corpus paths a gold record's relations name."""
    fields = record["fields"]
    paths = {*fields["versions"]["value"], *fields["cites"]["value"]}
    basis = fields["status"].get("basis", "")
    for prefix in ("abolished by ", "superseded by "):
        if basis.startswith(prefix):
            paths.add(basis[len(prefix):])
    return paths


def make_fixture(gold: list[dict], corpus: Path, out: Path, skip: set[str], extra: list[str]) -> None:
    """Copy the gold documents (but ``skip``) with what their relations name, and ``extra``."""
    kept = [r for r in gold if r["path"] not in skip]
    paths = {p for r in kept for p in (r["path"], *_named(r))} | set(extra)
    size = 0
    for rel in sorted(paths):
        target = out / "corpus" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / rel, target)
        size += target.stat().st_size
    lines = [json.dumps(r, ensure_ascii=False) for r in kept]
    (out / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} gold records, {len(paths)} files ({size / 1e6:.2f} MB) in {out}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help=f"gold records (default {GOLD})")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"corpus root (default {CORPUS})")
    parser.add_argument("--today", default=TODAY,
                        help=f"ISO date deciding 尚未施行 (default {TODAY}, the gold standard's)")
    parser.add_argument("--index", type=Path, help="index folder to build into (kept)")
    parser.add_argument("--reuse", action="store_true", help="use the index in --index as it is")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--make-fixture", type=Path, metavar="DIR",
                        help="copy the gold documents and their relations' documents to DIR")
    parser.add_argument("--skip", action="append", default=[], metavar="PATH",
                        help="with --make-fixture: leave this gold document out")
    parser.add_argument("--extra", action="append", default=[], metavar="PATH",
                        help="with --make-fixture: also copy this corpus file")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    if args.make_fixture:
        make_fixture(gold, args.corpus, args.make_fixture, set(args.skip), args.extra)
        return
    folder = args.index or Path(tempfile.mkdtemp(prefix="metadata-gold-"))
    try:
        if not (args.reuse and args.index):
            started = time.perf_counter()
            report = build_index([args.corpus], folder, full=True, workers=args.workers)
            print(f"built {report.documents} documents in {time.perf_counter() - started:.1f} s, "
                  f"{len(report.duplicates)} exact duplicates left out")
        result = score(gold, shown(folder, today=args.today))
    finally:
        if args.index is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{len(gold)} gold documents ({args.gold}), today {args.today}")
    print(accuracy_table(result))
    print(disagreement_lines(result))


if __name__ == "__main__":
    main()
