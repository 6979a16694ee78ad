"""The understood query (``understand.py``) → the query plan (``plan.py``), with the strings
to highlight: every reading of the query (as typed, corrected) compiled once, with the parts
a partial match may lack.

A user word is searched as jieba words (precise mode) in ``title``/``content``/``meta``,
which also finds longer words containing it (their sub-words are indexed at the parent's
position). Where the word fields cannot answer, the character fields do: a word the index
does not know is spelled as a character sequence, a single character also matches inside
longer words, and a quoted phrase is always an exact character sequence.

A document number matches the ``docnum`` keys with a large boost, so the document itself
ranks first and documents that merely cite it follow.
"""

from __future__ import annotations

import re

from indexer.analysis import cover, normalize, phrase_grams, query_words
from indexer.schema import CHAR_FIELDS, WORD_FIELDS
from searchapp.engine.dates import date_query
from searchapp.engine.evaluate import indexed
from searchapp.engine.lookup import sequence
from searchapp.engine.parse import Node
from searchapp.engine.plan import (
    And,
    Bonus,
    DisMax,
    Every,
    Maybe,
    Near,
    Not,
    Or,
    Phrase,
    Reading,
    Term,
    any_of,
    boosted,
    leaves,
    without_bonuses,
)
from searchapp.engine.understand import Branch, Understanding

DOCNUM_BOOST = 40.0
# A preference that BM25's differences between documents must not outweigh (bigger than any
# BM25 score here): the characters of a typed token together (养老服务, not 养老保险 … 服务),
# in the text and again in the title.
COMPOUND_BONUS = 50.0
# The word as typed rather than only another form of it: a tie-breaker, no more (an
# abbreviation and the full name it stands for say the same).
LITERAL_BONUS = 3.0
TITLE_NEAR_BONUS = 30.0   # the words in order in the title, at most TITLE_GAP characters apart
TITLE_GAP = 4
RESPELLED = 4             # other spellings of a compound whose characters count as together
# A document whose whole title the query is comes first: more than every other part of a
# score together (BM25 of the title and text, the bonuses above).
EXACT_TITLE_BONUS = 1000.0
MAX_WILDCARD_TERMS = 64
TITLE_SCOPE = (("title",), ("title_chars",))
ALL_SCOPE = (WORD_FIELDS, CHAR_FIELDS)


def compile_plan(found: Understanding, view=None, title_only: bool = False) -> tuple:
    """Each reading of the understood query as a ``Reading``: (as typed, corrected or None)."""
    typed = Compiler(found, view, title_only).reading(found.typed)
    corrected = (Compiler(found, view, title_only).reading(found.corrected)
                 if found.corrected is not None else None)
    return typed, corrected


def word_terms(leaf) -> list[Term]:
    """The terms that score ``leaf`` without positions: a term itself; a phrase of words (an
    official term an everyday form stands for, 拆迁 → 房屋 征收) as its words, at its boost,
    so that a document found only by the expansion is scored too; a phrase of characters
    (a token no document holds as a word) as nothing."""
    if isinstance(leaf, Term):
        return [leaf]
    if leaf.field in CHAR_FIELDS:
        return []
    return [Term(leaf.field, t, leaf.boost) for t in leaf.terms if t is not None]


class Compiler:
    """Compiles one understood query; collects highlight strings on the way."""

    def __init__(self, found: Understanding, view=None, title_only: bool = False):
        self.found = found
        self.scope = TITLE_SCOPE if title_only else ALL_SCOPE
        self.view = view
        self.highlights: list[str] = []

    def reading(self, branch: Branch) -> Reading:
        """The plan of one reading: the whole query with its optional words and the bonus of
        an exact title, and each part a partial match may lack."""
        query = self.node(branch.tree, self.scope) if branch.tree is not None else None
        words = [q for q in (self.word(w, self.scope) for w in self.found.optional) if q]
        optional = any_of(words) if words else None
        if query is not None and optional is not None:
            query = Maybe(query, optional)
        keys = branch.title_keys
        if keys and query is not None:
            # A document whose whole title the query is matches even where the query's words
            # do not all hold (物业管理条例（2018修订）: no 2018 in its text), and comes first.
            # A keyword field scores its frequency (1) times the boost: a plain term, which
            # ranking settles with the others, not a positional part.
            title = any_of([Term("title_key", k, boost=EXACT_TITLE_BONUS) for k in keys])
            query = Or((query, title))
        parts = [(n.text or n.kind, self.node(n, self.scope)) for n in branch.parts]
        kept = [(label, q, m) for (label, q), m in zip(parts, branch.meaningful, strict=True)
                if q is not None]
        rest = [q for q in (self.node(n, self.scope) for n in branch.rest) if q is not None]
        if self.found.question:
            scored = [without_bonuses(q) for _, q, _ in kept] + [without_bonuses(optional)]
        else:
            # Keywords: their share decides a partial match's place, the terms order equals
            # (no positions to read for the many documents lacking a word).
            scored = list(dict.fromkeys(term for _, q, _ in kept for leaf in leaves(q)
                                        for term in word_terms(leaf)))
        return Reading(query, optional, [label for label, *_ in kept], [q for _, q, _ in kept],
                       [m for *_, m in kept], tuple(dict.fromkeys(self.highlights)),
                       And(tuple(rest)) if rest else None,
                       best_match=self.found.question and len(kept) > 1,
                       any_part=Or(tuple(q for q in scored if q is not None)))

    def node(self, node: Node, scope):
        kind = node.kind
        if kind in ("and", "or"):
            kids = [q for q in (self.node(c, scope) for c in node.children) if q is not None]
            if not kids:
                return None
            if kind == "or":
                return kids[0] if len(kids) == 1 else any_of(kids)
            if all(isinstance(k, Not) for k in kids):
                kids.insert(0, Every())
            return kids[0] if len(kids) == 1 else And(tuple(kids))
        if kind == "not":
            inner = Compiler(self.found, self.view).node(node.children[0], scope)
            return Not(inner) if inner is not None else None
        if kind == "field":
            return self.field(node, scope)
        if kind == "phrase":
            return self.phrase(node.text, scope[1])
        if kind == "docnum":
            return self.docnum(node)
        if kind == "date":
            return date_query(node.text)
        return self.word(node.text, scope)

    def field(self, node: Node, scope):
        child = node.children[0]
        if node.name == "title":
            return self.node(child, TITLE_SCOPE)
        text = child.text.strip()
        if not text:
            return None
        exact = "source" if node.name == "source" else "categories"
        self.highlights.append(normalize(text))
        words_q = self.word(text, (("meta",), ()))
        return any_of([Term(exact, text, boost=2.0), words_q] if words_q else [Term(exact, text)])

    def word(self, text: str, scope):
        norm = normalize(text).strip()
        if "*" in norm or "?" in norm:
            # A leading wildcard adds nothing: every word is already found inside longer ones.
            core = norm.lstrip("*?")
            if core and ("*" in core or "?" in core):
                return self.wildcard(core, scope)
            return self.word(core, scope) if core else None
        literal = self.one_form(norm, scope)
        alts = [literal] if literal is not None else []
        synonyms = False
        for expansion in self.found.expansions_of(norm):
            q = self.one_form(expansion.to, scope, exact=True)
            if q is not None:
                alts.append(boosted(q, expansion.weight))
                synonyms |= expansion.kind == "synonym"
        if not alts:
            return None
        # The best spelling counts, not their sum: a document using both an abbreviation
        # and its full name is not twice as relevant.
        q = alts[0] if len(alts) == 1 else DisMax(tuple(alts))
        bonuses = self._compound_bonuses(norm, scope)
        if literal is not None and synonyms:
            bonuses.append(Bonus(literal, LITERAL_BONUS))   # the word as typed, above synonyms
        return Maybe(q, any_of(bonuses)) if bonuses else q

    def _compound_bonuses(self, norm: str, scope) -> list:
        """For a typed token of several words (养老服务 → 养老, 服务): the documents where its
        characters stand together, as typed, rank above those with the words scattered; a
        title with the words in order a few characters apart (“无废城市”建设试点 for
        无废城市试点) ranks above scattered words too."""
        grams = phrase_grams(norm)
        found = list(query_words(norm))
        ws = [w for w, *_ in found]
        if len(grams) < 2 or len(ws) < 2:
            return []
        spellings = [(grams, found)] + [(phrase_grams(t), list(query_words(t)))
                                        for t in self._respelled(norm)]
        bonuses = [Bonus(any_of([self._together(f, g, w) for g, w in spellings]), COMPOUND_BONUS)
                   for f in scope[1]]
        parts = tuple(tuple(phrase_grams(w)) for w in ws)
        if "title_chars" in scope[1] and all(parts):
            bonuses.append(Bonus(Near("title_chars", parts, TITLE_GAP), TITLE_NEAR_BONUS))
        return bonuses

    def _respelled(self, norm: str) -> list[str]:
        """The token with one of its words in another form it stands for (医保基金 →
        医疗保障基金): documents saying that together say the compound as well."""
        runs = self.found.words_of(norm)
        out = []
        for i, run in enumerate(runs):
            for expansion in self.found.expansions_of(run)[:RESPELLED]:
                out.append("".join(runs[:i]) + expansion.to + "".join(runs[i + 1:]))
        return out[:RESPELLED]

    def _together(self, char_field: str, grams: list[str], found: list[tuple]):
        """Where a token's characters stand together. In a title, as characters. In a text,
        by its words: the token as one indexed word, or its words at consecutive word
        positions; that checks two words' occurrences rather than four characters' (a
        common compound such as 管理办法 is in a third of the documents), and the word
        positions of the text segmented as the query was say where the characters are
        together as well as the characters do."""
        word_field = "content" if char_field == "chars" else None
        whole = "".join(grams)
        ws = [w for w, *_ in found]
        if word_field is None or not self._indexed(ws, (word_field,)):
            return Phrase(char_field, tuple(grams))
        together = [Phrase(word_field, sequence(found))]
        if self._indexed([whole], (word_field,)):
            together.append(Term(word_field, whole))      # 养老服务 inside 养老服务业
        return any_of(together)

    def one_form(self, form: str, scope, exact: bool = False):
        """One spelling of a word: its jieba words, each found anywhere (in characters where
        the index does not know it as a word); one character also inside longer words.

        ``exact`` (for synonyms the user did not type) wants the words in sequence: a long
        official name scattered over a document is not a mention of it.
        """
        word_fields, char_fields = scope
        found = list(query_words(form))
        ws = [w for w, *_ in found]
        grams = phrase_grams(form)
        parts = []
        if ws and exact and len(ws) > 1:
            # In sequence, as words (a stop word between them holds a position).
            parts.append(_phrase(word_fields, list(sequence(found))) if word_fields
                         and self._indexed(ws, word_fields)
                         else _phrase(char_fields, grams) if char_fields and grams else None)
        elif len(ws) > 1:
            # Words typed without spaces find what they find typed with them (养老服务 as
            # 养老 服务), a synonym among them included (人力资源社会保障部带薪年休假).
            ws = self.found.words_of(form)
            each = [q for q in (self._typed_word(w, scope) for w in ws) if q is not None]
            if len(each) == len(ws):
                parts.append(each[0] if len(each) == 1 else And(tuple(each)))
        elif ws:
            parts.append(self._one_word(ws[0], scope))      # typed alone: the word, as typed
        if char_fields and len(grams) == 1 and len(grams[0]) == 1 and not exact:
            parts.append(_any(char_fields, grams[0]))    # one character, inside longer words too
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        self.highlights.append(form)
        if len(ws) > 1 and not exact:
            self.highlights.extend(w for w in ws if len(w) > 1)
        return parts[0] if len(parts) == 1 else any_of(parts)

    def _typed_word(self, word: str, scope):
        """One word of a token typed without spaces: with its synonyms, or else also as the
        shorter words it is made of (快递管理条例 finds 快递暂行条例, which has 管理 and 条例)."""
        if self.found.expansions_of(word):
            return self.word(word, scope)
        return self._one_word(word, scope, split=True)

    def _one_word(self, word: str, scope, split: bool = False):
        """One jieba word of a query: the word where the index knows it, else its characters
        in sequence (a new name, a sub-string, a typo: found exactly or not at all).

        ``split`` also accepts the dictionary words that spell it (``cover``), each anywhere,
        as spaces between them would; the word itself scores more.
        """
        word_fields, char_fields = scope
        if word_fields and self._indexed([word], word_fields):
            whole = _any(word_fields, word)
        else:
            grams = phrase_grams(word)
            whole = _phrase(char_fields, grams) if char_fields and grams else None
        pieces = cover(word, self._known) if split and word_fields else None
        if not pieces or whole is None or not self._indexed(pieces, word_fields):
            return whole
        self.highlights.extend(pieces)
        return any_of([whole, And(tuple(_any(word_fields, p) for p in pieces))])

    def _known(self, gram: str) -> bool:
        """Whether a string is a word of the index: the index's own term dictionary, rather
        than a copy of jieba's in every process."""
        return indexed(self.view, [gram])

    def _indexed(self, ws: list[str], fields) -> bool:
        return indexed(self.view, ws, fields)

    def phrase(self, text: str, char_fields):
        norm = normalize(text)
        grams = phrase_grams(norm)
        if not grams:
            return None
        self.highlights.append(norm)
        return _phrase(char_fields or CHAR_FIELDS, grams)

    def docnum(self, node: Node):
        self.highlights.append(normalize(node.text))
        parts = [Term("docnum", node.name, boost=DOCNUM_BOOST)]
        # Documents citing the number follow. Its words (国/发/2019/5/号, punctuation is not
        # a position) are matched as a phrase in the word fields: far shorter postings
        # than the same characters in the character fields.
        ws = [w for w, *_ in query_words(node.text)]
        if len(ws) > 1:
            parts.append(_phrase(WORD_FIELDS[:2], ws))
        return any_of(parts)

    def wildcard(self, norm: str, scope):
        """A prefix (``税*``): expanded over the word index, capped at MAX_WILDCARD_TERMS."""
        prefix = re.split(r"[*?]", norm, maxsplit=1)[0].strip()
        if not prefix:
            return None
        self.highlights.append(prefix)
        terms = []
        if self.view is not None:
            for name in scope[0]:
                for term in self.view.expand_prefix(name, prefix, MAX_WILDCARD_TERMS - len(terms)):
                    terms.append(Term(name, term))
                if len(terms) >= MAX_WILDCARD_TERMS:
                    break
        grams = phrase_grams(prefix)
        if grams and scope[1]:
            terms.append(_phrase(scope[1], grams))
        return any_of(terms) if terms else None


def _any(fields, text: str):
    return any_of([Term(f, text) for f in fields])


def _phrase(fields, grams: list[str], boost: float = 1.0):
    if len(grams) == 1:
        return _any(fields, grams[0])
    return any_of([Phrase(f, tuple(grams), boost=boost) for f in fields])
