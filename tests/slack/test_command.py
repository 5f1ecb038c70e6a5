"""``/emailstatus`` end to end: signed event → handler → ack → lazy self-invocation → simulator
→ answer on the response_url server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emailstatus.render.slack import STATE_EMOJI
from emailstatus.render.slack_message import ACTION_PREVIOUS_DAY, ACTION_SHARE, ACTION_TRY_AGAIN
from emailstatus.verdict import STATE_TITLES, State
from ses_simulator import ABSENT_ADDRESS, FIXTURES, Simulator
from testkit.block_kit import all_text
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import command_body, signed_event

#: Demo fixture → the verdict it must produce.
VERDICTS = {
    "delivered": State.DELIVERED,
    "bounced": State.BOUNCED,
    "dropped": State.DROPPED,
    "deferred": State.DEFERRED,
    "queued": State.QUEUED,
    "refused": State.REFUSED,
    "unknown": State.UNKNOWN,
    "complained": State.DELIVERED,
}


def header(payload: dict[str, Any]) -> str:
    first = next(block for block in payload["blocks"] if block["type"] == "header")
    return str(first["text"]["text"])


def action_ids(payload: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in payload["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_every_verdict_end_to_end(slack: SlackHarness, name: str) -> None:
    address = FIXTURES[name].address
    exchange = slack.command(address)

    assert exchange.ack["statusCode"] == 200
    assert exchange.ack_seconds < 0.5
    assert exchange.ack_body["response_type"] == "ephemeral"
    assert len(exchange.invocations) == 1

    answer = exchange.answer
    state = VERDICTS[name]
    assert answer["response_type"] == "ephemeral"
    assert header(answer).startswith(STATE_EMOJI[state])
    assert STATE_TITLES[state] in header(answer)
    assert f"*To*\\n{address}" in all_text(answer)
    assert "RequestId " in all_text(answer)
    assert "<!date^" in all_text(answer)
    assert ACTION_PREVIOUS_DAY in action_ids(answer) and action_ids(answer)[-1] == ACTION_SHARE


def test_the_ack_stays_and_the_answer_stands_alone(slack: SlackHarness) -> None:
    """Slack cannot replace a slash command's ack: the user sees the ack, then the answer as a
    second message. The ack promises no change (nor a date: the asker's zone cannot be asked
    within Slack's 3 seconds); the answer says exactly what was asked."""
    address = FIXTURES["bounced"].address
    exchange = slack.command(f"{address} yesterday")
    day = FIXTURES["bounced"].day
    asked = f"{address}, yesterday ({day.day} {day.strftime('%b')}, Beijing time)"
    assert exchange.ack_body["text"] == (
        f":mag: Looking up {address}, yesterday: the answer follows below."
    )
    ack, answer = slack.seen()
    assert ack == exchange.ack_body
    assert answer == exchange.answer
    assert f"*{asked}*" in all_text(answer)
    assert "Checking" not in all_text(ack)


def test_not_found(slack: SlackHarness) -> None:
    answer = slack.command(f"{ABSENT_ADDRESS} yesterday").answer
    assert header(answer) == f"{STATE_EMOJI[State.NOT_FOUND]} {STATE_TITLES[State.NOT_FOUND]}"
    assert f"{ABSENT_ADDRESS}, yesterday (" in all_text(answer)


def test_engagement_and_the_experts_line(slack: SlackHarness) -> None:
    answer = slack.command(FIXTURES["complained"].address).answer
    complained = all_text(answer)
    assert header(answer) == ":white_check_mark: Delivered · ⚠️ reported as spam, unsubscribed"
    assert "*Next step:* Don't resend" in complained
    assert "inbox and spam folder" not in complained
    assert ":warning: The recipient opened it, unsubscribed and reported it as spam." in complained
    bounced = all_text(slack.command(FIXTURES["bounced"].address).answer)
    assert "SendStatus 0 · DeliverStatus 3" in bounced
    assert FIXTURES["bounced"].message_id in bounced
    assert "Reply: “550-5.1.1" in bounced


def test_several_emails_are_summarised_newest_first(slack: SlackHarness) -> None:
    multi = FIXTURES["multi"]
    answer = slack.command(f"{multi.address} last 5 days").answer
    text = all_text(answer)
    assert f"*{multi.count} emails*, newest first: " in text
    lines = next(
        block["text"]["text"]
        for block in answer["blocks"]
        if block["type"] == "section" and "<!date^" in block.get("text", {}).get("text", "")
    ).split("\n")
    stamps = [int(line.split("<!date^")[1].split("^")[0]) for line in lines]
    assert len(lines) == multi.count
    assert stamps == sorted(stamps, reverse=True)


def test_slack_autolinked_address(slack: SlackHarness) -> None:
    address = FIXTURES["bounced"].address
    exchange = slack.command(f"<mailto:{address}|{address}> yesterday")
    assert exchange.ack_body["text"].startswith(f":mag: Looking up {address}, yesterday:")
    assert header(exchange.answer).startswith(STATE_EMOJI[State.BOUNCED])


def test_message_id_lookup_has_no_previous_day_button(slack: SlackHarness) -> None:
    bounced = FIXTURES["bounced"]
    answer = slack.command(bounced.message_id).answer
    assert header(answer).startswith(STATE_EMOJI[State.BOUNCED])
    assert ACTION_PREVIOUS_DAY not in action_ids(answer)


def test_help_and_usage_errors_are_answered_in_the_ack(slack: SlackHarness) -> None:
    for text in ("", "help"):
        exchange = slack.command(text)
        assert exchange.invocations == [] and exchange.posts == []
        assert exchange.ack_body["response_type"] == "ephemeral"
        assert "/emailstatus alice@example.com last 3 days" in all_text(exchange.ack_body)
        assert "30 days" in all_text(exchange.ack_body)

    exchange = slack.command("alice@example.com <@U123> tomorrow-ish")
    assert exchange.invocations == [] and exchange.posts == []
    assert exchange.ack_body["text"].startswith(":warning: ")
    assert "Usage: /emailstatus" in all_text(exchange.ack_body)
    assert "<@U123>" not in all_text(exchange.ack_body)


def test_function_url_event_with_a_base64_body(slack: SlackHarness) -> None:
    body = command_body(FIXTURES["delivered"].address, slack.hooks.response_url())
    exchange = slack.send(signed_event(body, function_url=True, base64_body=True))
    assert exchange.ack["statusCode"] == 200
    assert header(exchange.answer).startswith(STATE_EMOJI[State.DELIVERED])


def test_tencent_failure_says_who_must_act_and_the_request_id(
    slack: SlackHarness, sim: Simulator
) -> None:
    sim.fail_next("AuthFailure.SecretIdNotFound", action="GetSendEmailStatus")
    address = FIXTURES["delivered"].address
    exchange = slack.command(address)
    text = all_text(exchange.answer)
    assert exchange.answer["text"].startswith(
        f":warning: Tencent rejected our API key — {address}, today and yesterday ("
    )
    assert f"*{address}, today and yesterday (" in text  # the question, restated
    assert "*Who acts:* Whoever runs emailstatus" in text
    assert "Code AuthFailure.SecretIdNotFound · Attempts 1 · RequestId " in text
    assert action_ids(exchange.answer) == [ACTION_TRY_AGAIN]
    assert "RequestId " in text
    assert "Traceback" not in text


def test_a_misconfigured_deployment_says_so_only_to_a_verified_request(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch
) -> None:
    slack_env.delenv("SLACK_BOT_TOKEN")
    slack.rebuild()
    exchange = slack.command("alice@example.com")
    assert exchange.ack["statusCode"] == 200
    assert "SLACK_BOT_TOKEN not set" in all_text(exchange.ack_body)
    assert exchange.invocations == []
    forged = slack.command("alice@example.com", secret="not-the-signing-secret")
    assert forged.ack["statusCode"] == 401
    assert "SLACK_BOT_TOKEN" not in forged.ack["body"]


def test_without_a_signing_secret_nothing_is_verified_or_explained(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch
) -> None:
    slack_env.delenv("SLACK_SIGNING_SECRET")
    slack.rebuild()
    exchange = slack.command("alice@example.com")
    assert exchange.ack["statusCode"] == 503
    assert "SLACK_SIGNING_SECRET" not in exchange.ack["body"]
    assert exchange.invocations == [] and exchange.posts == []


def test_missing_tencent_credentials_are_explained_not_raised(
    slack: SlackHarness, slack_env: pytest.MonkeyPatch
) -> None:
    slack_env.delenv("TENCENTCLOUD_SECRET_ID")
    slack_env.delenv("TENCENTCLOUD_SECRET_KEY")
    slack.rebuild()
    answer = slack.command("alice@example.com").answer
    assert "Tencent Cloud credentials are not configured." in all_text(answer)
    assert "TENCENTCLOUD_SECRET_ID" in all_text(answer)


def test_lazy_payload_is_the_original_request(slack: SlackHarness) -> None:
    exchange = slack.command(FIXTURES["delivered"].address)
    payload = json.loads(exchange.invocations[0]["Payload"])
    assert payload["headers"]["x-slack-bolt-lazy-only"] == "1"
    assert payload["headers"]["x-slack-bolt-lazy-function-name"] == "look_up"


def test_hostile_reply_comes_out_inert_end_to_end(slack: SlackHarness) -> None:
    """The simulator serves a DeliverMessage full of Slack markup; none of it may stay live."""
    text = all_text(slack.command(FIXTURES["hostile"].address).answer)
    assert "&lt;!channel&gt;" in text
    for live in ("<!channel>", "<!here>", "<@U123>", "<https://x.example.com|", "<hostile@"):
        assert live not in text
