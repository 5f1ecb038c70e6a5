"""What the digest says at a glance: the day's verdict, alerts in order of urgency, numbers with
their base, trends with a cue, Tencent's totals for a partial day, an actionable thread."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from emailstatus.config import Settings
from emailstatus.digest.report import DigestReport
from emailstatus.digest.summary import DigestBuilder
from emailstatus.digest.trends import Change, Severity, alerts, arrow, sparkline
from emailstatus.knowledge.records import EmailRecord
from emailstatus.knowledge.statistics import DailyVolume
from emailstatus.render.slack_digest import digest_message, thread_reply
from emailstatus.results import DEADLINE, WalkProgress
from testkit.block_kit import all_text, assert_valid_message

DAY = date(2026, 12, 3)


def record(
    index: int, send_status: int = 0, deliver_status: int = 1, reply: str = ""
) -> EmailRecord:
    sent = datetime(2026, 12, 3, 1, 0, tzinfo=UTC) + timedelta(minutes=index)
    return EmailRecord.from_api(
        {
            "MessageId": f"qcloudses-30-1300000007-date-20261203090000-digest{index:05d}",
            "ToEmailAddress": f"user{index}@example.com",
            "FromEmailAddress": "noreply@example.com",
            "SendStatus": send_status,
            "DeliverStatus": deliver_status,
            "DeliverMessage": reply,
            "RequestTime": int(sent.timestamp()),
            "DeliverTime": int(sent.timestamp()) + 5,
        }
    )


def report(records: list[EmailRecord], *, complete: bool = True, **extra: Any) -> DigestReport:
    builder = DigestBuilder(DAY)
    builder.add_all(records)
    summary = builder.summary()
    progress = WalkProgress(
        pages=1, records=len(records), complete=complete, stopped_by=None if complete else DEADLINE
    )
    found = alerts(summary, Settings(credentials=None).thresholds) if complete else ()
    return DigestReport(summary, progress, alerts=found, **extra)


def healthy() -> list[EmailRecord]:
    return [record(i) for i in range(200)] + [record(900, deliver_status=3, reply="550 5.1.1 no")]


def test_a_normal_day_says_so_first() -> None:
    payload = digest_message(report(healthy())).to_dict()
    assert_valid_message(payload)
    assert payload["blocks"][1]["text"]["text"].startswith("*:large_green_circle: Normal day")
    assert payload["text"].startswith(":large_green_circle: Normal day · Email digest for Thu 3")


def test_an_account_restriction_comes_first_with_who_acts() -> None:
    restricted = [record(1000 + i, send_status=3030, deliver_status=0) for i in range(3)]
    bounces = [record(2000 + i, deliver_status=3, reply="550 5.1.1 no") for i in range(40)]
    day = report([*healthy(), *bounces, *restricted])
    assert day.severity is Severity.ACT_NOW
    assert [alert.kind.value for alert in day.alerts] == ["refusal", "bounce_rate"]
    blocks = digest_message(day).to_dict()["blocks"]
    assert blocks[1]["text"]["text"].startswith("*:red_circle: Act now: 2 alerts")
    first = blocks[2]["text"]["text"]
    assert first.startswith(":red_circle: *Sending is restricted because our bounce rate is")
    assert "(SendStatus 3030, 3 emails): Tencent is stopping the whole account" in first
    assert "*Who acts:* The operator, now. Escalate now" in first


def test_numbers_say_their_base_and_arrows_say_good_or_bad() -> None:
    refused = [record(3000 + i, send_status=1006, deliver_status=0) for i in range(9)]
    text = all_text(digest_message(report([*healthy(), *refused])).to_dict())
    assert "210 requested · 201 accepted by Tencent" in text
    assert "200 · 99.5% of 201 accepted" in text
    assert arrow(Change("Bounce rate", 0.02, 0.01, is_rate=True)) == "↑ +1.00 pt, worse"
    assert arrow(Change("Complaint rate", 0.0, 0.001, is_rate=True)) == "↓ -0.10 pt, better"
    assert arrow(Change("Emails", 10, 4, is_rate=False)) == "↑ +6"


def test_a_healthy_week_does_not_look_alarming() -> None:
    line = sparkline((0.004, 0.005, 0.003), scale=0.05)
    assert "█" not in line and line == "▂▂▁"  # low bars under a 5% alert line
    history = (0.004, 0.005, None, 0.006)
    text = all_text(digest_message(report(healthy(), history=history)).to_dict())
    assert "Bounce rate, last 4 days: ▂▂·▂ (scale 0–5.0%, alert at 5.0%" in text
    assert "`▁" not in text  # not inline code, which Slack draws in red


def test_a_partial_day_shows_tencents_totals_not_a_grid() -> None:
    totals = DailyVolume(DAY, 5000, 4990, 4800, 900, 120, 150, 7)
    payload = digest_message(report(healthy(), complete=False, day_totals=totals)).to_dict()
    text = all_text(payload)
    assert not [block for block in payload["blocks"] if "fields" in block]
    assert "*Tencent's totals for the whole day:* 5,000 requested · 4,990 accepted" in text
    assert "there are no alerts or trend for this day" in text
    assert ":large_orange_circle: Watch" in text


def test_a_whole_day_that_disagrees_with_tencents_totals_says_so() -> None:
    totals = DailyVolume(DAY, 260, 260, 250, 0, 0, 10, 0)
    text = all_text(digest_message(report(healthy(), day_totals=totals)).to_dict())
    assert "Tencent's statistics count 260 emails for the day; the walk read 201" in text
    close = DailyVolume(DAY, 202, 202, 200, 0, 0, 1, 0)
    assert "statistics count" not in all_text(
        digest_message(report(healthy(), day_totals=close)).to_dict()
    )


def test_each_failed_line_can_be_looked_up() -> None:
    reply = thread_reply(report(healthy()), show_addresses=False, csv_attached=False)
    assert reply is not None
    payload = reply.to_dict()
    assert_valid_message(payload)
    text = payload["blocks"][1]["text"]["text"]
    assert "u•••0@example.com: " in text
    assert "`qcloudses-30-1300000007-date-20261203090000-digest00900`" in text
    assert "<!date^" in text
    assert "EMAILSTATUS_" not in all_text(payload)
    assert "`/emailstatus &lt;MessageId&gt;`" in all_text(payload)  # not a Slack <token>
