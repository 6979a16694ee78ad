"""``serve`` facing the internet: slow clients, overload, and replicas behind real nginx.

Real processes over loopback HTTP: ``policy-search serve`` (gunicorn with our worker),
and Debian's nginx started from ``deploy/nginx-policy-search.conf`` (skipped with a reason
when nginx is not installed; ``.ci/run`` installs it).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from indexer.build.pipeline import build_index
from tests.searchapp.web.test_server import HOST, LOAD_QUERIES, Server, free_port, post, start_server
from tests.support import CORPUS, REPO

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY_CONF = REPO / "deploy" / "nginx-policy-search.conf"


def request(port: int, path: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """One GET on a new connection: (status, headers, body). Exceptions are failures."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def port_of(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def api_path(q: str) -> str:
    return "/api/search?" + urlencode({"q": q})


# --- a) slow clients cannot starve the server ----------------------------------------------

class Trickler:
    """Connections that send a partial request and then one header byte at a time."""

    def __init__(self, port: int, count: int):
        self.socks = []
        for n in range(count):
            s = socket.create_connection((HOST, port), timeout=5)
            s.sendall(f"GET /api/search?q=slow{n} HTTP/1.1\r\nHost: x\r\nX-Slow: ".encode())
            self.socks.append(s)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        for _ in range(200):                       # bounded: at most 200 rounds of 0.1 s
            if self.stop.wait(0.1):
                return
            for s in self.socks:
                try:
                    s.send(b"a")
                except OSError:
                    pass

    def closed_by_server(self) -> int:
        """How many of the connections the server has closed (reads EOF or a reset)."""
        closed = 0
        for s in self.socks:
            s.setblocking(False)
            try:
                closed += s.recv(1) == b""
            except BlockingIOError:
                pass
            except OSError:
                closed += 1
        return closed

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        for s in self.socks:
            s.close()


def test_slow_connections_do_not_starve_searches(index_dir, tmp_path):
    srv = start_server(index_dir, tmp_path / "server.log", POLICY_SEARCH_CLIENT_TIMEOUT="4")
    slow = None
    try:
        slow = Trickler(port_of(srv), 200)
        time.sleep(0.5)
        for n in range(20):
            started = time.monotonic()
            status, _, body = request(port_of(srv), api_path(LOAD_QUERIES[n % len(LOAD_QUERIES)]))
            took = time.monotonic() - started
            assert status == 200, body[:200]
            assert took <= 1.0, f"search {n} took {took:.2f} s with 200 slow connections open"
        # Slow connections have a time limit: all are closed once CLIENT_TIMEOUT has passed.
        deadline = time.monotonic() + 8
        while slow.closed_by_server() < 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert slow.closed_by_server() == 200
    finally:
        if slow:
            slow.close()
        srv.stop()


def test_idle_connection_is_closed(index_dir, tmp_path):
    srv = start_server(index_dir, tmp_path / "server.log", POLICY_SEARCH_CLIENT_TIMEOUT="1")
    try:
        with socket.create_connection((HOST, port_of(srv)), timeout=5) as s:
            started = time.monotonic()
            assert s.recv(1) == b""                # the server closes it, sending nothing
            assert 0.9 <= time.monotonic() - started <= 3
    finally:
        srv.stop()


# --- b) overload is refused, not queued forever --------------------------------------------

@dataclass
class Hammer:
    """``clients`` threads sending GETs on new connections for ``seconds``; every outcome kept."""

    port: int
    paths: list[str]
    clients: int = 32
    seconds: float = 10.0
    timeout: float = 5.0
    statuses: Counter = field(default_factory=Counter)
    ok_latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def run(self) -> Hammer:
        deadline = time.monotonic() + self.seconds
        threads = [threading.Thread(target=self._client, args=(k, deadline)) for k in range(self.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.seconds + 2 * self.timeout + 5)
        return self

    def _client(self, k: int, deadline: float) -> None:
        i = k
        while time.monotonic() < deadline and len(self.failures) < 50:
            path = self.paths[i % len(self.paths)]
            i += 1
            started = time.monotonic()
            try:
                status, headers, body = request(self.port, path, self.timeout)
            except OSError as exc:                 # refused, reset, timed out: all failures
                self.failures.append(f"{type(exc).__name__} on {path}: {exc}")
                continue
            self.statuses[status] += 1
            if status == 200:
                self.ok_latencies.append(time.monotonic() - started)
            elif status != 503 or not headers.get("retry-after", "").isdigit():
                self.failures.append(f"{status} on {path}: {headers} {body[:200]!r}")

    def p99(self) -> float:
        ordered = sorted(self.ok_latencies)
        return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def load_paths() -> list[str]:
    paths = [api_path(q) for q in LOAD_QUERIES]
    paths += ["/search?" + urlencode({"q": q}) for q in LOAD_QUERIES[:5]]
    return paths + ["/", "/healthz"]


def test_32_clients_get_answers_or_503(index_dir, tmp_path):
    srv = start_server(index_dir, tmp_path / "server.log", POLICY_SEARCH_RESULT_CACHE="0")
    try:
        hammer = Hammer(port_of(srv), load_paths()).run()
        assert hammer.failures == []
        assert set(hammer.statuses) <= {200, 503}
        assert hammer.statuses[200] >= 100, hammer.statuses
        assert hammer.p99() <= 1.0, f"p99 of the 200s: {hammer.p99():.2f} s"
        assert request(port_of(srv), "/healthz")[0] == 200      # and it is still fine
    finally:
        srv.stop()


# --- d) the 503 pages ----------------------------------------------------------------------

def test_overload_answers_503_pages_and_recovers(index_dir, tmp_path):
    """No waiting room at all (MAX_QUEUE=0): whatever arrives while a search runs is refused."""
    srv = start_server(index_dir, tmp_path / "server.log", workers=1, POLICY_SEARCH_MAX_QUEUE="0",
                       POLICY_SEARCH_RESULT_CACHE="0", POLICY_SEARCH_RETRY_AFTER="2")
    try:
        paths = [api_path("中华 OR 河北"), "/search?" + urlencode({"q": "中华 OR 河北"})]
        hammer = Hammer(port_of(srv), paths * 4, clients=8, seconds=3).run()
        assert hammer.failures == []
        assert hammer.statuses[503] > 0 and hammer.statuses[200] > 0, hammer.statuses
        refused = {}
        for _ in range(200):
            if len(refused) == 2:
                break
            results: list = []

            def ask(path: str, results=results) -> None:
                results.append((path, request(port_of(srv), path)))

            threads = [threading.Thread(target=ask, args=(p,)) for p in paths * 4]
            for t in threads:
                t.start()
            for t in threads:
                t.join(10)
            refused.update((p.startswith("/api/"), answer) for p, answer in results if answer[0] == 503)
        assert len(refused) == 2, "no 503 seen for the API or the page"

        status, headers, body = refused[True]
        assert headers["retry-after"] == "2"
        assert headers["content-type"].startswith("application/json")
        assert json.loads(body) == {"error": "服务器繁忙", "detail": "当前访问人数较多，请稍后再试",
                                    "status": 503}

        status, headers, body = refused[False]
        assert headers["retry-after"] == "2"
        assert headers["content-type"].startswith("text/html")
        assert headers["x-frame-options"] == "DENY" and "content-security-policy" in headers
        page = BeautifulSoup(body.decode("utf-8"), "html.parser")
        assert page.find("h1").get_text(strip=True) == "503 · 服务器繁忙"
        assert "请稍后再试" in page.get_text()

        time.sleep(0.5)                           # it recovers by itself
        assert [request(port_of(srv), p)[0] for p in paths * 3] == [200] * 6
    finally:
        srv.stop()


# --- c) replicas behind nginx --------------------------------------------------------------

def render_nginx(root: Path, listen: int, replicas: list[int], static: Path) -> Path:
    """deploy/'s site configuration with test ports and paths, in a whole nginx.conf in ``root``."""
    site = DEPLOY_CONF.read_text(encoding="utf-8")
    upstreams = "".join(f"    server {HOST}:{p} max_fails=1 fail_timeout=5s;\n" for p in replicas)
    lines = [line for line in site.splitlines(keepends=True)
             if not line.startswith("    server 127.0.0.1:80")]
    site = "".join(lines).replace("upstream policy_search {\n", "upstream policy_search {\n" + upstreams, 1)
    site = site.replace("listen 80;", f"listen {HOST}:{listen};").replace("listen [::]:80;\n", "")
    site = site.replace("/opt/policy-search/static/", f"{static}/")
    assert f"{HOST}:{replicas[0]}" in site and str(static) in site
    temp = "".join(f"    {kind}_temp_path {root}/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""     # workers as the current user
    mime = "    include /etc/nginx/mime.types;\n" if Path("/etc/nginx/mime.types").exists() else ""
    conf = root / "nginx.conf"
    conf.write_text(f"{user}worker_processes 1;\npid {root}/nginx.pid;\nerror_log {root}/error.log warn;\n"
                    f"events {{ worker_connections 1024; }}\nhttp {{\n{mime}"
                    f"    access_log {root}/access.log;\n{temp}{site}\n}}\n", encoding="utf-8")
    return conf


@pytest.fixture()
def nginx_bin():
    if not Path(NGINX).exists():
        pytest.skip(f"no nginx at {NGINX} (Debian package 'nginx'; .ci/run installs it)")
    return NGINX


@dataclass
class Nginx:
    proc: subprocess.Popen
    port: int

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGQUIT)     # graceful
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def start_nginx(binary: str, root: Path, replicas: list[int]) -> Nginx:
    port = free_port()
    conf = render_nginx(root, port, replicas, REPO / "searchapp" / "web" / "static")
    check = subprocess.run([binary, "-t", "-p", str(root), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with open(root / "stderr.log", "wb") as err:
        proc = subprocess.Popen([binary, "-p", str(root), "-c", str(conf), "-g", "daemon off;"],
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    nginx = Nginx(proc, port)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if request(port, "/healthz")[0] == 200:
                return nginx
        except OSError:
            time.sleep(0.1)
    nginx.stop()
    pytest.fail("nginx did not answer: " + (root / "error.log").read_text(errors="replace"))


def kill_replica(server: Server) -> None:
    os.killpg(server.proc.pid, signal.SIGKILL)    # the master and its workers, no goodbye
    server.proc.wait(10)


def test_nginx_replicas_survive_a_killed_replica_and_a_new_generation(nginx_bin, tmp_path):
    src, index = tmp_path / "src", tmp_path / "index"
    shutil.copytree(CORPUS, src)
    build_index([src], index, workers=1)
    replicas = [start_server(index, tmp_path / f"replica{n}.log", workers=1) for n in range(2)]
    (tmp_path / "nginx").mkdir()
    nginx = start_nginx(nginx_bin, tmp_path / "nginx", [port_of(r) for r in replicas])
    try:
        status, headers, body = request(nginx.port, "/static/app.js")
        assert status == 200 and headers["server"].startswith("nginx")
        assert body == (REPO / "searchapp" / "web" / "static" / "app.js").read_bytes()
        assert "content-security-policy" in request(nginx.port, "/")[1]   # pages come from serve

        hammer = Hammer(nginx.port, load_paths(), clients=4, seconds=12)
        load = threading.Thread(target=hammer.run)
        load.start()
        time.sleep(2)
        kill_replica(replicas[0])
        time.sleep(2)
        (src / "新增").mkdir()
        (src / "新增" / "one.md").write_text(post("量子纠缠通信试点方案", "开展量子纠缠通信试点。"),
                                            encoding="utf-8")
        report = build_index([src], index, full=True, workers=1)   # a new generation, switched under load
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            found = json.loads(request(nginx.port, api_path("量子纠缠"))[2])["results"]
            if [r["path"] for r in found] == ["新增/one.md"]:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"{report.generation} not served within 5 s")
        load.join(30)
        assert hammer.failures == []
        assert set(hammer.statuses) == {200}, hammer.statuses
        assert sum(hammer.statuses.values()) >= 100
    finally:
        nginx.stop()
        for replica in replicas:
            replica.stop()


def get_with(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One GET with extra headers: (status, lower-cased headers, raw body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_nginx_long_queries_static_cache_and_compression(nginx_bin, index_dir, tmp_path):
    """deploy/'s site: a query as long as a search box takes reaches serve (cut there with a
    notice), a longer line gets a Chinese 414 page; static files with their content hash are
    kept a year; pages and static files travel compressed."""
    import gzip

    replica = start_server(index_dir, tmp_path / "replica.log", workers=1)
    (tmp_path / "nginx").mkdir()
    nginx = start_nginx(nginx_bin, tmp_path / "nginx", [port_of(replica)])
    try:
        status, _, body = request(nginx.port, "/search?" + urlencode({"q": "税" * 2000}))
        assert status == 200 and "搜索词过长（2000 字），只搜索了前 500 字" in body.decode()
        status, headers, body = request(nginx.port, "/search?" + urlencode({"q": "税" * 8000}))
        assert status == 414 and headers["content-type"].startswith("text/html")
        assert "网址过长" in body.decode() and "nginx" not in body.decode()

        page = BeautifulSoup(request(nginx.port, "/")[2], "html.parser")
        css = page.select_one("link[rel=stylesheet]")["href"]
        assert css.startswith("/static/style.css?v=")
        status, headers, _ = request(nginx.port, css)
        assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
        assert request(nginx.port, "/static/style.css")[1]["cache-control"] == "no-cache"

        for path in ("/search?" + urlencode({"q": "条例"}), css):
            status, headers, body = get_with(nginx.port, path, **{"Accept-Encoding": "gzip"})
            assert status == 200 and headers["content-encoding"] == "gzip", path
            plain = request(nginx.port, path)[2]
            assert gzip.decompress(body).replace(b"\r\n", b"\n")[:200] == plain.replace(b"\r\n", b"\n")[:200]
            assert len(body) < len(plain) / 3
    finally:
        nginx.stop()
        replica.stop()
