"""App Home end to end: the signed ``app_home_opened`` event through Bolt, the Home published
with views.publish (checked by the fake Slack like Slack checks it), figures from the
simulator's GetStatisticsReport at most once a minute, recent lookups per user."""

from __future__ import annotations

from typing import Any

import pytest

from emailstatus.render.slack_home import ACTION_LOOK_AGAIN
from emailstatus.render.slack_message import ACTION_OPEN_FORM
from ses_simulator import FIXTURES, Simulator
from testkit.block_kit import all_text
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import USER

BOUNCED = FIXTURES["bounced"]
DELIVERED = FIXTURES["delivered"]
OTHER = "U0OTHERAGENT"


def statistics_calls(sim: Simulator) -> int:
    return sim.stats().served.get("GetStatisticsReport", 0)


def home(slack: SlackHarness, user: str = USER) -> dict[str, Any]:
    exchange = slack.open_home(user=user)
    assert exchange.ack["statusCode"] == 200
    return slack.hooks.views.homes[user]


def look_again_buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        block["accessory"]
        for block in view["blocks"]
        if (block.get("accessory") or {}).get("action_id") == ACTION_LOOK_AGAIN
    ]


def test_home_shows_the_figures_the_form_and_the_askers_own_lookups(
    slack: SlackHarness, sim: Simulator
) -> None:
    first = home(slack)
    text = all_text(first)
    assert "Today so far" in text and "Yesterday" in text and "requests" in text
    assert "Bounce rate" in text
    assert ACTION_OPEN_FORM in text
    assert "None yet" in text
    slack.command(f"{BOUNCED.address} {BOUNCED.day.isoformat()}")
    slack.command(DELIVERED.message_id)
    mine = home(slack)
    assert len(look_again_buttons(mine)) == 2
    listed = [
        block["text"]["text"]
        for block in mine["blocks"]
        if (block.get("accessory") or {}).get("action_id") == ACTION_LOOK_AGAIN
    ]
    assert listed[0].startswith("*Delivered*")  # newest first
    assert DELIVERED.message_id in listed[0]
    assert listed[1].startswith("*Bounced*")
    assert BOUNCED.address not in listed[1]  # masked where it is shown
    assert "None yet" in all_text(home(slack, OTHER))  # never shown to anyone else


def test_opening_home_again_and_again_calls_tencent_once_a_minute(
    slack: SlackHarness, sim: Simulator
) -> None:
    before = statistics_calls(sim)
    for user in (USER, OTHER, USER, OTHER, USER):
        home(slack, user)
    assert statistics_calls(sim) - before == 1


def test_a_bounce_rate_over_the_threshold_is_flagged(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch
) -> None:
    slack_env.setenv("EMAILSTATUS_ALERT_BOUNCE_RATE", "0.0001")
    slack.rebuild()
    text = all_text(home(slack))
    assert ":warning: Bounce rate" in text
    assert "(alert at 0.01%)" in text


def test_tencent_failing_leaves_a_note_not_a_broken_home(
    slack: SlackHarness, sim: Simulator
) -> None:
    sim.fail_next("AuthFailure.SignatureFailure", times=5, action="GetStatisticsReport")
    text = all_text(home(slack))
    assert "Tencent's figures could not be read" in text
    assert "Your recent lookups" in text


def test_look_again_answers_in_a_modal(slack: SlackHarness) -> None:
    slack.command(f"{BOUNCED.address} {BOUNCED.day.isoformat()}")
    (button,) = look_again_buttons(home(slack))
    slack.click(ACTION_LOOK_AGAIN, button["value"])
    (opened,) = slack.hooks.views.opened
    assert "Looking up" in all_text(opened)
    (modal,) = slack.hooks.views.modals.values()
    assert "The mailbox does not exist" in all_text(modal)


def test_the_messages_tab_publishes_nothing(slack: SlackHarness) -> None:
    slack.open_home(tab="messages")
    assert slack.hooks.views.homes == {}


def test_someone_outside_the_allow_list_gets_a_refusal_home(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch, sim: Simulator
) -> None:
    slack_env.setenv("EMAILSTATUS_ALLOWED_USERS", "U0SOMEONEELSE")
    slack.rebuild()
    before = statistics_calls(sim)
    assert "not enabled for your account" in all_text(home(slack))
    assert statistics_calls(sim) == before


def test_opening_home_and_the_form_does_not_use_up_the_lookup_limit(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch
) -> None:
    slack_env.setenv("EMAILSTATUS_USER_LOOKUPS_PER_MINUTE", "1")
    slack.rebuild()
    for _ in range(3):
        home(slack)
    slack.global_shortcut("lookup_email")
    first = slack.command(f"{BOUNCED.address} {BOUNCED.day.isoformat()}")
    assert "Bounced" in first.answer["text"]
    second = slack.command(f"{BOUNCED.address} {BOUNCED.day.isoformat()}")
    assert "more than 1 lookups in a minute" in all_text(second.ack_body)
