"""Policy metadata through the API, on real documents: dates, 文种, 效力级别, 地域, versions,
duplicates across sources, citations, filters and facets."""

from indexer.build.documents import doc_id

CORPUS = "corpus/"
META = "metadata-corpus/"
ROAD = META + "lawrefbook-laws/行政法规/道路运输条例({}).md"
ROAD_2019, ROAD_2022, ROAD_2023 = (ROAD.format(d) for d in ("2019-03-02", "2022-03-29", "2023-07-20"))
PATENT_MD = META + "lawrefbook-laws/行政法规/专利代理条例(2018-11-06).md"
PATENT_PAGE = META + "govcn-pages/www.gov.cn/zhengce/content/2018-11/19/content_5341736.htm"
GUOBAN_1997 = META + "govcn-pages/www.gov.cn/zhengce/content/2018-12/02/content_5345291.htm"
BUSINESS = META + "lawrefbook-laws/行政法规/优化营商环境条例(2019-10-22).md"
SHANGHAI = META + "lawrefbook-laws/DLC/上海地方法规/地方性法规/上海/上海市优化营商环境条例(2020-04-10).md"
SHANGQIU = META + "lawrefbook-laws/DLC/河南地方法规/地方性法规/河南/商丘市优化营商环境条例(2020-04-20).md"
MINISTRY = META + "lawrefbook-laws/部门规章/国家安全部/公民举报危害国家安全行为奖励办法(2022-06-06).md"
DONGYING = (CORPUS + "lawrefbook-laws/DLC/山东地方法规/地方性法规/山东/"
            "东营市城镇容貌和环境卫生管理条例(2016-09-26).md")
GUOFA_5 = CORPUS + "govcn-pages/www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
HEBEI = CORPUS + "provincial-gov-reports-2026/2026_河北省_政府工作报告.csv#1"


def api(client, path="/api/search", **params):
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


def article(client, path):
    return api(client, f"/api/articles/{doc_id(path)}")


def test_a_regulation_in_three_versions_is_one_entry_its_newest(metadata_client):
    data = api(metadata_client, q="道路运输条例")
    [road] = [r for r in data["results"] if "道路运输条例" in r["title"]]
    assert (road["path"], road["date"], road["status"], road["versions_count"]) == (
        ROAD_2023, "2023-07-20", "现行有效", 3)
    every = api(metadata_client, q="道路运输条例", all_versions="1")
    assert {r["path"] for r in every["results"]} >= {ROAD_2019, ROAD_2022, ROAD_2023}


def test_versions_of_a_regulation_and_their_statuses(metadata_client):
    old = article(metadata_client, ROAD_2019)
    assert old["status"] == "已被修订" and old["versions_count"] == 3
    assert [(v["id"], v["date"], v["status"]) for v in old["versions"]] == [
        (doc_id(ROAD_2019), "2019-03-02", "已被修订"), (doc_id(ROAD_2022), "2022-03-29", "已被修订"),
        (doc_id(ROAD_2023), "2023-07-20", "现行有效")]


def test_comparing_two_versions_lists_changed_articles(metadata_client):
    data = api(metadata_client, f"/api/articles/{doc_id(ROAD_2022)}/compare/{doc_id(ROAD_2023)}")
    assert (data["old"]["date"], data["new"]["date"]) == ("2022-03-29", "2023-07-20")
    changed = [c for c in data["changes"] if c["kind"] == "changed"]
    assert changed and all(c["article"].startswith("第") and c["article"].endswith("条")
                           for c in changed)
    assert all(c["old"] != c["new"] for c in changed)
    assert {c["kind"] for c in data["changes"]} <= {"added", "removed", "changed"}


def test_one_regulation_from_two_sources(metadata_client):
    patent = article(metadata_client, PATENT_MD)
    assert (patent["doc_type"], patent["level"], patent["region"]) == ("条例", "行政法规", "中央")
    assert patent["effective_date"] == "2019-03-01"
    assert len([h for h in patent["history"] if h["date"]]) == 4
    data = api(metadata_client, q="专利代理条例")
    entries = [r for r in data["results"] if r["title"].endswith("专利代理条例")]
    assert len(entries) == 1
    assert {s["path"] for s in entries[0]["sources"]} == {PATENT_MD, PATENT_PAGE}


def test_a_reposted_page_keeps_its_own_date(metadata_client):
    assert article(metadata_client, GUOBAN_1997)["date"] == "1997-02-04"
    data = api(metadata_client, q="国办发〔1997〕2号")
    assert data["results"][0]["path"] == GUOBAN_1997
    assert api(metadata_client, q="国务院办公厅", year="1997")["total"] == 1


def test_local_regulations_cite_the_national_one(metadata_client):
    national = article(metadata_client, BUSINESS)
    assert {c["id"] for c in national["cited_by"]} >= {doc_id(SHANGHAI), doc_id(SHANGQIU)}
    shanghai = article(metadata_client, SHANGHAI)
    assert doc_id(BUSINESS) in {c["id"] for c in shanghai["cites"]}
    hit = api(metadata_client, q="优化营商环境条例", level="行政法规")["results"][0]
    assert hit["path"] == BUSINESS and hit["cited_by_count"] == len(national["cited_by"]) == 2


def test_types_levels_and_regions(metadata_client):
    expected = {
        MINISTRY: ("办法", "部门规章", "中央"),
        DONGYING: ("条例", "地方性法规", "山东省"),
        GUOFA_5: ("意见", "国务院规范性文件", "中央"),
        HEBEI: ("报告", "工作报告", "河北省"),
    }
    for path, want in expected.items():
        data = article(metadata_client, path)
        assert (data["doc_type"], data["level"], data["region"]) == want, path


def test_filters_and_facets_of_the_new_fields(metadata_client):
    data = api(metadata_client, q="条例", level="地方性法规")
    assert {r["path"] for r in data["results"]} == {DONGYING, SHANGHAI, SHANGQIU}
    assert dict((f["value"], f["count"]) for f in data["facets"]["region"]) == {
        "山东省": 1, "上海市": 1, "河南省": 1}
    # Several values of one facet: any of them; the facet keeps counting its other values.
    data = api(metadata_client, q="条例", region=["上海市", "河南省"])
    assert {r["path"] for r in data["results"]} == {SHANGHAI, SHANGQIU}
    assert {f["value"] for f in data["facets"]["region"]} >= {"中央", "山东省", "上海市", "河南省"}
    data = api(metadata_client, q="条例", exclude_level="行政法规", doc_type="条例")
    assert all(r["level"] != "行政法规" for r in data["results"]) and data["total"] == 3
    data = api(metadata_client, q="个体工商户", status="已废止")
    assert [r["title"] for r in data["results"]] == ["个体工商户条例"]


def test_a_status_only_with_its_basis_and_the_unmarked_in_the_facet(metadata_client):
    data = api(metadata_client, q="条例")
    statuses = dict((f["value"], f["count"]) for f in data["facets"]["status"])
    assert statuses["现行有效"] >= 1 and statuses["未标注"] >= 1
    for hit in data["results"]:
        assert bool(hit["status"]) == bool(hit["status_basis"]), hit["path"]
    # 未标注 filters like any other value: the documents nothing indexed asserts a status of.
    unmarked = api(metadata_client, q="条例", status="未标注")
    assert unmarked["total"] == statuses["未标注"]
    assert {r["status"] for r in unmarked["results"]} == {""}
    # A regulation known from one file is the newest version of its chain; a notice is not.
    assert SHANGHAI not in {r["path"] for r in unmarked["results"]}
    assert {r["level"] for r in unmarked["results"]} <= {"国务院规范性文件", "工作报告", "新闻", ""}
    road = article(metadata_client, ROAD_2019)
    assert (road["status"], road["status_basis"]) == ("已被修订", f"superseded by {doc_id(ROAD_2022)}")
