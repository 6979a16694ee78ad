"""Worst cases: the queries a user can type that cost most, each on its first run over HTTP.

Run from the repository root (with the project installed)::

    python bench/worst.py INDEX_DIR [--timeout-ms 100]

Starts ``policy-search serve`` on the index (two workers, result cache off), waits for
``/healthz``, then sends each query of ``CLASSES`` once to ``/api/search`` and prints the
wall time of the request, the server's ``took_ms``, the hits and whether it ``timed_out``.
Every query runs on a fresh server process, so each one is a first run: nothing it needs is
in a cache yet. The server runs without a time limit, unless ``--timeout-ms`` sets
``POLICY_SEARCH_QUERY_TIMEOUT_MS``, to show that a search stops at its limit and answers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import table  # noqa: E402

# class → queries (q and parameters) a user can type, each costly in its own way
CLASSES = {
    "quoted phrase of common characters": [{"q": '"依法追究刑事责任"'}, {"q": '"高质量发展"'},
                                           {"q": '"人民政府"'}],
    "single very common character": [{"q": "法"}, {"q": "国"}],
    "OR of eight quoted common words": [{"q": ' OR '.join(f'"{w}"' for w in (
        "发展", "建设", "管理", "服务", "工作", "企业", "国家", "社会"))}],
    "filter matching every document": [{"q": "", "from": "1900"}, {"q": "发展", "from": "1900"}],
    "prefix on a common character": [{"q": "国*"}, {"q": "发*"}],
    "three common phrases ANDed": [{"q": '"社会主义" "高质量发展" "人民群众"'}],
    "five very common words": [{"q": "发展 建设 管理 服务 工作"}],
    "a long query typed without spaces": [
        {"q": "关于进一步加强和改进新形势下社会主义市场经济建设工作的意见"}],
    "a slip that is corrected": [{"q": "营商坏境"}, {"q": "中华人民共和国国务院关于发展条列"}],
    "a question of common words": [{"q": "请问政府和企业在发展建设管理服务工作中需要注意哪些问题"},
                                   {"q": "我们单位的员工每年可以休几天假怎么计算工资?"}],
    "many unknown short words (each an everyday form or a slip?)": [
        {"q": "坏境 安权 条力 条列 服物 按全 阵兴 产全 试典 修假 半法 条里 公积经 分内 外企 医废 农险 软著"}],
}


def _serve(index: Path, port: int, timeout_ms: int | None) -> subprocess.Popen:
    # Without --timeout-ms, no limit: the figures are what each search costs in full.
    env = dict(os.environ, POLICY_SEARCH_RESULT_CACHE="0",
               POLICY_SEARCH_QUERY_TIMEOUT_MS=str(timeout_ms or 0))
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from searchapp.cli import main; sys.exit(main())",
         "serve", "--index-dir", str(index), "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _wait(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not answer /healthz")


def run_one(index: Path, params: dict, port: int, timeout_ms: int | None) -> tuple:
    server = _serve(index, port, timeout_ms)
    try:
        _wait(port)
        started = time.perf_counter()
        status, body = _get(port, "/api/search?" + urlencode(params))
        wall = (time.perf_counter() - started) * 1000
    finally:
        server.terminate()
        server.wait(30)
    data = json.loads(body) if status == 200 else {}
    return status, wall, data.get("took_ms", 0.0), data.get("total", 0), data.get("timed_out", False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--timeout-ms", type=int, default=None,
                        help="run the server with this POLICY_SEARCH_QUERY_TIMEOUT_MS")
    parser.add_argument("--port", type=int, default=8871)
    args = parser.parse_args(argv)
    rows = []
    for kind, queries in CLASSES.items():
        for params in queries:
            status, wall, took, total, timed_out = run_one(args.index, params, args.port, args.timeout_ms)
            shown = " ".join(f"{k}={v}" for k, v in params.items() if v)
            rows.append((kind, shown[:60], status, f"{wall:.0f}", f"{took:.0f}", f"{total:,}",
                         "yes" if timed_out else ""))
    print(table(rows, ("class", "query", "status", "wall ms", "server ms", "hits", "timed out"),
                title=f"worst cases, first run each, {args.index}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
