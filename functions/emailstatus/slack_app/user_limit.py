"""How many lookups one Slack user may start per minute, per container.

With empty allow-lists every member of the workspace may look up any address; this keeps one
person (or one stolen session) from walking through addresses or spending the account's SES
budget. A sliding window per user, in memory: each Lambda container counts on its own, so the
effective limit is at most this times the Slack function's reserved concurrency (README,
"Security"). Memory stays bounded: users idle for a window are forgotten, and at most
``MAX_USERS`` are tracked (the longest idle dropped first).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Final

LIMIT_WINDOW_S: Final = 60.0
MAX_USERS: Final = 10_000


class UserLimit:
    """``allow(user)`` is True at most ``per_minute`` times in any 60 seconds for one user."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, user: str) -> bool:
        """Count one lookup for ``user`` if the window has room."""
        now = self._clock()
        with self._lock:
            times = self._seen.pop(user, None) or deque()
            while times and times[0] <= now - LIMIT_WINDOW_S:
                times.popleft()
            allowed = len(times) < self.per_minute
            if allowed:
                times.append(now)
            self._seen[user] = times  # most recent last
            while len(self._seen) > MAX_USERS:
                self._seen.popitem(last=False)
            return allowed
