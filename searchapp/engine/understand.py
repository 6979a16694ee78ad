"""Understanding a query: what it asks for, decided once, before it is planned.

``parse`` gives the query's structure; ``understand`` decides what its words mean for the
search. The result, an ``Understanding``, is shown in the API (``understood``) and on the
results page, and ``compile`` turns it into the plan once:

* **Questions.** A query holding a question word (怎么, 哪些, 吗 … ``data/question_words.txt``)
  or ending with a question mark is a question. Its question and frame words are dropped:
  they never decide whether a document matches. General words (条件, 流程 …) and lone
  characters become optional: they add to a score where they match. What is left, the
  content words, is what a document must have.
* **Everyday forms.** A word may stand for an official term: by the synonym rules (the
  shipped list, the ``SYNONYMS`` file, abbreviations the documents define) and, for a short
  form that no official title holds as written, by its alignment with the titles'
  terms (``everyday.py``), kept where the documents say the term more often than the form.
* **Slips.** A token that is no real word (not a dictionary word, held by no document as
  typed) and no everyday form gets a correction (``spelling.py``) as an alternative
  branch; matching decides whether it is shown.
* **Titles.** The keys under which a document whose whole title is the query is found.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from indexer.analysis import is_word, normalize, query_words
from indexer.vocabulary import title_keys
from searchapp.engine.context import SearchContext
from searchapp.engine.deadline import Deadline, TimedOut
from searchapp.engine.evaluate import Evaluator
from searchapp.engine.lookup import Expansion, Lookup
from searchapp.engine.parse import Node, respell, top_terms
from searchapp.engine.questions import read_question
from searchapp.engine.spelling import Correction, correct

MAX_SUSPECTS = 4          # tokens a query may have that are no real words, to look for a slip


@dataclass
class Branch:
    """One reading of the query: as typed, or with a correction."""

    tree: Node | None
    query: str = ""                                       # the text of this reading
    title_keys: tuple[str, ...] = ()                      # its keys as a whole title
    parts: list[Node] = field(default_factory=list)       # words a partial match may lack
    rest: list[Node] = field(default_factory=list)        # what a partial match must satisfy
    meaningful: list[bool] = field(default_factory=list)  # per part: held together somewhere


@dataclass
class Understanding:
    """What a query asks for (see the module docstring)."""

    typed: Branch
    corrected: Branch | None = None
    correction: Correction | None = None
    question: bool = False
    dropped: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    expansions: dict[str, list[Expansion]] = field(default_factory=dict)
    runs: dict[str, list[str]] = field(default_factory=dict)

    def expansions_of(self, form: str) -> list[Expansion]:
        return self.expansions.get(form, [])

    def words_of(self, form: str) -> list[str]:
        """The words a token typed without spaces stands for (``_runs``)."""
        return self.runs.get(form) or [w for w, *_ in query_words(form)]

    def to_json(self, corrected: bool = False, offered: bool = False) -> dict:
        """What the API shows as ``understood``, for the reading shown (``corrected``: the
        correction's); the correction is named when it was shown or ``offered``."""
        branch = self.corrected if corrected and self.corrected is not None else self.typed
        terms, excluded = _labels(branch.tree)
        return {
            "question": self.question,
            "terms": [_label(n) for n in branch.parts] or terms,
            "optional": list(self.optional),
            "dropped": list(self.dropped),
            "excluded": excluded,
            "expansions": [e.to_json() for form in _shown_forms(branch.tree, self)
                           for e in self.expansions_of(form)],
            "correction": ({"from": self.correction.original, "to": self.correction.corrected}
                           if self.correction and (corrected or offered) else None),
        }


def understand(ctx: SearchContext | None, tree: Node | None, query: str, *,
               evaluator: Evaluator | None = None, corrections: bool = True,
               correction_time: float | None = None) -> Understanding:
    """What ``tree`` (parsed from ``query``) asks for. ``corrections`` False: no slips are
    looked for; ``correction_time``: seconds the look may take (then there is none).

    Without an index (``ctx`` None: highlighting a stored page's query) only the shipped
    synonym rules apply: no everyday forms from titles, no corrections."""
    reader = Lookup(ctx, evaluator or (Evaluator(ctx) if ctx else None))
    found = Understanding(Branch(tree, query), expansions=reader.expansions, runs=reader.runs)
    try:
        question = read_question(tree, reader)
        if question is not None:
            tree, found.dropped, found.optional = question
            found.question = True
        found.typed.tree = tree
        found.typed.title_keys = _title_keys(tree, query, found.question)
        for node in _word_nodes(tree):
            reader.token(normalize(node.text).strip())
        for text in found.optional:
            reader.token(text)
        if corrections and ctx is not None:
            _correct(reader, found, Evaluator(ctx, Deadline(correction_time)))
    except TimedOut:
        pass                  # what was understood stands; matching will stop at once
    for branch in filter(None, (found.typed, found.corrected)):
        branch.parts, branch.rest = _parts(branch.tree, reader)
        branch.meaningful = [reader.meaningful(n) for n in branch.parts]
    return found


def _correct(reader: Lookup, found: Understanding, evaluator: Evaluator) -> None:
    """A correction of one token as an alternative branch: the token no real word and no
    form with an expansion, the correction held by the most documents. Looking for it stops
    at the ``evaluator``'s deadline: then there is none."""
    best: tuple[Node, Correction] | None = None
    suspects = [n for n in _word_nodes(found.typed.tree, plain_only=True)
                if not (reader.expand(normalize(n.text).strip()) or is_word(n.text.strip()))]
    # An everyday or short form, or a word as typed (奇乾: normalising makes it 奇干), is no
    # slip; a query of many unknown words is not a typo of one.
    for node in suspects if len(suspects) <= MAX_SUSPECTS else []:
        typed = normalize(node.text).strip()
        try:
            fix = correct(reader.ctx, evaluator, typed)
        except TimedOut:
            return
        if fix is not None and (best is None or fix.holding > best[1].holding):
            best = (node, fix)
    if best is None:
        return
    node, fix = best
    found.correction = replace(fix, original=node.text.strip())
    tree = _replaced(found.typed.tree, node, fix.corrected)
    nodes = list(_word_nodes(found.typed.tree, plain_only=True))
    at = next(i for i, n in enumerate(nodes) if n is node)
    earlier = sum(n.text.strip() == node.text.strip() for n in nodes[:at])
    query = respell(found.typed.query, node.text.strip(), fix.corrected, earlier)
    found.corrected = Branch(tree, query, _title_keys(tree, query, found.question))
    reader.token(fix.corrected)


def _replaced(tree: Node, old: Node, text: str) -> Node:
    if tree is old:
        return Node("word", text=text)
    return Node(tree.kind, tree.text, [_replaced(c, old, text) for c in tree.children], tree.name)


def _parts(tree: Node | None, reader: Lookup) -> tuple[list[Node], list[Node]]:
    """The parts a partial match may lack: the query's top-level words and phrases, or,
    for one typed token of several words (山东省养老服务), those words, as if typed with
    spaces; and the rest of the query, which a partial match must satisfy (``top_terms``)."""
    nodes, rest = top_terms(tree)
    if len(nodes) == 1 and nodes[0].kind == "word":
        ws = reader.typed_parts(normalize(nodes[0].text).strip())
        if len(ws) > 1:
            return [Node("word", text=w) for w in ws], rest
    return nodes, rest


# ---------------------------------------------------------------- helpers

def _title_keys(tree: Node | None, query: str, question: bool) -> tuple[str, ...]:
    """The keys of the query as a whole title: a query of words and phrases as typed (with
    a version note: 物业管理条例（2018修订）), a question by its content words."""
    terms, rest = top_terms(tree)
    if rest or not terms:
        return ()                     # not for operators, fields or dates
    return tuple(title_keys("".join(n.text for n in terms) if question else query))

def _word_nodes(tree: Node | None, plain_only: bool = False):
    """The word nodes of a tree (for ``plain_only``, only those every match needs)."""
    if tree is None:
        return
    if tree.kind == "word":
        yield tree
    elif not plain_only or tree.kind == "and":
        for child in tree.children:
            if not (plain_only and child.kind not in ("word", "phrase")):
                yield from _word_nodes(child, plain_only)


def _shown_forms(tree: Node | None, found: Understanding) -> list[str]:
    """The forms whose expansions apply: each word, or each run of a token."""
    forms = []
    for node in _word_nodes(tree):
        form = normalize(node.text).strip()
        forms += [form] if found.expansions_of(form) else found.words_of(form)
    forms += found.optional
    return list(dict.fromkeys(f for f in forms if found.expansions_of(f)))


def _label(node: Node) -> str:
    return node.text or node.kind


def _labels(tree: Node | None) -> tuple[list[str], list[str]]:
    """(what a query asks for, what it excludes): its words, phrases, 文号 and field values,
    those under a NOT apart."""
    found: tuple[list[str], list[str]] = ([], [])

    def walk(node: Node, excluded: bool) -> None:
        if node.kind in ("word", "phrase", "docnum"):
            found[excluded].append(_label(node))
        for child in node.children:
            walk(child, excluded or node.kind == "not")

    if tree is not None:
        walk(tree, False)
    return found


__all__ = ["Branch", "Understanding", "understand"]
