"""The query language: one forgiving parser for the web page, the API and the CLI.

``parse(text)`` turns anything a user types into a small tree of ``Node`` objects and never
raises: an unbalanced quote runs to the end, a lone ``-`` or a dangling ``OR`` is dropped,
unknown ``field:`` prefixes are searched as text. ``compile_query`` (in ``compile.py``)
turns the tree into Whoosh queries.

=================  ==========================================
``营商环境 条例``      both words (AND); no hit → any word, flagged ``fallback``
``"最佳口碑省"``       exact phrase (punctuation inside is ignored)
``-征求意见``          exclude (also ``NOT 征求意见``)
``a OR b``, ``|``    either; ``a AND b`` is ``a b``
``( … )``          grouping
``title:`` ``source:`` ``category:`` ``docnum:``  field scopes
``date:2018..2019``  date range (years, ``2018-03``, full dates, open ends)
``国发〔2019〕5号``     a document number, in any spelling
=================  ==========================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.analysis import fold
from indexer.chars import CONTROL, INVISIBLE, SURROGATE
from indexer.vocabulary import QUERY_NUMBER, docnum_key

MAX_QUERY_CHARS = 500
MAX_NODES = 40

FIELDS = {"title": "title", "标题": "title", "source": "source", "来源": "source",
          "发文机关": "source", "category": "category", "分类": "category",
          "docnum": "docnum", "文号": "docnum", "发文字号": "docnum", "date": "date",
          "日期": "date"}


@dataclass
class Node:
    kind: str                      # word | phrase | docnum | date | and | or | not | field
    text: str = ""
    children: list[Node] = field(default_factory=list)
    name: str = ""                 # for kind == "field": title, source, category, docnum


_CONTROL = re.compile(f"[{CONTROL}{INVISIBLE}]")
_SURROGATE = re.compile(f"[{SURROGATE}]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"',
                         "』": '"', "＂": '"'})
# Document numbers are lifted out before tokenising: their brackets are not grouping.
_DOCNUM = re.compile(r"(?:(?:docnum|文号|发文字号)\s*[:：]\s*)?" + QUERY_NUMBER)
_TOKEN = re.compile(r'\s*(?:(?P<q>-?"[^"]*"?)|(?P<n>-)(?=\()|(?P<p>[()])|(?P<w>[^\s()"]+))')


def clean(text: str) -> str:
    """Drop control characters and lone surrogates, fold quotes and cap the length."""
    text = _SURROGATE.sub("", _CONTROL.sub(" ", text or "")).translate(_QUOTES)
    return text[:MAX_QUERY_CHARS].strip()


def _lex(text: str) -> list[str | Node]:
    """Tokens: '(' ')' 'OR' 'AND' '-' or Nodes for phrases, words and fields."""
    out: list[str | Node] = []
    pending_docnums = []

    def lift(m: re.Match) -> str:
        written = re.sub(r"^(?:docnum|文号|发文字号)\s*[:：]", "", m.group(0)).strip()
        key = docnum_key(written)
        if key is None:
            return m.group(0)
        pending_docnums.append(Node("docnum", text=written, name=key))
        return f" \x00{len(pending_docnums) - 1}\x00 "

    text = _DOCNUM.sub(lift, text)
    for m in _TOKEN.finditer(text):
        if m.group("p"):
            out.append(m.group("p"))
        elif m.group("n"):
            out.append("-")
        elif m.group("q") is not None:
            quoted = m.group("q")
            body = quoted.lstrip("-").strip('"').strip()
            if body:
                out.extend(["-", Node("phrase", text=body)] if quoted[0] == "-" else
                           [Node("phrase", text=body)])
        elif m.group("w"):
            out.extend(_word_tokens(m.group("w"), pending_docnums))
    return out


def _word_tokens(word: str, docnums: list[Node]) -> list[str | Node]:
    if word.startswith("\x00"):
        return [docnums[int(word.strip("\x00"))]]
    upper = fold(word).upper()
    if upper in ("OR", "|", "||"):
        return ["OR"]
    if upper in ("AND", "&", "&&", "+"):
        return ["AND"]
    if upper == "NOT" and word.isupper():      # as an operator only in capitals, as Lucene
        return ["-"]
    if word.strip("-－") == "":
        return []
    negate = word[0] in "-－"
    core = word[1:] if negate else word
    node = _field_node(core) or Node("word", text=core)
    return ["-", node] if negate else [node]


def _field_node(word: str) -> Node | None:
    name, sep, value = fold(word).partition(":") if ":" in fold(word) else ("", "", "")
    if not sep or not value:
        return None
    target = FIELDS.get(name.strip().lower())
    if target is None:
        return None
    value = word[len(name) + 1:].strip()
    if target == "date":
        return Node("date", text=value)
    if target == "docnum":
        key = docnum_key(value)
        return Node("docnum", text=value, name=key or "") if key else Node("word", text=value)
    return Node("field", name=target, children=[Node("word", text=value.strip('"'))])


class _Parser:
    """Recursive descent over the token list; every path ends in a (possibly empty) node."""

    def __init__(self, tokens: list[str | Node]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse_or(self) -> Node | None:
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.i += 1
            parts.append(self.parse_and())
        return _combine("or", parts)

    def parse_and(self) -> Node | None:
        parts = []
        while (tok := self.peek()) is not None and tok not in ("OR", ")"):
            self.i += 1
            negate = tok == "-"
            if negate:
                tok = self.peek()
                if tok is None or tok in ("OR", ")", "AND", "-"):
                    continue
                self.i += 1
            node = self.unit(tok)
            if node is not None:
                parts.append(Node("not", children=[node]) if negate else node)
        return _combine("and", parts)

    def unit(self, tok) -> Node | None:
        """The node for a consumed token; '(' parses a group up to its ')'."""
        if tok == "(":
            self.depth += 1
            inner = self.parse_or() if self.depth <= 8 else None
            if self.peek() == ")":
                self.i += 1
            self.depth -= 1
            return inner
        return tok if isinstance(tok, Node) else None

    def parse_all(self) -> Node | None:
        parts = []
        while self.peek() is not None:
            parts.append(self.parse_or())
            if self.peek() == ")":     # a stray closing parenthesis
                self.i += 1
        return _combine("and", parts)


def _combine(kind: str, parts: list[Node | None]) -> Node | None:
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Node(kind, children=parts)


def parse(text: str) -> Node | None:
    """Parse a user query; ``None`` when nothing searchable is left."""
    return _limit(_Parser(_lex(clean(text))).parse_all())


def _limit(node: Node | None) -> Node | None:
    """Keep at most MAX_NODES leaves so a huge query stays cheap."""
    budget = [MAX_NODES]

    def walk(n: Node) -> Node | None:
        if n.kind in ("and", "or", "not", "field"):
            kids = [k for k in (walk(c) for c in n.children) if k is not None]
            return Node(n.kind, n.text, kids, n.name) if kids else None
        if budget[0] <= 0:
            return None
        budget[0] -= 1
        return n

    return walk(node) if node is not None else None


def respell(query: str, old: str, new: str, occurrence: int = 0) -> str:
    """``query`` with the ``occurrence``-th appearance of ``old`` inside a word it searches
    (not in a phrase, an exclusion or a field scope) written as ``new``: the text of a
    corrected query, as the user would have typed it."""
    text = _CONTROL.sub(" ", query).translate(_QUOTES)       # the same length as the query
    seen = 0
    for m in _TOKEN.finditer(text):
        word = m.group("w")
        if not word or word[0] in "-－" or _field_node(word):
            continue
        start = m.start("w")
        while (at := word.find(old, start - m.start("w"))) >= 0:
            if seen == occurrence:
                at += m.start("w")
                return query[:at] + new + query[at + len(old):]
            seen += 1
            start = m.start("w") + at + len(old)
    return query


def top_terms(node: Node | None) -> tuple[list[Node], list[Node]]:
    """The top-level AND-ed words and phrases of a query (what a partial match may lack,
    what a fallback ORs together), and its other top-level parts, which every match must
    satisfy (exclusions, field scopes, 文号, dates, an OR)."""
    if node is None:
        return [], []
    if node.kind in ("word", "phrase"):
        return [node], []
    if node.kind == "and":
        terms = [c for c in node.children if c.kind in ("word", "phrase")]
        return terms, [c for c in node.children if c.kind not in ("word", "phrase")]
    return [], [node]
