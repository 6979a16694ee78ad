#!/usr/bin/env bash
# Regenerate the document fixtures from the shared corpus with real tools:
#   compose.py lays a dozen gov.cn documents out as official documents (.fodt);
#   LibreOffice headless exports them to PDF, .docx, .doc (also saved as .wps: WPS Office's
#   .wps is the Word 97 binary format) and .odt, and an encrypted PDF;
#   pdftoppm renders pages to images and img2pdf binds them into scanned PDFs;
#   easyofd (PyPI) converts a PDF to OFD; LibreOffice Calc turns CSV lists into .xlsx/.xls.
# Usage: tests/data/formats/make_fixtures.sh [CORPUS_DIR]   (default ../shared/corpus)
# Needs: soffice (libreoffice-writer-nogui, libreoffice-calc-nogui), pdftoppm (poppler-utils),
# python3 -m venv; img2pdf and easyofd are installed into a throwaway venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
corpus="$(cd "${1:-$repo/../shared/corpus}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python="${PYTHON:-python3}"

"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install -q img2pdf==0.6.3 easyofd==20260427 "pymupdf==1.28.2"
"$python" "$here/compose.py" "$corpus" "$work/src"
cp "$work/src/expected.json" "$here/expected.json"

soffice_to() {  # format outdir files...
  local fmt="$1" out="$2"; shift 2
  soffice "-env:UserInstallation=file://$work/profile" --headless --convert-to "$fmt" \
    --outdir "$out" "$@" >/dev/null 2>&1
}
ids() {  # the ids exported to format $1
  "$python" -c "import json,sys; print(' '.join(d['id'] for d in json.load(open(sys.argv[1])) if sys.argv[2] in d['formats']))" \
    "$here/expected.json" "$1"
}

rm -rf "$here"/{pdf,docx,doc,wps,odt,ofd,scanned,sheets,attached,bad}
mkdir -p "$here"/{pdf,docx,doc,wps,odt,ofd,scanned,sheets,attached,bad}
for id in $(ids pdf); do soffice_to pdf "$here/pdf" "$work/src/$id.fodt"; done
for id in $(ids docx); do soffice_to docx "$here/docx" "$work/src/$id.fodt"; done
for id in $(ids doc); do soffice_to doc "$here/doc" "$work/src/$id.fodt"; done
for id in $(ids wps); do soffice_to doc "$work/wps" "$work/src/$id.fodt"; mv "$work/wps/$id.doc" "$here/wps/$id.wps"; done
for id in $(ids odt); do soffice_to odt "$here/odt" "$work/src/$id.fodt"; done

# Scans: each page rendered at 200 dpi in black and white (as office scanners save them),
# bound into a PDF without a text layer.
for id in $(ids scanned); do
  pdftoppm -r 200 -mono -png "$here/pdf/$id.pdf" "$work/scan-$id"
  "$work/venv/bin/img2pdf" --pagesize A4 -o "$here/scanned/$id.pdf" "$work"/scan-"$id"-*.png
done

# OFD: easyofd's PDF converter with the text layer kept.
for id in $(ids ofd); do
  # easyofd works in a scratch folder under the current one: give it an empty one.
  mkdir -p "$work/ofd-$id"
  (cd "$work/ofd-$id" && "$work/venv/bin/python" - "$here/pdf/$id.pdf" "$here/ofd/$id.ofd") <<'PY'
import sys
from loguru import logger
logger.remove()
from easyofd import OFD
with open(sys.argv[1], "rb") as fh:
    data = OFD().pdf2ofd(fh.read(), optional_text=True)
with open(sys.argv[2], "wb") as fh:
    fh.write(data)
PY
done

# Spreadsheets: a list of documents (one row each) as .xlsx and .xls, and a table that is
# no list (one document).
"$python" "$here/compose.py" --sheets "$here/expected.json" "$work/sheets"
csv_to() {  # format file: CSV read as UTF-8, comma-separated
  soffice "-env:UserInstallation=file://$work/profile" --headless --infilter="CSV:44,34,76,1" \
    --convert-to "$1" --outdir "$here/sheets" "$2" >/dev/null 2>&1
}
csv_to xlsx "$work/sheets/文件清单.csv"
csv_to xls "$work/sheets/文件清单2018.csv"
csv_to xlsx "$work/sheets/成员单位.csv"

# A gov.cn page beside its attachments: the real page with its 附件 links, the attachment
# texts (the part after the 成文日期) as PDF and .docx.
"$python" "$here/compose.py" --attached "$corpus" "$work/attached" "$here/attached"
soffice_to pdf "$work/attached/pdf" "$work/attached"/*-pdf.fodt
soffice_to docx "$work/attached/docx" "$work/attached"/*-docx.fodt
for f in "$work"/attached/pdf/*.pdf "$work"/attached/docx/*.docx; do
  name="$(basename "$f")"; dest="$(cat "$work/attached/${name%.*}.dest")"
  cp "$f" "$here/attached/$dest"
done

# An encrypted PDF (password "secret").
soffice_to 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}' \
  "$here/bad" "$work/src/5344146.fodt"
mv "$here/bad/5344146.pdf" "$here/bad/encrypted.pdf"
du -sh "$here"
