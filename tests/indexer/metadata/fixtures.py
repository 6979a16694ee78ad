"""Real documents the metadata tests read, by their path in the shared corpus."""

from __future__ import annotations

from functools import cache

from indexer.metadata import DocMeta, describe
from indexer.sources.files import Article, read_articles
from tests.support import CORPUS, DATA

# Documents only these tests read; the search tests index and count ``corpus/``.
METADATA_CORPUS = DATA / "metadata-corpus"
ROOTS = (CORPUS, METADATA_CORPUS)

LAWS = "lawrefbook-laws/行政法规"
GOVCN = "govcn-pages/www.gov.cn/zhengce/content"
ROAD = {year: f"{LAWS}/道路运输条例({year}).md" for year in ("2019-03-02", "2022-03-29", "2023-07-20")}
PATENT_AGENCY = f"{LAWS}/专利代理条例(2018-11-06).md"
PATENT_AGENCY_PAGE = f"{GOVCN}/2018-11/19/content_5341736.htm"
GUOBAN_1997_2 = f"{GOVCN}/2018-12/02/content_5345291.htm"
GUOBAN_1996_2 = f"{GOVCN}/2018-12/24/content_5351713.htm"
GUOFA_2019_5 = f"{GOVCN}/2019-02/15/content_5365945.htm"
IIT = f"{LAWS}/个人所得税法实施条例(2018-12-18).md"
IIT_PAGE = f"{GOVCN}/2018-12/22/content_5351177.htm"
BUSINESS = f"{LAWS}/优化营商环境条例(2019-10-22).md"
SHANGHAI_BUSINESS = "lawrefbook-laws/DLC/上海地方法规/地方性法规/上海/上海市优化营商环境条例(2020-04-10).md"
SHANGQIU_BUSINESS = "lawrefbook-laws/DLC/河南地方法规/地方性法规/河南/商丘市优化营商环境条例(2020-04-20).md"
DONGYING = "lawrefbook-laws/DLC/山东地方法规/地方性法规/山东/东营市城镇容貌和环境卫生管理条例(2016-09-26).md"
STATE_SECURITY = "lawrefbook-laws/部门规章/国家安全部/公民举报危害国家安全行为奖励办法(2022-06-06).md"
ALGORITHMS = f"{LAWS}/互联网信息服务算法推荐管理规定(2021-11-16).md"
MOHRSS = ("lawrefbook-laws/部门规章/人力资源社会保障部/"
          "关于职工全年月平均工作时间和工资折算问题的通知(2009-03-29).md")
SELF_EMPLOYED = f"{LAWS}/个体工商户条例(2016-02-06).md"
SELF_EMPLOYED_NEW = f"{LAWS}/促进个体工商户发展条例(2022-10-01).md"
HEBEI = "provincial-gov-reports-2026/2026_河北省_政府工作报告.csv"
SEED = "seed/000_bd949e5a4088c150.txt"


def read(rel: str) -> Article:
    """The one article of a fixture file, found in either corpus folder."""
    root = next(r for r in ROOTS if (r / rel).exists())
    [article] = read_articles(root / rel, rel)
    return article


@cache
def meta(rel: str) -> DocMeta:
    return describe(read(rel))


def all_metas() -> dict[str, DocMeta]:
    """Every fixture document's DocMeta by path (both folders)."""
    found = {}
    for root in ROOTS:
        for file in sorted(root.rglob("*")):
            rel = file.relative_to(root).as_posix()
            if file.suffix in {".md", ".htm", ".txt"} or rel == HEBEI:
                found[rel] = meta(rel)
    return found
