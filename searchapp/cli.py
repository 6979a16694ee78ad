"""``policy-search``: a thin command line over the library functions.

Exit codes: 0 success; 1 an error with a message (no usable index, another reindex
running, bad folder); 2 usage error; 3 ``reindex --strict`` skipped some files.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
from pathlib import Path

import click
import numpy as np

from indexer import storage as store
from indexer.build import WorkerFailed, build_index
from searchapp.build_report import summary
from searchapp.config import (
    configure_analysis,
    convert_options,
    from_environment,
    sample_dir,
    setting,
    split_sources,
)
from searchapp.config import (
    index_dir as resolve_index_dir,
)

EXIT_SKIPPED = 3


def _index_dir_option(f):
    s = setting("INDEX_DIR")
    return click.option("--index-dir", type=click.Path(file_okay=False, path_type=Path),
                        envvar=s.envvar, default=None, show_default="your data folder",
                        callback=lambda _c, _p, value: resolve_index_dir(value),
                        show_envvar=True, help=s.help)(f)


def _named_index_dir() -> bool:
    """Whether the index folder was named (--index-dir or its variable), not the default."""
    source = click.get_current_context().get_parameter_source("index_dir")
    return source not in (None, click.core.ParameterSource.DEFAULT)


def _no_index(folder: Path) -> str:
    """What to do when ``folder`` holds no index at all (said in full: a bare folder name
    such as "index" read like a typo)."""
    named = _named_index_dir()
    build = "policy-search reindex YOUR_FOLDER" + (f" --index-dir '{folder}'" if named else "")
    sample = (" Leave out --index-dir (and POLICY_SEARCH_INDEX_DIR) to use the index in your "
              "data folder, where `policy-search serve` indexes the bundled sample itself.") if named else (
        " Or run `policy-search serve`: with no index yet it indexes the bundled sample.")
    return f"no index in '{folder}' yet. Build one from your documents with `{build}`.{sample}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policy-search")
def main():
    """Search folders of Chinese policy articles.

    Example: policy-search reindex ~/articles && policy-search serve
    """
    configure_analysis(from_environment())


def _env(name: str) -> str | None:
    """A setting's value from its POLICY_SEARCH_* variable (None when unset)."""
    return from_environment().get(name)


# ---------------------------------------------------------------- reindex
def _progress(stream=sys.stderr):
    """A tqdm bar on a terminal, plain lines every 10% otherwise."""
    state = {"bar": None, "shown": -1}

    def update(done: int, total: int) -> None:
        if stream.isatty():
            from tqdm import tqdm

            if state["bar"] is None:
                state["bar"] = tqdm(total=total, unit="file", desc="indexing", file=stream)
            state["bar"].update(done - state["bar"].n)
            if done == total:
                state["bar"].close()
        else:
            step = max(1, total // 10)
            if done == total or done // step != state["shown"]:
                state["shown"] = done // step
                click.echo(f"indexing: {done}/{total} files", err=True)

    return update


def _resolve_sources(sources: tuple[Path, ...], index_dir: Path) -> list[Path]:
    if sources:
        return list(sources)
    env = split_sources(_env("SOURCES"))
    if env:
        return env
    gen = store.current(index_dir)
    recorded = [Path(p) for p in (gen.read_json(store.META, {}).get("sources", []) if gen else [])]
    if recorded:
        return recorded
    raise click.UsageError("give the article folders to index: policy-search reindex SOURCE_DIR "
                           f"(or set {setting('SOURCES').envvar})")


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@_index_dir_option
@click.option("--full", is_flag=True, help="Build a complete new index beside the live one, then switch.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Parsing processes (default: one per core).")
@click.option("--strict", is_flag=True, help=f"Exit with {EXIT_SKIPPED} if any file was skipped.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also report citations: how many resolve, the most cited titles that do not.")
@click.option("--ocr/--no-ocr", default=None, show_envvar=True, envvar=setting("OCR").envvar,
              help="Read scanned PDF pages with Tesseract (needs Debian tesseract-ocr and "
                   "tesseract-ocr-chi-sim); results are cached by file hash.")
def reindex(sources, index_dir, full, workers, strict, verbose, ocr):
    """Build or update the index from SOURCE_DIR folders.

    Incremental by default: new and changed files are indexed, deleted ones removed,
    unchanged ones skipped. Unreadable files are reported and skipped. Without SOURCE_DIR,
    uses POLICY_SEARCH_SOURCES or the folders of the previous run.

    Reads HTML, Markdown, text, CSV, JSON, PDF, Word (.docx, .doc), WPS, .odt, OFD and
    spreadsheets (.xlsx, .xls); scanned PDF pages with --ocr.

    Exit codes: 0 done; 1 error (e.g. another reindex running); 2 usage;
    3 with --strict, some files were skipped.

    Example: policy-search reindex ~/articles ~/more-articles
    """
    folders = _resolve_sources(sources, index_dir)
    for folder in folders:
        if not folder.is_dir():
            raise click.ClickException(f"not a folder: {folder}")
    convert = convert_options(from_environment(), ocr)
    if convert.ocr:
        from indexer.build import ocr_available

        if not ocr_available():
            raise click.ClickException("OCR needs Tesseract with its Simplified Chinese data: "
                                       "apt-get install tesseract-ocr tesseract-ocr-chi-sim "
                                       "(or run reindex without --ocr)")
    try:
        report = build_index(folders, index_dir, full=full, workers=workers, progress=_progress(),
                             convert=convert)
    except store.ReindexRunning as exc:
        raise click.ClickException(f"{exc}; wait for it to finish") from None
    except WorkerFailed as exc:
        raise click.ClickException(f"reindex failed: {exc}. The live index is unchanged; "
                                   "run reindex again") from None
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            raise
        raise click.ClickException(f"cannot write the index in {index_dir}: {exc.strerror}. "
                                   "The live index is unchanged; free some space and run "
                                   "reindex again") from None
    click.echo(summary(report, verbose))
    if strict and report.skipped:
        sys.exit(EXIT_SKIPPED)


# ---------------------------------------------------------------- search / stats
def _missing(index_dir: Path, exc: store.IndexMissing) -> click.ClickException:
    """The error for an index that cannot be opened: none at all, or damaged or old."""
    if store.current(index_dir) is None and not (index_dir / store.CURRENT).exists():
        return click.ClickException(_no_index(index_dir))
    return click.ClickException(str(exc))


def _open(index_dir: Path):
    try:
        return store.open_current(index_dir)
    except store.IndexMissing as exc:
        raise _missing(index_dir, exc) from None


def _context(index_dir: Path):
    """A search context over the live index (the engine's view of it)."""
    from searchapp.engine.opening import open_context

    try:
        return open_context(index_dir, synonyms_file=_env("SYNONYMS"))
    except store.IndexMissing as exc:
        raise _missing(index_dir, exc) from None


_FILTER_HELP = {
    "source": "Only this 发文机关 (issuing body) or author.", "category": "Only this category.",
    "year": "Only documents of this year.", "doc_type": "Only this 文种 (通知, 意见, 条例 …).",
    "level": "Only this 效力级别 (行政法规, 部门规章, 地方性法规 …).",
    "region": "Only this 地域 (中央, 上海市 …).", "status": "Only this 时效性 (现行有效, 已被修订 …).",
}


def _filter_options(f):
    """``--source``, ``--level`` … : each may repeat (any of the values)."""
    for name in reversed(list(_FILTER_HELP)):
        f = click.option(f"--{name.replace('_', '-')}", name, multiple=True,
                         help=_FILTER_HELP[name] + " Repeat for several.")(f)
    return f


@main.command("search")
@click.argument("query")
@_index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1, 1000), default=1, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--from", "date_from", default="", help="Earliest date (2018, 2018-03, 2018-03-01).")
@click.option("--to", "date_to", default="", help="Latest date.")
@_filter_options
@click.option("--title-only", is_flag=True, help="Search titles only.")
@click.option("--all-versions", is_flag=True,
              help="List every version of a regulation and every copy of a document.")
def search_command(query, index_dir, as_json, limit, page, sort, date_from, date_to, title_only,
                   all_versions, **filters):
    """Search the index from the command line.

    Example: policy-search search '国发〔2019〕5号' --json
    """
    from searchapp.engine.search import BadParameter, SearchParams, search

    ctx = _context(index_dir)
    query, date_from, date_to = map(_text_argument, (query, date_from, date_to))
    params = SearchParams(q=query, page=page, per_page=limit, sort=sort, date_from=date_from,
                          date_to=date_to, title_only=title_only, all_versions=all_versions,
                          **{k: tuple(map(_text_argument, v)) for k, v in filters.items()})
    try:
        results = search(ctx, params)
    except BadParameter as exc:
        raise click.BadParameter(str(exc)) from None
    if as_json:
        data = results.to_json()
        drop = ("title_html", "missing")
        data["results"] = [{k: v for k, v in r.items() if k not in drop} for r in data["results"]]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_results(results)


def _text_argument(value: str) -> str:
    """Bytes of the command line that are not UTF-8 arrive as lone surrogates (PEP 383)."""
    from indexer.chars import SURROGATE

    return re.sub(f"[{SURROGATE}]", "\ufffd", value)


def _print_results(results) -> None:
    from markupsafe import Markup

    note = "（没有同时包含所有词的结果，显示包含任一词的结果）" if results.fallback else ""
    click.echo(f"共 {results.total} 条结果，第 {results.page}/{max(results.pages, 1)} 页，"
               f"{results.took_ms:.0f} ms{note}")
    if results.message:
        click.echo(results.message)
    for n, hit in enumerate(results.hits, (results.page - 1) * results.per_page + 1):
        meta = "  ".join(x for x in (hit.date, hit.source, hit.doc_number) if x)
        where = f"{hit.path}（第 {hit.page} 页）" if hit.page else hit.path
        click.echo(f"\n{n}. {hit.title}\n   {meta}\n   {where}")
        text = Markup(hit.snippet_html).striptags() if hit.snippet_html else ""
        click.echo(f"   {text}")
        if hit.missing:
            click.echo(f"   缺少：{'、'.join(hit.missing)}")


@main.command()
@_index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(index_dir, as_json):
    """Document count, index size, last reindex and documents per source."""
    from collections import Counter

    ctx = _context(index_dir)
    gen = store.current(index_dir)
    codes, values = ctx.view.codes("source")
    live = ctx.all_docs()
    counts = np.bincount(codes[live], minlength=len(values))
    sources = Counter({values[c]: int(n) for c, n in enumerate(counts) if n and values[c]})
    count = ctx.view.doc_count
    size = sum(p.stat().st_size for p in gen.path.iterdir() if p.is_file())
    meta = gen.read_json(store.META, {})
    data = {"documents": count, "index_bytes": size, "generation": gen.name,
            "last_reindex": meta.get("built_at"), "sources": meta.get("sources", []),
            "per_source": dict(sources.most_common()), "metadata": _coverage(gen)}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"documents: {count}\nindex size: {size / 1e6:.1f} MB ({gen.name})\n"
               f"last reindex: {data['last_reindex']}")
    click.echo("metadata filled: " + ", ".join(
        f"{name} {share:.0%}" for name, share in data["metadata"]["filled"].items()))
    for name, n in sources.most_common(20):
        click.echo(f"  {n:6d}  {name}")


def _coverage(gen) -> dict:
    """Share of documents each metadata field is filled for, from the manifest."""
    from indexer.metadata import coverage

    files = gen.read_json(store.MANIFEST, {}).get("files", {})
    metas = (json.loads(d.get("meta") or "{}") for entry in files.values() for d in entry["docs"]
             if not d["dup_of"])
    return coverage(metas, gen.read_json(store.RELATIONS, {}).get("status", {}))


@main.command("synonyms")
@click.argument("word", required=False)
@_index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def synonyms_command(word, index_dir, as_json):
    """The synonym rules in force and where each comes from.

    They come from the shipped list, the file the SYNONYMS setting names, and the
    abbreviations the indexed documents define (（以下简称X）) in two or more documents.
    With WORD, only the rules a query for it applies.

    Example: policy-search synonyms 发改委
    """
    from searchapp.engine.rules import listed_rules, rule_line

    gen = store.current(index_dir)
    if gen is None:
        click.echo(f"no index in '{index_dir}': abbreviations defined in documents are not "
                   "listed", err=True)
    ctx = _context(index_dir) if gen is not None and word else None
    try:
        listed = listed_rules(_env("SYNONYMS"), gen, _text_argument(word) if word else None, ctx)
    finally:
        if ctx is not None:
            ctx.close()
    if as_json:
        click.echo(json.dumps({"rules": listed, "count": len(listed)}, ensure_ascii=False,
                              indent=2))
        return
    origin = None
    for rule in listed:
        if rule["origin"] != origin:
            origin = rule["origin"]
            count = sum(r["origin"] == origin for r in listed)
            click.echo(f"# {origin} ({count} rules)")
        click.echo(rule_line(rule))
    if not listed:
        click.echo(f"no rule applies to {word}" if word else "no rules")


# ---------------------------------------------------------------- serve
@main.command()
@_index_dir_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per core).")
@click.option("--debug", is_flag=True, help="Flask's development server with the debugger.")
def serve(index_dir, host, port, workers, debug):
    """Serve the search web app (gunicorn; the Flask dev server only with --debug).

    With no index yet, builds one from POLICY_SEARCH_SOURCES, or, when neither --index-dir
    nor POLICY_SEARCH_INDEX_DIR is given, from the bundled sample (about 200 documents)
    into your data folder.

    Example: policy-search serve --port 8000
    """
    from searchapp.web.server import run

    _ensure_index(index_dir)
    _open(index_dir)
    run(index_dir, host=host, port=port, workers=workers or os.cpu_count() or 1, debug=debug)


def _ensure_index(index_dir: Path) -> None:
    """Build the first index when there is none at all; never over a damaged one.

    The bundled sample is only used for the default index folder (the user's data folder):
    a folder named with --index-dir or POLICY_SEARCH_INDEX_DIR gets POLICY_SEARCH_SOURCES
    or an error that says what to run.
    """
    if store.current(index_dir) is not None or (index_dir / store.CURRENT).exists():
        return
    sources = split_sources(_env("SOURCES"))
    what = ", ".join(map(str, sources))
    if not sources and not _named_index_dir() and sample_dir():
        sources, what = [sample_dir()], "the bundled sample"
    if not sources:
        return
    click.echo(f"no index in '{index_dir}' yet: building it from {what}", err=True)
    click.echo(summary(build_index(sources, index_dir, progress=_progress(),
                                   convert=convert_options(from_environment()))), err=True)


if __name__ == "__main__":          # python -m searchapp.cli
    main(prog_name="policy-search")
