"""Settings: declared once in ``config.py``, documented in docs/ (``test_docs.py``), and each read where
the CLI and the app factory read them (not from the environment deep inside a module)."""

import pytest

from indexer.analysis.segmenter import configure, segment
from searchapp.cli import main
from searchapp.web.app import create_app

TEXT = "推进数智治理"


@pytest.fixture()
def user_dict(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("数智治理 100000 n\n", encoding="utf-8")
    yield path
    configure(None)                      # back to the shipped dictionaries


def test_the_app_passes_user_dict_to_the_segmenter(tmp_path, user_dict):
    assert "数智治理" not in segment(TEXT)
    create_app({"TESTING": True, "INDEX_DIR": str(tmp_path), "USER_DICT": str(user_dict)})
    assert "数智治理" in segment(TEXT)


def test_the_cli_reads_user_dict_from_its_variable(runner, tmp_path, user_dict):
    result = runner.invoke(main, ["stats", "--index-dir", str(tmp_path / "none")],
                           env={"POLICY_SEARCH_USER_DICT": str(user_dict)})
    assert result.exit_code == 1                       # no index there; configured all the same
    assert "数智治理" in segment(TEXT)
