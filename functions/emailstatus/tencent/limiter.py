"""A thread-safe, adaptive request spacer: the SES rate limit treated as a budget.

Tencent allows 20 ``GetSendEmailStatus`` calls a second per account and does not say whether
the window is fixed or sliding. Spacing calls evenly (one every ``1/rate`` seconds, no bursts)
stays under either kind of window; when Tencent still answers ``RequestLimitExceeded`` (another
container is spending the same budget), the limiter halves its rate and then creeps back up.

Example::

    limiter = RateLimiter(rate=20)
    limiter.acquire()          # blocks until this caller may send
    limiter.on_throttled()     # Tencent said RequestLimitExceeded: slow down
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from emailstatus.errors import DeadlineError

#: Spacing is stretched by this factor (19 a second at 20) so one request delayed by network or
#: thread-scheduling jitter cannot squeeze a 21st call into a second.
SAFETY = 1.05
#: After a rejection the rate never drops below this share of the configured rate.
FLOOR_SHARE = 0.1
#: Each success wins back this share of the configured rate (additive increase).
RECOVERY_SHARE = 0.02


class RateLimiter:
    """Hands out evenly spaced turns to any number of threads (AIMD on throttling)."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.ceiling = rate
        self._rate = rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot = clock()

    @property
    def rate(self) -> float:
        """The rate currently allowed (requests per second), at most ``ceiling``."""
        return self._rate

    def acquire(self, deadline: float | None = None) -> None:
        """Wait for this caller's turn; ``deadline`` is a ``clock()`` value not to wait past."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot)
            if deadline is not None and slot > deadline:
                raise DeadlineError
            self._next_slot = slot + SAFETY / self._rate
        wait = slot - now
        if wait > 0:
            self._sleep(wait)

    def on_throttled(self) -> None:
        """Tencent refused a call for rate: halve the rate and leave a one-interval gap."""
        with self._lock:
            self._rate = max(self._rate / 2, self.ceiling * FLOOR_SHARE)
            self._next_slot = max(self._next_slot, self._clock()) + 1 / self._rate

    def on_success(self) -> None:
        """A call went through: win back a little of the configured rate."""
        if self._rate < self.ceiling:
            with self._lock:
                self._rate = min(self.ceiling, self._rate + self.ceiling * RECOVERY_SHARE)
