"""Advanced search: a form compiled to the query language and URL filters, and read back.

Submitting ``/advanced`` redirects to an ordinary ``/search`` URL whose ``q`` is the
equivalent query (``"营商环境" -征求意见 source:国务院``) and whose parameters are the
filters, so the results page shows what was asked and every later action keeps it.
``/advanced?<a search URL's parameters>`` fills the form back from that query: the link
from a results page round-trips. Query text the form has no box for stays in 关键词.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from searchapp.web.state import state_items

FORM_FILTERS = ("doc_type", "level", "region", "status")
# The search state the form has boxes for; anything else (source, year, exclude_*, sort …)
# rides along unchanged in hidden fields.
_OWN = {"q", "title_only", "from", "to", "page", *FORM_FILTERS}
_TRUE = {"1", "true", "on", "yes"}
_TOKEN = re.compile(r'-?"[^"]*"?|\((?:[^()"]|"[^"]*")*\)|\S+')
_OR = re.compile(r"\s+(?:OR|\|\|?)\s+")


@dataclass
class AdvancedForm:
    words: str = ""           # 包含以下全部词语
    match: str = "fuzzy"      # fuzzy: words, sub-words, synonyms; exact: each word as typed ("…")
    any_words: str = ""       # 包含以下任意词语
    none_words: str = ""      # 不包含以下词语
    issuer: str = ""          # 发文机关 (several: any of them)
    docnum: str = ""          # 文号
    scope: str = "all"        # all (全文) | title (标题)
    date_from: str = ""
    date_to: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    carried: list[tuple[str, str]] = field(default_factory=list)

    # --- form → search ---------------------------------------------------------------------

    @classmethod
    def from_form(cls, args) -> AdvancedForm:
        """The submitted form (``args``: a MultiDict of the form's fields)."""
        return cls(words=_text(args, "words"), match="exact" if args.get("match") == "exact" else "fuzzy",
                   any_words=_text(args, "any"), none_words=_text(args, "none"),
                   issuer=_text(args, "issuer"), docnum=_docnum(_text(args, "docnum")),
                   scope="title" if args.get("scope") == "title" else "all",
                   date_from=_text(args, "from"), date_to=_text(args, "to"),
                   filters=_filters(args), carried=_carried(args))

    def query(self) -> str:
        """The equivalent query in the query language."""
        exact = self.match == "exact"
        parts = [_term(w, exact) for w in self.words.split()] if exact else [self.words] if self.words else []
        if alternatives := [_term(w, exact) for w in self.any_words.split()]:
            parts.append("(" + " OR ".join(alternatives) + ")")
        parts += ["-" + _term(w, exact) for w in self.none_words.split()]
        if issuers := [f"source:{w}" for w in self.issuer.split()]:
            parts.append(issuers[0] if len(issuers) == 1 else "(" + " OR ".join(issuers) + ")")
        if self.docnum:
            parts.append("docnum:" + self.docnum)
        return " ".join(parts)

    def search_items(self) -> list[tuple[str, str]]:
        """The ``/search`` parameters of this form."""
        items = [("q", self.query())] if self.query() else []
        items += [(name, v) for name in FORM_FILTERS for v in self.filters.get(name, ())]
        items += [(k, v) for k, v in (("from", self.date_from), ("to", self.date_to)) if v]
        if self.scope == "title":
            items.append(("title_only", "1"))
        return items + self.carried

    # --- search → form ---------------------------------------------------------------------

    @classmethod
    def from_search(cls, args) -> AdvancedForm:
        """The form for a search's parameters: its query taken apart into the boxes."""
        form = cls(scope="title" if args.get("title_only", "").lower() in _TRUE else "all",
                   date_from=_text(args, "from"), date_to=_text(args, "to"),
                   filters=_filters(args), carried=_carried(args))
        form._read_query(args.get("q", ""))
        return form

    def _read_query(self, q: str) -> None:
        words, any_words, none, issuers = [], [], [], []
        for token in _TOKEN.findall(q):
            if token.startswith("(") and token.endswith(")"):
                inner = _OR.split(token[1:-1].strip())
                if all(t.startswith("source:") for t in inner):
                    issuers += [t[7:] for t in inner]
                elif all(_TOKEN.fullmatch(t) and not t.startswith(("-", "(")) for t in inner):
                    any_words += inner
                else:
                    words.append(token)
            elif token.startswith("source:") and len(token) > 7:
                issuers.append(token[7:])
            elif token.startswith(("docnum:", "文号:")):
                self.docnum = token.split(":", 1)[1]
            elif token.startswith("-") and len(token) > 1:
                none.append(token[1:])
            else:
                words.append(token)
        plain = words + any_words + none
        exact = bool(plain) and all(w.startswith('"') and w.endswith('"') and len(w) > 1 for w in plain)
        strip = (lambda w: w[1:-1]) if exact else (lambda w: w)
        self.match = "exact" if exact else "fuzzy"
        self.words = " ".join(map(strip, words))
        self.any_words = " ".join(map(strip, any_words))
        self.none_words = " ".join(map(strip, none))
        self.issuer = " ".join(issuers)

    def chosen(self, name: str, value: str) -> bool:
        return value in self.filters.get(name, ())


def _text(args, name: str) -> str:
    return " ".join((args.get(name) or "").split())[:500]


def _docnum(text: str) -> str:
    """ASCII brackets would read as grouping; a 文号 matches in any bracket style."""
    return re.sub(r"\s+", "", text).replace("(", "〔").replace(")", "〕")


def _term(word: str, exact: bool) -> str:
    word = word.replace('"', "")
    return f'"{word}"' if exact and word else word


def _filters(args) -> dict[str, tuple[str, ...]]:
    return {name: tuple(dict.fromkeys(v for v in args.getlist(name) if v)) for name in FORM_FILTERS}


def _carried(args) -> list[tuple[str, str]]:
    return [(k, v) for k, v in state_items(args) if k not in _OWN]
