"""The message shortcut *Check email status* end to end: signed message_action requests
through Bolt, lookups against the simulator, answers on the shortcut's response_url, modals
checked by the fake Slack like Slack checks them."""

from __future__ import annotations

from typing import Any

import pytest

from emailstatus.render.slack_modal import PICK_BLOCK, PICK_INPUT
from ses_simulator import FIXTURES, Simulator
from testkit.block_kit import all_text, assert_valid_message
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import CHANNEL

DELIVERED = FIXTURES["delivered"]
BOUNCED = FIXTURES["bounced"]
ENCODED = DELIVERED.address.replace("@", "%40")


def lookups(sim: Simulator) -> int:
    return sim.stats().served.get("GetSendEmailStatus", 0)


def picked(address: str) -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": address}, "value": address}
    return {PICK_BLOCK: {PICK_INPUT: {"type": "radio_buttons", "selected_option": option}}}


def test_one_address_is_answered_like_the_command(slack: SlackHarness, sim: Simulator) -> None:
    exchange = slack.shortcut({"text": f"Did <mailto:{BOUNCED.address}|{BOUNCED.address}> get it?"})
    assert exchange.ack["statusCode"] == 200
    looking, answer = exchange.posts
    assert f"Looking up {BOUNCED.address}, today and yesterday" in looking["text"]
    assert answer["response_type"] == "ephemeral"
    assert "Bounced" in answer["text"]
    assert "The mailbox does not exist" in all_text(answer)
    assert "Share in channel" in all_text(answer)
    assert slack.hooks.views.opened == []


@pytest.mark.parametrize(
    "message",
    [
        {"text": f"see <https://crm.example.com/t?email={ENCODED}|ticket 4521>"},
        {"text": f"`{DELIVERED.message_id}`"},
        {
            "text": "",
            "attachments": [
                {"fallback": "ticket", "fields": [{"title": "To", "value": DELIVERED.address}]}
            ],
        },
        {
            "text": "forwarded",
            "blocks": [
                {
                    "type": "rich_text",
                    "elements": [
                        {
                            "type": "rich_text_preformatted",
                            "elements": [{"type": "link", "url": f"mailto:{DELIVERED.address}"}],
                        }
                    ],
                }
            ],
        },
    ],
    ids=["inside-a-link", "message-id-in-code", "attachment-field", "rich-text-mailto"],
)
def test_finds_what_a_message_hides(slack: SlackHarness, message: dict[str, Any]) -> None:
    answer = slack.shortcut(message).answer
    assert "Delivered" in answer["text"]


def test_several_addresses_open_a_picker_and_the_pick_is_answered_in_the_conversation(
    slack: SlackHarness, sim: Simulator
) -> None:
    text = f"{DELIVERED.address} and {BOUNCED.address}, also {DELIVERED.address.upper()}"
    exchange = slack.shortcut({"text": text})
    assert exchange.posts == []
    (opened,) = slack.hooks.views.opened
    options = [o["value"] for o in opened["blocks"][1]["element"]["options"]]
    assert options == [DELIVERED.address, BOUNCED.address]  # each once, in order
    before = lookups(sim)
    view = slack.hooks.views.current(next(iter(slack.hooks.views.modals)))
    submitted = slack.submit_values(view, picked(BOUNCED.address))
    assert submitted.ack_body == {}  # the modal closes
    looking, answer = submitted.posts
    assert BOUNCED.address in looking["text"]
    assert "Bounced" in answer["text"]
    assert lookups(sim) > before


def test_more_than_ten_are_counted(slack: SlackHarness) -> None:
    addresses = [f"agent{n}@example.com" for n in range(13)]
    slack.shortcut({"text": "cc: " + ", ".join(addresses)})
    (opened,) = slack.hooks.views.opened
    assert len(opened["blocks"][1]["element"]["options"]) == 10
    assert "3 more not shown" in all_text(opened)


def test_nothing_found_says_so_without_a_lookup(slack: SlackHarness, sim: Simulator) -> None:
    before = lookups(sim)
    exchange = slack.shortcut({"text": "the customer says nothing arrived, see <@U0BOB>"})
    assert exchange.posts == []
    (opened,) = slack.hooks.views.opened
    assert "No email address or MessageId in this message" in all_text(opened)
    assert exchange.invocations == []
    assert lookups(sim) == before


def test_where_the_app_cannot_post_it_answers_in_the_modal(slack: SlackHarness) -> None:
    exchange = slack.shortcut({"text": BOUNCED.address}, closed=True)
    assert exchange.posts and all(p["text"] for p in exchange.posts)  # tried, refused
    assert slack.seen() == []
    (opened,) = slack.hooks.views.opened
    assert "Looking up" in all_text(opened)
    (modal,) = slack.hooks.views.modals.values()
    shown = all_text(modal)
    assert "The mailbox does not exist" in shown
    assert "cannot post in that conversation" in shown
    assert not any(block["type"] == "actions" for block in modal["blocks"])
    assert_valid_message({"text": "modal", "blocks": modal["blocks"][:50]})


def test_a_pick_where_the_app_cannot_post_is_answered_in_the_modal(slack: SlackHarness) -> None:
    slack.shortcut({"text": f"{DELIVERED.address} {BOUNCED.address}"}, closed=True)
    (view_id,) = slack.hooks.views.modals
    submitted = slack.submit_values(slack.hooks.views.current(view_id), picked(DELIVERED.address))
    assert submitted.ack_body["response_action"] == "update"
    assert "Looking up" in all_text(submitted.ack_body["view"])
    assert "Delivered" in all_text(slack.hooks.views.current(view_id))


def test_a_channel_outside_the_allow_list_is_refused_before_any_work(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch, sim: Simulator
) -> None:
    slack_env.setenv("EMAILSTATUS_ALLOWED_CHANNELS", "C0OTHER")
    slack.rebuild()
    before = lookups(sim)
    exchange = slack.shortcut({"text": BOUNCED.address}, channel=CHANNEL)
    assert "not enabled in this channel" in exchange.answer["text"]
    assert exchange.invocations == []
    assert slack.hooks.views.opened == []
    assert lookups(sim) == before


def test_a_pick_is_held_to_the_per_user_limit(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch
) -> None:
    slack_env.setenv("EMAILSTATUS_USER_LOOKUPS_PER_MINUTE", "1")
    slack.rebuild()
    slack.shortcut({"text": f"{DELIVERED.address} {BOUNCED.address}"})
    (view_id,) = slack.hooks.views.modals
    submitted = slack.submit_values(slack.hooks.views.current(view_id), picked(BOUNCED.address))
    assert submitted.ack_body["response_action"] == "update"
    assert "lookups in a minute" in all_text(submitted.ack_body["view"])
    assert submitted.invocations == []


def test_a_forged_pick_is_refused_in_the_modal(slack: SlackHarness) -> None:
    slack.shortcut({"text": f"{DELIVERED.address} {BOUNCED.address}"})
    (view_id,) = slack.hooks.views.modals
    submitted = slack.submit_values(slack.hooks.views.current(view_id), picked("not an address"))
    assert submitted.ack_body["response_action"] == "errors"
    assert submitted.invocations == []
