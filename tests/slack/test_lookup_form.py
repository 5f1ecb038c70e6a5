"""The lookup form end to end: the global shortcut and the button open it (views.open with a
fresh trigger), a submission turns it into "Looking up …" at once and into the answer through
views.update, bad input is shown under its field, and *Share in channel* posts the answer as
shown to the conversation picked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from emailstatus.render.slack_message import ACTION_OPEN_FORM
from emailstatus.render.slack_modal import FORM_FROM, FORM_TARGET, FORM_TO, SHARE_TO
from emailstatus.slack_app.lookup_form import CALLBACK
from ses_simulator import ABSENT_ADDRESS, FIXTURES, Simulator
from testkit.block_kit import all_text, assert_valid_message
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import USER

BOUNCED = FIXTURES["bounced"]


def days_ago(days: int) -> str:
    return (datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=days)).isoformat()


def form(target: str, start: str | None = None, end: str | None = None) -> dict[str, Any]:
    return {
        FORM_TARGET: {FORM_TARGET: {"type": "plain_text_input", "value": target}},
        FORM_FROM: {FORM_FROM: {"type": "datepicker", "selected_date": start}},
        FORM_TO: {FORM_TO: {"type": "datepicker", "selected_date": end}},
    }


def opened_form(slack: SlackHarness) -> dict[str, Any]:
    exchange = slack.global_shortcut(CALLBACK)
    assert exchange.ack["statusCode"] == 200
    (view_id,) = slack.hooks.views.modals
    return slack.hooks.views.current(view_id)


def test_submit_shows_looking_up_then_the_answer_in_the_modal(slack: SlackHarness) -> None:
    view = opened_form(slack)
    day = BOUNCED.day.isoformat()
    submitted = slack.submit_values(view, form(BOUNCED.address, day, day))
    assert submitted.ack_body["response_action"] == "update"
    assert "Looking up" in all_text(submitted.ack_body["view"])
    answer = slack.hooks.views.current(view["id"])
    shown = all_text(answer)
    assert "Bounced" in shown and "The mailbox does not exist" in shown
    assert answer["title"]["text"] == view["title"]["text"]  # no jumping title
    assert not any(block["type"] == "actions" for block in answer["blocks"])
    share = answer["blocks"][-1]
    assert share["block_id"] == SHARE_TO and share["element"]["response_url_enabled"] is True
    assert_valid_message({"text": "answer", "blocks": answer["blocks"][:-1]})
    assert submitted.posts == []  # nothing in any conversation


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        (form("alice@"), FORM_TARGET, "is not a domain name like example.com"),
        (form(""), FORM_TARGET, "Type one recipient address or one MessageId"),
        (form("alice@example.com bob@example.com"), FORM_TARGET, "One address or MessageId"),
        (form("alice@example.com", days_ago(20), days_ago(5)), FORM_FROM, "at most 7 days"),
        (form("alice@example.com", days_ago(95)), FORM_FROM, "cannot be looked up"),
        (form(BOUNCED.message_id, None, days_ago(10)), FORM_TO, "leave the date out"),
    ],
    ids=["bad-address", "empty", "two-targets", "too-long", "too-old", "message-id-other-day"],
)
def test_bad_input_is_the_fields_error(
    slack: SlackHarness, sim: Simulator, values: dict[str, Any], field: str, says: str
) -> None:
    view = opened_form(slack)
    before = sim.stats().served.get("GetSendEmailStatus", 0)
    submitted = slack.submit_values(view, values)
    assert submitted.ack_body["response_action"] == "errors"
    assert says in submitted.ack_body["errors"][field]
    assert submitted.invocations == []
    assert sim.stats().served.get("GetSendEmailStatus", 0) == before


def test_a_future_day_is_refused(slack: SlackHarness, sim: Simulator) -> None:
    view = opened_form(slack)
    tomorrow = (sim.dataset.today + timedelta(days=2)).isoformat()
    submitted = slack.submit_values(view, form(BOUNCED.address, None, tomorrow))
    assert "in the future" in submitted.ack_body["errors"][FORM_TO]


def answered(slack: SlackHarness) -> dict[str, Any]:
    view = opened_form(slack)
    slack.submit_values(view, form(BOUNCED.address))
    return slack.hooks.views.current(view["id"])


def test_share_posts_the_answer_as_shown_in_the_conversation_picked(slack: SlackHarness) -> None:
    answer = answered(slack)
    url = slack.hooks.response_url()
    picked = [
        {
            "block_id": SHARE_TO,
            "action_id": SHARE_TO,
            "channel_id": "C0SUPPORT",
            "response_url": url,
        }
    ]
    shared = slack.submit_values(answer, {}, response_urls=picked)
    assert shared.ack_body == {}  # the modal closes
    (post,) = shared.posts
    assert post["response_type"] == "in_channel"
    assert f"Shared by <@{USER}>" in all_text(post)
    assert "The mailbox does not exist" in all_text(post)


def test_share_outside_the_allowed_channels_is_the_fields_error(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch
) -> None:
    slack_env.setenv("EMAILSTATUS_ALLOWED_USERS", USER)
    slack.rebuild()
    answer = answered(slack)
    slack_env.setenv("EMAILSTATUS_ALLOWED_CHANNELS", "C0SUPPORT")
    slack_env.delenv("EMAILSTATUS_ALLOWED_USERS")
    slack.rebuild()
    # the answer modal came from the global shortcut: no conversation, so refused whole
    refused = slack.submit_values(answer, {}, response_urls=[])
    assert refused.ack_body["response_action"] == "update"
    assert "not enabled" in all_text(refused.ack_body["view"])


def test_share_needs_a_conversation(slack: SlackHarness) -> None:
    shared = slack.submit_values(answered(slack), {}, response_urls=[])
    assert shared.ack_body["errors"][SHARE_TO] == "Pick a conversation."
    assert shared.posts == []


def test_help_and_nothing_found_offer_the_form(slack: SlackHarness) -> None:
    help_answer = slack.command("help").ack_body
    assert ACTION_OPEN_FORM in all_text(help_answer)
    nothing = slack.command(f"{ABSENT_ADDRESS} yesterday").answer
    assert ACTION_OPEN_FORM in all_text(nothing)
    clicked = slack.click(ACTION_OPEN_FORM, "")
    assert clicked.posts == []
    (opened,) = slack.hooks.views.opened
    assert opened["callback_id"] == "emailstatus_lookup_form"


def test_a_late_click_is_told_to_press_again(slack: SlackHarness) -> None:
    slack.command("help")
    clicked = slack.click(ACTION_OPEN_FORM, "", trigger_age=3.5)
    assert "expired_trigger_id" in all_text(clicked.answer)
    assert slack.hooks.views.opened == []


def test_the_global_shortcut_is_refused_in_a_modal_when_only_channels_are_allowed(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch
) -> None:
    slack_env.setenv("EMAILSTATUS_ALLOWED_CHANNELS", "C0SUPPORT")
    slack.rebuild()
    slack.global_shortcut(CALLBACK)
    (opened,) = slack.hooks.views.opened
    assert "not enabled" in all_text(opened)
    assert opened["callback_id"] != "emailstatus_lookup_form"
