"""The gunicorn worker of ``serve``: whole requests in, one search at a time, overload refused.

Why a worker of our own (measured in bench/RESULTS.md, "Choosing the worker class"): gunicorn's sync
worker reads a request in the process that searches, so a few clients trickling headers hold
every worker (issue 15); gthread hands a connection to a thread once its first bytes arrive,
and the thread then blocks until the rest comes; gevent is a new dependency and gives no
handle on how long a request has waited.

Each worker process runs one event loop (``selectors``) that owns every connection: it
accepts, reads each request until it is complete (head, and a body up to ``MAX_BODY``) within
``CLIENT_TIMEOUT`` seconds of connecting, and only then queues it. Between two looks at the
sockets the loop runs the Flask app on one queued request (gunicorn's own parser and WSGI
environ, as its sync worker does) and writes the answer without blocking; what the socket does
not take at once is written as the client reads it, so a client that reads slowly holds
nothing either. One thread, because searches are pure Python: a second thread for the sockets
measured 10% fewer answers per second (its wake-ups take the GIL from searches); throughput
comes from processes, and a search is bounded by ``QUERY_TIMEOUT_MS``.

The queue is bounded twice, so overload is refused instead of queued forever: a request
arriving while ``MAX_QUEUE`` others wait, or one still waiting after ``MAX_WAIT_MS``, is
answered 503 with ``Retry-After`` (the page the app rendered for that once, see
``errors.overload_response``). A process accepts a connection only when it has nothing
queued, so that a free process takes it (as sync workers do); connections that have waited
``BACKLOG_S`` in the listen queue are all taken, read, and queued or refused. Each connection
carries one request (``Connection: close``), as with sync workers, so a busy process never
keeps a client that a free one could serve.
"""

from __future__ import annotations

import errno
import os
import resource
import selectors
import socket
import time
from collections import deque

from gunicorn.http import wsgi
from gunicorn.http.errors import NoMoreData
from gunicorn.http.parser import RequestParser
from gunicorn.workers import base

# The longest request line read (serve sets gunicorn's limit_request_line to 0): a longer one
# gets the app's Chinese 414 page (TOO_LONG). A search box's 2,000 characters are 18 KB. A
# longer head goes to the parser as it is, whose limits on headers answer 431/400.
MAX_HEAD = 64 * 1024
TOO_LONG = "too long"
# The app serves GET pages; a request body is never needed, a small one is tolerated.
MAX_BODY = 64 * 1024
# How often a stopping loop looks whether it is done, and (CHORES_S) how often the loop drops
# slow connections and beats the heartbeat.
TICK_S = 0.02
CHORES_S = 0.5
# A process accepts one connection when it has nothing queued, as sync workers do, so that
# connections go to whichever process is free. When connections have been waiting in the
# listen queue this long, it takes them all: only once read can they be queued or refused.
BACKLOG_S = 0.1

READING, QUEUED, WRITING, CLOSED = "reading", "queued", "writing", "closed"


class _Collector:
    """Stands in for the socket gunicorn's Response writes to: the bytes are kept."""

    def __init__(self):
        self.data = bytearray()

    def sendall(self, data) -> None:
        self.data += data

    send = sendall

    def gettimeout(self) -> float:
        return 0.0                          # util.write_nonblock (error pages) asks


def _simple_response(status: str, body: str) -> bytes:
    payload = body.encode("utf-8")
    return (f"HTTP/1.1 {status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n").encode("latin-1") + payload


class _Connection:
    """One client connection: reading → queued → writing → closed.

    Owned by the loop; the app sees only the bytes of a complete request.
    """

    __slots__ = ("sock", "peer", "buffer", "state", "deadline", "arrived", "out")

    def __init__(self, sock: socket.socket, peer, timeout: float):
        self.sock = sock
        self.peer = peer
        self.buffer = bytearray()
        self.state = READING
        self.deadline = time.monotonic() + timeout
        self.arrived = 0.0
        self.out = b""

    def complete(self) -> bool | bytes | str:
        """True when the buffer holds a whole request, bytes for an early refusal, TOO_LONG
        for a request line longer than MAX_HEAD, else False."""
        line_end = self.buffer.find(b"\r\n")
        if line_end > MAX_HEAD or (line_end < 0 and len(self.buffer) > MAX_HEAD):
            return TOO_LONG
        end = self.buffer.find(b"\r\n\r\n", max(line_end, 0))
        if end < 0:
            return len(self.buffer) > MAX_HEAD
        head = bytes(self.buffer[:end]).lower()
        if b"\ntransfer-encoding:" in head:
            return _simple_response("411 Length Required", "send a Content-Length, not chunks")
        length = 0
        start = head.find(b"\ncontent-length:")
        if start >= 0:
            value = head[start + 16:].split(b"\r\n", 1)[0].strip()
            if not value.isdigit():
                return True                 # the parser answers 400
            length = int(value)
        if length > MAX_BODY:
            return _simple_response("413 Content Too Large", "request body too large")
        return len(self.buffer) >= end + 4 + length

    def is_api(self) -> bool:
        """Whether the request asks for JSON (its 503 is JSON), by the app's own rule."""
        from searchapp.web.errors import wants_json

        line = bytes(self.buffer[:2048]).split(b"\r\n", 1)[0].split(b" ")
        return len(line) > 1 and wants_json(line[1].split(b"?", 1)[0].decode("latin-1"))

    def send(self, data: bytes) -> bool:
        """Send what the socket takes now; True when all of it (and the socket is closed)."""
        try:
            sent = self.sock.send(data) if data else 0
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:                     # the client has gone
            self.close()
            return True
        if sent == len(data):
            self.close()
            return True
        self.out = data[sent:]
        return False

    def close(self) -> None:
        self.state = CLOSED
        try:
            self.sock.close()
        except OSError:
            pass


class BufferedWorker(base.Worker):
    """See the module docstring. Settings come from the Flask app's config (``config.py``)."""

    def init_process(self) -> None:
        config = self.app.wsgi().config
        self.client_timeout = float(config["CLIENT_TIMEOUT"])
        self.max_queue = int(config["MAX_QUEUE"])
        self.max_wait = float(config["MAX_WAIT_MS"]) / 1000
        self.retry_after = int(config["RETRY_AFTER"])
        self.max_connections = _raise_fd_limit(int(config["MAX_CONNECTIONS"]))
        self.selector = selectors.DefaultSelector()
        self.open: set[_Connection] = set()
        self.queue: deque[_Connection] = deque()
        self.accepting = False
        self.accept_again = 0.0             # when a process that stopped accepting looks again
        self.backlog_since = 0.0            # since when connections wait to be accepted
        self.refused = 0
        self.refusals_logged = time.monotonic()
        super().init_process()

    def run(self) -> None:
        from searchapp.web.errors import overload_response, too_long_response

        self.busy = {api: self._render(overload_response(self.wsgi, api, self.retry_after))
                     for api in (True, False)}
        self.too_long = self._render(too_long_response(self.wsgi))
        _open_index(self.wsgi)
        self.selector.register(self.PIPE[0], selectors.EVENT_READ, self._woken)  # signals
        for listener in self.sockets:
            listener.setblocking(False)
        self._set_accepting(True)
        next_chores = 0.0
        stop_by = None
        while True:
            now = time.monotonic()
            if self.queue:
                wake = now                  # a search is waiting: only look at the sockets
            else:
                wake = next_chores if self.alive else min(next_chores, now + TICK_S)
                if not self.accepting and self.alive:
                    wake = min(wake, self.accept_again)
            ready = self.selector.select(max(0.0, wake - now) + (0 if self.queue else 0.001))
            # Listeners last, so that whether to accept sees this round's requests.
            ready.sort(key=lambda event: event[0].data == self._on_acceptable)
            for key, _ in ready:
                key.data(key.fileobj)
            if not ready or ready[-1][0].data != self._on_acceptable:
                self.backlog_since = 0.0    # nobody waits to be accepted
            now = time.monotonic()
            self._refuse_expired(now)
            if not self.accepting and self.alive and now >= self.accept_again:
                self._set_accepting(len(self.open) < self.max_connections)
            if now >= next_chores:
                next_chores = now + CHORES_S
                self._chores(now)
            if self.queue:
                self._answer(self.queue.popleft())
                continue
            if not self.alive:
                # Graceful stop: no new connections; finish what was asked within graceful_timeout.
                self._set_accepting(False)
                stop_by = stop_by or now + self.cfg.graceful_timeout
                if now > stop_by or not any(c.state == WRITING for c in self.open):
                    return

    def _answer(self, conn: _Connection) -> None:
        """Run the app on one complete request (the loop's sockets wait meanwhile)."""
        try:
            answer = self._handle(conn)
        except Exception:  # noqa: BLE001 - the loop must outlive any one request
            self.log.exception("error answering a request")
            answer = _simple_response("500 Internal Server Error", "internal error")
        self._write(conn, answer)

    def _set_accepting(self, on: bool) -> None:
        if on == self.accepting:
            return
        for listener in self.sockets:
            if on:
                self.selector.register(listener, selectors.EVENT_READ, self._on_acceptable)
            else:
                self.selector.unregister(listener)
        self.accepting = on

    def _on_acceptable(self, listener) -> None:
        """One connection when nothing is queued; all of them once they have waited BACKLOG_S."""
        now = time.monotonic()
        self.backlog_since = self.backlog_since or now
        if now - self.backlog_since >= BACKLOG_S:
            self.backlog_since = 0.0
            for _ in range(256):            # bounded: connections may keep coming
                if not self._accept(listener):
                    break
        elif not self.queue:
            self._accept(listener)

    def _accept(self, listener) -> bool:
        """Accept one connection; False when none is waiting or none can be held."""
        if len(self.open) >= self.max_connections:
            # Beyond this, new connections wait in the kernel's listen queue until
            # slow ones time out (CLIENT_TIMEOUT).
            self._set_accepting(False)
            self.accept_again = time.monotonic() + TICK_S
            return False
        try:
            sock, peer = listener.accept()
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE):
                self.log.warning("out of file descriptors: %s", exc)
                self._set_accepting(False)
                self.accept_again = time.monotonic() + CHORES_S
                return False
            if exc.errno in (errno.EAGAIN, errno.ECONNABORTED):
                return False
            raise
        sock.setblocking(False)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = _Connection(sock, peer, self.client_timeout)
        self.open.add(conn)
        self.selector.register(sock, selectors.EVENT_READ, lambda _s, c=conn: self._read(c))
        return True

    def _read(self, conn: _Connection) -> None:
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        complete: bool | bytes | str = True
        if data:
            conn.buffer += data
            complete = conn.complete()
            if not complete:
                return
        elif not conn.buffer:               # closed without asking anything
            self._forget(conn)
            conn.close()
            return
        self.selector.unregister(conn.sock)
        if complete == TOO_LONG:
            self._write(conn, self.too_long)
        elif isinstance(complete, bytes):
            self._write(conn, complete)     # a refusal decided from the head alone
        else:
            self._submit(conn)              # complete, or all the client will send

    def _submit(self, conn: _Connection) -> None:
        """Queue a complete request, or refuse it at once when MAX_QUEUE others wait."""
        conn.state, conn.arrived = QUEUED, time.monotonic()
        # The queue's head starts as soon as the loop has looked at its sockets; the
        # MAX_QUEUE behind it wait for searches.
        if len(self.queue) <= self.max_queue:
            self.queue.append(conn)
        else:
            self._refuse(conn)

    def _refuse(self, conn: _Connection) -> None:
        self.refused += 1
        self._write(conn, self.busy[conn.is_api()])

    def _refuse_expired(self, now: float) -> None:
        while self.queue and now - self.queue[0].arrived > self.max_wait:
            self._refuse(self.queue.popleft())

    def _write(self, conn: _Connection, data: bytes) -> None:
        conn.state = WRITING
        conn.deadline = time.monotonic() + self.client_timeout
        if conn.send(data):
            self._forget(conn)
        else:
            self.selector.register(conn.sock, selectors.EVENT_WRITE, lambda _s, c=conn: self._flush(c))

    def _flush(self, conn: _Connection) -> None:
        out, conn.out = conn.out, b""
        if conn.send(out):
            self.selector.unregister(conn.sock)
            self._forget(conn)

    def _forget(self, conn: _Connection) -> None:
        self.open.discard(conn)

    def _woken(self, fd) -> None:
        try:
            while os.read(fd, 4096):
                pass
        except BlockingIOError:
            pass

    def _chores(self, now: float) -> None:
        """Slow and idle connections, the heartbeat, the refusal count in the log."""
        for conn in list(self.open):
            if conn.state in (READING, WRITING) and now > conn.deadline:
                self.selector.unregister(conn.sock)
                self._forget(conn)
                conn.close()
        if self.refused and now - self.refusals_logged >= 10:
            self.log.warning("overloaded: %d request(s) answered 503 in the last %.0f s",
                             self.refused, now - self.refusals_logged)
            self.refused, self.refusals_logged = 0, now
        # Beaten between requests: one that runs longer than gunicorn's timeout lets the
        # arbiter replace this process, as it would a stuck sync worker.
        self.notify()
        if self.ppid != os.getppid():
            self.alive = False

    def _handle(self, conn: _Connection) -> bytes:
        out = _Collector()
        local = conn.sock.getsockname()
        req = None
        try:
            req = next(RequestParser(self.cfg, [bytes(conn.buffer)], conn.peer))
            resp, environ = wsgi.create(req, out, conn.peer, local, self.cfg)
            resp.force_close()
            self.nr += 1
            result = self.wsgi(environ, resp.start_response)
            try:
                for item in result:
                    resp.write(item)
                resp.close()
            finally:
                if hasattr(result, "close"):
                    result.close()
        except NoMoreData:
            return _simple_response("400 Bad Request", "incomplete request")
        except Exception as exc:  # parser errors (400/414/431) and anything the app let out
            out = _Collector()
            self.handle_error(req, out, conn.peer, exc)
        return bytes(out.data)

    def _render(self, response) -> bytes:
        """The bytes of a ready-made Werkzeug response, as gunicorn would write them."""
        out = _Collector()
        req = next(RequestParser(self.cfg, [b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"], ("", 0)))
        resp, environ = wsgi.create(req, out, ("", 0), ("", 0), self.cfg)
        resp.force_close()
        for item in response(environ, resp.start_response):
            resp.write(item)
        resp.close()
        return bytes(out.data)


def _open_index(app) -> None:
    """Open the index (and derive its arrays) before taking requests: otherwise the first
    search of each worker would wait for it (half a second at 10^5 documents)."""
    from indexer.storage import IndexMissing
    from searchapp.web.app import get_holder

    try:
        get_holder(app).context()
    except IndexMissing:
        pass                                # requests get the 503 that says what to run


def _raise_fd_limit(wanted: int) -> int:
    """Connections this process can hold: the soft descriptor limit is raised to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = max(soft, wanted + 64) if hard == resource.RLIM_INFINITY else hard
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return max(1, min(wanted, soft - 64))
