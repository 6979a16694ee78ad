"""Running a converter in a child process with a time and a memory limit (style convention 20).

A PDF library, a Word converter or OCR may crash, hang or swallow memory on a hostile file.
``run_limited`` forks the build worker (cheap: the child shares the loaded libraries and
dictionaries), makes the child leader of its own process group, caps its address space at
what it already maps plus ``memory_mb`` and runs the conversion there. The parent waits on
the result pipe until the deadline; on expiry it kills the whole group (a LibreOffice or
Tesseract the child started goes with it). Whatever goes wrong becomes a
``ConversionFailed`` with a short reason, which the build reports as a skipped file: a
converter's crash is never a failed build.

The child may move its own deadline: ``extend(seconds)`` (OCR asks for time per page once
it knows how many pages need it).
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import struct
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

_HEADER = struct.Struct("!cI")          # kind (b"r" result, b"e" error, b"x" extend), length
_PAGE = os.sysconf("SC_PAGE_SIZE")
_writer: int | None = None              # the child's end of the pipe, for ``extend``


class ConversionFailed(Exception):
    """A conversion that did not give a result; ``reason`` says why (English, short)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0
    memory_mb: int = 1024


def _mapped_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * _PAGE


def _send(fd: int, kind: bytes, payload: bytes) -> None:
    data = _HEADER.pack(kind, len(payload)) + payload
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def extend(seconds: float) -> None:
    """Ask the parent for ``seconds`` more (no-op outside a limited child)."""
    if _writer is not None:
        _send(_writer, b"x", struct.pack("!d", seconds))


def _die_with_parent() -> None:
    """A child whose build worker died is killed too (it is in a process group of its own,
    so the worker's group kill would not reach it)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(func: Callable, args: tuple, limits: Limits, fd: int) -> None:
    global _writer
    _writer = fd
    os.setpgid(0, 0)
    _die_with_parent()
    faulthandler.disable()          # a converter's crash is reported by its signal, not a dump
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    cap = _mapped_bytes() + limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        result = func(*args)
        _send(fd, b"r", pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        _send(fd, b"e", pickle.dumps(f"used more than {limits.memory_mb} MB of memory"))
    except ConversionFailed as exc:
        _send(fd, b"e", pickle.dumps(exc.reason))
    except BaseException as exc:   # anything a converter raises is the file's problem
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        _send(fd, b"e", pickle.dumps(f"converter error: {last[:300]}"))


def run_limited(func: Callable, args: tuple, limits: Limits):
    """``func(*args)`` in a forked child within ``limits``; its (picklable) return value.

    :raises ConversionFailed: on a timeout, the memory cap, a crash or an exception in
        ``func`` (``ConversionFailed`` raised there keeps its reason).
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:                                     # the child never returns
        os.close(read_fd)
        code = 0
        try:
            _child(func, args, limits, write_fd)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        return _wait(pid, read_fd, limits)
    finally:
        os.close(read_fd)
        _reap(pid)


def _wait(pid: int, fd: int, limits: Limits):
    deadline = time.monotonic() + limits.seconds
    buffer = bytearray()
    allowed = limits.seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            _kill(pid)
            raise ConversionFailed(f"conversion took longer than {allowed:.0f} s (time limit)")
        ready, _, _ = select.select([fd], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:                                  # the child exited without a result
            raise ConversionFailed(_death(pid, limits))
        buffer += chunk
        while len(buffer) >= _HEADER.size:
            kind, length = _HEADER.unpack_from(buffer)
            if len(buffer) < _HEADER.size + length:
                break
            payload = bytes(buffer[_HEADER.size:_HEADER.size + length])
            del buffer[:_HEADER.size + length]
            if kind == b"x":
                more = struct.unpack("!d", payload)[0]
                deadline += more
                allowed += more
            elif kind == b"e":
                raise ConversionFailed(pickle.loads(payload))
            else:
                return pickle.loads(payload)


def _death(pid: int, limits: Limits) -> str:
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGKILL:
            return f"converter killed (out of memory? limit {limits.memory_mb} MB)"
        return f"converter crashed ({signal.Signals(sig).name})"
    return f"converter exited with status {os.WEXITSTATUS(status)} without a result"


def _kill(pid: int) -> None:
    for target in (-pid, pid):          # the group (tools it started), then the child itself
        try:
            os.kill(target, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _reap(pid: int) -> None:
    _kill(pid)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
