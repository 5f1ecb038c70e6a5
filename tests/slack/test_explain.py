"""``/emailstatus explain <pasted text>`` end to end: signed request → real Bolt → ephemeral
reading in the acknowledgement, with no lookup started and nothing posted."""

from __future__ import annotations

import pytest

from testkit.block_kit import all_text
from testkit.slack_harness import Exchange, SlackHarness

#: How Slack delivers a pasted Gmail bounce: < > & escaped, the address turned into a link.
GMAIL_AS_SLACK_SENDS_IT = (
    "explain 550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\n"
    "550 5.1.1 unnecessary spaces. &lt;<mailto:bob@example.com|bob@example.com>&gt; - gsmtp"
)


def answered_in_the_ack(exchange: Exchange) -> str:
    """The ack's text, after checking it is the whole, ephemeral answer."""
    assert exchange.ack["statusCode"] == 200
    assert exchange.ack_body["response_type"] == "ephemeral"
    assert exchange.invocations == []  # no lookup, no lazy self-invocation
    assert exchange.posts == []
    return all_text(exchange.ack_body)


def test_a_pasted_bounce_is_read(slack: SlackHarness) -> None:
    text = answered_in_the_ack(slack.command(GMAIL_AS_SLACK_SENDS_IT))
    assert "The mailbox does not exist" in text
    assert "the customer" in text
    assert "550 5.1.1" in text
    assert "Gmail" in text
    assert "an operator can remove it from the blocklist" in text
    assert "&lt;bob@example.com&gt;" in text  # quoted back as pasted, escaped for mrkdwn
    assert "mailto:" not in text


def test_a_refusal_of_our_sender_is_not_put_on_the_customer(slack: SlackHarness) -> None:
    exchange = slack.command(
        "explain 553 5.1.8 &lt;<mailto:bounce@example.com|bounce@example.com>&gt;... Domain of "
        "sender address bounce@example.com does not exist"
    )
    text = answered_in_the_ack(exchange)
    assert "Our sender address was refused" in text
    assert "us, the sender" in text
    assert "confirm the spelling with the customer" not in text.lower()


def test_a_final_refusal_is_not_told_to_wait(slack: SlackHarness) -> None:
    text = answered_in_the_ack(slack.command("explain 550 Ip frequency limited"))
    assert "QQ Mail" in text
    assert "will not retry" in text
    assert "Wait" not in text


def test_a_netease_reply_with_chinese_text_is_read(slack: SlackHarness) -> None:
    text = answered_in_the_ack(
        slack.command("explain 退信原因：554 DT:SPM 163 smtp14, 发送的邮件内容包含了未被许可的信息")
    )
    assert "The email was judged to be spam" in text
    assert "NetEase" in text


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("explain", "There is no text to read"),
        ("explain    \n  ", "There is no text to read"),
        ("explain " + "550 5.1.1 user unknown " * 4_400, "paste at most 10,000"),
        ("explain 550 5.1.1 \x00\x01\x02 user unknown", "U+0000"),
        ("explain \ufffd\ufffdPNG\ufffd", "U+FFFD"),
    ],
    ids=["empty", "blank", "100 KB", "binary", "undecodable"],
)
def test_bad_input_gets_a_clear_message_and_the_usage_line(
    slack: SlackHarness, text: str, says: str
) -> None:
    answer = answered_in_the_ack(slack.command(text))
    assert says in answer
    assert "Usage: /emailstatus explain" in answer
