"""The comparison page of two versions of a regulation: each added, removed or changed
article (第N条) with the changed characters marked (<del> in the old text, <ins> in the new)."""

from __future__ import annotations

from difflib import SequenceMatcher

from markupsafe import Markup, escape

from indexer.analysis import fold
from indexer.metadata import compare

KINDS = {"added": "新增", "removed": "删除", "changed": "修改"}


def inline_diff(old: str, new: str) -> tuple[Markup, Markup]:
    """Both texts as Markup, what only one of them has marked. Compared width-folded (one
    file writes (一), another （一）: not a change), shown as written."""
    matcher = SequenceMatcher(None, fold(old), fold(new), autojunk=False)
    old_out, new_out = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            old_out.append(escape(old[i1:i2]))
            new_out.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            old_out.append(Markup("<del>{}</del>").format(old[i1:i2]))
        if j2 > j1:
            new_out.append(Markup("<ins>{}</ins>").format(new[j1:j2]))
    return Markup("").join(old_out), Markup("").join(new_out)


def changes(old_body: str, new_body: str) -> list[dict]:
    """``compare``'s changes, each with its kind in Chinese and both texts as Markup."""
    out = []
    for change in compare(old_body, new_body):
        if change["kind"] == "changed":
            old_html, new_html = inline_diff(change["old"], change["new"])
        else:
            old_html, new_html = escape(change["old"]), escape(change["new"])
        out.append(dict(change, label=KINDS.get(change["kind"], change["kind"]),
                        old_html=old_html, new_html=new_html))
    return out


def counts(items: list[dict]) -> dict[str, int]:
    return {label: sum(c["kind"] == kind for c in items) for kind, label in KINDS.items()}
