"""Check the third set against the corpus: every path exists, every official term occurs in
each document judged 2, and an everyday form is neither its official term nor in the title.

    python bench/eval/third/check.py [CORPUS]      # default: ../shared/corpus
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "corpus"


def text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    return re.sub(r"<[^>]*>", "", raw) if path.suffix == ".htm" else raw


def title(path: Path) -> str:
    if path.suffix == ".htm":
        found = re.search(r"标　　题：.*?<td[^>]*>([^<]*)", path.read_text(encoding="utf-8"), re.S)
        return found.group(1).strip() if found else ""
    return path.name


problems = []
for name in ("everyday.jsonl", "questions.jsonl"):
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        for rel, grade in item["relevant"].items():
            path = CORPUS / rel
            if not path.is_file():
                problems.append((item["id"], "missing", rel))
            elif grade == 2 and item["official"] not in text(path):
                problems.append((item["id"], "official term not in the document", rel))
            elif grade == 2 and item["kind"] == "everyday" and item["q"] in title(path):
                problems.append((item["id"], "form in the title", rel))
        if item["kind"] == "everyday" and item["q"] == item["official"]:
            problems.append((item["id"], "form is the official term"))
print(f"problems: {len(problems)}")
for problem in problems:
    print(*problem)
sys.exit(1 if problems else 0)
