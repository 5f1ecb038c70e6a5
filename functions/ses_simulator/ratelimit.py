"""Tencent's per-action request limit, and a record of the busiest second each action saw.

"fixed" counts per wall-clock second (a burst straddling a second boundary can get twice the
limit through, as with a simple gateway counter); "sliding" allows at most the limit in any
one-second window. Either way the limiter remembers the most requests it accepted for one
action inside any sliding second, so tests can check a client's pacing.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Literal

RateMode = Literal["fixed", "sliding"]
WINDOW_SECONDS = 1.0


class RequestAdmission:
    """Admits or rejects one request at a time; rejected requests leave no trace in the counts."""

    def __init__(
        self,
        rate: float | None,
        mode: RateMode = "fixed",
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._wall_clock = wall_clock
        self._rate = rate
        self._mode: RateMode = mode
        self._recent: dict[str, deque[float]] = {}
        self._buckets: dict[str, tuple[int, int]] = {}
        self._max: dict[str, int] = {}
        self.configure(rate, mode)

    @property
    def rate(self) -> float | None:
        """Requests per second per action; None means unlimited."""
        return self._rate

    @property
    def mode(self) -> RateMode:
        """ "fixed" or "sliding"."""
        return self._mode

    def configure(self, rate: float | None, mode: RateMode | None = None) -> None:
        """Change the limit (and optionally the mode) while serving."""
        if rate is not None and rate <= 0:
            raise ValueError("rate must be > 0, or None for no limit")
        if mode is not None and mode not in ("fixed", "sliding"):
            raise ValueError(f"unknown rate mode {mode!r}")
        with self._lock:
            self._rate = rate
            if mode is not None:
                self._mode = mode

    def admit(self, action: str) -> bool:
        """True if the request may be served; it then counts against the limit."""
        with self._lock:
            now = self._clock()
            recent = self._recent.setdefault(action, deque())
            while recent and recent[0] <= now - WINDOW_SECONDS:
                recent.popleft()
            second = math.floor(self._wall_clock())
            bucket_second, bucket_count = self._buckets.get(action, (second, 0))
            if bucket_second != second:
                bucket_count = 0
            if self._rate is not None:
                used = len(recent) if self._mode == "sliding" else bucket_count
                if used >= self._rate:
                    return False
            recent.append(now)
            self._buckets[action] = (second, bucket_count + 1)
            self._max[action] = max(self._max.get(action, 0), len(recent))
            return True

    def max_per_window(self) -> dict[str, int]:
        """Per action, the most requests accepted inside any sliding one-second window."""
        with self._lock:
            return dict(self._max)

    def reset(self, rate: float | None, mode: RateMode) -> None:
        """Forget all history and apply the given limit."""
        self.configure(rate, mode)
        with self._lock:
            self._recent.clear()
            self._buckets.clear()
            self._max.clear()
