"""No secret in any log line, answer or error; no full recipient address in any log line.

The paths — CLI lookups, Slack commands, the daily digest with its thread and CSV — run with
recognisable secret values: the Tencent key pair and session token of a simulator started with
canary credentials, the Slack signing secret and bot tokens of the Slack and digest suites.
Everything they produce is searched: every log record with the root logger at DEBUG (the
Tencent SDK's, slack_sdk's, urllib3's and Bolt's included; message and extra fields), the audit
log, every Slack payload and Web API call, and the CLI's stdout and stderr, on successes and on
failures.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from emailstatus.digest.run import run_digest
from emailstatus.privacy import REQUEST_DUMPERS
from emailstatus.tencent.client import SesClient
from ses_simulator import FIXTURES, Simulator, SimulatorConfig
from testkit.block_kit import all_text
from testkit.fake_slack import BOT_TOKEN, FakeSlack
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import SIGNING_SECRET
from tests.digest.conftest import digest_settings
from tests.reliability.conftest import STATUS, RunCli

#: Canaries share no run of ``SLICE`` characters with each other or with anything else.
CANARY_ID = "AKIDcanaryQx7Rk2Lm9Pz4Vw8Ty3Nb6"
CANARY_KEY = "keyCanaryHd5Gf8Js2Wq6Zx1Cv4Bn7"
CANARY_TOKEN = "tokCanaryMp3Ls9Kd6Fj1Ha8Ge5Ru2"
SECRETS = (CANARY_ID, CANARY_KEY, CANARY_TOKEN, SIGNING_SECRET, BOT_TOKEN)
#: A leak of part of a secret is a leak too: any run of this many of its characters counts.
#: (Short enough to catch "the last 12 characters", long enough that "AKID" is no match.)
SLICE = 12
LOOKED_UP = ("delivered", "bounced", "refused", "complained", "many")
FAULTS = ("InternalError", "AuthFailure.SignatureFailure", "drop", "http500", "malformed")


def leaks(text: str, secrets: Iterable[str] = SECRETS) -> list[str]:
    """The secrets (or ``SLICE``-long pieces of them) found in ``text``."""
    return [
        secret
        for secret in secrets
        if any(secret[i : i + SLICE] in text for i in range(len(secret) - SLICE + 1))
    ]


def record_text(record: logging.LogRecord) -> str:
    """Everything a log handler could write for ``record``: message, extras, exception."""
    fields = {key: value for key, value in vars(record).items() if key not in ("msg", "args")}
    return f"{record.getMessage()} {fields!r}"


@pytest.fixture(scope="module")
def canary_sim() -> Iterator[Simulator]:
    config = SimulatorConfig(
        seed=7, emails_per_day=200, rate_limit=None, secret_id=CANARY_ID, secret_key=CANARY_KEY
    )
    with Simulator(config) as running:
        yield running


@pytest.fixture
def canary(canary_sim: Simulator, slack_env: pytest.MonkeyPatch, fast_retries: object) -> Simulator:
    """The environment points at the canary simulator with its credentials and a token."""
    canary_sim.reset()
    slack_env.setenv("TENCENTCLOUD_SECRET_ID", CANARY_ID)
    slack_env.setenv("TENCENTCLOUD_SECRET_KEY", CANARY_KEY)
    slack_env.setenv("TENCENTCLOUD_SESSION_TOKEN", CANARY_TOKEN)
    slack_env.setenv("EMAILSTATUS_SES_ENDPOINT", canary_sim.endpoint)
    return canary_sim


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record at DEBUG, as with Lambda's ApplicationLogLevel=DEBUG (the root logger):
    urllib3, Bolt and ours write DEBUG lines; the request-dumping libraries stay at the level
    emailstatus caps them to (``privacy.REQUEST_DUMPERS``)."""
    for name in ["", "urllib3", "slack_bolt", "emailstatus"]:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def assert_clean_logs(
    logs: pytest.LogCaptureFixture, audit: io.StringIO, addresses: Iterable[str]
) -> None:
    """No secret and none of ``addresses`` in any log record or audit line."""
    texts = [record_text(record) for record in logs.records] + audit.getvalue().splitlines()
    assert texts, "nothing was logged: the capture is not working"
    for text in texts:
        assert not leaks(text), text
        assert not [address for address in addresses if address in text], text


def day_recipients(sim: Simulator) -> set[str]:
    """Every recipient the lookups below can bring back (their days, all of them)."""
    days = {FIXTURES[name].day for name in LOOKED_UP}
    return {str(item["ToEmailAddress"]) for day in days for item in sim.dataset.day_records(day)}


def test_cli_lookups_and_failures(
    canary: Simulator, run_cli: RunCli, logs: pytest.LogCaptureFixture
) -> None:
    outputs: list[str] = []
    for name in LOOKED_UP:
        for form in ("text", "json"):
            result = run_cli("check", FIXTURES[name].address, "--format", form)
            assert result.code == 0, result.err
            outputs += [result.out, result.err]
    for fault in FAULTS:
        canary.fail_next(fault, times=10, action=STATUS)
        result = run_cli("check", FIXTURES["delivered"].address)
        assert result.code == 1
        outputs += [result.out, result.err]
        canary.reset()

    assert not leaks("\n".join(outputs))
    assert_clean_logs(logs, io.StringIO(), day_recipients(canary))  # the CLI writes no audit


def test_slack_commands_buttons_and_failures(
    canary: Simulator,
    slack: SlackHarness,
    logs: pytest.LogCaptureFixture,
    audit_log: io.StringIO,
) -> None:
    slack.rebuild()
    payloads: list[dict[str, Any]] = []
    for name in LOOKED_UP:
        exchange = slack.command(f"<mailto:{FIXTURES[name].address}|x> yesterday")
        payloads += [exchange.ack_body, *exchange.posts]
    for text in ("help", f"{FIXTURES['bounced'].address} tomorrow", f"{CANARY_KEY} {BOT_TOKEN}"):
        payloads.append(slack.command(text).ack_body)
    for fault in FAULTS:
        canary.fail_next(fault, times=10, action=STATUS)
        exchange = slack.command(FIXTURES["delivered"].address)
        payloads += exchange.posts
        canary.reset()

    assert payloads
    for payload in payloads:
        assert not leaks(all_text(payload), (CANARY_ID, CANARY_TOKEN, SIGNING_SECRET))
    assert_clean_logs(logs, audit_log, day_recipients(canary))


def test_the_digest_with_its_thread_and_csv(
    canary: Simulator,
    fake_slack: FakeSlack,
    logs: pytest.LogCaptureFixture,
    audit_log: io.StringIO,
) -> None:
    day = canary.dataset.today - timedelta(days=1)
    settings = digest_settings(
        canary,
        TENCENTCLOUD_SESSION_TOKEN=CANARY_TOKEN,
        EMAILSTATUS_SLACK_API_URL=fake_slack.api_url,
        EMAILSTATUS_DIGEST_CSV="true",
    )
    canary.fail_next("InternalError", times=2, action=STATUS)  # a retried page, logged
    run = run_digest(settings, day=day, client=SesClient(settings))

    assert run.report is not None and run.report.complete
    assert fake_slack.posts(thread=False) and fake_slack.uploads()
    sent = json.dumps([call.args for call in fake_slack.calls])
    assert not leaks(sent, (*SECRETS, BOT_TOKEN))
    recipients = {str(item["ToEmailAddress"]) for item in canary.dataset.day_records(day)}
    assert_clean_logs(logs, audit_log, recipients)
    texts = [record_text(record) for record in logs.records]
    assert not [text for text in texts if leaks(text, (BOT_TOKEN,))]


@pytest.mark.parametrize("library", REQUEST_DUMPERS)
def test_libraries_that_dump_requests_are_kept_quiet(
    library: str,
    canary: Simulator,
    slack: SlackHarness,
    logs: pytest.LogCaptureFixture,
) -> None:
    """With the root logger at DEBUG (the ``logs`` fixture), building the app caps the
    libraries that dump whole requests, so a lookup writes none of their DEBUG lines."""
    slack.rebuild()
    assert logging.getLogger(library).level == logging.INFO
    slack.command(f"{FIXTURES['delivered'].address} yesterday")
    dumped = [r for r in logs.records if r.name.startswith(library) and r.levelno < logging.INFO]
    assert dumped == []
    texts = [record_text(r) for r in logs.records if r.name.startswith(library)]
    assert not [text for text in texts if leaks(text)]


def test_the_leak_detector_detects() -> None:
    """The checks above can fail: a secret's tail, an extra field and a user's paste are caught."""
    assert leaks(f"token=…{BOT_TOKEN[-SLICE:]}") == [BOT_TOKEN]
    assert leaks(f"typed {CANARY_KEY[3:20]}") == [CANARY_KEY]
    assert leaks("AKID and nothing else") == []
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "lookup", None, None)
    record.target = "bounced@example.com"
    assert "bounced@example.com" in record_text(record)
