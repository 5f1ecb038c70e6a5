"""The fake Slack keeps Slack's response_url rules, so the app is designed for them."""

from __future__ import annotations

import time

from slack_sdk.webhook import WebhookClient

from tests.slack.conftest import ResponseUrlServer


def post(url: str, text: str, **flags: bool) -> int:
    return WebhookClient(url).send_dict({"text": text, **flags}).status_code


def refusal(url: str) -> str:
    return WebhookClient(url).send_dict({"text": "refused"}).body


def test_a_commands_ack_cannot_be_replaced(hooks: ResponseUrlServer) -> None:
    hooks.reset()
    hooks.show({"text": "ack"})
    url = hooks.url()
    assert post(url, "answer", replace_original=True) == 200
    assert post(url, "again", delete_original=True) == 200
    assert [message["text"] for message in hooks.visible()] == ["ack", "answer", "again"]


def test_a_buttons_message_can_be_replaced_or_deleted(hooks: ResponseUrlServer) -> None:
    hooks.reset()
    hooks.show({"text": "answer with a button"})
    url = hooks.button_url(0)
    assert post(url, "replaced", replace_original=True) == 200
    assert post(url, "new") == 200
    assert [message["text"] for message in hooks.visible()] == ["replaced", "new"]
    assert post(url, "gone", delete_original=True) == 200
    assert [message["text"] for message in hooks.visible()] == ["new"]


def test_five_posts_within_thirty_minutes(hooks: ResponseUrlServer) -> None:
    hooks.reset()
    url = hooks.url()
    assert [post(url, str(n)) for n in range(5)] == [200] * 5
    assert refusal(url) == "used_url"
    assert len(hooks.visible()) == 5

    later = hooks.url()
    start = hooks.clock()
    assert post(later, "first") == 200
    hooks.clock = lambda: start + ResponseUrlServer.LIFETIME_SECONDS + 1
    try:
        assert refusal(later) == "expired_url"
    finally:
        hooks.clock = time.monotonic
