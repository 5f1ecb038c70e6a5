"""Walking every page of one day at the API's speed, each page exactly once, in order.

One request at a time cannot reach the rate limit when a request takes 150 ms or more (a
Lambda far from ap-singapore): 20 requests/s needs about ``rate × latency`` requests in flight.
So pages are dispatched in offset order to a bounded pool of threads, each spending from the
walk's own limiter and from the process-wide one, and handed back in offset order. The first
short page ends the day: pages dispatched past it are discarded, never counted. A page whose
request fails with a retryable error is retried inside ``SesClient.page``, so nothing is lost and
nothing counted twice. When the deadline comes, the walk stops cleanly and says how far it got.

Example::

    walk = client.iter_day(day, rate=16, deadline=time.monotonic() + 600)
    for page in walk:
        ...
    walk.progress.complete  # False when the deadline or a lasting failure cut it short
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import replace
from typing import TYPE_CHECKING

from emailstatus.errors import DeadlineError, SesError
from emailstatus.results import DEADLINE, REPEATING, WalkProgress
from emailstatus.tencent.limiter import RateLimiter

if TYPE_CHECKING:
    from emailstatus.knowledge.records import EmailRecord
    from emailstatus.results import Page

#: Request latency (seconds) up to which the pool keeps the budget busy (150 ms is typical
#: from a Lambda in another region; this leaves a wide margin).
LATENCY_ALLOWANCE = 0.5
#: Never more threads than the SDK's HTTP session keeps connections to one host (requests'
#: default pool of 10): more would open and drop a TLS connection per request.
MAX_WORKERS = 10
#: Pages dispatched ahead of the one being handed back, per worker: room for a slow (retrying)
#: page without idling the pool, and the bound on pages held in memory.
AHEAD_PER_WORKER = 2
#: Pages whose keys are remembered to drop an email seen again: Tencent lists newest first, so
#: an email sent during the walk shifts the offsets and repeats a page's last emails on the next.
DEDUP_PAGES = 3
#: Seconds past the deadline a page may still take before the walk stops waiting for it: every
#: request is bounded by ``tencent.transport`` too, so this is only a backstop.
SETTLE_GRACE = 1.0

#: Fetch one page at an offset, spending from the walk's rate limiter.
Fetch = Callable[[int, RateLimiter], "Page"]


class WalkStoppedError(Exception):
    """The walk ended while this worker was waiting for a turn: its page is not needed."""


def pool_size(rate: float) -> int:
    """Threads enough for ``rate × LATENCY_ALLOWANCE`` requests in flight, plus one."""
    return max(2, min(MAX_WORKERS, math.ceil(rate * LATENCY_ALLOWANCE) + 1))


class DayWalk:
    """The pages of one day, in offset order; ``progress`` says how far it got."""

    def __init__(
        self,
        fetch: Fetch,
        *,
        rate: float,
        page_size: int,
        deadline: float | None = None,
        workers: int | None = None,
    ) -> None:
        self._fetch = fetch
        self._rate = rate
        self._page_size = page_size
        self._deadline = deadline
        self.workers = workers or pool_size(rate)
        self.progress = WalkProgress()

    def __iter__(self) -> Iterator[Page]:
        stop = threading.Event()
        share = RateLimiter(self._rate, sleep=_sleep_until(stop))
        started = time.monotonic()
        pending: deque[Future[Page]] = deque()
        seen = _RecentKeys(DEDUP_PAGES * self._page_size)
        offset = 0
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="ses-walk")
        try:
            while True:
                while len(pending) < self.workers * AHEAD_PER_WORKER:
                    pending.append(pool.submit(self._fetch, offset, share))
                    offset += self._page_size
                page = self._settle(pending.popleft())
                if page is None:
                    return
                fresh = tuple(r for r in page.records if _is_new(r, seen))
                self.progress.pages += 1
                self.progress.records += len(fresh)
                self.progress.duplicates += len(page.records) - len(fresh)
                if page.records and not fresh and not page.is_last:
                    self.progress.stopped_by = REPEATING
                    return
                yield replace(page, records=fresh)
                if page.is_last:
                    self.progress.complete = True
                    return
        finally:
            # Wake every worker still waiting for a turn, drop the queued pages, and wait for
            # the requests already on the wire: each ends by the deadline (``tencent.transport``).
            stop.set()
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            self.progress.seconds = time.monotonic() - started

    def _settle(self, future: Future[Page]) -> Page | None:
        """The page, or None when the walk must end here (deadline, lasting Tencent trouble)."""
        wait = None if self._deadline is None else self._deadline - time.monotonic()
        try:
            return future.result(None if wait is None else max(wait, 0.0) + SETTLE_GRACE)
        except (DeadlineError, FutureTimeoutError):
            self.progress.stopped_by = DEADLINE
        except SesError as error:
            if not error.retryable:
                raise
            late = self._deadline is not None and time.monotonic() >= self._deadline
            self.progress.stopped_by = DEADLINE if late else error.code
        return None


def _is_new(record: EmailRecord, seen: _RecentKeys) -> bool:
    """An email without a MessageId cannot be told apart: it is always counted."""
    return not record.message_id or seen.add((record.message_id, record.to_address))


class _RecentKeys:
    """The last ``size`` keys added, to tell a repeat from a new email in constant memory."""

    def __init__(self, size: int) -> None:
        self._order: deque[tuple[str, str]] = deque()
        self._keys: set[tuple[str, str]] = set()
        self._size = size

    def add(self, key: tuple[str, str]) -> bool:
        """True when ``key`` is new (and now remembered)."""
        if key in self._keys:
            return False
        self._keys.add(key)
        self._order.append(key)
        if len(self._order) > self._size:
            self._keys.discard(self._order.popleft())
        return True


def _sleep_until(stop: threading.Event) -> Callable[[float], None]:
    """A sleep the end of the walk interrupts, so no request is sent after the day is done."""

    def sleep(seconds: float) -> None:
        if stop.wait(seconds):
            raise WalkStoppedError

    return sleep
