"""A newcomer's first minute, for real: the checkout installed into a fresh virtual
environment (its dependencies from the package index), then ``policy-search serve`` run from
an unrelated folder serves the bundled sample, indexed into the user's data folder.

Slow (a minute: the install) and run in CI with the rest.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.searchapp.web.test_server import HOST, free_port
from tests.support import REPO

pytestmark = pytest.mark.slow

_GENERATED = shutil.ignore_patterns(".git", ".venv", "venv", "*.egg-info", "node_modules", "__pycache__",
                                    ".pytest_cache", ".ruff_cache")


def not_source(folder: str, names: list[str]) -> set[str]:
    """What a checkout may hold that is not its source: local venvs, caches, build output
    (the top-level build/ and dist/ only: indexer/build/ is a package)."""
    top = {"build", "dist"} if Path(folder) == REPO else set()
    return set(_GENERATED(folder, names)) | (top & set(names))


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """``pip install <checkout>`` into a new venv; returns the venv's bin folder."""
    root = tmp_path_factory.mktemp("fresh")
    shutil.copytree(REPO, root / "checkout", ignore=not_source)
    made = run(sys.executable, "-m", "venv", str(root / "venv"))
    assert made.returncode == 0, made.stderr
    pip = run(str(root / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", str(root / "checkout"),
              timeout=900)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return root / "venv" / "bin"


def clean_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("POLICY_SEARCH_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(HOME=str(root / "home"), XDG_DATA_HOME=str(root / "data"),
               PATH=f"{root / 'bin'}:/usr/bin:/bin")
    return env


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def test_install_and_serve_the_sample_from_any_folder(installed, tmp_path):
    elsewhere = tmp_path / "some" / "folder"
    elsewhere.mkdir(parents=True)
    env = clean_env(tmp_path)
    port = free_port()
    with open(tmp_path / "serve.log", "wb") as log:
        proc = subprocess.Popen([str(installed / "policy-search"), "serve", "--port", str(port),
                                 "--workers", "1"], cwd=elsewhere, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        base = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text(errors="replace")
            time.sleep(0.5)
        log = (tmp_path / "serve.log").read_text()
        index = tmp_path / "data" / "policy-search" / "index"
        assert f"no index in '{index}' yet: building it from the bundled sample" in log
        assert (index / "CURRENT").exists()
        assert list(elsewhere.iterdir()) == []                    # nothing written where it ran
        status, page = get(base + "/search?q=" + quote("营商环境"))
        found = re.search(r"共 (\d+) 条结果", page)
        assert status == 200 and found and int(found[1]) > 5
        assert "<mark>营商环境</mark>" in page and 'href="/articles/' in page
        status, home = get(base + "/")
        assert status == 200 and "共收录" in home and "/static/style.css?v=" in home
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(20)


def test_a_named_folder_without_an_index_says_what_to_do(installed, tmp_path):
    missing = tmp_path / "nowhere"
    done = run(str(installed / "policy-search"), "serve", "--index-dir", str(missing), "--port",
               str(free_port()), cwd=tmp_path, env=clean_env(tmp_path), timeout=120)
    assert done.returncode == 1
    assert f"no index in '{missing}' yet" in done.stderr
    assert f"policy-search reindex YOUR_FOLDER --index-dir '{missing}'" in done.stderr
    assert "Traceback" not in done.stderr and not missing.exists()
