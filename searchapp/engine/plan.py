"""The query plan: what the compiler produces and matching and ranking evaluate.

A small tree of frozen dataclasses. Scores combine as BM25F does across fields: ``And``,
``Or`` and ``Phrase`` add their parts' scores, ``DisMax`` takes the best part (one of
several spellings of a word), ``Maybe`` adds an optional part's score to the documents
the required part matches. ``Not`` only appears inside ``And``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Terms at consecutive positions of a text field (an exact sequence). ``None`` stands
    for a stop word's position (和 in 人力资源 和 社会保障部): any word, or none, is there."""

    field: str
    terms: tuple[str | None, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Near:
    """Sequences of terms (each a phrase) in order in a text field, at most ``gap``
    positions between one and the next: 无废城市 … 试点 in “无废城市”建设试点. Matched, not
    scored: it only appears as a ``Bonus``'s child."""

    field: str
    parts: tuple[tuple[str, ...], ...]
    gap: int


@dataclass(frozen=True)
class And:
    children: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    children: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class DisMax:
    children: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class Maybe:
    """``required``'s matches, scored with ``optional``'s score added where it matches."""

    required: object
    optional: object
    boost: float = 1.0


@dataclass(frozen=True)
class Bonus:
    """Matches what ``child`` matches, and scores a fixed ``value`` there: a preference that
    BM25's differences between documents cannot outweigh (the compound as typed, the word
    as typed rather than only a synonym)."""

    child: object
    value: float


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class Every:
    """Every live document (a query that is only filters)."""


@dataclass(frozen=True)
class DateRange:
    low: str | None          # ISO dates, inclusive; None: open
    high: str | None


@dataclass
class Reading:
    """One reading of a query (as typed, or corrected) compiled: the whole query, each
    part a partial match may lack (with its label, and whether it is meaningful: a token
    whose words no document holds together counts for little), the strings to highlight."""

    query: object | None
    optional: object | None = None          # the optional words, any of them
    labels: list[str] = field(default_factory=list)
    parts: list = field(default_factory=list)
    meaningful: list[bool] = field(default_factory=list)
    highlights: tuple[str, ...] = ()
    restriction: object | None = None       # what partial matches must satisfy too
    # A question: every document with one of its content words is ranked together, by
    # the share of the question it covers times its score (not full matches first).
    best_match: bool = False
    any_part: object | None = None          # what ranks partial matches: any part, no bonus


def boosted(node, boost: float):
    """``node`` with its boost multiplied (nodes without a boost are returned as they are)."""
    if boost == 1.0 or not hasattr(node, "boost"):
        return node
    return type(node)(**{**node.__dict__, "boost": node.boost * boost})


def any_of(children: list):
    """``Or`` of several children, or the only one."""
    return children[0] if len(children) == 1 else Or(tuple(children))


def without_bonuses(node):
    """``node`` with each bonus scored as what it matches (a bonus's fixed value says which
    of the documents with a word is better, not how much the word is worth), its optional
    parts as parts; ``Near`` (matched, never scored) left out; None when nothing is left."""
    if isinstance(node, Maybe):
        kids = [k for k in (without_bonuses(node.required), without_bonuses(node.optional)) if k]
        return Or(tuple(kids), node.boost) if len(kids) > 1 else (kids[0] if kids else None)
    if isinstance(node, Bonus):
        return without_bonuses(node.child)
    if isinstance(node, Near):
        return None
    if isinstance(node, (And, Or, DisMax)):
        kids = tuple(k for k in (without_bonuses(c) for c in node.children) if k is not None)
        return type(node)(kids, node.boost) if kids else None
    return node


def leaves(node):
    """Every Term and Phrase under ``node`` (not under ``Not``)."""
    return find(node, (Term, Phrase))


def find(node, kinds: tuple):
    """The nodes of ``kinds`` under ``node``, outermost first (not under ``Not``, nor
    under a node found)."""
    if isinstance(node, kinds):
        yield node
    elif isinstance(node, (And, Or, DisMax)):
        for child in node.children:
            yield from find(child, kinds)
    elif isinstance(node, Maybe):
        yield from find(node.required, kinds)
        yield from find(node.optional, kinds)
    elif isinstance(node, Bonus):
        yield from find(node.child, kinds)
