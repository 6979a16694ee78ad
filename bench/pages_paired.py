"""Results-page server time, two servers compared request by request.

Run from the repository root, each server given as NAME=PROGRAM:INDEX (PROGRAM: a
``policy-search`` executable, e.g. from another checkout's virtualenv)::

    python bench/pages_paired.py --server ours=.venv/bin/policy-search:../ix \\
        --server before=../base/.venv/bin/policy-search:../ix-base --rounds 10

Both servers run at once, one worker each, result cache off. Every page of the query mix
(``/search`` with the line's filters and sort) is asked of each server in turn by one
client, the order alternating from page to page, so both see the same moments of a
machine whose speed drifts (separate runs minutes apart differed by more than the
difference measured). Each page is asked once of each server before timing.

Printed per server: the client's latency (connect, request, the whole page read) and the
time the server itself logs for the page (``policy_search.access``: from the request's
arrival in Flask to its response), p50 / p95 / mean, the mean page size, and the ratio
of each figure to the first server's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import QUERIES, load_queries, percentile, table  # noqa: E402

HOST = "127.0.0.1"
_LOGGED = re.compile(r"GET /search .* ([0-9.]+)ms$", re.M)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name: str, program: str, index: str, scratch: Path):
        self.name, self.port = name, _free_port()
        self.log_path = scratch / f"{name}.log"
        env = dict(os.environ, POLICY_SEARCH_RESULT_CACHE="0")
        self.process = subprocess.Popen(
            [program, "serve", "--index-dir", index, "--port", str(self.port), "--workers", "1"],
            env=env, stdout=subprocess.DEVNULL, stderr=self.log_path.open("w"))
        self.latency: list[float] = []
        self.sizes: list[int] = []

    def wait(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.get("/healthz")
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise SystemExit(f"{self.name} did not start: see {self.log_path}")

    def get(self, path: str) -> tuple[float, bytes]:
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != 200:
            raise SystemExit(f"{self.name}: {path} answered {response.status}")
        return (time.perf_counter() - t0) * 1000, body

    def logged(self) -> list[float]:
        return [float(ms) for ms in _LOGGED.findall(self.log_path.read_text("utf-8", "replace"))]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(20)


def _server_spec(text: str) -> tuple[str, str, str]:
    name, _, rest = text.partition("=")
    program, _, index = rest.rpartition(":")
    if not (name and program and index):
        raise argparse.ArgumentTypeError("expected NAME=PROGRAM:INDEX")
    return name, program, index


def _paths(queries: Path) -> list[str]:
    paths = []
    for bq in load_queries(queries):
        kwargs = {k: v for k, v in bq.params_kwargs().items() if v not in (None, "", (), [])}
        paths.append("/search?" + urlencode(kwargs, doseq=True))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", type=_server_spec, action="append", required=True,
                        help="NAME=PROGRAM:INDEX (twice or more; the first is the reference)")
    parser.add_argument("--rounds", type=int, default=5, help="times the mix is run (default %(default)s)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    args = parser.parse_args(argv)
    paths = _paths(args.queries)
    with tempfile.TemporaryDirectory() as scratch:
        servers = [Server(*spec, Path(scratch)) for spec in args.server]
        try:
            for server in servers:
                server.wait()
            for path in paths:                                  # each page once, untimed
                for server in servers:
                    server.get(path)
            skip = {s.name: len(s.logged()) for s in servers}
            for r in range(args.rounds):
                for k, path in enumerate(paths):
                    turn = servers if (r + k) % 2 == 0 else servers[::-1]
                    for server in turn:
                        ms, body = server.get(path)
                        server.latency.append(ms)
                        server.sizes.append(len(body))
            time.sleep(0.5)                                     # the last log lines
            logged = {s.name: s.logged()[skip[s.name]:] for s in servers}
        finally:
            for server in servers:
                server.stop()
    rows, ref = [], None
    for server in servers:
        figures = (percentile(logged[server.name], 50), percentile(logged[server.name], 95),
                   statistics.fmean(logged[server.name]), percentile(server.latency, 50),
                   percentile(server.latency, 95), statistics.fmean(server.latency))
        ref = ref or figures
        rows.append((server.name, *(f"{f:.2f} ({f / r:.2f}x)" for f, r in zip(figures, ref, strict=True)),
                     f"{statistics.fmean(server.sizes) / 1024:.1f}"))
    print(f"{len(paths)} pages x {args.rounds} rounds, asked of each server in turn")
    print(table(rows, header=("server", "logged p50 ms", "logged p95 ms", "logged mean ms",
                              "client p50 ms", "client p95 ms", "client mean ms", "page KB")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
