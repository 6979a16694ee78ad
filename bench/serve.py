"""HTTP load benchmark: ``policy-search serve`` (gunicorn) driven with the query mix over loopback.

Run from the repository root (with the project installed), on an existing index::

    python bench/serve.py ../ix-100k --workers 2 --clients 4 --seconds 20

What it does, in order:

1. starts ``policy-search serve --index-dir INDEX --host 127.0.0.1 --port P --workers N`` as a
   child process (its own session; port P is a free one unless ``--port``), and measures
   the cold start: time until ``/healthz`` answers 200, and until the first query of
   ``queries.txt`` is answered through ``/api/search``;
2. reads the memory of the gunicorn master and each worker (its children, found by ppid in
   /proc): VmRSS, and PSS (pages shared after fork split between the sharers);
3. drives ``/api/search`` with the query mix (filters and sort as API parameters) from
   ``--clients`` threads, one ``http.client.HTTPConnection`` each (sync workers close the
   connection after each response; the client reconnects), for ``--seconds`` seconds and at
   most ``--max-requests`` requests: requests/s, latency p50/p95/p99/max as the client sees
   it, the server's own search time (``took_ms`` of the answers), and errors (non-200 status
   or exception; must be 0);
4. reads the memory again, then stops the server: SIGTERM to the master, and SIGKILL to its
   process group if it has not exited after ``--stop-timeout`` seconds.

Options for the serving comparisons (bench/RESULTS.md, "Serving safely"): ``--worker-class
sync|gthread|gevent`` runs serve's own gunicorn setup with another worker class;
``--slow-connections N`` keeps N connections trickling a request head one byte a second
during the load; ``--nginx`` starts Debian's nginx with ``deploy/nginx-policy-search.conf``
(ports and paths of this run) and sends the load through it. A 503 with ``Retry-After`` is
counted as refused, not as an error.

Only 127.0.0.1 is ever contacted. The client threads run in this process and take some CPU
from the server on a small machine: compare runs made on the same machine. Exits 1 when
there were errors or the server could not be started. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import QUERIES, BenchQuery, children, load_queries, percentile, pss_kb, rss_kb, table  # noqa: E402

HOST = "127.0.0.1"          # loopback only, always
REFUSED = -503              # a 503 with Retry-After: overload refused as designed, not an error


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _server_command() -> list[str]:
    script = Path(sys.executable).parent / "policy-search"
    if script.is_file():
        return [str(script)]
    found = shutil.which("policy-search")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from searchapp.cli import main; sys.exit(main())"]


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Accept": "application/json"})
    response = conn.getresponse()
    status = response.status
    if status == 503 and (response.getheader("Retry-After") or "").isdigit():
        status = REFUSED
    return status, response.read()


def _get_once(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        return _get(conn, path)
    finally:
        conn.close()


def _log_tail(log_path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Server:
    """The ``policy-search serve`` child process."""

    def __init__(self, index: Path, port: int, workers: int, log_path: Path,
                 waitress: bool = False, result_cache: bool = True, worker_class: str = "",
                 threads: int = 1):
        cmd = [*_server_command(), "serve", "--index-dir", str(index), "--host", HOST,
               "--port", str(port), "--workers", str(workers)]
        if worker_class:  # serve's own runner and options with another gunicorn worker class
            cmd = [sys.executable, "-c",
                   "import sys; from pathlib import Path; from searchapp.web.server import run; "
                   "run(Path(sys.argv[1]), '127.0.0.1', int(sys.argv[2]), int(sys.argv[3]), "
                   "worker_class=sys.argv[4], threads=int(sys.argv[5]))",
                   str(index), str(port), str(workers), worker_class, str(threads)]
        env = {**os.environ}
        if not result_cache:  # every request searches, as if no query ever repeated
            env["POLICY_SEARCH_RESULT_CACHE"] = "0"
        if waitress:  # the alternative WSGI server, for the choice between the two
            cmd = [sys.executable, "-m", "waitress", f"--listen={HOST}:{port}",
                   f"--threads={2 * workers}", "--call", "searchapp:create_app"]
            env["POLICY_SEARCH_INDEX_DIR"] = str(index)
        self.port = port
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                     start_new_session=True, env=env)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_healthy(self, timeout: float) -> float:
        """Seconds from start until /healthz answers 200."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not self.alive():
                raise RuntimeError(f"server exited with code {self.proc.returncode}:\n"
                                   f"{_log_tail(self.log_path)}")
            try:
                status, body = _get_once(self.port, "/healthz", timeout=5)
                if status == 200 and self.alive() and "documents" in json.loads(body):
                    return time.perf_counter() - self.started
            except (OSError, http.client.HTTPException, ValueError):   # not up yet, or not our JSON
                pass
            time.sleep(0.05)
        raise RuntimeError(f"/healthz did not answer 200 within {timeout:g} s:\n{_log_tail(self.log_path)}")

    def workers(self, expected: int, timeout: float = 10.0) -> list[int]:
        """The gunicorn worker pids (children of the master), waiting for ``expected`` of them."""
        deadline = time.perf_counter() + timeout
        pids = children(self.proc.pid)
        while len(pids) < expected and time.perf_counter() < deadline:
            time.sleep(0.1)
            pids = children(self.proc.pid)
        return pids

    def stop(self, timeout: float) -> str:
        """SIGTERM, wait, SIGKILL to the process group as a fallback; says what happened."""
        if not self.alive():
            self._log.close()
            return f"had already exited (code {self.proc.returncode})"
        started = time.perf_counter()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
            how = f"SIGTERM: exited with code {code} in {time.perf_counter() - started:.1f} s"
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)   # our own session: the server and its workers
            except ProcessLookupError:
                pass
            code = self.proc.wait(timeout=10)
            how = f"did not stop on SIGTERM within {timeout:g} s: SIGKILLed (code {code})"
        self._log.close()
        return how


class Load:
    """``clients`` threads sending the query mix round-robin until the deadline or the request cap."""

    def __init__(self, port: int, mix: list[BenchQuery], clients: int, seconds: float, max_requests: int,
                 timeout: float, pages: bool = False):
        self.port = port
        # The results page asks the same as the API: same parameters on /search.
        self.paths = [bq.api_path().replace("/api/search?", "/search?", 1) if pages
                      else bq.api_path() for bq in mix]
        self.pages = pages
        self.clients = clients
        self.seconds = seconds
        self.per_client = max(1, max_requests // clients)
        self.timeout = timeout
        self.latencies: list[list[float]] = [[] for _ in range(clients)]
        self.took: list[list[float]] = [[] for _ in range(clients)]
        self.errors: list[Counter] = [Counter() for _ in range(clients)]
        self.refused = [0] * clients
        self.elapsed = 0.0

    def run(self) -> None:
        started = time.perf_counter()
        deadline = started + self.seconds
        threads = [threading.Thread(target=self._client, args=(k, deadline), daemon=True)
                   for k in range(self.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.seconds + self.timeout + 10)     # each request is bounded by the timeout
        self.elapsed = time.perf_counter() - started

    def _client(self, k: int, deadline: float) -> None:
        n = len(self.paths)
        i = k * n // self.clients                     # clients start at different queries
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            for _ in range(self.per_client):
                if time.perf_counter() >= deadline:
                    break
                path = self.paths[i % n]
                i += 1
                t0 = time.perf_counter()
                try:
                    status, body = _get(conn, path)
                except (OSError, http.client.HTTPException) as exc:
                    self.errors[k][type(exc).__name__] += 1
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
                    continue
                if status == REFUSED:
                    self.refused[k] += 1
                    continue
                self.latencies[k].append(time.perf_counter() - t0)
                if status != 200:
                    self.errors[k][f"HTTP {status}"] += 1
                    continue
                if self.pages:
                    continue
                try:
                    self.took[k].append(float(json.loads(body)["took_ms"]))
                except (ValueError, KeyError, TypeError):
                    self.errors[k]["bad JSON"] += 1
        finally:
            conn.close()

    def summary(self) -> tuple[list[float], list[float], Counter]:
        errors: Counter = Counter()
        for c in self.errors:
            errors.update(c)
        return ([x * 1000 for xs in self.latencies for x in xs], [x for xs in self.took for x in xs], errors)


class SlowClients:
    """``count`` connections that send part of a request head, then one byte a second (slowloris)."""

    def __init__(self, port: int, count: int, seconds: float):
        self.socks = []
        for n in range(count):
            sock = socket.create_connection((HOST, port), timeout=5)
            sock.sendall(f"GET /api/search?q=slow{n} HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: ".encode())
            self.socks.append(sock)
        self.rounds = int(seconds) + 1
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        for _ in range(self.rounds):
            if self.stop.wait(1.0):
                return
            for sock in self.socks:
                try:
                    sock.send(b"a")
                except OSError:
                    pass

    def open_count(self) -> int:
        """How many the server has not closed yet."""
        alive = 0
        for sock in self.socks:
            sock.setblocking(False)
            try:
                alive += sock.recv(1) != b""
            except BlockingIOError:
                alive += 1
            except OSError:
                pass
        return alive

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        for sock in self.socks:
            sock.close()


def _nginx_conf(scratch: Path, listen: int, upstream: int) -> Path:
    """deploy/nginx-policy-search.conf with this run's ports and paths, inside a whole nginx.conf."""
    repo = Path(__file__).resolve().parent.parent
    site = (repo / "deploy" / "nginx-policy-search.conf").read_text(encoding="utf-8")
    site = "".join(line for line in site.splitlines(keepends=True)
                   if not line.startswith("    server 127.0.0.1:80"))
    site = site.replace("upstream policy_search {\n",
                        f"upstream policy_search {{\n    server {HOST}:{upstream};\n", 1)
    site = site.replace("listen 80;", f"listen {HOST}:{listen};").replace("listen [::]:80;\n", "")
    site = site.replace("/opt/policy-search/static/", f"{repo / 'searchapp' / 'web' / 'static'}/")
    temp = "".join(f"    {kind}_temp_path {scratch}/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = scratch / "nginx.conf"
    conf.write_text(f"{user}worker_processes 1;\npid {scratch}/nginx.pid;\nerror_log {scratch}/nginx.log;\n"
                    f"events {{ worker_connections 4096; }}\nhttp {{\n    include /etc/nginx/mime.types;\n"
                    f"    access_log off;\n{temp}{site}\n}}\n", encoding="utf-8")
    return conf


def _start_nginx(scratch: Path, upstream: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    conf = _nginx_conf(scratch, port, upstream)
    proc = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(scratch), "-c", str(conf),
                             "-g", "daemon off;"], stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        try:
            if _get_once(port, "/healthz", timeout=2)[0] == 200:
                return proc, port
        except (OSError, http.client.HTTPException):
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"nginx did not answer: {_log_tail(scratch / 'nginx.log')}")


def _memory(master: int, workers: list[int]) -> dict[int, tuple[int, int]]:
    return {pid: (rss_kb(pid), pss_kb(pid)) for pid in [master, *workers]}


def _mb(kb: int | None) -> float:
    return float("nan") if not kb else kb / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="HTTP benchmark: start policy-search serve on 127.0.0.1, measure cold start, "
                    "drive /api/search with the query mix, report throughput, latency and memory.",
        epilog="Example: python bench/serve.py ../ix --workers 2 --clients 4 --seconds 20")
    parser.add_argument("index", type=Path, help="index folder (must already hold an index)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="gunicorn worker processes (default: one per core, %(default)s)")
    parser.add_argument("--clients", type=int, default=4,
                        help="concurrent client threads (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration (default %(default)s)")
    parser.add_argument("--max-requests", type=int, default=100_000,
                        help="cap on requests in the load phase (default %(default)s)")
    parser.add_argument("--waitress", action="store_true",
                        help="serve with waitress (pip install waitress) instead of policy-search serve")
    parser.add_argument("--worker-class", default="",
                        help="run serve's gunicorn setup with this worker class instead of its own "
                             "(sync, gthread, gevent ...) to compare them")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker with --worker-class gthread (default %(default)s)")
    parser.add_argument("--slow-connections", type=int, default=0,
                        help="keep this many slowloris connections open during the load (default none)")
    parser.add_argument("--nginx", action="store_true",
                        help="send the load through nginx (deploy/nginx-policy-search.conf) in front")
    parser.add_argument("--pages", action="store_true",
                        help="request the HTML results pages (/search) instead of /api/search")
    parser.add_argument("--no-result-cache", action="store_true",
                        help="start the server with POLICY_SEARCH_RESULT_CACHE=0: every request searches")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--queries", type=Path, default=QUERIES,
                        help="query mix file (default: queries.txt next to this script)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="per-request timeout in seconds (default %(default)s)")
    parser.add_argument("--start-timeout", type=float, default=300.0,
                        help="seconds to wait for /healthz (default %(default)s)")
    parser.add_argument("--stop-timeout", type=float, default=20.0,
                        help="seconds to wait after SIGTERM before SIGKILL (default %(default)s)")
    args = parser.parse_args(argv)
    for name in ("workers", "clients", "max_requests"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.seconds <= 0:
        parser.error("--seconds must be positive")
    index = args.index.resolve()
    current = index / "CURRENT"
    if not current.is_file() or not (index / current.read_text(encoding="utf-8").strip()).is_dir():
        # without an index, `serve` would build one from data/sample: refuse instead
        parser.error(f"no index in {index}: build one first (policy-search reindex CORPUS --index-dir ...)")
    mix = load_queries(args.queries)
    port = args.port or _free_port()

    scratch = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    slow = nginx = None
    server = Server(index, port, args.workers, scratch / "server.log", waitress=args.waitress,
                    result_cache=not args.no_result_cache, worker_class=args.worker_class,
                    threads=args.threads)
    try:
        healthy_s = server.wait_healthy(args.start_timeout)
        t0 = time.perf_counter()
        status, body = _get_once(port, mix[0].api_path(), timeout=args.timeout)
        first_ms = (time.perf_counter() - t0) * 1000
        first_s = time.perf_counter() - server.started
        if status != 200:
            raise RuntimeError(f"first query answered {status}: {body[:300]!r}")
        workers = server.workers(args.workers)
        mem_start = _memory(server.proc.pid, workers)

        target = port
        if args.nginx:
            nginx, target = _start_nginx(scratch, port)
        if args.slow_connections:
            slow = SlowClients(target, args.slow_connections, args.seconds + 2)
            time.sleep(0.5)
        print(f"load: {args.clients} client(s) for {args.seconds:g} s on http://{HOST}:{target}/ ...",
              file=sys.stderr, flush=True)
        load = Load(target, mix, args.clients, args.seconds, args.max_requests, args.timeout,
                    pages=args.pages)
        load.run()
        slow_open = slow.open_count() if slow else 0
        workers_end = children(server.proc.pid)
        mem_end = _memory(server.proc.pid, workers_end)
        alive = server.alive()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if slow:
            slow.close()
        if nginx:
            nginx.terminate()
            nginx.wait(10)
        stopped = server.stop(args.stop_timeout)
        log_tail = _log_tail(server.log_path, 10)
        shutil.rmtree(scratch, ignore_errors=True)

    latencies, took, errors = load.summary()
    n_errors = sum(errors.values())
    requests = len(latencies) + sum(load.refused) + sum(
        v for k, v in errors.items() if not k.startswith(("HTTP", "bad")))
    rows = [
        ("index", str(index)),
        ("server", (args.worker_class or ("waitress" if args.waitress else "policy-search serve"))
         + (" behind nginx" if args.nginx else "")),
        ("workers / clients / cores", f"{args.workers} / {args.clients} / {os.cpu_count()}"),
        ("cold start: /healthz answers (s)", healthy_s),
        ("cold start: first query answered (s)", first_s),
        (f"  first query {mix[0].line!r} latency (ms)", first_ms),
        ("load seconds (wall)", load.elapsed),
        ("requests", requests),
        ("errors (non-200 or exception)", n_errors),
        ("refused: 503 with Retry-After", sum(load.refused)),
        ("requests/s (503s not counted)", len(latencies) / load.elapsed if load.elapsed else float("nan")),
        ("latency p50 (ms)", percentile(latencies, 50)),
        ("latency p95 (ms)", percentile(latencies, 95)),
        ("latency p99 (ms)", percentile(latencies, 99)),
        ("latency max (ms)", max(latencies, default=float("nan"))),
        ("server search took_ms p50 / p95", f"{percentile(took, 50):.1f} / {percentile(took, 95):.1f}"),
        ("server alive after load", "yes" if alive else "NO"),
        ("slow connections: opened / still open after the load",
         f"{args.slow_connections} / {slow_open}" if args.slow_connections else "-"),
        ("stop", stopped),
    ]
    for kind, count in sorted(errors.items()):
        rows.insert(8, (f"  error: {kind}", count))
    print(table(rows, header=("serve benchmark", "value")))
    print()
    mem_rows = []
    for pid in [server.proc.pid, *sorted(set(workers) | set(workers_end))]:
        role = "master" if pid == server.proc.pid else "worker"
        if role == "worker" and pid not in workers:
            role = "worker (new)"
        elif role == "worker" and pid not in workers_end:
            role = "worker (gone)"
        start, end = mem_start.get(pid, (0, 0)), mem_end.get(pid, (0, 0))
        mem_rows.append((role, str(pid), _mb(start[0]), _mb(end[0]), _mb(start[1]), _mb(end[1])))
    print(table(mem_rows, header=("process", "pid", "RSS start MB", "RSS end MB",
                                  "PSS start MB", "PSS end MB")))
    if n_errors:
        print(f"\n{n_errors} error(s); server log tail:\n{log_tail}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
