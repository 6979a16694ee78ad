"""Markdown / text articles: front-matter posts and lawrefbook-style law files."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import yaml

from indexer.errors import ArticleError
from indexer.sources.article import Article, as_list, as_text, clean_lines, finish, take_date
from indexer.sources.dates import parse_date
from indexer.sources.html_pages import html_lines, looks_like_html
from indexer.sources.law_header import law_date, law_doc_number, law_source

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)
_FM_KEY = re.compile(r"^([^\W\d][\w-]*)[ \t]*:[ \t]*(.*?)\s*$")
_FM_ITEM = re.compile(r"^\s+-[ \t]+(.*?)\s*$|^-[ \t]+(.*?)\s*$")
_URL_KEYS = ("url", "link", "permalink", "original_url", "source_url")
_INFO_END = "<!-- INFO END -->"
_LAW_LEVELS = {
    "宪法", "法律", "行政法规", "监察法规", "部门规章", "地方性法规", "司法解释", "自治条例",
    "单行条例", "经济特区法规", "地方政府规章",
}
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _unquote(value: str) -> str:
    # Quote pairs are peeled repeatedly: the generator wrapped already-quoted
    # titles again (title: """""""'第1集'""""""").
    while len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value


def _salvage(text: str) -> dict[str, object]:
    fields: dict[str, object] = {}
    current = None
    for line in text.splitlines():
        if (m := _FM_ITEM.match(line)) and current is not None:
            item = _unquote(m[1] if m[1] is not None else m[2])
            fields[current] = [*as_list(fields.get(current)), item]
        elif m := _FM_KEY.match(line):
            current = m[1].lower()
            fields[current] = _unquote(m[2]) if m[2] else []
    return fields


def load_front_matter(text: str, warnings: list[str]) -> dict[str, object]:
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict):
        return {str(k).lower(): v for k, v in data.items()}
    fields = _salvage(text)
    if text.strip():
        warnings.append(
            f"front matter is not valid YAML; salvaged {len(fields)} fields line by line"
        )
    return fields


def markdown_lines(text: str) -> list[str]:
    text = _HTML_COMMENT.sub("", text)
    lines = []
    for line in text.splitlines():
        line = _MD_HEADING.sub("", line)
        line = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", line))
        lines.append(_MD_EMPHASIS.sub(r"\2", line).lstrip("> "))
    return clean_lines(lines)


def body_lines(text: str) -> list[str]:
    return html_lines(text) if looks_like_html(text) else markdown_lines(text)


def parse_front_matter_post(text: str, rel: str) -> Article | None:
    """An article from a file with YAML front matter, or None if it has none."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return None
    warnings: list[str] = []
    fm = load_front_matter(m[1], warnings)
    body = "\n".join(body_lines(text[m.end():]))
    if not fm and not body and m[1].strip():
        raise ArticleError(rel, "front matter is not valid YAML and there is no body")
    raw_date = next((fm[k] for k in ("date", "published", "updated") if fm.get(k)), None)
    date = take_date(raw_date, warnings)
    article = Article(
        path=rel,
        title=as_text(fm.get("title")),
        body=body,
        date=date,
        # The day as the feed gives it (in its zone, GMT for most): the date is China's.
        published_date=parse_date(raw_date, china=False) if date else None,
        kind="post",
        source=as_text(fm.get("source") or fm.get("author")),
        categories=as_list(fm.get("categories") or fm.get("category")),
        tags=as_list(fm.get("tags") or fm.get("keywords")),
        doc_number=as_text(fm.get("doc_number") or fm.get("发文字号")),
        url=next((as_text(fm[k]) for k in _URL_KEYS if fm.get(k)), ""),
        warnings=warnings,
    )
    return finish(article)


def _law_folders(rel: str) -> list[str]:
    parts = PurePosixPath(rel).parts[:-1]
    for i, part in enumerate(parts):
        if part in _LAW_LEVELS:
            return list(parts[i : i + 2])
    return []


def parse_markdown_doc(text: str, rel: str) -> Article:
    """A Markdown/text file without front matter; lawrefbook headers are understood."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    title = ""
    if start < len(lines) and _MD_HEADING.match(lines[start]):
        title = as_text(_MD_HEADING.sub("", lines[start]))
        start += 1
    rest = lines[start:]
    marker = next((i for i, line in enumerate(rest) if line.strip() == _INFO_END), None)
    header = clean_lines(rest[:marker]) if marker is not None else []
    body = rest[marker + 1 :] if marker is not None else rest
    folders = _law_folders(rel)
    date = law_date(header, rel) if marker is not None or folders else None
    article = Article(
        path=rel,
        title=title,
        body="\n".join(markdown_lines("\n".join(body))),
        date=date,
        source=law_source(header, folders, title) if marker is not None or folders else "",
        categories=folders,
        doc_number=law_doc_number(header),
        header=header,
        kind="text",
    )
    return finish(article, header="\n".join(header))
