"""What a reindex says when it is done: counts, speed, every file skipped with its reason
(in English and Chinese), the files of kinds not read, duplicates left out and warnings."""

from __future__ import annotations

from indexer.build import BuildReport
from indexer.errors import chinese_reason


def summary(report: BuildReport, verbose: bool = False) -> str:
    """The one-paragraph report printed after a reindex (``verbose``: with citations).

    Each skipped file is listed with its reason in English and Chinese; files of kinds the
    indexer does not read are counted by kind and named."""
    skipped: dict[str, int] = {}
    for _, reason in report.skipped:
        key = reason.split(" (")[0]
        skipped[key] = skipped.get(key, 0) + 1
    lines = [
        f"{'full build' if report.full else 'incremental update'} → {report.generation}: "
        f"{report.documents} documents in the index",
        f"scanned {report.scanned} files: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.removed} removed, "
        f"{len(report.duplicates)} duplicates, {len(report.skipped)} skipped",
        f"{report.seconds:.1f} s, {report.docs_per_second:.0f} docs/s, "
        f"{report.text_bytes / 1e6 / report.seconds if report.seconds else 0:.2f} MB/s of text",
    ]
    if not report.scanned:
        lines.append("no file of a kind the indexer reads was found (.html, .md, .txt, .csv, .json, "
                     ".pdf, .docx, .doc, .wps, .odt, .ofd, .xlsx, .xls)")
    for reason, count in sorted(skipped.items()):
        lines.append(f"  skipped ({count}): {reason}（{chinese_reason(reason)}）")
    for path, reason in report.skipped:
        lines.append(f"  skipped {path}: {reason}（{chinese_reason(reason)}）")
    lines += _passed_over(report.passed_over)
    # Every one: a file left out of the index must be visible, with why (only a file whose
    # title, text, header and metadata all equal an earlier one's is left out).
    for path, original in report.duplicates:
        lines.append(f"  duplicate {path}: same title, text and metadata as {original}, not indexed again")
    for path, warning in report.warnings[:50]:
        lines.append(f"  warning {path}: {warning}")
    if verbose:
        lines += _citations(report.citations)
    return "\n".join(lines)


def _passed_over(paths: list[str], named: int = 20) -> list[str]:
    """Files of kinds not read, counted by kind and named (the first ``named``)."""
    if not paths:
        return []
    kinds: dict[str, int] = {}
    for path in paths:
        name = path.rpartition("/")[2]
        kind = f".{name.rpartition('.')[2].lower()}" if "." in name.lstrip(".") else "(no extension)"
        kinds[kind] = kinds.get(kind, 0) + 1
    counted = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    lines = [f"passed over {len(paths)} files of kinds not read (未读取的文件类型): {counted}"]
    lines += [f"  not read {path}" for path in paths[:named]]
    if len(paths) > named:
        lines.append(f"  … and {len(paths) - named} more")
    return lines


def _citations(c) -> list[str]:
    lines = [f"citations: {c.resolved} of {c.mentions} 《》 references and {c.numbers_resolved} of "
             f"{c.numbers} document numbers resolve to documents in the index"]
    if c.top_unresolved:
        lines.append("  most cited titles not in the index:")
        lines += [f"    {n:5d}  {title}" for title, n in c.top_unresolved]
    return lines
