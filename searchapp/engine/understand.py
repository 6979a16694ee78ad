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

from indexer.analysis import cover, is_word, normalize, phrase_grams, words
from indexer.schema import WORD_FIELDS
from indexer.vocabulary import title_keys
from searchapp.engine import docsets
from searchapp.engine.context import SearchContext
from searchapp.engine.deadline import Deadline, TimedOut
from searchapp.engine.evaluate import Evaluator, indexed
from searchapp.engine.everyday import is_everyday_candidate
from searchapp.engine.parse import Node, respell, top_terms
from searchapp.engine.plan import Phrase
from searchapp.engine.questions import read_question
from searchapp.engine.spelling import Correction, correct
from searchapp.engine.synonyms import SHIPPED

ALIGNED = "official titles"   # the origin of a term found by aligning a form with the titles
SYNONYM_WEIGHT = 0.7      # a form the user did not type counts a little less
EVERYDAY_WEIGHT = 0.9     # an official term the form stands for: nearly as the form itself
EVERYDAY_TERMS = 2        # official terms searched for one everyday form, at most
ALIGNED_CHECKED = 4       # of the best aligned terms, checked against the documents
COMMON_FORM_SHARE = 0.01  # a word in more of the documents than this is no everyday form
MAX_RUN = 6               # words of a token looked up together as one form, at most
LONG_WORD = 5             # a partial match may lack part of a word this long
MAX_SUSPECTS = 4          # tokens a query may have that are no real words, to look for a slip


@dataclass(frozen=True)
class Expansion:
    """A form searched besides a word of the query, and why."""

    form: str              # the word as typed (normalised)
    to: str                # also searched
    kind: str              # "synonym" (another name), "everyday" (an official term)
    origin: str            # the rule's file, the documents defining it, or ALIGNED
    weight: float
    titles: int = 0        # for ALIGNED: the official titles holding the term
    documents: int = 0     # … and their documents

    def to_json(self) -> dict:
        counts = {"titles": self.titles, "documents": self.documents} if self.titles else {}
        return {"form": self.form, "to": self.to, "kind": self.kind, "origin": self.origin,
                **counts}


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
        return self.runs.get(form) or [w for w, *_ in words(form, mode="query")]

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
    found = Understanding(Branch(tree, query))
    reader = _Reader(ctx, evaluator or (Evaluator(ctx) if ctx else None), found)
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


# ---------------------------------------------------------------- words and their forms

class _Reader:
    """Looks words up once per query: their synonyms, everyday forms and runs."""

    def __init__(self, ctx: SearchContext | None, evaluator: Evaluator | None,
                 found: Understanding):
        self.ctx = ctx
        self.view = ctx.view if ctx is not None else None
        self.synonyms = ctx.synonyms if ctx is not None else SHIPPED
        self.evaluator = evaluator
        self.found = found
        self._said: dict[str, int] = {}

    def token(self, form: str) -> None:
        """Settle a typed token: its expansions, and the runs of its words that have some."""
        if not form or form in self.found.runs:
            return
        self.found.runs[form] = []        # in progress: a token is read once
        self.expand(form)
        ws = [w for w, *_ in words(form, mode="query")]
        runs, i = [], 0
        while i < len(ws):
            for j in range(min(len(ws), i + MAX_RUN), i + 1, -1):   # the longest run first
                run = "".join(ws[i:j])
                if run != form and self.expand(run):
                    runs.append(run)
                    i = j
                    break
            else:
                runs.append(ws[i])
                self.expand(ws[i])
                i += 1
        self.found.runs[form] = runs

    def expand(self, form: str) -> list[Expansion]:
        """The forms searched besides ``form`` (cached in the understanding)."""
        if form in self.found.expansions:
            return self.found.expansions[form]
        out = self._synonyms(form)
        known = [e.to for e in out]
        # A term holding a form already searched adds nothing (个人所得税法 beside 个人所得税).
        out += [e for e in self._everyday(form) if not any(k in e.to for k in known)]
        self.found.expansions[form] = out
        return out

    def _synonyms(self, form: str) -> list[Expansion]:
        """The rules' forms: an everyday word's official term nearly as the word itself,
        another name of a term (an abbreviation, a former name) a little less."""
        return [Expansion(form, to, kind, origin,
                          EVERYDAY_WEIGHT if kind == "everyday" else SYNONYM_WEIGHT)
                for to, origin, kind in self.synonyms.origins(form)]

    def _everyday(self, form: str) -> list[Expansion]:
        """Official terms a short form stands for: aligned with the official titles, and
        said by more documents than the form itself."""
        if self.ctx is None or not is_everyday_candidate(form) or self._common(form):
            return []
        ws = [w for w, *_ in words(form, mode="query")]
        if len(ws) > 1 and all(len(w) > 1 for w in ws):
            return []     # words the dictionary knows, spelled out: a compound, no short form
        titles = self.ctx.titles()
        if not len(titles) or titles.in_titles(form):
            return []
        out = []
        for aligned in titles.terms(form)[:ALIGNED_CHECKED]:
            if len(out) == EVERYDAY_TERMS:
                break
            if self.says_more(aligned.term, form):
                out.append(Expansion(form, aligned.term, "everyday", ALIGNED, EVERYDAY_WEIGHT,
                                     aligned.titles, aligned.documents))
        return out

    def _common(self, form: str) -> bool:
        """A word the index's texts use widely is their own vocabulary, no everyday form of
        something they call otherwise (and the titles need not be searched for it)."""
        ws = [w for w, *_ in words(form, mode="query")]
        return (self.view is not None and len(ws) == 1
                and self.said(form) > COMMON_FORM_SHARE * max(self.view.doc_count, 1))

    def says_more(self, term: str, form: str) -> bool:
        """Whether more documents say ``term`` than ``form``; for a form no document says,
        whether one says the term (found at the first, not counted over the index)."""
        if self.said(form):
            return self.said(term) > self.said(form)
        return self.occurs(term)

    def occurs(self, text: str) -> bool:
        """Whether a document says ``text`` (its words in sequence): settled at the first
        document found, not counted over the index."""
        if self.evaluator is None:
            return False
        found = list(words(text, mode="query"))
        if len(found) < 2 or not self.indexed([w for w, *_ in found]):
            return self.said(text) > 0
        terms = sequence(found)
        return any(self.evaluator.any(Phrase(f, terms)) for f in WORD_FIELDS[:2])

    def said(self, text: str) -> int:
        """Documents saying ``text``: its word's frequency, or its words in sequence in a
        title or a text (word positions: far shorter lists than its characters')."""
        if text not in self._said:
            found = list(words(text, mode="query"))
            ws = [w for w, *_ in found]
            if len(ws) == 1:
                self._said[text] = max(self.view.doc_frequency(f, ws[0]) for f in WORD_FIELDS[:2])
            elif not ws or not self.indexed(ws):
                self._said[text] = 0
            else:
                terms = sequence(found)
                docs = [self.evaluator.docs(Phrase(f, terms)) for f in WORD_FIELDS[:2]]
                self._said[text] = len(docsets.union(docs, self.ctx.size))
        return self._said[text]

    def is_unit(self, pieces: list[str]) -> bool:
        """Whether a run of pieces reads as one word: it has an expansion, the index (the
        dictionary, without an index) has it as a word, or, of words only (取水 许可证, not
        公司 不), documents say it together."""
        text = "".join(pieces)
        return bool(self.expand(text)) or self.indexed([text]) or (
            all(len(p) > 1 for p in pieces) and self.occurs(text))

    def is_slip(self, text: str) -> bool:
        """Whether ``text`` reads as a slip of a word the index holds (a correction exists)."""
        if self.ctx is None or self.evaluator is None:
            return False
        return correct(self.ctx, self.evaluator, normalize(text).strip()) is not None

    def indexed(self, ws: list[str]) -> bool:
        return indexed(self.view, ws)

    def meaningful(self, node: Node) -> bool:
        """False for a typed token of several words that no document holds as typed."""
        if node.kind != "word" or self.evaluator is None \
                or len(list(words(node.text, mode="query"))) < 2:
            return True
        grams = tuple(phrase_grams(node.text))
        return len(grams) < 2 or self.evaluator.any(Phrase("chars", grams))

    def typed_parts(self, form: str) -> list[str]:
        """The words a token typed without spaces would have been typed as with spaces, what
        a partial match may lack: its runs, a long word spelled by shorter dictionary words
        (带薪年休假 → 带薪, 年休假), forms with expansions kept whole, a lone character
        joined to a neighbour; the token itself when it has an expansion."""
        if self.expand(form):
            return [form]                 # an everyday form, or another name, is one word
        found = []
        for word in self.found.words_of(form):
            pieces = (cover(word, lambda g: self.indexed([g])) if len(word) >= LONG_WORD
                      and not self.expand(word) else None)
            found += pieces if pieces and self.indexed(pieces) else [word]
        # A lone character would match inside most documents' words: no part of its own,
        # it goes with the word before it (2019 年 → 2019年), or after it when first.
        joined: list[str] = []
        for word in found:
            if joined and (len(word) == 1 or len(joined[-1]) == 1):
                joined[-1] += word
            else:
                joined.append(word)
        return joined


def _correct(reader: _Reader, found: Understanding, evaluator: Evaluator) -> None:
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


def _parts(tree: Node | None, reader: _Reader) -> tuple[list[Node], list[Node]]:
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

def sequence(found: list[tuple]) -> tuple[str | None, ...]:
    """Words (``words()``'s tuples) as a phrase's terms: a stop word between two of them
    (和 in 人力资源和社会保障部) holds a position but is no term."""
    terms: list[str | None] = [None] * (found[-1][1] - found[0][1] + 1)
    for w, pos, *_ in found:
        terms[pos - found[0][1]] = w
    return tuple(terms)


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


__all__ = ["ALIGNED", "Branch", "Expansion", "Understanding", "sequence", "understand"]
