"""The simulator's callbacks look like Tencent's, in both versions, and only where Tencent
would send one."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from emailstatus.events.payload import parse_body
from ses_simulator import FIXTURES, SHANGHAI, Dataset
from ses_simulator.callbacks import callbacks_for, template_of
from ses_simulator.cli import main as simulate

NOW = datetime(2026, 12, 3, 18, 0, tzinfo=SHANGHAI)
DATASET = Dataset(seed=3, emails_per_day=300, days=2, now=NOW)
ITEMS = DATASET.day_records(NOW.date() - timedelta(days=1))
STAMP = int(NOW.timestamp())


def test_the_older_version_has_its_seven_fields_and_short_bounce_types() -> None:
    bounced = next(i for i in ITEMS if i["SendStatus"] == 0 and i["DeliverStatus"] == 3)
    (callback,) = callbacks_for(bounced, version="older", now=STAMP)
    assert set(callback) == {
        "event",
        "email",
        "link",
        "bulkId",
        "timestamp",
        "reason",
        "bounceType",
    }
    assert callback["bounceType"] in ("hard", "soft")
    assert callback["reason"] == bounced["DeliverMessage"]


def test_a_current_callback_reads_back_as_what_was_sent() -> None:
    chinese = next(
        i
        for i in ITEMS
        if i["SendStatus"] == 0 and i["DeliverStatus"] == 1 and template_of(i)[1].startswith("欢迎")
    )
    (callback, *_) = callbacks_for(chinese, version="current", now=STAMP)
    assert callback["subject"].startswith("=?utf-8?")  # MIME-encoded, as Tencent sends it
    (event,) = parse_body(json.dumps(callback).encode(), now=STAMP)
    assert event.subject == "欢迎加入 Example"
    assert (event.template_id, event.sent_at) == (10003, chinese["RequestTime"])


def test_user_actions_follow_the_delivery_in_time() -> None:
    fixture = FIXTURES["complained"]
    (item,) = Dataset().find(fixture.day, message_id=fixture.message_id)
    callbacks = callbacks_for(item, version="current", now=fixture.request_time + 86400)
    assert [c["event"] for c in callbacks] == ["delivered", "open", "unsubscribe", "spamreport"]
    times = [c["timestamp"] for c in callbacks]
    assert times == sorted(times)


def test_refused_and_queued_emails_get_no_callback() -> None:
    for name in ("refused", "queued"):
        fixture = FIXTURES[name]
        (item,) = Dataset().find(fixture.day, message_id=fixture.message_id)
        assert callbacks_for(item, version="current", now=fixture.request_time + 86400) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["--callback-url", "ftp://example.com/x"],
        ["--callback-url", "http://127.0.0.1:1/x", "--callback-duplicates", "2"],
        ["--callback-url", "http://127.0.0.1:1/x", "--callback-delay", "-1"],
    ],
)
def test_bad_callback_options_are_refused(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert simulate(["--port", "0", *arguments]) == 2
    assert "--callback-url must be an http(s) URL" in capsys.readouterr().err
