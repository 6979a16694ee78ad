"""Running the app under gunicorn (pre-fork; jieba loaded once before forking).

gunicorn's arbiter forks and supervises the processes; each runs ``BufferedWorker``
(``worker.py``), which reads requests in full before searching and refuses overload.
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

from indexer.analysis import warm_up
from searchapp.web.app import create_app


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def _logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    log = logging.getLogger("policy_search.access")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


WORKER_CLASS = "searchapp.web.worker.BufferedWorker"


def run(index_dir: Path, host: str, port: int, workers: int, debug: bool = False,
        worker_class: str = WORKER_CLASS, threads: int = 1) -> None:
    """Serve until interrupted (``worker_class``/``threads``: gunicorn's others, for benchmarks)."""
    app = create_app({"INDEX_DIR": str(index_dir)})
    _logging()
    warm_up()                # shared by all workers through fork (copy-on-write)
    # What was loaded so far stays out of the collector's way: collecting would write to
    # those objects' pages and so copy them into every worker.
    gc.freeze()
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    options = {"bind": f"{host}:{port}", "workers": workers,
               "worker_class": worker_class, "threads": threads,
               "preload_app": True, "timeout": 60, "graceful_timeout": 10,
               # Responses are collected in memory and written by the worker's event loop.
               "sendfile": False,
               # No limit of gunicorn's on the request line (its largest bounded one, 8190
               # bytes, is a query of 900 Chinese characters): the worker reads heads up to
               # worker.MAX_HEAD and answers a longer line with the app's Chinese 414 page.
               "limit_request_line": 0,
               "accesslog": None, "errorlog": "-", "loglevel": "warning"}
    print(f"serving on http://{host}:{port}/ with {workers} worker(s)", file=sys.stderr, flush=True)
    _Gunicorn(app, options).run()
