"""The seeded random draw behind bench/gold/metadata.jsonl.

Prints, per stratum, the paths drawn at random (seed 21, the issue's number). The
deliberate picks for hard classes are listed in metadata.jsonl itself (pick "hard:<class>").

    python bench/gold/sample.py ../shared/corpus
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

SEED = 21
# stratum → (folder glob relative to the corpus root, number drawn)
STRATA = [
    ("govcn 国务院/国务院办公厅 documents", "govcn-pages/**/*.htm", 30),
    ("news ZAKER/source", "hexo-rsshub-posts/source/_posts/新媒体/ZAKER/source/*.md", 14),
    ("news ZAKER/channel", "hexo-rsshub-posts/source/_posts/新媒体/ZAKER/channel/*.md", 2),
    ("news ZAKER/精读", "hexo-rsshub-posts/source/_posts/新媒体/ZAKER/精读/*.md", 2),
    ("news 观察者网", "hexo-rsshub-posts/source/_posts/新媒体/观察者网/*/*.md", 4),
    ("news 新浪财经", "hexo-rsshub-posts/source/_posts/金融/新浪财经/*/*.md", 2),
    ("news 证券时报网", "hexo-rsshub-posts/source/_posts/金融/证券时报网/*/*.md", 1),
    ("regulations 行政法规/", "lawrefbook-laws/行政法规/*.md", 18),
    ("regulations 部门规章/", "lawrefbook-laws/部门规章/*/*.md", 6),
    ("regulations DLC 上海", "lawrefbook-laws/DLC/上海地方法规/地方性法规/*/*.md", 3),
    ("regulations DLC 北京", "lawrefbook-laws/DLC/北京地方法规/地方性法规/*/*.md", 3),
    ("regulations DLC 山东", "lawrefbook-laws/DLC/山东地方法规/地方性法规/*/*.md", 3),
    ("regulations DLC 广东", "lawrefbook-laws/DLC/广东地方法规/地方性法规/*/*.md", 3),
    ("regulations DLC 河南", "lawrefbook-laws/DLC/河南地方法规/地方性法规/*/*.md", 3),
    ("regulations DLC 浙江", "lawrefbook-laws/DLC/浙江地方法规/地方性法规/*/*.md", 3),
    ("regulations DLC 重庆", "lawrefbook-laws/DLC/重庆地方法规/地方性法规/*/*.md", 3),
    ("work reports", "provincial-gov-reports-2026/2026_*_政府工作报告.csv", 15),
]


def draw(corpus: Path) -> list[tuple[str, str]]:
    """(stratum, path relative to the corpus) for every random pick, in a fixed order."""
    rng = random.Random(SEED)
    picks = []
    for name, pattern, count in STRATA:
        paths = sorted(str(p.relative_to(corpus)) for p in corpus.glob(pattern) if p.name != "SOURCE.md")
        picks += [(name, path) for path in rng.sample(paths, count)]
    return picks


if __name__ == "__main__":
    for stratum, path in draw(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus")):
        print(f"{stratum}\t{path}")
