"""Block Kit rendering: escaping, limits, shortening — whatever the data."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from emailstatus.command import Query, TargetKind
from emailstatus.errors import ConfigError, SesError
from emailstatus.knowledge.records import EmailRecord
from emailstatus.render.mrkdwn import clip, date_token, escape, fit_message
from emailstatus.render.slack import (
    failure_message,
    help_message,
    verdict_message,
    verdict_payload_json,
)
from emailstatus.render.slack_message import ButtonValue
from emailstatus.results import Lookup, Outcome
from emailstatus.verdict import judge
from ses_simulator import Simulator
from testkit.block_kit import all_text, assert_valid_message
from testkit.slack_harness import SlackHarness

HOSTILE = "550 5.1.1 <!channel> <@U123> <https://x|y> <!here> & <#C1> rejected"
DAY = date(2026, 11, 28)


def record(index: int, **changes: Any) -> EmailRecord:
    sent = datetime(2026, 11, 28, 9, 0, tzinfo=UTC) - timedelta(minutes=index)
    fields: dict[str, Any] = {
        "MessageId": f"qcloudses-30-1300000007-date-20261128170000-test{index:04d}",
        "ToEmailAddress": "alice@example.com",
        "FromEmailAddress": "noreply@example.com",
        "SendStatus": 0,
        "DeliverStatus": 3,
        "DeliverMessage": HOSTILE,
        "RequestTime": int(sent.timestamp()),
        "DeliverTime": int(sent.timestamp()) + 5,
    }
    fields.update(changes)
    return EmailRecord.from_api(fields)


def outcome(records: list[EmailRecord], target: str = "alice@example.com") -> Outcome:
    query = Query(target, TargetKind.ADDRESS, (DAY,), today=DAY + timedelta(days=1))
    return Outcome(query, Lookup(tuple(records), ("req-1",)), judge(records), 0.1)


def test_outside_markup_comes_out_inert() -> None:
    payload = verdict_message(outcome([record(0)])).to_dict()
    assert_valid_message(payload)
    text = all_text(payload)
    for live in ("<!channel>", "<@U123>", "<https://x|y>", "<!here>", "<#C1>"):
        assert live not in text
    assert "&lt;!channel&gt; &lt;@U123&gt; &lt;https://x|y&gt; &lt;!here&gt; &amp;" in text
    # the only live markup left is ours: Slack date tokens
    assert all(part.startswith("!date^") for part in text.split("<")[1:])


def test_the_delivered_message_with_markup_from_the_simulator_is_escaped(
    slack: SlackHarness, sim: Simulator
) -> None:
    """Real replies quote the address as ``<address>``: end to end, it must stay inert."""
    yesterday = sim.dataset.today - timedelta(days=1)
    quoted = next(r for r in sim.dataset.day_records(yesterday) if "<" in r["DeliverMessage"])
    answer = slack.command(quoted["MessageId"]).answer
    reply = quoted["DeliverMessage"]
    assert escape(reply) in all_text(answer)
    assert f"<{quoted['ToEmailAddress']}>" not in all_text(answer)


def test_sixty_emails_in_a_day_stay_within_the_limits() -> None:
    long_sender = "n" * 60 + "@" + "sub." * 40 + "example.com"
    records = [
        record(i, FromEmailAddress=long_sender, DeliverMessage=HOSTILE * 60, DeliverStatus=i % 9)
        for i in range(60)
    ]
    for page in range(7):
        payload = verdict_message(outcome(records), page=page).to_dict()
        blocks = assert_valid_message(payload)
        assert len(payload["text"]) <= 300
        assert any(
            isinstance(b, SectionBlock) and "60 emails" in (b.text.text if b.text else "")
            for b in blocks
        )


def test_a_huge_target_is_shortened_not_rejected() -> None:
    target = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "example.com"
    payload = verdict_message(outcome([record(0)], target=target)).to_dict()
    assert_valid_message(payload)
    payload = verdict_message(outcome([], target=target)).to_dict()
    assert_valid_message(payload)


def test_fit_message_enforces_every_limit() -> None:
    blocks = [
        HeaderBlock(text=PlainTextObject(text="h" * 400)),
        SectionBlock(
            text=MarkdownTextObject(text="&amp;" * 1000),
            fields=[MarkdownTextObject(text="f" * 2500) for _ in range(14)],
        ),
        ContextBlock(elements=[MarkdownTextObject(text=str(i)) for i in range(12)]),
        ActionsBlock(
            elements=[
                ButtonElement(text="b" * 100, action_id="ok", value="v"),
                ButtonElement(text="too long", action_id="dropped", value="v" * 2001),
            ]
        ),
        *[ContextBlock(elements=[MarkdownTextObject(text="x")]) for _ in range(60)],
    ]
    fitted = fit_message(blocks)
    dicts = [block.to_dict() for block in fitted]
    assert_valid_message({"text": "t", "blocks": dicts})
    assert len(fitted) == 50
    assert dicts[-1]["elements"][0]["text"] == "… 15 more not shown"
    section = dicts[1]
    assert len(section["text"]["text"]) <= 3000 and section["text"]["text"].endswith("&amp;…")
    assert len(section["fields"]) == 10
    assert [e["action_id"] for e in dicts[3]["elements"]] == ["ok"]
    header = blocks[0]  # the inputs are untouched
    assert isinstance(header, HeaderBlock) and header.text is not None
    assert len(header.text.text) == 400


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("hello &amp; world", 10, "hello …"),
        ("ab <!date^1^{time}|x> tail", 8, "ab …"),
        ("a &lt;b", 7, "a &lt;b"),
        ("abcdef", 4, "abc…"),
    ],
)
def test_clip_never_cuts_an_entity_or_a_token(text: str, limit: int, expected: str) -> None:
    assert clip(text, limit) == expected


def test_escape_and_date_token() -> None:
    assert escape("a & <b> &amp;") == "a &amp; &lt;b&gt; &amp;amp;"
    moment = datetime(2026, 11, 28, 1, 14, tzinfo=UTC)
    assert date_token(moment) == (
        f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|2026-11-28 01:14 UTC>"
    )


def test_button_values_round_trip_and_reject_strangers() -> None:
    value = ButtonValue("alice@example.com 2026-11-27..2026-11-28", 3)
    assert ButtonValue.decode(value.encode()) == value
    for stranger in ("", "[]", '{"q": 1, "p": 0}', '{"q": "x", "p": -1}', '{"q": "x"}'):
        assert ButtonValue.decode(stranger) is None


def test_failure_help_and_cli_payloads_are_valid() -> None:
    error = SesError("AuthFailure.SecretIdNotFound", "The SecretId is not found <x>", "req-9")
    payload = failure_message(error).to_dict()
    assert_valid_message(payload)
    assert "RequestId req-9" in all_text(payload)
    assert "&lt;x&gt;" in all_text(payload)
    assert_valid_message(failure_message(ConfigError("No key.", next_step="Set it.")).to_dict())
    assert_valid_message(help_message().to_dict())
    assert_valid_message(json.loads(verdict_payload_json(outcome([record(0)]))))


def blocks_of(payload: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [block for block in payload["blocks"] if block["type"] == kind and "fields" not in block]


def test_a_servers_formatting_characters_stay_literal() -> None:
    reply = "550 5.1.1 *user* _unknown_ ~gone~ `code` <!channel>"
    payload = verdict_message(outcome([record(0, DeliverMessage=reply)])).to_dict()
    (shown,) = [
        element
        for block in blocks_of(payload, "context")
        for element in block["elements"]
        if "Reply:" in element["text"]
    ]
    assert shown["type"] == "plain_text"  # nothing in plain_text is formatted
    assert "*user* _unknown_ ~gone~ `code` &lt;!channel&gt;" in shown["text"]


def test_long_lists_put_failures_first_and_name_senders_only_when_they_differ() -> None:
    delivered = [record(i, DeliverStatus=1, DeliverMessage="250 OK") for i in range(5)]
    bounced = [record(10 + i) for i in range(2)]  # older than every delivery
    payload = verdict_message(outcome([*delivered, *bounced])).to_dict()
    summary, lines = (block["text"]["text"] for block in blocks_of(payload, "section")[1:3])
    assert summary.startswith("*7 emails*, failures first, then newest first: 5 delivered, 2 ")
    assert "All from noreply@example.com" in summary
    listed = lines.split("\n")
    assert [line.split(" ")[0] for line in listed] == [":x:"] * 2 + [":white_check_mark:"] * 5
    assert " · from " not in lines
    assert "email(s)" not in all_text(payload)

    other = record(1, DeliverStatus=1, DeliverMessage="250 OK", FromEmailAddress="b@example.com")
    mixed = verdict_message(outcome([record(0), other])).to_dict()
    assert " · from b@example.com" in blocks_of(mixed, "section")[2]["text"]["text"]


def test_times_are_labelled_by_what_happened() -> None:
    bounced = all_text(verdict_message(outcome([record(0)])).to_dict())
    assert "*Bounced at*" in bounced and "Delivered" not in bounced
    refused = verdict_message(outcome([record(0, SendStatus=1007, DeliverStatus=0)])).to_dict()
    assert "*Delivery*\\nNever sent — Tencent refused it" in all_text(refused)


def test_the_looking_glass_means_looking_up_only() -> None:
    from emailstatus.render.slack import LOOKING_UP, STATE_EMOJI, not_allowed_message

    assert LOOKING_UP not in STATE_EMOJI.values()
    assert "enable it here" in not_allowed_message(channel=True).text


def test_no_double_colons_in_what_people_read() -> None:
    payload = verdict_message(outcome([record(0, DeliverMessage="552 5.2.2 user is over quota")]))
    assert payload.text.startswith(":x: Bounced: the mailbox is full — alice@example.com, ")
    assert payload.text.count(":") == 3  # the emoji's two and the headline's one
