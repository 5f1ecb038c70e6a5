"""A brief SSM failure at a cold start: the container heals on a later request, and nobody
learns anything about the deployment meanwhile.

moto stands in for SSM; the outage is SSM's endpoint pointing at a closed port, then restored.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from emailstatus import handlers
from ses_simulator import FIXTURES, Simulator
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import command_body, signed_event
from tests.deploy.conftest import mocked_aws
from tests.deploy.test_secrets import PATH, VALUES, aws

__all__ = ["aws", "mocked_aws"]


def _get_parameters(calls: list[tuple[str, Any]]) -> int:
    return sum(1 for operation, _ in calls if operation == "GetParameters")


def test_an_ssm_outage_at_cold_start_heals_and_tells_callers_nothing(
    slack: SlackHarness,
    slack_env: pytest.MonkeyPatch,
    sim: Simulator,
    aws: list[tuple[str, Any]],
) -> None:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"):
        slack_env.delenv(name)
    slack_env.setenv("EMAILSTATUS_SSM_PATH", PATH)
    slack_env.setenv("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:9")  # SSM unreachable
    slack.rebuild()  # the cold start: SSM fails
    body = command_body(FIXTURES["bounced"].address, slack.hooks.response_url())

    def signed() -> dict[str, Any]:
        return signed_event(body, secret=VALUES["slack-signing-secret"])

    first = slack.send(signed())  # tries SSM again at once: still down
    assert first.ack["statusCode"] == 503
    for text in (first.ack["body"], slack.send(signed_event(body)).ack["body"]):
        assert "SSM" not in text and PATH not in text and "emailstatus" not in text
    attempts = _get_parameters(aws)

    slack_env.delenv("AWS_ENDPOINT_URL_SSM")  # SSM is back
    during_backoff = slack.send(signed())
    assert during_backoff.ack["statusCode"] == 503
    assert _get_parameters(aws) == attempts  # the backoff spares SSM and the caller's time

    time.sleep(handlers.RELOAD_BACKOFF_S * 2 + 0.05)
    healed = slack.send(signed())
    assert healed.ack["statusCode"] == 200
    assert healed.answer["text"].startswith(":x: Bounced")
    assert _get_parameters(aws) == attempts + 1
    forged = slack.send(signed_event(body, secret="not-the-signing-secret"))
    assert forged.ack["statusCode"] == 401
