"""复制引用: a GB/T 7714-2015 reference for a document.

GB/T 7714-2015 has no type code of its own for laws, regulations or official documents
(公文). They are records an organ issues, which the standard files under 档案 (type code
A); read online they carry the carrier code OL, and the standard's form for electronic
resources (its 4.8): 主要责任者. 题名: 其他题名信息[A/OL]. (更新或修改日期)[引用日期].
获取和访问路径. Here the 责任者 is the issuing body, the 其他题名信息 the 文号, the date in
parentheses the document's own date, the 引用日期 today (China time), the path its
original URL, else this site's public page (``PUBLIC_URL``), else none: never the local
address the page was read at. News posts are 电子公告 (EB/OL). For example:

    国务院. 优化营商环境条例: 国令第722号[A/OL]. (2019-10-22)[2026-12-02]. http://….
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

CHINA = timedelta(hours=8)
# A State Council decree's 文号 as gov.cn and citations write it (国令第722号), not the
# decree's heading (中华人民共和国国务院令第722号) that regulation files give.
_DECREE = re.compile(r"^(?:中华人民共和国)?国务院令\s*(第\s*\d+\s*号)$")


def short_docnum(number: str) -> str:
    number = number.strip()
    m = _DECREE.match(number)
    return "国令" + m[1].replace(" ", "") if m else number


def gbt7714(*, title: str, source: str, doc_number: str, date: str, url: str, level: str,
            today: str | None = None) -> str:
    """The reference text (one line); without ``url``, the reference ends at the 引用日期."""
    today = today or (datetime.now(UTC) + CHINA).date().isoformat()
    kind = "EB/OL" if level == "新闻" else "A/OL"
    head = f"{source.strip()}. " if source.strip() else ""
    number = short_docnum(doc_number)
    name = title.strip() + (f": {number}" if number else "")
    dated = f"({date})" if date else ""
    return f"{head}{name}[{kind}]. {dated}[{today}]" + (f". {url}." if url else ".")
