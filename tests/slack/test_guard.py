"""Who gets an answer: Slack's signature, its retries, the allow-lists; and what the logs keep."""

from __future__ import annotations

import io
import json
import logging
import time

import pytest

from emailstatus.render.slack_message import ACTION_PREVIOUS_DAY, ACTION_SHARE, ButtonValue
from ses_simulator import FIXTURES
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import CHANNEL, USER, command_body, signed_event


def _event(slack: SlackHarness, **kwargs: object) -> dict[str, object]:
    body = command_body(FIXTURES["delivered"].address, slack.hooks.response_url())
    return signed_event(body, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change",
    ["forged", "stale", "no signature", "no timestamp", "no headers"],
)
def test_unsigned_or_stale_requests_get_401_and_no_work(slack: SlackHarness, change: str) -> None:
    if change == "forged":
        event = _event(slack, secret="not-the-signing-secret")
    elif change == "stale":
        event = _event(slack, timestamp=int(time.time()) - 5 * 60 - 30)
    else:
        event = _event(slack)
        headers = event["headers"]
        assert isinstance(headers, dict)
        if change == "no headers":
            headers.clear()
        else:
            headers.pop(
                "x-slack-signature" if change == "no signature" else "x-slack-request-timestamp"
            )
    exchange = slack.send(event)
    assert exchange.ack["statusCode"] == 401
    assert exchange.invocations == [] and exchange.posts == []


def test_button_clicks_are_signature_checked_too(slack: SlackHarness) -> None:
    value = ButtonValue(FIXTURES["delivered"].address).encode()
    forged = slack.click(ACTION_SHARE, value, secret="not-the-signing-secret")
    assert forged.ack["statusCode"] == 401
    assert forged.invocations == [] and forged.posts == []


def test_a_tampered_body_is_rejected(slack: SlackHarness) -> None:
    event = _event(slack)
    event["body"] = str(event["body"]).replace("delivered", "bounced")
    assert slack.send(event).ack["statusCode"] == 401


def test_a_slack_retry_never_produces_a_second_answer(slack: SlackHarness) -> None:
    first = slack.send(_event(slack))
    assert len(first.posts) == 1
    retry = slack.send(
        _event(slack, headers={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"})
    )
    assert retry.ack["statusCode"] == 200
    assert retry.ack["body"] == ""
    assert retry.invocations == [] and retry.posts == []


def test_user_allow_list(slack: SlackHarness, slack_env: pytest.MonkeyPatch) -> None:
    slack_env.setenv("EMAILSTATUS_ALLOWED_USERS", f"U0SOMEONE, {USER}")
    slack.rebuild()
    assert len(slack.command(FIXTURES["delivered"].address).posts) == 1

    refused = slack.command(FIXTURES["delivered"].address, user="U0STRANGER")
    assert refused.invocations == [] and refused.posts == []
    assert refused.ack_body["response_type"] == "ephemeral"
    assert "not enabled for your account" in refused.ack_body["text"]


def test_channel_allow_list(slack: SlackHarness, slack_env: pytest.MonkeyPatch) -> None:
    slack_env.setenv("EMAILSTATUS_ALLOWED_CHANNELS", "C0SUPPORT")
    slack.rebuild()
    refused = slack.command(FIXTURES["delivered"].address, channel=CHANNEL)
    assert refused.invocations == []
    assert "not enabled in this channel" in refused.ack_body["text"]
    assert len(slack.command(FIXTURES["delivered"].address, channel="C0SUPPORT").posts) == 1


def test_buttons_obey_the_allow_list(slack: SlackHarness, slack_env: pytest.MonkeyPatch) -> None:
    slack_env.setenv("EMAILSTATUS_ALLOWED_USERS", USER)
    slack.rebuild()
    value = ButtonValue(FIXTURES["delivered"].address).encode()
    refused = slack.click(ACTION_SHARE, value, user="U0STRANGER")
    assert refused.invocations == []
    assert refused.answer["response_type"] == "ephemeral"
    assert refused.answer["replace_original"] is False
    assert "not enabled for your account" in refused.answer["text"]


def test_audit_lines_hold_no_full_address(
    slack: SlackHarness, audit_log: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    bounced, delivered = FIXTURES["bounced"], FIXTURES["delivered"]
    slack.command(bounced.address)
    slack.command(f"<mailto:{delivered.address}|{delivered.address}> yesterday")
    slack.command(bounced.message_id)
    slack.click(ACTION_PREVIOUS_DAY, ButtonValue(delivered.address).encode())

    lines = [json.loads(line) for line in audit_log.getvalue().splitlines()]
    assert [line["action"] for line in lines] == ["command", "command", "command", "previous_day"]
    assert {line["user"] for line in lines} == {USER}
    assert {line["channel"] for line in lines} == {CHANNEL}
    assert [line["verdict"] for line in lines] == ["bounced", "delivered", "bounced", "delivered"]
    assert [line["target"] for line in lines] == [
        "b•••d@example.com",
        "d•••d@example.com",
        bounced.message_id,
        "d•••d@example.com",
    ]
    assert all(isinstance(line["latency_ms"], int) for line in lines)
    assert caplog.records  # the handler's own INFO lines were captured too
    everything = audit_log.getvalue() + "".join(
        f"{record.getMessage()} {record.__dict__}" for record in caplog.records
    )
    for secret in (bounced.address, delivered.address, "xoxb-", "test-signing-secret"):
        assert secret not in everything


def test_refusals_are_audited_with_the_user(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch, audit_log: io.StringIO
) -> None:
    slack_env.setenv("EMAILSTATUS_ALLOWED_USERS", USER)
    slack.rebuild()
    slack.command(FIXTURES["delivered"].address, user="U0STRANGER")
    (line,) = [json.loads(line) for line in audit_log.getvalue().splitlines()]
    assert line["message"] == "refused"
    assert (line["user"], line["channel"], line["reason"]) == ("U0STRANGER", CHANNEL, "user")


def test_one_user_past_the_lookup_limit_is_refused_politely(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch, audit_log: io.StringIO
) -> None:
    slack_env.setenv("EMAILSTATUS_USER_LOOKUPS_PER_MINUTE", "2")
    slack.rebuild()
    address = FIXTURES["delivered"].address
    answered = [slack.command(address) for _ in range(2)]
    refused = slack.command(address)
    other_user = slack.command(address, user="U0COLLEAGUE")

    assert all(len(exchange.posts) == 1 for exchange in answered)  # lazy runs not counted
    assert refused.invocations == [] and refused.posts == []
    assert refused.ack_body["response_type"] == "ephemeral"
    assert "more than 2 lookups in a minute" in refused.ack_body["text"]
    assert len(other_user.posts) == 1
    refusals = [
        line
        for line in (json.loads(raw) for raw in audit_log.getvalue().splitlines())
        if line["message"] == "refused"
    ]
    assert [(r["user"], r["reason"]) for r in refusals] == [(USER, "rate limit")]


def test_the_limit_slides_with_the_minute() -> None:
    from emailstatus.slack_app.user_limit import UserLimit

    now = [0.0]
    limit = UserLimit(2, clock=lambda: now[0])
    assert [limit.allow("U1") for _ in range(3)] == [True, True, False]
    now[0] = 59.0
    assert not limit.allow("U1")
    now[0] = 60.5
    assert limit.allow("U1") and limit.allow("U1") and not limit.allow("U1")
