from pathlib import Path

from searchapp.web.app import create_app


def test_config_defaults_and_test_overrides(tmp_path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)})
    assert app.testing
    assert app.config["INDEX_DIR"] == str(tmp_path.resolve())
    assert app.config["PER_PAGE"] == 10


def test_env_prefix_is_read_unless_testing(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_SEARCH_INDEX_DIR", str(tmp_path / "from-env"))
    assert create_app().config["INDEX_DIR"] == str(tmp_path / "from-env")
    assert create_app({"TESTING": True}).config["INDEX_DIR"] != str(tmp_path / "from-env")


def test_templates_come_from_the_top_level_folder():
    app = create_app({"TESTING": True})
    assert Path(app.template_folder).name == "templates"
    assert (Path(app.template_folder) / "base.html").is_file()


def test_missing_index_is_a_clear_503(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/api/search?q=税")
    assert response.status_code == 503
    assert "policy-search reindex" in response.get_json()["detail"]


def test_mmap_setting_auto_maps_small_indexes_only(index_dir, monkeypatch):
    from indexer.storage import generations as store
    from searchapp.web.app import get_holder

    for value, expected in (("auto", None), ("", None), ("false", False), ("0", False),
                            ("true", True), (True, True)):
        app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "MMAP": value})
        assert get_holder(app).mmap is expected, value
    gen = store.current(index_dir)
    assert store.use_mmap(gen, None) is True                 # the test index is small
    assert store.use_mmap(gen, False) is False
    monkeypatch.setattr(store, "MMAP_AUTO_MAX_BYTES", 1000)
    assert store.use_mmap(gen, None) is False


def test_result_cache_setting(index_dir):
    from searchapp.web.app import get_holder

    for size, kept in ((0, False), (2, True)):
        app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "RESULT_CACHE": size})
        client = app.test_client()
        first = client.get("/api/search?q=营商环境").get_json()
        assert len(get_holder(app).results) == (1 if kept else 0)
        assert client.get("/api/search?q=营商环境").get_json()["results"] == first["results"]
