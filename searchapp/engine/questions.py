"""Questions: which words of a question name its topic, and which only frame it.

A query holding a word of the *question* class of ``data/question_words.txt`` (怎么, 哪些,
吗 …) or ending with a question mark is a question. Its words are cut as the dictionary
cuts them (no guessed words), question words split off and joined as the list has them
(多少岁 → 多少 岁; 能 不能 → 能不能), and each is sorted: question and frame words and stop
words are dropped; general words, quantities and lone characters are optional; content
words in a row are read as units (the longest run with an expansion, or that the index
knows as a word). Content words common in the index are optional too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from indexer.analysis import normalize, segment, stop_words
from searchapp.engine.parse import Node, top_terms

COMMON_SHARE = 0.25       # a question's content word in more documents than this is optional,
COMMON_DOCUMENTS = 20     # and than this many (a share of a small folder says little)
# A quantity (一年, 三个月, 十二个小时, 多少钱 …) asks how much, it names no topic.
_QUANTITY = re.compile(r"^[\d一二两三四五六七八九十百千万几每多]+个?"
                       r"(?:年|月|天|日|周|星期|小时|分钟|分|岁|次|人|元|块|万|钱|倍|成)?$")
_QUESTION_MARK = re.compile(r"[?？]+$")


@lru_cache(maxsize=1)
def question_words() -> dict[str, str]:
    """Each word of ``data/question_words.txt`` → its class: question, frame or general."""
    text = (resources.files("searchapp.engine") / "data" / "question_words.txt").read_text("utf-8")
    classes, kind = {}, ""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            kind = line[1:-1]
        elif line and kind:
            classes.update((normalize(w), kind) for w in line.split())
    return classes


def read_question(tree: Node | None, reader) -> tuple[Node | None, list[str], list[str]] | None:
    """For a question: the tree to search (its content words alone, beside the query's
    phrases, exclusions, scopes and dates, kept as typed), the words dropped and the
    optional words; None for any other query. ``reader`` looks words up in the index
    (``lookup.Lookup``)."""
    terms, rest = top_terms(tree)
    if not any(n.kind == "word" for n in terms):
        return None
    nodes = [*terms, *rest]
    pieces = {id(n): _pieces(n.text) for n in nodes if n.kind == "word"}
    classes = question_words()
    if not (any(_QUESTION_MARK.search(normalize(n.text)) for n in nodes if n.kind == "word")
            or any(_kind(p, classes, frozenset()) == "question" for ps in pieces.values() for p in ps)):
        return None
    kept, dropped, optional = [], [], []
    for node in nodes:
        if node.kind != "word":
            kept.append(node)
            continue
        for text, kind in _classified(pieces[id(node)], reader):
            {"content": kept, "optional": optional, "dropped": dropped}[kind].append(
                Node("word", text=text) if kind == "content" else text)
    if not any(n.kind == "word" for n in kept):  # nothing but general words: the topic
        kept, optional = kept + [Node("word", text=w) for w in optional], []
    if all(n.kind == "not" for n in kept):
        return None                   # only question words: searched as typed
    kept, common = _topic(kept, reader)
    return (kept[0] if len(kept) == 1 else Node("and", children=kept)), dropped, optional + common


def _topic(kept: list[Node], reader) -> tuple[list[Node], list[str]]:
    """The content words a question is about, and its common words (工作, 政府, 安排 …: in
    more than ``COMMON_SHARE`` of the documents, and more than ``COMMON_DOCUMENTS``),
    which are optional: the rarest word stays required when all are common."""
    size = reader.view.doc_count if reader.view is not None else 0
    if not size:
        return kept, []
    limit = max(COMMON_SHARE * size, COMMON_DOCUMENTS)
    said = {id(n): reader.said(normalize(n.text)) for n in kept if n.kind == "word"}
    common = [n for n in kept if said.get(id(n), 0) > limit]
    if common and len(common) == len(said):
        common.remove(min(common, key=lambda n: said[id(n)]))
    return [n for n in kept if n not in common], [n.text for n in common]


def _kind(piece: str, classes: dict[str, str], stops: frozenset[str]) -> str | None:
    """The class of a piece: its list's, "frame" for a stop word; a quantity asks how much
    ("question" when it asks: 几天, 几分), it names no topic ("general"); None: content."""
    if kind := classes.get(piece):
        return kind
    if piece in stops:
        return "frame"
    if _QUANTITY.match(piece):
        return "question" if piece[0] == "几" else "general"
    return None


def _lone_pair(units: list[str]) -> bool:
    return any(len(a) == 1 and len(b) == 1 for a, b in zip(units, units[1:], strict=False))


def _pieces(text: str) -> list[str]:
    """A token cut into dictionary words and single characters (no guessed words: a guess
    may glue a question word to a verb), question words split off the words they begin
    (多少岁 → 多少, 岁) and joined where cut (能, 不能 → 能不能); no punctuation."""
    norm = _QUESTION_MARK.sub("", normalize(text).strip())
    classes = question_words()
    out: list[str] = []
    for piece in segment(norm, hmm=False) if norm else []:
        if not any(c.isalnum() for c in piece):
            continue                  # punctuation and spaces: no word
        head = next((piece[:n] for n in range(len(piece) - 1, 1, -1)
                     if classes.get(piece[:n]) == "question"), None)
        out += [head, piece[len(head):]] if head and piece not in classes else [piece]
    merged: list[str] = []
    for piece in out:
        for back in (2, 1):
            joined = "".join(merged[-back:]) + piece if len(merged) >= back else None
            if joined in classes:
                del merged[-back:]
                piece = joined
                break
        merged.append(piece)
    return merged


def _classified(pieces: list[str], reader) -> list[tuple[str, str]]:
    """(text, kind) in order: content words ("content"), general words and lone characters
    ("optional"), question, frame and stop words ("dropped"). Content pieces in a row are
    read as units: the longest run that has an expansion (an everyday form cut apart by
    the dictionary: 失业 金) or that the index knows as one word, else the piece alone. A
    run where two lone characters stand together is a slip's work when a correction of the
    run exists (数据 安 权 for 数据安全): then it stays one token, as typed."""
    classes, stops = question_words(), stop_words()
    out, run = [], []

    def close():
        units, i = [], 0
        while i < len(run):
            j = next((j for j in range(min(len(run), i + 4), i + 1, -1)
                      if reader.is_unit(run[i:j])), i + 1)
            units.append("".join(run[i:j]))
            i = j
        if _lone_pair(units) and reader.is_slip("".join(units)):
            out.append(("".join(units), "content"))     # 数据安权: one token, corrected whole
        else:
            out.extend((u, "optional" if len(u) == 1 else "content") for u in units)
        run.clear()

    for piece in pieces:
        kind = _kind(piece, classes, stops)
        if kind is None:
            run.append(piece)
            continue
        close()
        out.append((piece, "optional" if kind == "general" else "dropped"))
    close()
    return out
