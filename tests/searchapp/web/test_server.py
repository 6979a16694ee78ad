"""The real server: ``policy-search serve`` (gunicorn, two workers) on 127.0.0.1.

Reindexing while it answers under load, a worker killed with SIGKILL, a damaged index at
start-up, security headers, and the index folder left untouched by requests.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from indexer.build.documents import doc_id
from indexer.build.pipeline import build_index
from tests.support import CORPUS

pytestmark = pytest.mark.slow

HOST = "127.0.0.1"
GOVCN_5 = "govcn-pages/www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
LOAD_QUERIES = ["个人所得税", "营商环境", "税", "国发〔2019〕5号", "春运", "监管 -征求意见",
                "title:条例", "date:2018..2019", "中华 OR 河北", "不存在的词语"]
STARTUP_S = 60


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "searchapp.cli", *args]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_SEARCH_")}
    env.update(extra)
    return env


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    log: Path

    def get(self, path: str, timeout: float = 10):
        """(status, headers, body) of a GET; HTTP errors are answers too."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def workers(self) -> set[int]:
        pids: set[int] = set()
        for children in Path(f"/proc/{self.proc.pid}/task").glob("*/children"):
            try:
                pids |= {int(p) for p in children.read_text().split()}
            except OSError:
                pass
        return pids

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)      # its own session: workers too
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)


def start_server(index_dir: Path, log: Path, workers: int = 2, **env: str) -> Server:
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command("serve", "--index-dir", str(index_dir), "--host", HOST, "--port", str(port),
                    "--workers", str(workers)),
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=base_env(**env), start_new_session=True)
    server = Server(proc, f"http://{HOST}:{port}", log)
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if server.get("/healthz", timeout=2)[0] == 200 and len(server.workers()) == workers:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    pytest.fail(f"server did not answer within {STARTUP_S} s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The test corpus copied and indexed once; tests copy both before changing anything."""
    root = tmp_path_factory.mktemp("serve")
    shutil.copytree(CORPUS, root / "src")
    build_index([root / "src"], root / "index", workers=1)
    return root / "src", root / "index"


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(built[1], root / "index")
    srv = start_server(root / "index", root / "server.log")
    try:
        yield srv
    finally:
        srv.stop()


def search_paths(body: bytes) -> list[str]:
    return [r["path"] for r in json.loads(body)["results"]]


# --- a) reindex while serving under load ----------------------------------------------------

@dataclass
class Load:
    server: Server
    threads: int = 4
    max_requests: int = 4000
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def _run(self, n: int) -> None:
        i = n
        while not self.stop.is_set() and len(self.statuses) + len(self.errors) < self.max_requests:
            q = LOAD_QUERIES[i % len(LOAD_QUERIES)]
            i += 1
            try:
                status, _, body = self.server.get("/api/search?" + urlencode({"q": q}))
                self.statuses.append(status)
                if status != 200:
                    self.errors.append(f"{status} for {q}: {body[:200]!r}")
            except OSError as exc:
                self.errors.append(f"{type(exc).__name__} for {q}: {exc}")

    def __enter__(self):
        self._pool = [threading.Thread(target=self._run, args=(n,), daemon=True)
                      for n in range(self.threads)]
        for t in self._pool:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self._pool:
            t.join(30)


def post(title: str, body: str, categories: tuple[str, ...] = ("科技",)) -> str:
    # Categories, a date and an author on purpose: a segment without one of them breaks the
    # column caches (see test_incremental_segment_without_a_column below).
    cats = "".join(f"  - {c}\n" for c in categories)
    return (f"---\ntitle: {title}\ndate: 2025-05-01\nauthor: 测试机关\n"
            + (f"categories:\n{cats}" if cats else "") + f"---\n<p>{body}</p>\n")


def reindex(src: Path, index_dir: Path, *extra: str) -> None:
    proc = subprocess.run(command("reindex", str(src), "--index-dir", str(index_dir),
                                  "--workers", "1", *extra),
                          capture_output=True, text=True, timeout=60, env=base_env())
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


def wait_for_paths(server: Server, q: str, expected: set[str], within: float = 5.0) -> float:
    """Seconds until a search on the server finds exactly ``expected`` (fails after ``within``)."""
    started = time.monotonic()
    while True:
        status, _, body = server.get("/api/search?" + urlencode({"q": q, "per_page": 100}))
        assert status == 200
        found = set(search_paths(body))
        if found == expected:
            return time.monotonic() - started
        if time.monotonic() - started > within:
            pytest.fail(f"after {within} s the server still answers {found} for {q!r}")
        time.sleep(0.1)


def test_reindex_while_serving_under_load(built, tmp_path):
    src, index = tmp_path / "src", tmp_path / "index"
    shutil.copytree(built[0], src)
    shutil.copytree(built[1], index)
    srv = start_server(index, tmp_path / "server.log")
    try:
        with Load(srv) as load:
            time.sleep(1)
            (src / "新增").mkdir()
            (src / "新增" / "one.md").write_text(post("量子纠缠通信试点方案", "开展量子纠缠通信试点。"),
                                                encoding="utf-8")
            (src / "新增" / "two.md").write_text(post("关于量子纠缠通信的通知", "量子纠缠通信。"),
                                                encoding="utf-8")
            reindex(src, index, "--full")
            waited = wait_for_paths(srv, "量子纠缠", {"新增/one.md", "新增/two.md"})
            assert waited < 3.5, f"took {waited:.1f} s to see the new generation"

            reindex(src, index, "--full")          # the first generation is removed now
            (src / "新增" / "three.md").write_text(post("星际航行补贴办法", "星际航行。"),
                                                  encoding="utf-8")
            reindex(src, index)                    # incremental: into the live generation
            waited = wait_for_paths(srv, "星际航行", {"新增/three.md"})
            assert waited < 3.5, f"took {waited:.1f} s to see the incremental update"
            time.sleep(1)
        assert load.errors == []
        assert set(load.statuses) == {200}
        assert len(load.statuses) >= 50, "the load threads hardly ran"
    finally:
        srv.stop()


COLUMNS_BUG = ("Whoosh's MultiReader.column_reader() leaves out segments that have no value "
               "for a column, so searchapp/columns.py column() is short and misaligned after an "
               "incremental update: wrong facets and filters, IndexError (500) (reported; "
               "remove this mark when fixed)")


def test_incremental_segment_without_a_column(tmp_path):
    """Incremental updates add segments; documents in them may lack categories (or a date)."""
    from searchapp.web.app import create_app

    src, index = tmp_path / "src", tmp_path / "index"
    src.mkdir()
    (src / "a.md").write_text(post("甲文件", "甲正文 alphaword", ("财政",)), encoding="utf-8")
    build_index([src], index, workers=1)
    (src / "b.md").write_text(post("乙文件", "乙正文 betaword", ()), encoding="utf-8")
    build_index([src], index, workers=1)
    (src / "c.md").write_text(post("丙文件", "丙正文 gammaword", ("教育",)), encoding="utf-8")
    build_index([src], index, workers=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()

    def api(**params):
        response = client.get("/api/search", query_string=params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    assert api(q="betaword")["facets"]["category"] == []
    assert [r["title"] for r in api(q="文件", category="教育")["results"]] == ["丙文件"]
    assert api(q="gammaword")["facets"]["category"] == [{"value": "教育", "count": 1}]


def test_deleted_article_disappears_after_incremental_reindex(tmp_path):
    from searchapp.web.app import create_app

    src, index = tmp_path / "src", tmp_path / "index"
    src.mkdir()
    for name in ("one", "two", "other"):
        (src / f"{name}.md").write_text(post(f"量子纠缠{name}", f"{name} 量子纠缠通信。"), encoding="utf-8")
    build_index([src], index, workers=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index), "REFRESH_SECONDS": 0}).test_client()

    def paths() -> set[str]:
        return {r["path"] for r in client.get("/api/search?q=量子纠缠").get_json()["results"]}

    assert paths() == {"one.md", "two.md", "other.md"}
    (src / "one.md").unlink()
    assert build_index([src], index, workers=1).removed == 1
    assert paths() == {"two.md", "other.md"}


# --- b) a killed worker is replaced ---------------------------------------------------------

def test_killed_worker_is_replaced(server):
    before = server.workers()
    assert len(before) == 2
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        now = server.workers()
        if victim not in now and len(now) == 2:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"workers after the kill: {server.workers()} (killed {victim})")
    assert server.proc.poll() is None
    statuses = [server.get("/api/search?" + urlencode({"q": q}))[0] for q in LOAD_QUERIES * 3]
    assert statuses == [200] * len(statuses)


# --- c) a damaged or missing index at start-up ----------------------------------------------

def run_serve(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(command("serve", "--host", HOST, "--port", str(free_port()), "--workers", "1",
                                  *args),
                          capture_output=True, text=True, timeout=STARTUP_S, cwd=tmp_path,
                          env=base_env(**env))


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def test_serve_refuses_a_damaged_index(tmp_path):
    bad = tmp_path / "bad"
    (bad / "gen-000001").mkdir(parents=True)
    (bad / "CURRENT").write_text("gen-000001\n")
    (bad / "gen-000001" / "_MAIN_1.toc").write_bytes(b"\x00garbage" * 10)
    (bad / "gen-000001" / "meta.json").write_text("{}")
    before = snapshot(bad)
    proc = run_serve(tmp_path, POLICY_SEARCH_INDEX_DIR=str(bad))
    assert proc.returncode != 0
    assert "policy-search reindex --full" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert snapshot(bad) == before


@pytest.mark.parametrize("current", ["garbage\n", "../../etc\n", ""])
def test_serve_does_not_build_over_a_broken_pointer(tmp_path, current):
    """A CURRENT naming no generation is a broken index, not an invitation to index the sample."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "CURRENT").write_text(current)
    before = snapshot(bad)
    proc = run_serve(tmp_path, POLICY_SEARCH_INDEX_DIR=str(bad))
    assert proc.returncode == 1, proc.stderr
    assert "policy-search reindex" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert snapshot(bad) == before


def test_serve_on_a_missing_index_dir(tmp_path):
    missing = tmp_path / "nowhere"
    proc = run_serve(tmp_path, "--index-dir", str(missing))
    assert proc.returncode == 1
    assert "policy-search reindex" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not missing.exists()


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run(command("--help"), capture_output=True, text=True, timeout=STARTUP_S)
    assert proc.returncode == 0 and "Usage: policy-search" in proc.stdout


# --- d) headers and error pages -------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/", "/search?q=%E7%A8%8E", f"/articles/{doc_id(GOVCN_5)}?q=%E7%A8%8E", "/api/search?q=%E7%A8%8E",
    "/api/suggest?q=%E4%B8%AA", "/feed?q=%E7%A8%8E", "/static/app.js", "/healthz",
    "/search?q=%E7%A8%8E&page=0", "/no-such-page", "/articles/..%2f..%2fetc%2fpasswd",
])
def test_security_headers(server, path):
    status, headers, body = server.get(path)
    assert status in (200, 400, 404)
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert b"Traceback" not in body and b"Werkzeug Debugger" not in body


def test_not_found_page_is_ours(server):
    status, headers, body = server.get("/no-such-page")
    assert status == 404 and headers.get_content_type() == "text/html"
    text = body.decode("utf-8")
    assert "404 · 页面不存在" in text and "Traceback" not in text
    status, headers, body = server.get("/api/articles/ffffffffffffffff")
    assert status == 404 and headers.get_content_type() == "application/json"


def test_long_queries_through_gunicorn(server):
    """Whatever a search box takes (2,000 characters, 18 KB of URL) gets its results page,
    cut with a notice; a longer request line than serve reads, the Chinese 414 page."""
    status, _, body = server.get("/search?" + urlencode({"q": "税" * 500, "source": "国务院", "page": 1}))
    assert status == 200 and "搜索词过长".encode() not in body
    for n in (501, 2000, 6000):
        status, _, body = server.get("/search?" + urlencode({"q": "税" * n, "within": "条例"}))
        assert status == 200, (n, body[:300])
        status, _, body = server.get("/search?" + urlencode({"q": "税" * n}))
        assert status == 200, (n, body[:300])
        assert f"搜索词过长（{n} 字），只搜索了前 500 字".encode() in body
        assert len(body) < 100_000
    status, headers, body = server.get("/search?" + urlencode({"q": "税" * 8000}))   # 72 KB
    assert status == 414 and headers.get_content_type() == "text/html"
    assert "414 · 网址过长".encode() in body and b"Traceback" not in body
    assert headers["Content-Security-Policy"]


# --- e) requests never write to the index ---------------------------------------------------

def test_requests_leave_the_index_folder_untouched(server, built):
    index_dir = Path(server.proc.args[server.proc.args.index("--index-dir") + 1])
    before = snapshot(index_dir)
    assert any(name.endswith(".pst") for name in before)
    paths = ["/", "/healthz", "/opensearch.xml", "/feed?q=%E7%A8%8E", "/no-such-page",
             f"/articles/{doc_id(GOVCN_5)}", f"/api/articles/{doc_id(GOVCN_5)}"]
    paths += [f"/search?{urlencode({'q': q})}" for q in LOAD_QUERIES]
    paths += [f"/api/search?{urlencode({'q': q, 'sort': 'date', 'per_page': 100})}" for q in LOAD_QUERIES]
    paths += [f"/api/suggest?{urlencode({'q': q[:2]})}" for q in LOAD_QUERIES]
    for path in paths * 2:
        assert server.get(path)[0] in (200, 404)
    time.sleep(1.2)                               # past a refresh check
    server.get("/healthz")
    assert snapshot(index_dir) == before
