"""The fake Slack keeps Slack's response_url and views rules, so the app is designed for them."""

from __future__ import annotations

import time
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from testkit.fake_slack import BOT_TOKEN, FakeSlack
from testkit.fake_slack.response_urls import ResponseUrls


def post(url: str, text: str, **flags: bool) -> int:
    return WebhookClient(url).send_dict({"text": text, **flags}).status_code


def refusal(url: str) -> str:
    return WebhookClient(url).send_dict({"text": "refused"}).body


def test_a_commands_ack_cannot_be_replaced(hooks: FakeSlack) -> None:
    hooks.reset()
    hooks.response_urls.show({"text": "ack"})
    url = hooks.response_url()
    assert post(url, "answer", replace_original=True) == 200
    assert post(url, "again", delete_original=True) == 200
    assert [message["text"] for message in hooks.response_urls.visible()] == [
        "ack",
        "answer",
        "again",
    ]


def test_a_buttons_message_can_be_replaced_or_deleted(hooks: FakeSlack) -> None:
    hooks.reset()
    hooks.response_urls.show({"text": "answer with a button"})
    url = hooks.button_url(0)
    assert post(url, "replaced", replace_original=True) == 200
    assert post(url, "new") == 200
    assert [message["text"] for message in hooks.response_urls.visible()] == ["replaced", "new"]
    assert post(url, "gone", delete_original=True) == 200
    assert [message["text"] for message in hooks.response_urls.visible()] == ["new"]


def test_five_posts_within_thirty_minutes(hooks: FakeSlack) -> None:
    hooks.reset()
    url = hooks.response_url()
    assert [post(url, str(n)) for n in range(5)] == [200] * 5
    assert refusal(url) == "used_url"
    assert len(hooks.response_urls.visible()) == 5

    later = hooks.response_url()
    start = hooks.clock()
    assert post(later, "first") == 200
    hooks.clock = lambda: start + ResponseUrls.LIFETIME_SECONDS + 1
    try:
        assert refusal(later) == "expired_url"
    finally:
        hooks.clock = time.monotonic


def web(hooks: FakeSlack, token: str = BOT_TOKEN) -> WebClient:
    return WebClient(token=token, base_url=hooks.api_url)


def modal(blocks: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Check email status"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * blocks,
        **extra,
    }


def slack_error(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_views_update_needs_an_open_view_and_a_current_hash(hooks: FakeSlack) -> None:
    hooks.reset()
    client = web(hooks)
    assert slack_error(lambda: client.views_update(view=modal(), view_id="V404")) == "not_found"
    opened = client.views_open(
        trigger_id=hooks.views.new_trigger(), view=modal(external_id="mine")
    )["view"]
    updated = client.views_update(view=modal(2), external_id="mine")["view"]
    assert updated["id"] == opened["id"] and len(updated["blocks"]) == 2
    stale = lambda: client.views_update(view=modal(), view_id=opened["id"], hash=opened["hash"])  # noqa: E731
    assert slack_error(stale) == "hash_conflict"
    again = lambda: client.views_open(  # noqa: E731
        trigger_id=hooks.views.new_trigger(), view=modal(external_id="mine")
    )
    assert slack_error(again) == "duplicate_external_id"


def test_slacks_view_limits(hooks: FakeSlack) -> None:
    hooks.reset()
    client = web(hooks)

    def opening(view: dict[str, Any]) -> str:
        return slack_error(
            lambda: client.views_open(trigger_id=hooks.views.new_trigger(), view=view)
        )

    assert opening(modal(101)) == "invalid_arguments"
    assert opening(modal(private_metadata="x" * 3001)) == "invalid_arguments"
    big = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}
    assert opening({**modal(), "blocks": [big] * 95}) == "view_too_large"
    assert client.views_open(trigger_id=hooks.views.new_trigger(), view=modal(100))["ok"]
    late = hooks.views.new_trigger(age=3.5)
    assert slack_error(lambda: client.views_open(trigger_id=late, view=modal())) == (
        "expired_trigger_id"
    )
    assert slack_error(
        lambda: web(hooks, "xoxp-user").views_open(trigger_id="1", view=modal())
    ) == ("invalid_auth")


def test_views_publish_keeps_one_home_per_user(hooks: FakeSlack) -> None:
    hooks.reset()
    client = web(hooks)
    home = {"type": "home", "blocks": modal()["blocks"]}
    first = client.views_publish(user_id="U0AGENT", view=home)["view"]
    second = client.views_publish(user_id="U0AGENT", view={**home, "blocks": home["blocks"] * 2})
    assert second["view"]["id"] == first["id"]
    assert len(hooks.views.homes["U0AGENT"]["blocks"]) == 2
    stale = lambda: client.views_publish(user_id="U0AGENT", view=home, hash=first["hash"])  # noqa: E731
    assert slack_error(stale) == "hash_conflict"
    assert slack_error(lambda: client.views_publish(user_id="U0AGENT", view=modal())) == (
        "invalid_arguments"
    )
    hooks.views.home_enabled = False
    assert slack_error(lambda: client.views_publish(user_id="U0AGENT", view=home)) == "not_enabled"
