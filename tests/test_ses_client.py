"""SesClient against the simulator over HTTP, through the real Tencent SDK."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from emailstatus.command import Query, TargetKind
from emailstatus.config import Settings, TencentCredentials
from emailstatus.errors import SesError
from emailstatus.lookup import run_lookup
from emailstatus.results import PAGE_SIZE
from emailstatus.tencent.client import SesClient
from emailstatus.tencent.retry import RetryPolicy
from emailstatus.verdict import State
from ses_simulator import ABSENT_ADDRESS, FIXTURES, Simulator

FAST_RETRY = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05, total_seconds=10)
STATUS = "GetSendEmailStatus"


def make_client(sim: Simulator, *, secret_key: str | None = None, rate: float = 200) -> SesClient:
    settings = Settings(
        credentials=TencentCredentials(sim.secret_id, secret_key or sim.secret_key),
        ses_endpoint=sim.endpoint,
        ses_timeout=1.0,
        ses_rate=rate,
    )
    return SesClient(settings, retry=FAST_RETRY)


def two_days(sim: Simulator) -> tuple[date, ...]:
    today = sim.dataset.today
    return (today, today - timedelta(days=1))


@pytest.mark.parametrize(
    ("fixture", "state"),
    [
        ("delivered", State.DELIVERED),
        ("bounced", State.BOUNCED),
        ("dropped", State.DROPPED),
        ("deferred", State.DEFERRED),
        ("queued", State.QUEUED),
        ("refused", State.REFUSED),
        ("unknown", State.UNKNOWN),
        ("complained", State.DELIVERED),
    ],
)
def test_every_verdict(sim: Simulator, fixture: str, state: State) -> None:
    query = Query(FIXTURES[fixture].address, TargetKind.ADDRESS, two_days(sim))
    outcome = run_lookup(query, make_client(sim))
    assert outcome.verdict.state is state
    assert outcome.lookup.records[0].to_address == FIXTURES[fixture].address
    assert all(request_id for request_id in outcome.lookup.request_ids)


def test_not_found(sim: Simulator) -> None:
    query = Query(ABSENT_ADDRESS, TargetKind.ADDRESS, two_days(sim))
    outcome = run_lookup(query, make_client(sim))
    assert outcome.verdict.state is State.NOT_FOUND
    assert outcome.lookup.records == ()


def test_by_message_id(sim: Simulator) -> None:
    fixture = FIXTURES["bounced"]
    query = Query(fixture.message_id, TargetKind.MESSAGE_ID, (fixture.day,))
    outcome = run_lookup(query, make_client(sim))
    assert [record.message_id for record in outcome.lookup.records] == [fixture.message_id]
    assert outcome.verdict.state is State.BOUNCED


def test_pages_past_100_with_limit_100_on_every_call(sim: Simulator) -> None:
    fixture = FIXTURES["many"]
    lookup = make_client(sim).find([fixture.day], to_address=fixture.address)
    assert len(lookup.records) == fixture.count > 2 * PAGE_SIZE
    assert len({record.message_id for record in lookup.records}) == fixture.count
    assert len(lookup.request_ids) == 3
    times = [record.sort_key for record in lookup.records]
    assert times == sorted(times, reverse=True)


def test_several_days_newest_first(sim: Simulator) -> None:
    fixture = FIXTURES["multi"]
    days = tuple(fixture.day - timedelta(days=n) for n in range(4))
    lookup = make_client(sim).find(days, to_address=fixture.address)
    assert len(lookup.records) == 4
    assert lookup.records[0].message_id == fixture.message_id


@pytest.mark.parametrize(
    "fault",
    ["RequestLimitExceeded", "InternalError", "http500", "drop", "malformed", "missing_list"],
)
def test_retries_transient_faults_then_succeeds(sim: Simulator, fault: str) -> None:
    sim.fail_next(fault, times=2)
    fixture = FIXTURES["delivered"]
    lookup = make_client(sim).find([fixture.day], to_address=fixture.address)
    assert [record.to_address for record in lookup.records] == [fixture.address]
    assert sim.stats().served[STATUS] == 3


def test_retries_a_timeout(sim: Simulator) -> None:
    sim.set_faults(sim.faults.updated({"hang_seconds": 2.0}))
    sim.fail_next("timeout", times=1)
    fixture = FIXTURES["delivered"]
    lookup = make_client(sim).find([fixture.day], to_address=fixture.address)
    assert len(lookup.records) == 1


def test_gives_up_after_bounded_attempts(sim: Simulator) -> None:
    sim.fail_next("InternalError", times=50)
    with pytest.raises(SesError) as raised:
        make_client(sim).find([sim.dataset.today], to_address=ABSENT_ADDRESS)
    assert raised.value.code == "InternalError"
    assert raised.value.request_id
    assert sim.stats().served[STATUS] == FAST_RETRY.attempts


@pytest.mark.parametrize(
    "code", ["AuthFailure.UnauthorizedOperation", "AuthFailure.SecretIdNotFound"]
)
def test_never_retries_auth_failures(sim: Simulator, code: str) -> None:
    sim.fail_next(code, times=5)
    with pytest.raises(SesError) as raised:
        make_client(sim).find([sim.dataset.today], to_address=ABSENT_ADDRESS)
    assert raised.value.code == code
    assert raised.value.actor == "operator"
    assert sim.stats().served[STATUS] == 1


def test_wrong_key_is_rejected_by_the_simulator(sim: Simulator) -> None:
    client = make_client(sim, secret_key="not-the-right-key-000000000000000")
    with pytest.raises(SesError) as raised:
        client.find([sim.dataset.today], to_address=ABSENT_ADDRESS)
    assert raised.value.code == "AuthFailure.SignatureFailure"
    assert raised.value.request_id
    assert "not-the-right-key" not in str(raised.value)


def test_old_date_beyond_retention_is_explained(sim: Simulator) -> None:
    old = sim.dataset.today - timedelta(days=45)
    with pytest.raises(SesError) as raised:
        make_client(sim).find([old], to_address=ABSENT_ADDRESS)
    assert raised.value.code == "FailedOperation.NotSupportDate"
    assert raised.value.actor == "user"


def test_a_range_reaching_past_retention_keeps_the_dates_that_answer(sim: Simulator) -> None:
    today = sim.dataset.today
    days = [today - timedelta(days=n) for n in range(29, 33)]
    lookup = make_client(sim).find(days, to_address=ABSENT_ADDRESS)
    assert lookup.unsupported_dates == (days[2], days[3])


def test_reads_the_old_complaint_spelling(sim: Simulator) -> None:
    sim.dataset.complaint_spelling = "old"
    fixture = FIXTURES["complained"]
    lookup = make_client(sim).find([fixture.day], to_address=fixture.address)
    assert lookup.records[0].complained is True


def test_shared_limiter_holds_20_per_second_across_8_threads(sim: Simulator) -> None:
    client = make_client(sim, rate=20)
    fixture = FIXTURES["delivered"]
    errors: list[Exception] = []

    def lookups() -> None:
        try:
            for _ in range(5):
                client.find([fixture.day], to_address=fixture.address)
        except Exception as error:  # collected: a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=lookups) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = sim.stats()
    assert errors == []
    assert stats.served[STATUS] == 40
    assert stats.rejected == 0
    assert stats.max_per_window[STATUS] <= 20
