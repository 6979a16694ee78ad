"""relate() rules that the fixture corpus has no example of, on records made for them."""

from indexer.metadata import DocMeta, relate


def version(date: str, effective: str = "") -> DocMeta:
    return DocMeta(title="中华人民共和国某某条例", date=date, level="行政法规", region="中央",
                   chain_key="某某条例", effective_date=effective)


def citer(**mention: str) -> DocMeta:
    return DocMeta(title="某省实施办法", date="2024-01-01", level="地方性法规", region="某省",
                   chain_key="某省实施办法", mentions=[{"title": "某某条例", "key": "某某条例", **mention}])


def test_a_version_that_takes_effect_later_leaves_the_previous_one_in_force():
    metas = {"v1": version("2019-03-02"), "v2": version("2026-11-20", effective="2027-01-01")}
    statuses = {i: relate(metas, today="2026-12-02").get(i).status for i in metas}
    assert statuses == {"v1": "现行有效", "v2": "尚未施行"}
    assert relate(metas, today="2027-01-01").get("v1").status == "已被修订"


def test_a_cited_version_resolves_to_that_version_else_to_the_one_in_force():
    metas = {"v1": version("2019-03-02"), "v2": version("2022-03-29"), "v3": version("2023-07-20"),
             "plain": citer(), "of2022": citer(version="2022"), "of2020": citer(version="2020-05-01"),
             "of2010": citer(version="2010")}
    r = relate(metas, today="2026-12-02")
    cited = {i: [c["id"] for c in r.get(i).cites] for i in ("plain", "of2022", "of2020", "of2010")}
    # 2020-05-01 names no version of its own: the one in force then. 2010 is before every
    # indexed version (a regulation named by its first issue, revised since): the version in
    # force when the citing document was written, as for a plain mention.
    assert cited == {"plain": ["v3"], "of2022": ["v2"], "of2020": ["v1"], "of2010": ["v3"]}
    assert [c["id"] for c in r.get("v2").cited_by] == ["of2022"]
    assert (r.citations.mentions, r.citations.resolved) == (4, 4)
    assert r.citations.top_unresolved == []


def test_a_citation_goes_to_the_version_in_force_on_the_citing_date():
    metas = {"v1": version("2019-03-02"), "v2": version("2022-03-29", effective="2022-05-01"),
             "v3": version("2023-07-20")}
    # By the versions' dates; none when every version is later (or the citer has no date):
    # a later text is not what it quoted.
    for date, cited in (("2019-01-01", []), ("2021-06-30", ["v1"]), ("2022-04-10", ["v2"]),
                        ("2024-01-01", ["v3"]), ("", [])):
        metas["citer"] = DocMeta(**{**citer().to_json(), "date": date})
        assert [c["id"] for c in relate(metas, today="2026-12-02").get("citer").cites] == cited, date


def test_an_abolished_regulation_loses_every_version_up_to_the_abolishing_date():
    repeal = DocMeta(title="某某新条例", date="2023-01-01", level="行政法规", region="中央",
                     chain_key="某某新条例", abolishes=[{"title": "某某条例", "key": "某某条例"}])
    metas = {"v1": version("2019-03-02"), "v2": version("2022-03-29"), "new": repeal}
    r = relate(metas, today="2026-12-02")
    # The new regulation is the newest (only) version of its chain.
    assert [r.get(i).status for i in metas] == ["已废止", "已废止", "现行有效"]
    assert r.get("v1").status_basis == "abolished by new"
    # Named by its first issue (1998年…发布的《某某条例》), it goes with every later revision.
    repeal.abolishes[0]["version"] = "1998-07-13"
    assert relate(metas, today="2026-12-02").get("v2").status == "已废止"
    # Not before the abolishing document takes effect.
    repeal.effective_date = "2027-01-01"
    assert relate(metas, today="2026-12-02").get("v2").status == "现行有效"
    assert relate(metas, today="2026-12-02").get("v1").status == "已被修订"
