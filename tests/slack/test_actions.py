"""The buttons under a verdict, clicked through the handler with signed interactivity payloads."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel import localedata
from slack_bolt.context.respond import Respond

from emailstatus.command import GUARANTEED_DAYS, MAX_RANGE_DAYS, Query, parse
from emailstatus.config import get_settings
from emailstatus.render.slack import EMAILS_PER_SCREEN as PAGE_SIZE
from emailstatus.render.slack_message import (
    ACTION_CHECK_AGAIN,
    ACTION_LAST_WEEK,
    ACTION_NEXT_PAGE,
    ACTION_PREVIOUS_DAY,
    ACTION_PREVIOUS_PAGE,
    ACTION_SHARE,
    ACTION_TRY_AGAIN,
    ButtonValue,
)
from emailstatus.slack_app.answer import Answers
from emailstatus.slack_app.audit import Asker
from ses_simulator import ABSENT_ADDRESS, FIXTURES, Simulator
from testkit.block_kit import all_text, assert_valid_message
from testkit.fake_slack import FakeSlack
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import USER


def button(payload: dict[str, Any], action_id: str) -> str:
    """The value of the button ``action_id`` in a posted message."""
    for block in payload["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["action_id"] == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button")


def labels(payload: dict[str, Any]) -> list[str]:
    return [
        element["text"]["text"]
        for block in payload["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_check_the_day_before_names_it_and_answers_under_the_first(slack: SlackHarness) -> None:
    multi = FIXTURES["multi"]
    first = slack.command(f"{multi.address} yesterday").answer
    before = multi.day - timedelta(days=1)
    assert f"Check {before.day} {before.strftime('%b')}" in labels(first)
    value = button(first, ACTION_PREVIOUS_DAY)
    assert ButtonValue.decode(value) == ButtonValue(f"{multi.address} {before.isoformat()}")

    clicked = slack.click(ACTION_PREVIOUS_DAY, value)
    assert clicked.ack["statusCode"] == 200 and clicked.ack["body"] == ""
    assert len(clicked.invocations) == 1
    working, answer = clicked.posts  # "Looking up …" at once, then the answer, both new
    assert working["text"].startswith(":mag: Looking up ")
    assert answer["response_type"] == "ephemeral"
    assert f"{multi.address}, {before.day} {before.strftime('%b')}" in all_text(answer)
    assert slack.seen()[1] == first  # the first answer stays
    assert slack.seen()[-1] == answer


def test_no_day_before_past_what_tencent_keeps(slack: SlackHarness) -> None:
    today = datetime.now(get_settings().zone).date()
    edge = (today - timedelta(days=GUARANTEED_DAYS)).isoformat()
    answer = slack.command(f"{FIXTURES['delivered'].address} {edge}").answer
    assert not [label for label in labels(answer) if label.startswith("Check ")]


def test_share_posts_exactly_what_the_agent_saw(slack: SlackHarness, sim: Simulator) -> None:
    bounced = FIXTURES["bounced"]
    first = slack.command(bounced.address).answer
    sim.fail_next("InternalError", times=5)  # a fresh lookup now would fail: none may happen
    shared = slack.click(ACTION_SHARE, button(first, ACTION_SHARE)).answer
    assert shared["response_type"] == "in_channel"
    assert shared["blocks"][0]["elements"][0]["text"] == f"Shared by <@{USER}>"
    seen = [block for block in first["blocks"] if block["type"] != "actions"]
    assert shared["blocks"][1:] == seen
    assert shared["text"] == first["text"]


def test_paging_replaces_the_answer_in_place_both_ways(slack: SlackHarness) -> None:
    many = FIXTURES["many"]
    answer = slack.command(f"{many.address} yesterday").answer
    text = all_text(answer)
    assert f"*{many.count} emails*" in text
    assert f"(showing 1–{PAGE_SIZE})" in text
    assert f"Next {PAGE_SIZE} ›" in labels(answer) and "‹ Previous" not in labels(answer)

    page = 0
    while f"Next {PAGE_SIZE} ›" in labels(answer) or any(
        label.startswith("Next ") for label in labels(answer)
    ):
        value = button(answer, ACTION_NEXT_PAGE)
        page += 1
        assert ButtonValue.decode(value) == ButtonValue(f"{many.address} {many.day}", page)
        clicked = slack.click(ACTION_NEXT_PAGE, value)
        working, answer = clicked.posts
        assert working["replace_original"] is True and working["text"].startswith(":hourglass:")
        assert answer["replace_original"] is True
        assert len(slack.seen()) == 2  # the ack and the one answer, replaced in place
        shown_to = min((page + 1) * PAGE_SIZE, many.count)
        assert f"(showing {page * PAGE_SIZE + 1}–{shown_to})" in all_text(answer)
        assert "‹ Previous" in labels(answer)
    assert page == (many.count - 1) // PAGE_SIZE

    back = slack.click(ACTION_PREVIOUS_PAGE, button(answer, ACTION_PREVIOUS_PAGE)).answer
    assert f"(showing {(page - 1) * PAGE_SIZE + 1}–{page * PAGE_SIZE})" in all_text(back)


def test_check_again_on_a_queued_email_refreshes_in_place(slack: SlackHarness) -> None:
    answer = slack.command(FIXTURES["queued"].address).answer
    assert "Check again" in labels(answer)
    again = slack.click(ACTION_CHECK_AGAIN, button(answer, ACTION_CHECK_AGAIN))
    assert again.answer["replace_original"] is True
    assert len(slack.seen()) == 2


def test_try_again_after_a_failure(slack: SlackHarness, sim: Simulator) -> None:
    sim.fail_next("AuthFailure.SecretIdNotFound", action="GetSendEmailStatus")
    failed = slack.command(FIXTURES["bounced"].address).answer
    assert labels(failed) == ["Try again"]
    retried = slack.click(ACTION_TRY_AGAIN, button(failed, ACTION_TRY_AGAIN)).answer
    assert retried["replace_original"] is True
    assert slack.seen()[-1]["blocks"][0]["type"] == "header"  # the verdict, where the failure was


def test_not_found_offers_the_last_week(slack: SlackHarness) -> None:
    answer = slack.command(f"{ABSENT_ADDRESS} yesterday").answer
    assert labels(answer)[0] == f"Search the last {MAX_RANGE_DAYS} days"
    value = ButtonValue.decode(button(answer, ACTION_LAST_WEEK))
    assert value == ButtonValue(f"{ABSENT_ADDRESS} last {MAX_RANGE_DAYS} days")
    wider = slack.click(ACTION_LAST_WEEK, button(answer, ACTION_LAST_WEEK)).answer
    assert f"the last {MAX_RANGE_DAYS} days (" in all_text(wider)
    assert f"Search the last {MAX_RANGE_DAYS} days" not in labels(wider)


def test_buttons_with_values_that_are_not_ours(slack: SlackHarness) -> None:
    clicked = slack.click(ACTION_NEXT_PAGE, "not json")
    assert clicked.invocations  # acknowledged, then answered from the lazy listener
    assert "That button no longer works" in clicked.answer["text"]
    shared = slack.click(ACTION_SHARE, "not a snapshot")
    assert "That button no longer works" in shared.answer["text"]

    too_old = ButtonValue("alice@example.com 2001-01-01").encode()
    answer = slack.click(ACTION_PREVIOUS_DAY, too_old).answer
    assert answer["text"].startswith(":warning: 2001-01-01 is ")
    assert "Tencent keeps status for about 30 days" in answer["text"]


def test_a_bug_still_gets_an_answer_and_its_message_stays_out_of_the_log(
    slack_env: pytest.MonkeyPatch, hooks: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> Any:
        raise KeyError("alice@example.com")

    answers = Answers(get_settings(), client=broken)
    query = parse("alice@example.com yesterday", datetime.now(get_settings().zone))
    assert isinstance(query, Query)
    hooks.response_urls.posts.clear()
    answers.lookup(query, Respond(response_url=hooks.response_url()), Asker("command", USER, "C1"))
    (post,) = [body for _, body in hooks.response_urls.posts]
    assert_valid_message(post)
    assert "unexpected problem" in all_text(post)
    logged = "".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "KeyError" in logged
    assert "alice@example.com" not in logged


@pytest.fixture
def no_date_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Babel with no CLDR data at all, as in a package whose trimming dropped a locale."""
    monkeypatch.setattr(localedata, "_dirname", str(tmp_path))
    for loaded in ("_cache", "_dict_cache"):  # what Babel already read stays out of reach
        monkeypatch.setattr(localedata, loaded, {})
    for known in (localedata.exists, localedata.locale_identifiers):
        known.cache_clear()
    yield
    for known in (localedata.exists, localedata.locale_identifiers):
        known.cache_clear()


def test_an_answer_that_cannot_be_rendered_still_reaches_the_agent(
    slack: SlackHarness, no_date_data: None, caplog: pytest.LogCaptureFixture
) -> None:
    address = FIXTURES["bounced"].address
    answer = slack.command(f"{address} yesterday").answer
    assert_valid_message(answer)
    assert "unexpected problem" in all_text(answer)
    assert address not in all_text(answer)  # the apology names nothing it could not render
    bugs = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Unexpected")]
    assert any(" in answer\n" in bug for bug in bugs)
    assert not any(address in bug for bug in bugs)


def test_an_answer_slack_refuses_is_logged(
    slack: SlackHarness, hooks: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    hooks.response_urls.status = 404
    try:
        slack.command(FIXTURES["delivered"].address)
    finally:
        hooks.response_urls.status = 200
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
