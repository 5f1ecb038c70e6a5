"""The fault matrix: every way Tencent or the network can fail a lookup, through the CLI and the
Slack command, against the simulator over HTTP with the real SDK.

For each fault: how many requests reached the simulator (retried up to the policy's attempts,
or sent once), what the person reads (the CLI's stderr and exit code, the Slack answer), and
who is told to act. Faults that clear up must end in a normal verdict. Authentication faults
are real where the simulator can produce them (an unknown SecretId, a wrong key, a clock 10
minutes fast, an unsupported region) and injected otherwise. Run with ``-s`` to see the matrix.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from emailstatus.knowledge.codes import Actor, error_info
from emailstatus.tencent.retry import RetryPolicy
from ses_simulator import FIXTURES, Simulator
from testkit.block_kit import all_text
from testkit.slack_harness import SlackHarness
from tests.reliability.conftest import SES_TIMEOUT, STATUS, RunCli, skew_sdk_clock

Inject = Callable[[Simulator, pytest.MonkeyPatch], None]
#: Every lookup here asks about one fixture on one day: one request per attempt.
TARGET = FIXTURES["delivered"]
#: Seconds an injected hang lasts; the client gives up long before (``SES_TIMEOUT``).
HANG = 2.0


def fail_next(sim: Simulator, kind: str, times: int) -> None:
    """The next ``times`` requests get fault ``kind`` (a Tencent code or a transport fault)."""
    if kind == "timeout":
        sim.set_faults(sim.faults.updated({"hang_seconds": HANG}))
    sim.fail_next(kind, times=times, action=STATUS)


def queued(kind: str) -> Inject:
    """``kind`` for every request of the test (more than any retry policy attempts)."""

    def inject(sim: Simulator, env: pytest.MonkeyPatch) -> None:
        fail_next(sim, kind, times=100)

    return inject


def setting(name: str, value: str) -> Inject:
    def inject(sim: Simulator, env: pytest.MonkeyPatch) -> None:
        env.setenv(name, value)

    return inject


def clock_skew(sim: Simulator, env: pytest.MonkeyPatch) -> None:
    skew_sdk_clock(env)


@dataclass(frozen=True)
class Fault:
    """One row: the fault, how it is made, and what the person must be told."""

    name: str
    how: str
    code: str
    #: Who the message must send to act: an expectation stated here, not read from the table.
    actor: Actor
    #: Words the person must read, whatever else the message says.
    says: str
    inject: Inject
    #: The fault as a ``fail_next`` kind, for the "clears up after two" run; None if lasting.
    transient: str | None = None
    #: Whether Tencent answered (so there is a RequestId to quote).
    answered: bool = True

    @property
    def retried(self) -> bool:
        return self.transient is not None


FAULTS = [
    Fault(
        "timeout",
        f"injected: server hangs {HANG:g} s",
        "ClientNetworkError",
        Actor.TENCENT,
        "timed out",
        queued("timeout"),
        transient="timeout",
        answered=False,
    ),
    Fault(
        "HTTP 500",
        "injected: HTML 500 page",
        "ServerNetworkError",
        Actor.TENCENT,
        "HTTP status",
        queued("http500"),
        transient="http500",
        answered=False,
    ),
    Fault(
        "dropped connection",
        "injected: closed, no answer",
        "ClientNetworkError",
        Actor.TENCENT,
        "connection to Tencent failed",
        queued("drop"),
        transient="drop",
        answered=False,
    ),
    Fault(
        "RequestLimitExceeded storm",
        "injected: every answer",
        "RequestLimitExceeded",
        Actor.OPERATOR,  # our own traffic went over the account's limit, not Tencent's fault
        "our own requests",
        queued("RequestLimitExceeded"),
        transient="RequestLimitExceeded",
    ),
    Fault(
        "InternalError",
        "injected: every answer",
        "InternalError",
        Actor.TENCENT,
        "inside Tencent",
        queued("InternalError"),
        transient="InternalError",
    ),
    Fault(
        "malformed JSON",
        "injected: 200, body cut off",
        "MalformedResponse",
        Actor.TENCENT,
        "not the JSON",
        queued("malformed"),
        transient="malformed",
        answered=False,
    ),
    Fault(
        "success without EmailStatusList",
        "injected: 200, list left out",
        "IncompleteResponse",
        Actor.TENCENT,
        "left out the list",
        queued("missing_list"),
        transient="missing_list",
    ),
    Fault(
        "unknown SecretId",
        "real: unknown SecretId",
        "AuthFailure.SecretIdNotFound",
        Actor.OPERATOR,
        "SecretId/SecretKey",
        setting("TENCENTCLOUD_SECRET_ID", "AKIDunknown00000000000000000000000000"),
    ),
    Fault(
        "wrong SecretKey",
        "real: signature check",
        "AuthFailure.SignatureFailure",
        Actor.OPERATOR,
        "signature did not match",
        setting("TENCENTCLOUD_SECRET_KEY", "not-the-simulators-key-0000000000"),
    ),
    Fault(
        "clock 10 min fast",
        "real: SDK clock +10 min",
        "AuthFailure.SignatureExpire",
        Actor.OPERATOR,
        "clock",
        clock_skew,
    ),
    Fault(
        "no CAM permission",
        "injected (no CAM here)",
        "AuthFailure.UnauthorizedOperation",
        Actor.OPERATOR,
        "not allowed to look up email status",
        queued("AuthFailure.UnauthorizedOperation"),
    ),
    Fault(
        "unsupported region",
        "real: region eu-frankfurt",
        "UnsupportedRegion",
        Actor.OPERATOR,
        "region",
        setting("EMAILSTATUS_SES_REGION", "eu-frankfurt"),
    ),
]
IDS = [fault.name for fault in FAULTS]
TRANSIENT = [fault for fault in FAULTS if fault.retried]


@dataclass
class Row:
    requests: int | None = None
    cli_exit: int | None = None
    cli_recovers: str = "—"
    slack_headline: str = ""


class Matrix:
    """The observations of this module's tests, printed as a Markdown table at the end."""

    def __init__(self) -> None:
        self.rows = {fault.name: Row() for fault in FAULTS}

    def table(self) -> str:
        lines = [
            "| fault | made by | requests sent | CLI exit | code | who acts | Slack headline "
            "| clears up |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for fault in FAULTS:
            row = self.rows[fault.name]
            lines.append(
                f"| {fault.name} | {fault.how} | {_show(row.requests)} | {_show(row.cli_exit)} | "
                f"`{fault.code}` | {fault.actor.value} | {row.slack_headline or '?'} | "
                f"{row.cli_recovers} |"
            )
        return "\n".join(lines)


@pytest.fixture(scope="module")
def matrix() -> Iterator[Matrix]:
    observed = Matrix()
    yield observed
    if any(row.requests is not None for row in observed.rows.values()):
        print("\n\nFault matrix (lookup of one address on one day):\n" + observed.table())


def expected_requests(fault: Fault, policy: RetryPolicy) -> int:
    return policy.attempts if fault.retried else 1


@pytest.mark.parametrize("fault", FAULTS, ids=IDS)
def test_cli_explains_a_lasting_fault(
    fault: Fault,
    *,
    sim: Simulator,
    slack_env: pytest.MonkeyPatch,
    run_cli: RunCli,
    fast_retries: RetryPolicy,
    matrix: Matrix,
) -> None:
    fault.inject(sim, slack_env)
    result = run_cli("check", TARGET.address, TARGET.day.isoformat())

    info = error_info(fault.code)
    requests = sim.stats().served.get(STATUS, 0)
    matrix.rows[fault.name].requests = requests
    matrix.rows[fault.name].cli_exit = result.code
    assert requests == expected_requests(fault, fast_retries)
    assert result.code == 1
    assert result.out == ""
    assert f"code: {fault.code}" in result.err
    assert info.explanation in result.err
    assert fault.says.lower() in result.err.lower()
    assert f"next step ({fault.actor.value}): " in result.err
    assert ("RequestId: " in result.err) is fault.answered
    assert "Traceback" not in result.err


@pytest.mark.parametrize("fault", FAULTS, ids=IDS)
def test_slack_explains_a_lasting_fault(
    fault: Fault,
    *,
    sim: Simulator,
    slack: SlackHarness,
    slack_env: pytest.MonkeyPatch,
    fast_retries: RetryPolicy,
    matrix: Matrix,
) -> None:
    slack_env.setenv("EMAILSTATUS_SES_TIMEOUT", str(SES_TIMEOUT))
    fault.inject(sim, slack_env)
    slack.rebuild()
    exchange = slack.command(f"{TARGET.address} {TARGET.day.isoformat()}")

    info = error_info(fault.code)
    answer = exchange.answer  # exactly one answer, valid Block Kit (checked by the harness)
    text = all_text(answer)
    matrix.rows[fault.name].slack_headline = info.headline
    assert sim.stats().served.get(STATUS, 0) == expected_requests(fault, fast_retries)
    assert answer["text"].startswith(f":warning: {info.headline} — {TARGET.address}, ")
    assert f"*{TARGET.address}, " in text  # the answer restates the question
    assert f"Code {fault.code} · Attempts {expected_requests(fault, fast_retries)}" in text
    assert fault.says.lower() in text.lower()
    assert ("RequestId " in text) is fault.answered
    assert ("Tencent said" in text) is fault.answered  # never our own exception's words
    for internal in ("Traceback", "HTTPConnectionPool", "RemoteDisconnected", "non-JSON"):
        assert internal not in text


@pytest.mark.parametrize("fault", TRANSIENT, ids=[fault.name for fault in TRANSIENT])
def test_cli_rides_out_a_fault_that_clears_up(
    fault: Fault,
    *,
    sim: Simulator,
    run_cli: RunCli,
    fast_retries: RetryPolicy,
    matrix: Matrix,
) -> None:
    assert fault.transient is not None
    fail_next(sim, fault.transient, times=2)
    result = run_cli("check", TARGET.address, TARGET.day.isoformat())

    assert result.code == 0, result.err
    assert result.out.startswith("DELIVERED: ")
    assert TARGET.message_id in result.out
    assert sim.stats().served[STATUS] == 3
    matrix.rows[fault.name].cli_recovers = "after 2 failures"


@pytest.mark.soak
@pytest.mark.parametrize("fault", TRANSIENT, ids=[fault.name for fault in TRANSIENT])
def test_production_waits_stay_within_the_budget(
    fault: Fault, sim: Simulator, slack_env: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    """The real backoff (full jitter, production delays): all attempts, then the message,
    well inside the policy's time budget."""
    policy = RetryPolicy()
    fault.inject(sim, slack_env)
    started = time.monotonic()
    result = run_cli("check", TARGET.address, TARGET.day.isoformat())
    elapsed = time.monotonic() - started

    assert result.code == 1
    assert f"code: {fault.code}" in result.err
    assert sim.stats().served[STATUS] == policy.attempts
    assert elapsed < policy.total_seconds


def _show(value: int | None) -> str:
    return "?" if value is None else str(value)
