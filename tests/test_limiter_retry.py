"""The rate limiter and the retry loop, on a fake clock so timing is exact and instant."""

from __future__ import annotations

from itertools import pairwise

import pytest

from emailstatus.errors import DeadlineError, SesError
from emailstatus.tencent.limiter import SAFETY, RateLimiter
from emailstatus.tencent.retry import RetryPolicy, call_with_retries


class FakeClock:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_limiter_spaces_calls_evenly() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(41):
        limiter.acquire()
        starts.append(clock.now)
    # 41 turns at 20/s stretched by SAFETY take just over two seconds, never less.
    assert starts[-1] - starts[0] == pytest.approx(40 * SAFETY / 20)
    gaps = {round(b - a, 9) for a, b in pairwise(starts)}
    assert gaps == {round(SAFETY / 20, 9)}


def test_limiter_halves_on_throttle_and_recovers() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, clock=clock, sleep=clock.sleep)
    limiter.on_throttled()
    assert limiter.rate == 10
    for _ in range(3):
        limiter.on_throttled()
    assert limiter.rate == 2  # the floor: a tenth of the configured rate
    for _ in range(100):
        limiter.on_success()
    assert limiter.rate == 20


def test_limiter_refuses_a_turn_past_the_deadline() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    with pytest.raises(DeadlineError):
        limiter.acquire(deadline=clock.now + 0.5)


def _failing(codes: list[str], result: str = "ok"):
    calls = []

    def call() -> str:
        calls.append(1)
        if len(calls) <= len(codes):
            raise SesError(codes[len(calls) - 1], "boom", f"req-{len(calls)}")
        return result

    return call, calls


def test_retries_transient_errors_then_succeeds() -> None:
    clock = FakeClock()
    call, calls = _failing(["RequestLimitExceeded", "InternalError", "ClientNetworkError"])
    result = call_with_retries(
        call, RetryPolicy(), clock=clock, sleep=clock.sleep, rng=lambda lo, hi: hi
    )
    assert result == "ok"
    assert len(calls) == 4
    # full jitter's upper bounds: 0.2, 0.4, 0.8 seconds
    assert clock.sleeps == pytest.approx([0.2, 0.4, 0.8])


@pytest.mark.parametrize(
    "code", ["AuthFailure.SignatureFailure", "InvalidParameterValue.WrongDate", "MissingParameter"]
)
def test_never_retries_auth_or_parameter_errors(code: str) -> None:
    clock = FakeClock()
    call, calls = _failing([code])
    with pytest.raises(SesError) as raised:
        call_with_retries(call, RetryPolicy(), clock=clock, sleep=clock.sleep)
    assert raised.value.code == code
    assert len(calls) == 1


def test_gives_up_after_the_attempt_limit() -> None:
    clock = FakeClock()
    call, calls = _failing(["InternalError"] * 10)
    with pytest.raises(SesError):
        call_with_retries(call, RetryPolicy(attempts=3), clock=clock, sleep=clock.sleep)
    assert len(calls) == 3


def test_gives_up_when_the_time_budget_would_pass() -> None:
    clock = FakeClock()
    call, calls = _failing(["InternalError"] * 10)
    policy = RetryPolicy(attempts=10, base_delay=1.0, max_delay=8.0, total_seconds=3.5)
    with pytest.raises(SesError):
        call_with_retries(call, policy, clock=clock, sleep=clock.sleep, rng=lambda lo, hi: hi)
    assert clock.sleeps == [1.0, 2.0]  # the next pause, 4 s, would cross the 3.5 s budget
    assert len(calls) == 3
