"""The fake Slack keeps Slack's rules (response_url, views, messages, tokens) and Lambda's
Invoke limits, so the app is designed for them."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError  # type: ignore[import-untyped]
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from testkit.fake_slack import ASYNC_PAYLOAD_LIMIT, BOT_TOKEN, FakeSlack
from testkit.fake_slack.response_urls import ResponseUrls
from testkit.slack_harness import lambda_client


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


def test_a_response_urls_thirty_minutes_run_from_the_interaction(hooks: FakeSlack) -> None:
    hooks.reset()
    url = hooks.response_url()
    start = hooks.clock()
    hooks.clock = lambda: start + ResponseUrls.LIFETIME_SECONDS + 1
    assert refusal(url) == "expired_url"  # never used, still too late


def test_a_response_url_refuses_blocks_slack_cannot_show(hooks: FakeSlack) -> None:
    hooks.reset()
    answer = WebhookClient(hooks.response_url()).send_dict(
        {"text": "x", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ""}}]}
    )
    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert hooks.response_urls.visible() == []


def test_chat_post_message_keeps_slacks_rate_per_channel(fake_slack: FakeSlack) -> None:
    client = web(fake_slack)
    client.retry_handlers.clear()  # see the 429 itself
    assert client.chat_postMessage(channel="C1", text="summary")["ok"]
    assert client.chat_postMessage(channel="C1", text="thread reply")["ok"]  # a short burst
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="one too many")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "1"
    assert client.chat_postMessage(channel="C2", text="another channel")["ok"]
    assert [post["text"] for post in fake_slack.channels.history["C1"]] == [
        "summary",
        "thread reply",
    ]


def test_chat_post_message_refuses_as_slack_does(fake_slack: FakeSlack) -> None:
    client = web(fake_slack)
    fake_slack.channels.missing.add("C0GONE")
    fake_slack.channels.outside.add("C0PRIVATE")
    assert slack_error(lambda: client.chat_postMessage(channel="C0GONE", text="x")) == (
        "channel_not_found"
    )
    assert slack_error(lambda: client.chat_postMessage(channel="C0PRIVATE", text="x")) == (
        "not_in_channel"
    )
    with pytest.warns(UserWarning, match="text"):  # slack_sdk warns too
        assert slack_error(lambda: client.chat_postMessage(channel="C1", text="")) == "no_text"
    broken = [{"type": "section"}]  # a section needs text or fields
    assert slack_error(lambda: client.chat_postMessage(channel="C1", text="x", blocks=broken)) == (
        "invalid_blocks"
    )
    wrong = WebClient(token="xoxb-someone-else", base_url=fake_slack.api_url)
    assert slack_error(lambda: wrong.chat_postMessage(channel="C1", text="x")) == "invalid_auth"
    anonymous = WebClient(base_url=fake_slack.api_url)
    assert slack_error(lambda: anonymous.chat_postMessage(channel="C1", text="x")) == ("not_authed")
    assert fake_slack.posts() == []


def test_lambda_invoke_queues_asynchronous_invocations_within_lambdas_limit(
    fake_slack: FakeSlack,
) -> None:
    client = lambda_client(fake_slack.base_url)
    name = "emailstatus-test-slack"
    answer = client.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"a": 1}')
    assert answer["StatusCode"] == 202
    too_big = b'"' + b"x" * ASYNC_PAYLOAD_LIMIT + b'"'
    with pytest.raises(ClientError) as raised:
        client.invoke(FunctionName=name, InvocationType="Event", Payload=too_big)
    assert raised.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    with pytest.raises(ClientError):  # the fake runs nothing, so it answers nothing synchronous
        client.invoke(FunctionName=name, Payload=b"{}")
    assert fake_slack.take_invocations() == [
        {"FunctionName": name, "InvocationType": "Event", "Payload": '{"a": 1}'}
    ]
    assert fake_slack.take_invocations() == []
