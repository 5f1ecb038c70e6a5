"""Retries with exponential backoff and full jitter, bounded in attempts and in time.

The SDK's own ``StandardRetryer`` re-raises after one retryable error even when a later attempt
succeeds, so it stays off and this loop decides instead. Only errors whose code is known to be
transient are retried; auth and parameter errors fail at once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from emailstatus.errors import SesError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: at most ``attempts`` calls within ``total_seconds`` in all."""

    attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 4.0
    total_seconds: float = 20.0

    def delay(self, failures: int, rng: Callable[[float, float], float]) -> float:
        """Full jitter: a uniform pick between 0 and the capped exponential step."""
        return rng(0.0, min(self.max_delay, self.base_delay * 2 ** (failures - 1)))


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    on_retry: Callable[[SesError], None] | None = None,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    rng: Callable[[float, float], float] = random.uniform,
) -> T:
    """Run ``call`` until it succeeds, fails for good, or the attempts or time run out.

    ``deadline`` (a ``clock()`` value) tightens the policy's ``total_seconds``; the last
    ``SesError`` is raised when giving up.
    """
    give_up_at = clock() + policy.total_seconds
    if deadline is not None:
        give_up_at = min(give_up_at, deadline)
    failures = 0
    while True:
        try:
            return call()
        except SesError as error:
            failures += 1
            error.attempts = failures
            if not error.retryable or failures >= policy.attempts:
                raise
            pause = policy.delay(failures, rng)
            if clock() + pause >= give_up_at:
                raise
            if on_retry is not None:
                on_retry(error)
            sleep(pause)
