"""Reliability fixtures: the Slack harness (reused from tests/slack), short retry waits, the CLI
run in-process, and a client whose clock is wrong.

Everything talks to the shared simulator over HTTP through the real Tencent SDK; the Slack side
is the real Bolt app behind ``handlers.slack_events`` with signed events. Only the retry
*waits* are shortened (``fast_retries``): the number of attempts, the retryable codes and the
time budget stay the production defaults, so the request counts asserted here are the ones a
deployment makes.
"""

from __future__ import annotations

import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytest

from emailstatus.cli import main as cli_main
from emailstatus.config import get_settings
from emailstatus.tencent import client as client_module
from emailstatus.tencent.retry import RetryPolicy

# The digest suite's simulator fixtures, shared rather than rebuilt: a conftest's fixtures are
# only visible below it, so they are imported into this one.
from tests.digest.conftest import day, day_sim, dsim

__all__ = ["day", "day_sim", "dsim"]

#: Production attempts and budget, waits of a few milliseconds.
FAST_RETRY = replace(RetryPolicy(), base_delay=0.005, max_delay=0.02)
STATUS = "GetSendEmailStatus"
#: Seconds the SDK waits for an answer in these tests; a hang outlasts it.
SES_TIMEOUT = 0.3


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> RetryPolicy:
    """Every ``SesClient`` built without an explicit policy (the CLI's, the Slack app's) gets
    ``FAST_RETRY``."""
    monkeypatch.setattr(client_module, "RetryPolicy", lambda: FAST_RETRY)
    return FAST_RETRY


@dataclass(frozen=True)
class CliRun:
    """What ``emailstatus ...`` printed and returned."""

    code: int
    out: str
    err: str


RunCli = Callable[..., CliRun]


@pytest.fixture
def run_cli(slack_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[RunCli]:
    """``emailstatus.cli.main`` in this process with the environment of ``slack_env`` (the
    simulator's credentials and endpoint, a short SES timeout), settings re-read on every run."""

    def run(*argv: str) -> CliRun:
        get_settings.cache_clear()
        capsys.readouterr()
        code = cli_main(list(argv))
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    slack_env.setenv("EMAILSTATUS_SES_TIMEOUT", str(SES_TIMEOUT))
    yield run
    get_settings.cache_clear()


def skew_sdk_clock(monkeypatch: pytest.MonkeyPatch, seconds: float = 600.0) -> None:
    """The Tencent SDK signs its requests with a clock ``seconds`` fast (Tencent allows 300):
    the one clock that matters for ``AuthFailure.SignatureExpire``."""
    from tencentcloud.common import abstract_client

    fake = types.SimpleNamespace(**vars(time))
    fake.time = lambda: time.time() + seconds
    monkeypatch.setattr(abstract_client, "time", fake)
