"""The policy-search command: exit codes and exact messages."""

import json
import shutil

from tests.support import CORPUS, DATA, EDGE


def test_reindex_then_search_json(cli, tmp_path):
    ix = tmp_path / "ix"
    result = cli("reindex", CORPUS, "--index-dir", ix, "--workers", "1")
    assert result.exit_code == 0
    assert "full build → gen-000001: 12 documents in the index" in result.output
    assert ("skipped provincial-gov-reports-2026/run_manifest_2026.csv: no article columns "
            "(need a title or content column)") in result.output
    result = cli("search", "国发〔2019〕5号", "--index-dir", ix, "--json")
    data = json.loads(result.output)
    assert set(data) >= {"query", "total", "page", "results"}
    first = data["results"][0]
    assert set(first) == {"id", "path", "title", "date", "source", "doc_number", "url",
                          "categories", "snippet_html", "score", "doc_type", "level", "region",
                          "status", "status_basis", "published_date", "effective_date",
                          "versions_count", "cited_by_count", "sources", "page"}
    assert (first["doc_number"], first["date"], first["source"]) == \
        ("国发〔2019〕5号", "2019-01-27", "国务院")
    # 成文日期 2019-01-27, 发布日期 2019-02-15; no 施行 clause; nothing indexed says it is in force.
    assert (first["published_date"], first["effective_date"], first["status"], first["status_basis"]) \
        == ("2019-02-15", "", "", "")
    assert (first["doc_type"], first["level"], first["region"]) == ("意见", "国务院规范性文件", "中央")
    result = cli("search", "条例", "--index-dir", ix, "--json", "--level", "地方性法规")
    assert [r["region"] for r in json.loads(result.output)["results"]] == ["山东省"]


def test_second_reindex_reports_everything_unchanged(cli, tmp_path):
    ix = tmp_path / "ix"
    cli("reindex", CORPUS, "--index-dir", ix, "--workers", "1")
    result = cli("reindex", "--index-dir", ix)           # sources remembered from the first run
    assert "incremental update" in result.output
    assert "0 added, 0 updated, 12 unchanged, 0 removed" in result.output


def test_strict_exits_3_when_files_were_skipped(cli, tmp_path):
    result = cli("reindex", EDGE, "--index-dir", tmp_path / "ix", "--strict", "--workers", "1")
    assert result.exit_code == 3
    assert "skipped binary.md: binary file" in result.output


def test_env_var_sets_the_index_dir(runner, tmp_path, monkeypatch):
    from searchapp.cli import main

    monkeypatch.setenv("POLICY_SEARCH_INDEX_DIR", str(tmp_path / "envix"))
    assert runner.invoke(main, ["reindex", str(CORPUS), "--workers", "1"]).exit_code == 0
    result = runner.invoke(main, ["stats", "--json"])
    assert json.loads(result.output)["documents"] == 12


def test_search_without_index_says_what_to_run(cli, tmp_path):
    result = cli("search", "税", "--index-dir", tmp_path / "none")
    assert result.exit_code == 1
    assert f"no index in '{tmp_path / 'none'}' yet" in result.output
    assert f"`policy-search reindex YOUR_FOLDER --index-dir '{tmp_path / 'none'}'`" in result.output
    assert "Traceback" not in result.output


def test_the_index_goes_to_the_data_folder_unless_named(runner, tmp_path, monkeypatch):
    from searchapp.cli import main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("POLICY_SEARCH_INDEX_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["stats"])
    assert result.exit_code == 1
    assert f"no index in '{tmp_path / 'data' / 'policy-search' / 'index'}' yet" in result.output
    assert "`policy-search serve`" in result.output
    assert runner.invoke(main, ["reindex", str(CORPUS), "--workers", "1"]).exit_code == 0
    assert (tmp_path / "data" / "policy-search" / "index" / "CURRENT").exists()
    assert not (tmp_path / "index").exists()
    monkeypatch.chdir(tmp_path / "data")                  # any folder: the same index
    assert json.loads(runner.invoke(main, ["stats", "--json"]).output)["documents"] == 12


def test_stats_text(cli, index_dir):
    result = cli("stats", "--index-dir", index_dir)
    assert result.exit_code == 0
    assert result.output.startswith("documents: 12\n")


def test_plain_search_output(cli, index_dir):
    result = cli("search", "税", "--index-dir", index_dir, "--limit", "1")
    assert result.output.startswith("共 3 条结果，第 1/3 页")
    assert "中华人民共和国个人所得税法实施条例" in result.output


def test_synonyms_lists_rules_with_their_origin(cli, metadata_index_dir, tmp_path, monkeypatch):
    extra = tmp_path / "extra.txt"
    extra.write_text("营商环境 = 营商生态\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_SEARCH_SYNONYMS", str(extra))
    result = cli("synonyms", "--index-dir", metadata_index_dir)
    lines = result.output.splitlines()
    assert lines[:3] == ["# shipped (473 rules)", "国家发展和改革委员会 = 国家发展改革委 = 国家发改委",
                         "发展和改革委员会 = 发展改革委 = 发改委"]
    assert lines[-6:] == [f"# {extra} (1 rules)", "营商环境 = 营商生态",
                          "# defined in the indexed documents (3 rules)",
                          "客运经营 => 旅客运输经营    # 3 documents",
                          "货运经营 => 货物运输经营    # 3 documents",
                          "个人所得税法 => 中华人民共和国个人所得税法    # 2 documents"]
    data = json.loads(cli("synonyms", "客运经营", "--json", "--index-dir", metadata_index_dir).output)
    assert data == {"count": 2, "rules": [
        {"sources": ["道路旅客运输经营", "旅客运输经营", "客运经营"],
         "forms": ["道路旅客运输经营", "旅客运输经营", "客运经营"], "origin": "shipped"},
        {"sources": ["客运经营"], "forms": ["客运经营", "旅客运输经营"],
         "origin": "defined in the indexed documents", "documents": 3}]}
    result = cli("synonyms", "个税", "--index-dir", tmp_path / "none")
    assert result.stdout == "# shipped (1 rules)\n个人所得税 = 个税\n"
    assert result.stderr == (f"no index in '{tmp_path / 'none'}': abbreviations defined in "
                             "documents are not listed\n")


def test_synonyms_of_a_word_show_the_official_terms_of_the_titles(cli, query_index_dir):
    result = cli("synonyms", "退役兵", "--index-dir", query_index_dir)
    assert result.output == "# official titles (1 rules)\n退役兵 => 退役士兵    # 1 titles, 1 documents\n"
    result = cli("synonyms", "鞭炮", "--index-dir", query_index_dir)
    assert result.output == "# shipped everyday forms (1 rules)\n鞭炮, 炮仗, 爆竹 => 烟花爆竹\n"


def test_reindex_lists_each_duplicate_with_its_reason_and_keeps_versions(cli, tmp_path):
    # Two versions of one regulation with the same text (the 2022 header adds the 2019 and
    # 2022 revisions) are two documents; a byte copy under another name is a duplicate.
    laws = DATA / "metadata-gold" / "corpus" / "lawrefbook-laws" / "行政法规"
    src = tmp_path / "src"
    src.mkdir()
    for date in ("2019-03-02", "2022-03-29"):
        shutil.copy(laws / f"进出口商品检验法实施条例({date}).md", src)
    (src / "重复").mkdir()                    # after the originals in path order
    shutil.copy(laws / "进出口商品检验法实施条例(2022-03-29).md", src / "重复" / "副本.md")
    result = cli("reindex", src, "--index-dir", tmp_path / "ix", "--workers", "1")
    assert "2 documents in the index" in result.output
    assert ("  duplicate 重复/副本.md: same title, text and metadata as "
            "进出口商品检验法实施条例(2022-03-29).md, not indexed again") in result.output.split("\n")
