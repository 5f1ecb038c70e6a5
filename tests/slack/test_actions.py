"""The buttons under a verdict, clicked through the handler with signed interactivity payloads."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_bolt.context.respond import Respond

from emailstatus.command import Query, parse
from emailstatus.config import get_settings
from emailstatus.render.slack import (
    ACTION_MORE,
    ACTION_PREVIOUS_DAY,
    ACTION_SHARE,
    PAGE_SIZE,
    ButtonValue,
)
from emailstatus.simulator import FIXTURES
from emailstatus.slack_app.answer import Answers
from emailstatus.slack_app.audit import Asker
from tests.slack.conftest import (
    USER,
    ResponseUrlServer,
    SlackHarness,
    all_text,
    assert_valid_message,
)


def button(payload: dict[str, Any], action_id: str) -> str:
    """The value of the button ``action_id`` in a posted message."""
    for block in payload["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["action_id"] == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button")


def test_check_previous_day(slack: SlackHarness) -> None:
    multi = FIXTURES["multi"]
    first = slack.command(f"{multi.address} yesterday").answer
    value = button(first, ACTION_PREVIOUS_DAY)
    day_before = (multi.day - timedelta(days=1)).isoformat()
    assert ButtonValue.decode(value) == ButtonValue(f"{multi.address} {day_before}")

    clicked = slack.click(ACTION_PREVIOUS_DAY, value)
    assert clicked.ack["statusCode"] == 200 and clicked.ack["body"] == ""
    assert len(clicked.invocations) == 1
    answer = clicked.answer
    assert answer["response_type"] == "ephemeral"
    assert answer["replace_original"] is False  # a new answer under the first one
    assert f"{multi.address} on " in all_text(answer)
    assert button(answer, ACTION_PREVIOUS_DAY) != value  # and again, a day further back


def test_share_in_channel_says_who_shared_it(slack: SlackHarness) -> None:
    bounced = FIXTURES["bounced"]
    first = slack.command(bounced.address).answer
    shared = slack.click(ACTION_SHARE, button(first, ACTION_SHARE)).answer
    assert shared["response_type"] == "in_channel"
    assert shared["replace_original"] is False
    assert shared["blocks"][0]["elements"][0]["text"] == f"Shared by <@{USER}>"
    assert not [block for block in shared["blocks"] if block["type"] == "actions"]
    assert [b for b in shared["blocks"] if b["type"] == "header"] == [
        b for b in first["blocks"] if b["type"] == "header"
    ]


def test_show_more_pages_through_a_busy_day(slack: SlackHarness) -> None:
    many = FIXTURES["many"]
    answer = slack.command(f"{many.address} yesterday").answer
    text = all_text(answer)
    assert f"*{many.count} emails*" in text
    assert f"(showing 1–{PAGE_SIZE})" in text
    assert f"{many.count - PAGE_SIZE} more" in text

    page = 0
    while True:
        value = button(answer, ACTION_MORE)
        page += 1
        assert ButtonValue.decode(value) == ButtonValue(f"{many.address} {many.day}", page)
        answer = slack.click(ACTION_MORE, value).answer
        assert answer["replace_original"] is True
        shown_to = min((page + 1) * PAGE_SIZE, many.count)
        assert f"(showing {page * PAGE_SIZE + 1}–{shown_to})" in all_text(answer)
        if shown_to == many.count:
            break
    assert page == (many.count - 1) // PAGE_SIZE
    assert '"action_id": "emailstatus_more"' not in all_text(answer)


def test_buttons_with_values_that_are_not_ours(slack: SlackHarness) -> None:
    clicked = slack.click(ACTION_MORE, "not json")
    assert clicked.invocations  # acknowledged, then answered from the lazy listener
    assert "That button no longer works" in clicked.answer["text"]

    too_old = ButtonValue("alice@example.com 2001-01-01").encode()
    answer = slack.click(ACTION_PREVIOUS_DAY, too_old).answer
    assert answer["text"].startswith(":warning: SES keeps status for at most 90 days")


def test_a_bug_still_gets_an_answer_and_its_message_stays_out_of_the_log(
    slack_env: pytest.MonkeyPatch, hooks: ResponseUrlServer, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> Any:
        raise KeyError("alice@example.com")

    answers = Answers(get_settings(), client=broken)
    query = parse("alice@example.com yesterday", datetime.now(get_settings().zone))
    assert isinstance(query, Query)
    hooks.posts.clear()
    answers.lookup(query, Respond(response_url=hooks.url()), Asker("command", USER, "C1"))
    (post,) = [body for _, body in hooks.posts]
    assert_valid_message(post)
    assert "unexpected problem" in all_text(post)
    logged = "".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "KeyError" in logged
    assert "alice@example.com" not in logged


def test_an_answer_slack_refuses_is_logged(
    slack: SlackHarness, hooks: ResponseUrlServer, caplog: pytest.LogCaptureFixture
) -> None:
    hooks.status = 404
    try:
        slack.command(FIXTURES["delivered"].address)
    finally:
        hooks.status = 200
    refused = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert refused and refused[0].getMessage().startswith("Slack refused the answer")
    assert json.dumps(refused[0].__dict__.get("status")) == "404"


def test_an_exception_before_the_ack_is_answered(slack_env: pytest.MonkeyPatch) -> None:
    response = Answers(get_settings()).on_error(RuntimeError("boom"), {"command": "/x"}, None)
    assert response.status == 200
    assert "unexpected problem" in all_text(assert_payload(response.body))


def assert_payload(body: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(body)
    assert_valid_message(payload)
    return payload
