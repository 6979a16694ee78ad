"""Looking a query's words up in the index: what each stands for, and what the index holds.

One ``Lookup`` per query, used by understanding (``understand.py``, ``questions.py``): a
word's expansions (the synonym rules, and for a short form no official title holds, the
official terms of the titles it aligns with, ``everyday.py``, kept where the documents say
the term more often than the form), the runs of a token typed without spaces that stand
for something, whether the documents say a text, whether a token reads as a slip, and the
words a partial match may lack.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.analysis import cover, normalize, phrase_grams, query_words
from indexer.schema import WORD_FIELDS
from searchapp.engine import docsets
from searchapp.engine.context import SearchContext
from searchapp.engine.evaluate import Evaluator, indexed
from searchapp.engine.everyday import is_everyday_candidate
from searchapp.engine.parse import Node
from searchapp.engine.plan import Phrase
from searchapp.engine.spelling import correct
from searchapp.engine.synonyms import SHIPPED

ALIGNED = "official titles"   # the origin of a term found by aligning a form with the titles
SYNONYM_WEIGHT = 0.7      # a form the user did not type counts a little less
EVERYDAY_WEIGHT = 0.9     # an official term the form stands for: nearly as the form itself
EVERYDAY_TERMS = 2        # official terms searched for one everyday form, at most
ALIGNED_CHECKED = 4       # of the best aligned terms, checked against the documents
COMMON_FORM_SHARE = 0.01  # a word in more of the documents than this is no everyday form
MAX_RUN = 6               # words of a token looked up together as one form, at most
LONG_WORD = 5             # a partial match may lack part of a word this long


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


class Lookup:
    """Looks a query's words up once: their synonyms, everyday forms and runs (what
    ``Understanding`` holds as ``expansions`` and ``runs``)."""

    def __init__(self, ctx: SearchContext | None, evaluator: Evaluator | None):
        self.ctx = ctx
        self.view = ctx.view if ctx is not None else None
        self.synonyms = ctx.synonyms if ctx is not None else SHIPPED
        self.evaluator = evaluator
        self.expansions: dict[str, list[Expansion]] = {}
        self.runs: dict[str, list[str]] = {}
        self._said: dict[str, int] = {}

    def words_of(self, form: str) -> list[str]:
        """The words a token typed without spaces stands for (its runs, once read)."""
        return self.runs.get(form) or [w for w, *_ in query_words(form)]

    def token(self, form: str) -> None:
        """Settle a typed token: its expansions, and the runs of its words that have some."""
        if not form or form in self.runs:
            return
        self.runs[form] = []        # in progress: a token is read once
        self.expand(form)
        ws = [w for w, *_ in query_words(form)]
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
        self.runs[form] = runs

    def expand(self, form: str) -> list[Expansion]:
        """The forms searched besides ``form`` (cached in the understanding)."""
        if form in self.expansions:
            return self.expansions[form]
        out = self._synonyms(form)
        known = [e.to for e in out]
        # A term holding a form already searched adds nothing (个人所得税法 beside 个人所得税).
        out += [e for e in self._everyday(form) if not any(k in e.to for k in known)]
        self.expansions[form] = out
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
        ws = [w for w, *_ in query_words(form)]
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
        ws = [w for w, *_ in query_words(form)]
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
        found = list(query_words(text))
        if len(found) < 2 or not self.indexed([w for w, *_ in found]):
            return self.said(text) > 0
        terms = sequence(found)
        return any(self.evaluator.any(Phrase(f, terms)) for f in WORD_FIELDS[:2])

    def said(self, text: str) -> int:
        """Documents saying ``text``: its word's frequency, or its words in sequence in a
        title or a text (word positions: far shorter lists than its characters')."""
        if text not in self._said:
            found = list(query_words(text))
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
                or len(list(query_words(node.text))) < 2:
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
        for word in self.words_of(form):
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


def sequence(found: list[tuple]) -> tuple[str | None, ...]:
    """Words (``words()``'s tuples) as a phrase's terms: a stop word between two of them
    (和 in 人力资源和社会保障部) holds a position but is no term."""
    terms: list[str | None] = [None] * (found[-1][1] - found[0][1] + 1)
    for w, pos, *_ in found:
        terms[pos - found[0][1]] = w
    return tuple(terms)
