"""The digest's fault matrix: under any single fault, each (channel, day) is posted exactly once.

Every row runs the real job against the simulator, a fake Slack Web API and moto's DynamoDB,
injects one fault, then lets later runs come as the scheduler's retries would (after the
lease when the first run left a claim behind). DynamoDB faults are raised at botocore's
``before-call`` hook, the point a throttle outlasting botocore's retries surfaces; "killed"
stops the run dead at that step (a ``BaseException`` nothing catches), as a timeout or an
out-of-memory kill would. Run with ``-s`` to print the table (it is in the README).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from emailstatus.digest import post as digest_post
from emailstatus.digest.run import ChannelStatus, run_digest
from emailstatus.digest.store import DigestStore
from emailstatus.errors import EmailStatusError
from emailstatus.handlers import DigestRetryError, daily_digest
from emailstatus.tencent.client import SesClient
from ses_simulator import Simulator
from testkit.fake_slack import FakeSlack
from tests.digest.conftest import CHANNEL, TABLE, digest_settings

#: A lease short enough for a test to outwait, as the scheduler's later run does.
LEASE = timedelta(seconds=1)


class Killed(BaseException):
    """The process dies here: nothing after this line of the run happens."""


@dataclass(frozen=True)
class Step:
    """A DynamoDB call of the digest, told apart by its parameters."""

    name: str
    operation: str
    marker: str  # a substring of the call's serialized request, spaces removed

    def matches(self, operation: str, params: dict[str, Any]) -> bool:
        return operation == self.operation and self.marker in repr(params).replace(" ", "")


CLAIM = Step("claim", "UpdateItem", "if_not_exists")
POSTING = Step("record posting", "UpdateItem", "posting_since")
POSTED = Step("record posted", "UpdateItem", '":status":{"S":"posted"}')
DONE = Step("mark done", "UpdateItem", '":status":{"S":"done"}')
HISTORY = Step("history write", "PutItem", "figures#")


def _fail_once(dynamodb: Any, step: Step, error: BaseException) -> None:
    fired = threading.Event()

    def hook(params: dict[str, Any], model: Any, **_: Any) -> None:
        if not fired.is_set() and step.matches(model.name, params):
            fired.set()
            raise error

    dynamodb.meta.events.register("before-call.dynamodb.*", hook)


def _throttle() -> ClientError:
    return ClientError(
        {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "throttled"}},
        "UpdateItem",
    )


@dataclass
class Row:
    fault: str
    first: str
    later: str
    posted: int
    done: bool


ROWS: list[Row] = []


def _run(sim: Simulator, day: date, slack: FakeSlack, dynamodb: Any) -> str:
    """One scheduled-like run; its outcome as the table shows it."""
    settings = digest_settings(sim, EMAILSTATUS_SLACK_API_URL=slack.api_url)
    store = DigestStore(TABLE, client=dynamodb, lease=LEASE)
    try:
        run = run_digest(settings, day=day, client=SesClient(settings), store=store)
    except Killed:
        return "killed"
    except EmailStatusError as error:
        return f"failed ({type(error).__name__})"
    return run.channels[0].outcome.value


def _until_done(sim: Simulator, day: date, slack: FakeSlack, dynamodb: Any) -> str:
    """Later runs, each after the lease, until one reports the day posted (at most three)."""
    outcomes = []
    for _ in range(3):
        time.sleep(LEASE.total_seconds() + 0.1)
        outcomes.append(_run(sim, day, slack, dynamodb))
        if outcomes[-1] in (ChannelStatus.ALREADY_POSTED.value, ChannelStatus.POSTED.value):
            break
    return ", ".join(outcomes)


def _day_done(dynamodb: Any, day: date) -> bool:
    key = {"id": {"S": f"run#{CHANNEL}#{day.isoformat()}"}}
    item = dynamodb.get_item(TableName=TABLE, Key=key, ConsistentRead=True).get("Item", {})
    return bool(item.get("status", {}).get("S") == "done")


def _record(fault: str, first: str, later: str, *, world: tuple[FakeSlack, Any, date]) -> int:
    """Add the row to the printed matrix; the number of summaries posted."""
    slack, dynamodb, day = world
    summaries = len(slack.posts(thread=False))
    ROWS.append(Row(fault, first, later, summaries, _day_done(dynamodb, day)))
    return summaries


Inject = Callable[[FakeSlack, Any, pytest.MonkeyPatch], None]


def _dynamo(step: Step, error: Callable[[], BaseException]) -> Inject:
    return lambda slack, dynamodb, _: _fail_once(dynamodb, step, error())


def _slack_times_out_after_taking_it(
    slack: FakeSlack, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(digest_post, "SLACK_TIMEOUT_S", 0.3)
    slack.accept_then_hang(1.0)


def _slack_refuses(slack: FakeSlack, dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    slack.fail_next("chat.postMessage", "not_in_channel")


def _killed_after_slack_took_it(
    slack: FakeSlack, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_once(dynamodb, POSTED, Killed())


MATRIX: dict[str, Inject] = {
    "DynamoDB fails at claim": _dynamo(CLAIM, _throttle),
    "DynamoDB fails recording 'posting'": _dynamo(POSTING, _throttle),
    "DynamoDB fails recording 'posted' (after Slack took it)": _dynamo(POSTED, _throttle),
    "DynamoDB fails at mark done": _dynamo(DONE, _throttle),
    "DynamoDB fails at the history write": _dynamo(HISTORY, _throttle),
    "Slack times out after taking the message": _slack_times_out_after_taking_it,
    "Slack refuses the message (not_in_channel)": _slack_refuses,
    "killed after claiming": _dynamo(POSTING, Killed),
    "killed after Slack took the message": _killed_after_slack_took_it,
    "killed before mark done": _dynamo(DONE, Killed),
}


@pytest.fixture
def world(
    dsim: Simulator, day: date, fake_slack: FakeSlack, dynamodb: Any
) -> tuple[Simulator, date, FakeSlack, Any]:
    """The simulator, the day, the fake Slack and moto's DynamoDB of one row."""
    return dsim, day, fake_slack, dynamodb


@pytest.mark.parametrize("fault", MATRIX)
def test_every_single_fault_posts_exactly_once(
    fault: str, world: tuple[Simulator, date, FakeSlack, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    dsim, day, fake_slack, dynamodb = world
    MATRIX[fault](fake_slack, dynamodb, monkeypatch)
    first = _run(dsim, day, fake_slack, dynamodb)
    later = "—"
    if first not in (
        ChannelStatus.POSTED.value,
        ChannelStatus.ALREADY_POSTED.value,
    ) or not _day_done(dynamodb, day):
        later = _until_done(dsim, day, fake_slack, dynamodb)
    summaries = _record(fault, first, later, world=(fake_slack, dynamodb, day))
    assert summaries == 1, (first, later)
    assert _day_done(dynamodb, day)


def test_a_slow_holder_whose_lease_ran_out_posts_nothing(
    dsim: Simulator, day: date, fake_slack: FakeSlack, dynamodb: Any
) -> None:
    """Run A claims, then stalls past its lease; B takes over and posts; A wakes up fenced."""
    stalled = threading.Event()
    resume = threading.Event()

    def stall(params: dict[str, Any], model: Any, **_: Any) -> None:
        if POSTING.matches(model.name, params) and not stalled.is_set():
            stalled.set()
            resume.wait(10)

    dynamodb.meta.events.register("before-call.dynamodb.*", stall)
    outcomes: list[str] = []
    slow = threading.Thread(target=lambda: outcomes.append(_run(dsim, day, fake_slack, dynamodb)))
    slow.start()
    assert stalled.wait(30)
    time.sleep(LEASE.total_seconds() + 0.1)
    taker = _run(dsim, day, fake_slack, dynamodb)
    resume.set()
    slow.join()
    ROWS.append(
        Row(
            "lease runs out under a slow holder",
            outcomes[0],
            taker,
            len(fake_slack.posts(thread=False)),
            _day_done(dynamodb, day),
        )
    )
    assert taker == ChannelStatus.POSTED.value and outcomes == [ChannelStatus.BUSY.value]
    assert len(fake_slack.posts(thread=False)) == 1


def test_without_history_scope_an_unsure_run_refuses_rather_than_doubles(
    dsim: Simulator,
    day: date,
    fake_slack: FakeSlack,
    dynamodb: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The one case that cannot finish by itself: it stops and alarms, it never posts twice."""
    fake_slack.channels.history_scope = False
    _slack_times_out_after_taking_it(fake_slack, dynamodb, monkeypatch)
    first = _run(dsim, day, fake_slack, dynamodb)
    time.sleep(LEASE.total_seconds() + 0.1)
    later = _run(dsim, day, fake_slack, dynamodb)
    ROWS.append(
        Row(
            "Slack times out, channels:history not granted",
            first,
            later,
            len(fake_slack.posts(thread=False)),
            _day_done(dynamodb, day),
        )
    )
    assert later == "failed (DigestPostError)"
    assert len(fake_slack.posts(thread=False)) == 1


def test_a_busy_run_fails_so_the_scheduler_comes_back(
    dsim: Simulator,
    day: date,
    fake_slack: FakeSlack,
    dynamodb: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run finding the day held must not report success: the held day may be a dead run's."""
    DigestStore(TABLE, client=dynamodb).claim(CHANNEL, day)  # a run that died holding it
    settings = digest_settings(
        dsim, EMAILSTATUS_SLACK_API_URL=fake_slack.api_url, EMAILSTATUS_TABLE=TABLE
    )
    monkeypatch.setattr("emailstatus.handlers.get_settings", lambda: settings)
    with pytest.raises(DigestRetryError, match="held by another run"):
        daily_digest({"date": day.isoformat()}, None)
    assert fake_slack.posts(thread=False) == []


def test_print_the_matrix() -> None:
    """The table README's "Daily digest: exactly once" shows (``-s``)."""
    if not ROWS:
        pytest.skip("run with the matrix tests")
    print("\n| fault | first run | later runs (after the lease) | summaries posted | day done |")
    print("|---|---|---|---|---|")
    for row in ROWS:
        done = "yes" if row.done else "no"
        print(f"| {row.fault} | {row.first} | {row.later} | {row.posted} | {done} |")
