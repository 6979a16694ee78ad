# ruff: noqa: E501 (the OpenDocument template)
"""Lay out documents of the shared corpus as official documents (GB/T 9704) for the converters.

For each chosen gov.cn page this writes a flat OpenDocument text (``.fodt``): the 发文机关
header line, the page's text as published (title, 发文字号, 主送, body, 署名, 成文日期), a
running header and a page-number footer on every page, in the sizes GB/T 9704 gives
(三号 body, 二号 title). LibreOffice then exports these to PDF, .docx, .doc and .odt
(``make_fixtures.sh``). ``expected.json`` keeps, for every fixture, the metadata the page's
own table gives and the text the file holds (what extraction must give back).

Usage: python compose.py CORPUS_DIR OUT_DIR
       python compose.py --sheets EXPECTED_JSON OUT_DIR       (CSV lists for LibreOffice Calc)
       python compose.py --attached CORPUS_DIR WORK_DIR FIXTURE_DIR   (pages and their 附件)
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from indexer.sources.files import read_articles  # noqa: E402

# content id -> the formats it is exported to (each folder is indexed on its own).
CHOSEN = {
    "5360002": ["pdf", "docx", "doc", "odt", "ofd"],
    "5365945": ["pdf", "docx", "wps"],
    "5343832": ["pdf", "doc"],
    "5344146": ["pdf", "scanned"],
    "5344150": ["pdf", "docx", "scanned", "ofd"],
    "5345291": ["pdf", "odt"],
    "5338761": ["pdf", "docx"],
    "5345808": ["pdf", "wps"],
    "5354526": ["pdf", "doc"],
    "5351707": ["pdf"],
    "5345293": ["pdf"],
    "5351181": ["pdf"],
}
RUNNING_HEADER = "中国政府网 www.gov.cn"

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>{file_title}</dc:title></office:meta>
 <office:font-face-decls>
  <style:font-face style:name="Serif" svg:font-family="'Noto Serif CJK SC'"/>
  <style:font-face style:name="Sans" svg:font-family="'Noto Sans CJK SC'"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:text-properties style:font-name="Serif" style:font-name-asian="Serif" fo:font-size="16pt"
    style:font-size-asian="16pt" fo:language="zh" fo:country="CN" style:language-asian="zh"
    style:country-asian="CN"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Mark" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center" fo:margin-bottom="12pt"/>
   <style:text-properties fo:font-size="30pt" style:font-size-asian="30pt" fo:color="#cc0000"
    fo:font-weight="bold" style:font-weight-asian="bold"/>
  </style:style>
  <style:style style:name="Number" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center" fo:margin-bottom="18pt"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties style:font-name="Sans" style:font-name-asian="Sans" fo:font-size="22pt"
    style:font-size-asian="22pt" fo:font-weight="bold" style:font-weight-asian="bold"/>
  </style:style>
  <style:style style:name="Body" style:family="paragraph">
   <style:paragraph-properties fo:text-indent="32pt" fo:line-height="28pt" fo:text-align="justify"/>
  </style:style>
  <style:style style:name="Addressee" style:family="paragraph">
   <style:paragraph-properties fo:margin-top="12pt" fo:line-height="28pt"/>
  </style:style>
  <style:style style:name="Signature" style:family="paragraph">
   <style:paragraph-properties fo:text-align="end" fo:margin-right="64pt" fo:line-height="28pt"/>
  </style:style>
  <style:style style:name="Furniture" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="10.5pt" style:font-size-asian="10.5pt"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="A4">
   <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" fo:margin-top="25mm"
    fo:margin-bottom="20mm" fo:margin-left="28mm" fo:margin-right="26mm"/>
   <style:header-style><style:header-footer-properties fo:min-height="10mm" fo:margin-bottom="5mm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="10mm" fo:margin-top="5mm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="A4">
   <style:header><text:p text:style-name="Furniture">{header}</text:p></style:header>
   <style:footer><text:p text:style-name="Furniture">— <text:page-number text:select-page="current">1</text:page-number> —</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
{paragraphs}
 </office:text></office:body>
</office:document>
"""


def _paragraph(style: str, text: str) -> str:
    return f'  <text:p text:style-name="{style}">{escape(text)}</text:p>'


def layout(lines: list[str], doc_number: str, source: str) -> list[tuple[str, str]]:
    """(style, text) of each paragraph: the 发文机关 header, then the page's own lines."""
    number_at = next(i for i, line in enumerate(lines) if line == doc_number)
    # A letter (函) carries the body's name alone as its header; other kinds "…文件".
    mark = source if "函" in doc_number else f"{source}文件"
    out = [("Mark", mark)]
    out += [("Heading", line) for line in lines[:number_at]]
    out.append(("Number", doc_number))
    signed = False
    for line in lines[number_at + 1:]:
        if not signed and line.endswith("："):
            out.append(("Addressee", line))
        elif line == source or (out[-1][1] == source and line[:4].isdigit() and line.endswith("日")):
            out.append(("Signature", line))
            signed = True
        else:
            out.append(("Body", line))
    return out


def body_lines(article) -> list[str]:
    return [line for line in article.body.split("\n") if line.strip()]


def main(corpus: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    pages = {p.stem.removeprefix("content_"): p for p in (corpus / "govcn-pages").rglob("content_*.htm")}
    expected = []
    for cid, formats in CHOSEN.items():
        page = pages[cid]
        article = read_articles(page, page.name)[0]
        paragraphs = layout(body_lines(article), article.doc_number, article.source)
        # The file's own metadata title is what a word processor leaves there, not the title.
        xml = _fodt(paragraphs, f"Microsoft Word - {cid}.doc")
        (out / f"{cid}.fodt").write_text(xml, encoding="utf-8")
        expected.append({
            "id": cid, "formats": formats, "page": str(page.relative_to(corpus)),
            "title": article.title, "doc_number": article.doc_number, "source": article.source,
            "date": article.written_date, "text": "\n".join(t for _, t in paragraphs),
        })
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")


SHEET_COLUMNS = ["标题", "发文字号", "发文机关", "成文日期", "正文"]
ATTACHED = {"5351181": "P020181222597384584474.pdf", "5343832": "P020181120367514329432.docx"}


def _fodt(paragraphs: list[tuple[str, str]], file_title: str) -> str:
    return FODT.format(file_title=escape(file_title), header=escape(RUNNING_HEADER),
                       paragraphs="\n".join(_paragraph(s, t) for s, t in paragraphs))


def _opening(text: str) -> str:
    """The first two paragraphs after the 主送 line: what a list's 正文 column holds."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.endswith("："))
    return "".join(lines[at + 1:at + 3])


def sheets(expected_json: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    docs = json.loads(expected_json.read_text(encoding="utf-8"))
    rows = [[d["title"], d["doc_number"], d["source"], d["date"], _opening(d["text"])] for d in docs]
    for name, chosen in (("文件清单", rows), ("文件清单2018", [r for r in rows if r[3].startswith("2018")])):
        with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([SHEET_COLUMNS, *chosen])
    members = next(d for d in docs if d["id"] == "5343832")["text"].split("\n")
    at = members.index("部际联席会议成员名单")
    with open(out / "成员单位.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["国务院职业教育工作部际联席会议成员名单"])
        writer.writerow(["职务", "姓名", "单位职务"])
        for line in members[at + 1:]:
            role, sep, rest = line.partition("：")
            name, _, post = (rest if sep else line).rpartition(" ")
            writer.writerow([role.replace(" ", "") if sep else "", name.replace(" ", ""), post])


def attached(corpus: Path, work: Path, fixtures: Path) -> None:
    """The real pages with links to their 附件 appended, and the 附件 as documents."""
    work.mkdir(parents=True, exist_ok=True)
    pages = {p.stem.removeprefix("content_"): p for p in (corpus / "govcn-pages").rglob("content_*.htm")}
    records = []
    for cid, name in ATTACHED.items():
        page = pages[cid]
        rel = page.relative_to(corpus / "govcn-pages")
        article = read_articles(page, page.name)[0]
        lines = body_lines(article)
        dated = next(i for i, line in enumerate(lines) if line == article.source) + 1
        rest = [line for line in lines[dated + 1:] if line not in ("（此件公开发布）", "附件")]
        html = page.read_bytes()
        link = f'<p class="attachment">附件：<a href="{name}">{rest[0]}</a></p>'.encode()
        # Where gov.cn lists 附件: under the document, after its 成文日期 and publication note.
        mark = "（此件公开发布）</p>".encode()
        html = html.replace(mark, mark + link, 1)
        (fixtures / rel).parent.mkdir(parents=True, exist_ok=True)
        (fixtures / rel).write_bytes(html)
        kind = name.rsplit(".", 1)[1]
        paragraphs = [("Heading", rest[0])] + [("Body", line) for line in rest[1:]]
        (work / f"{cid}-{kind}.fodt").write_text(_fodt(paragraphs, "Microsoft Word - 附件"), encoding="utf-8")
        (work / f"{cid}-{kind}.dest").write_text(str(rel.parent / name), encoding="utf-8")
        records.append({"page": str(rel), "file": str(rel.parent / name), "title": rest[0],
                        "page_title": article.title, "source": article.source,
                        "doc_number": article.doc_number, "date": article.written_date,
                        "text": "\n".join(rest)})
    (fixtures.parent / "attached.json").write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "--sheets":
        sheets(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1] == "--attached":
        attached(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main(Path(sys.argv[1]), Path(sys.argv[2]))
