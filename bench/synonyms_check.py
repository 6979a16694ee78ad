"""Checks the synonym list, and the abbreviations documents define, against a corpus.

Run from the repository root (with the project installed)::

    python bench/synonyms_check.py ../shared/corpus             # every rule, then mined pairs
    python bench/synonyms_check.py ../shared/corpus --flagged   # only rules with a flag
    python bench/synonyms_check.py data/sample --synonyms extra.txt --no-mined

The corpus is read as the index reads it (``indexer.sources``; exact duplicates once) and
normalised as the index normalises it (``normalize``: half-width, lower case, simplified).

**Synonym rules.** For every rule of the file, each form with the number of documents whose
title or body contains it. A short form (up to four characters) also shows the share of its
occurrences that stand as whole words in jieba's segmentation of the text, with the words
it most often sits inside when that share is low: 低保 inside 降低保费 is not 低保, 人行 inside
人行道 is not 人民银行; 公交 inside 公交车 is fine, which only a reader can tell. Flags:

* ``NONE``  no form occurs in the corpus (kept only if a policy reader would clearly expect it);
* ``AMBIG`` a form of up to three characters that other forms expand to, with at least five
  occurrences, fewer than half of them whole words or inside another form of the rule
  (解放军 in 中国人民解放军): its matches would mostly be inside other words. A one-way rule
  (``国企 => 国有企业``) is the fix when the short form is what people type: 国企 inside
  中国企业 then never answers a query for 国有企业;
* ``DUP``   a form that is also in another equivalence group (the two groups merge for it).

**Mined abbreviations.** ``find_abbreviations`` over every document and
``common_abbreviations`` (defined the same way in two or more documents): the number of
definitions found, distinct pairs, short forms dropped because documents define them as
unrelated full terms, pairs in two or more documents (with the number of distinct titles,
since two versions of one law count twice) and whether the shipped list already holds the
pair.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from indexer.analysis.abbreviations import common_abbreviations, find_abbreviations
from indexer.analysis.normalize import normalize
from indexer.analysis.segmenter import data_path, segment
from indexer.build.documents import content_hash, title_key
from indexer.chars import is_cjk
from indexer.errors import ArticleError
from indexer.sources.files import read_articles
from indexer.sources.scan import scan
from searchapp.engine.synonyms import parse_rules

SHORT_FORM = 4          # forms up to this length get the whole-word share
AMBIGUOUS_MAX = 3       # ... and up to this length can be flagged AMBIG
AMBIGUOUS_MIN_HITS = 5


@dataclass
class Document:
    path: str
    title: str
    text: str                       # normalised title + "\n" + normalised body
    _bounds: bytearray | None = None

    def bounds(self) -> bytearray:
        """1 at every offset where a jieba word starts or ends (computed once, on demand)."""
        if self._bounds is None:
            marks = bytearray(len(self.text) + 1)
            offset = 0
            for word in segment(self.text):
                marks[offset] = 1
                offset += len(word)
            marks[offset] = 1
            self._bounds = marks
        return self._bounds


@dataclass
class FormStats:
    documents: int = 0
    occurrences: int = 0
    whole_words: int = 0
    inside: Counter = field(default_factory=Counter)   # the words a partial match sits in

    def word_share(self, related: set[str] = frozenset()) -> float:
        """The share of occurrences that are whole words or sit inside a ``related`` form
        (解放军 inside 中国人民解放军 is the same name)."""
        if not self.occurrences:
            return 1.0
        explained = sum(n for words, n in self.inside.items()
                        if any(form in words for form in related))
        return (self.whole_words + explained) / self.occurrences


def read_corpus(corpus: Path) -> list[Document]:
    """Every article of ``corpus``, exact duplicates once, as the build reads them."""
    docs, seen = [], set()
    for sf in scan([corpus], []):
        try:
            articles = read_articles(Path(sf.abs_path), sf.path)
        except ArticleError:
            continue
        for article in articles:
            digest = content_hash(article)
            if digest not in seen:
                seen.add(digest)
                text = normalize(article.title) + "\n" + normalize(article.body)
                docs.append(Document(article.path, article.title, text))
    return docs


def form_stats(form: str, docs: list[Document]) -> FormStats:
    stats = FormStats()
    for doc in docs:
        starts = list(_occurrences(form, doc.text))
        if not starts:
            continue
        stats.documents += 1
        if len(form) > SHORT_FORM:
            continue
        marks = doc.bounds()
        for start in starts:
            end = start + len(form)
            stats.occurrences += 1
            if marks[start] and marks[end]:
                stats.whole_words += 1
            else:
                stats.inside[_enclosing(doc.text, marks, start, end)] += 1
    return stats


def _occurrences(form: str, text: str):
    """Where ``form`` occurs in ``text``; a Latin or digit end must end a Latin run there, as
    the index keeps such runs whole (AR is not found in card, M2 not in PM2.5)."""
    start = text.find(form)
    while start >= 0:
        end = start + len(form)
        if not (_latin(form[0]) and start > 0 and _latin(text[start - 1])
                or _latin(form[-1]) and end < len(text) and _latin(text[end])):
            yield start
        start = text.find(form, start + 1)


def _latin(char: str) -> bool:
    return char.isalnum() and not is_cjk(char)


def _enclosing(text: str, marks: bytearray, start: int, end: int) -> str:
    """The words an occurrence sits in (降低保费 for 低保)."""
    while start > 0 and not marks[start]:
        start -= 1
    while end < len(text) and not marks[end]:
        end += 1
    return text[start:end]


def check_rules(rules: list[tuple[list[str], list[str]]], docs: list[Document],
                flagged_only: bool) -> dict[str, int]:
    groups_of: defaultdict[str, list[int]] = defaultdict(list)
    for number, (sources, forms) in enumerate(rules):
        if sources == forms:
            for form in forms:
                groups_of[form].append(number)
    totals = Counter()
    cache: dict[str, FormStats] = {}
    for sources, forms in rules:
        stats = [cache.setdefault(f, form_stats(f, docs)) for f in forms]
        flags = []
        if not any(s.documents for s in stats):
            flags.append("NONE")
        # Only the forms other forms expand to: a one-way source never pollutes another query.
        targets = forms if sources == forms else forms[len(sources):]
        if any(len(f) <= AMBIGUOUS_MAX and f in targets and s.occurrences >= AMBIGUOUS_MIN_HITS
               and s.word_share(set(forms) - {f}) < 0.5 for f, s in zip(forms, stats, strict=True)):
            flags.append("AMBIG")
        if any(len(groups_of[f]) > 1 for f in forms):
            flags.append("DUP")
        totals["rules"] += 1
        totals["one-way"] += sources != forms
        totals["with hits"] += "NONE" not in flags
        for flag in flags:
            totals[flag] += 1
        if flags or not flagged_only:
            print(_rule_line(sources, forms, stats, flags))
    return totals


def _rule_line(sources: list[str], forms: list[str], stats: list[FormStats], flags: list[str]) -> str:
    parts = []
    for form, s in zip(forms, stats, strict=True):
        part = f"{form} {s.documents}"
        share = s.word_share(set(forms) - {form})
        if s.occurrences and len(form) <= SHORT_FORM and share < 1:
            part += f" ({share:.0%} words"
            if share < 0.5:
                part += "; in " + ", ".join(w for w, _ in s.inside.most_common(3))
            part += ")"
        parts.append(part)
    separator = " = " if sources == forms else " => "
    head = " = ".join(parts[:len(sources)])
    tail = ", ".join(parts[len(sources):])
    line = head + (separator + tail if tail else "")
    return f"{','.join(flags) or 'ok':<10} {line}"


def check_mined(docs: list[Document], rules: list[tuple[list[str], list[str]]], min_docs: int) -> None:
    started = time.perf_counter()
    per_doc = [find_abbreviations(doc.text) for doc in docs]
    seconds = time.perf_counter() - started
    pairs = [pair for found in per_doc for pair in found]
    common = common_abbreviations(per_doc, min_docs)
    titles: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for doc, found in zip(docs, per_doc, strict=True):
        for pair in found:
            titles[pair].add(title_key(doc.title))
    shipped = [set(forms) for _, forms in rules]
    # Short forms documents define as unrelated full terms (联席会议): dropped whatever their count.
    kept_once = {a.short for a in common_abbreviations(per_doc, 1)}
    dropped = sorted({short for short, _ in pairs} - kept_once)
    print(f"\nMined abbreviations ({len(docs):,} documents, {seconds:.1f} s):")
    print(f"  {'definitions found':<38} {len(pairs):,}")
    print(f"  {'distinct (short, full) pairs':<38} {len(set(pairs)):,}")
    distinct_titles = sum(len(titles[(a.short, a.full)]) >= min_docs for a in common)
    print(f"  {f'pairs in {min_docs}+ documents':<38} {len(common):,}"
          f" ({distinct_titles:,} in {min_docs}+ distinct titles)")
    print(f"  {'short forms with unrelated full terms':<38} {len(dropped):,}"
          + (f": {', '.join(dropped)}" if dropped else ""))
    print(f"\n  {'docs':>4} {'titles':>6}  {'in list':<7}  short => full")
    for a in common:
        listed = "yes" if any({a.short, a.full} <= group for group in shipped) else ""
        print(f"  {a.documents:>4} {len(titles[(a.short, a.full)]):>6}  {listed:<7}  {a.short} => {a.full}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default="data/sample", type=Path)
    parser.add_argument("--synonyms", type=Path, default=data_path("synonyms.txt"),
                        help="synonym file to check (default: the shipped list)")
    parser.add_argument("--flagged", action="store_true", help="print only rules with a flag")
    parser.add_argument("--no-mined", action="store_true", help="skip the mined abbreviations")
    parser.add_argument("--min-docs", type=int, default=2, help="documents a mined pair needs")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"not a folder: {args.corpus}")
    started = time.perf_counter()
    docs = read_corpus(args.corpus)
    print(f"{len(docs):,} documents read from {args.corpus} in {time.perf_counter() - started:.1f} s\n")
    rules = parse_rules(args.synonyms.read_text(encoding="utf-8"))
    totals = check_rules(rules, docs, args.flagged)
    print(f"\n{totals['rules']} rules ({totals['one-way']} one-way), {totals['with hits']} with a form "
          f"in the corpus; NONE {totals['NONE']}, AMBIG {totals['AMBIG']}, DUP {totals['DUP']}")
    if not args.no_mined:
        check_mined(docs, rules, args.min_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
