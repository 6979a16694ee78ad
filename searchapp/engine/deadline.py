"""A search's time limit, checked by every stage that can take long."""

from __future__ import annotations

import time


class TimedOut(Exception):
    """The search reached its time limit."""


class Deadline:
    """A point in time after which a search stops (``None``: never)."""

    def __init__(self, seconds: float | None):
        self.at = None if seconds is None else time.perf_counter() + seconds

    def check(self) -> None:
        if self.at is not None and time.perf_counter() > self.at:
            raise TimedOut

    def left(self) -> float | None:
        """Seconds left (never below 0), or None without a limit."""
        return None if self.at is None else max(0.0, self.at - time.perf_counter())


NO_DEADLINE = Deadline(None)
