"""The rules a query applies, listed with where each comes from (``policy-search synonyms``).

The synonym rules (the shipped lists, your file, abbreviations the indexed documents define)
and, for one word, the official terms of the index's titles it also searches (``understand``
finds them as a search would).
"""

from __future__ import annotations

from indexer.analysis import normalize
from indexer.storage import RELATIONS, Generation
from searchapp.engine.context import SearchContext
from searchapp.engine.lookup import ALIGNED
from searchapp.engine.parse import parse
from searchapp.engine.synonyms import Synonyms
from searchapp.engine.understand import understand


def listed_rules(extra: str | None, generation: Generation | None, word: str | None = None,
                 ctx: SearchContext | None = None) -> list[dict]:
    """Every rule in force ({sources, forms, origin[, documents]}); with ``word``, those a
    query for it applies, the aligned official terms included when ``ctx`` is given."""
    mined = generation.read_json(RELATIONS, {}).get("abbreviations", ()) if generation else ()
    listed = [{"sources": list(r.sources), "forms": list(r.forms), "origin": r.label,
               **({"documents": r.documents} if r.documents else {})}
              for r in Synonyms(extra, mined).rules()]
    if not word:
        return listed
    key = normalize(word).strip()
    listed = [r for r in listed if key in r["sources"]]
    if ctx is not None:
        found = understand(ctx, parse(key), key, corrections=False)
        listed += [{"sources": [e.form], "forms": [e.form, e.to], "origin": e.origin,
                    "titles": e.titles, "documents": e.documents}
                   for e in found.expansions_of(key) if e.origin == ALIGNED]
    return listed


def rule_line(rule: dict) -> str:
    """A listed rule as written in a synonym file (``a = b = c`` or ``a => b, c``), with
    the documents or titles it rests on."""
    sources, forms = rule["sources"], rule["forms"]
    text = (" = ".join(forms) if sources == forms else
            ", ".join(sources) + " => " + ", ".join(f for f in forms if f not in sources))
    if "titles" in rule:
        return f"{text}    # {rule['titles']} titles, {rule['documents']} documents"
    return f"{text}    # {rule['documents']} documents" if "documents" in rule else text
