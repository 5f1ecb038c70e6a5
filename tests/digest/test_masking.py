"""Server replies in the digest's channel posts never undo the address masking."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date

import pytest

from emailstatus.digest.report import DigestReport
from emailstatus.digest.summary import summarize
from emailstatus.knowledge.records import EmailRecord
from emailstatus.render.slack_digest import csv_row, digest_message, thread_reply
from emailstatus.results import WalkProgress

DAY = date(2026, 11, 28)
RECIPIENT = "alice.smith@example.com"
#: What real servers say back, each repeating the recipient its own way.
REPLIES = (
    "550 5.1.1 alice.smith... User unknown (Alice Smith)",
    "550 5.1.1 <alice%40example.com>: Recipient address rejected",
    "550 5.1.1 <alice.smith@[192.0.2.1]>: Recipient address rejected: User unknown",
    "550 5.1.1 The email account that you tried to reach does not exist: ALICE.SMITH",
)
#: What must never reach the channel with addresses masked.
TRACES = ("alice.smith", "Alice Smith", "alice%40", "ALICE.SMITH", "Alice", "Smith")


def _bounced(reply: str, index: int) -> EmailRecord:
    return EmailRecord.from_api(
        {
            "MessageId": f"qcloudses-30-1234567-date-20261128091405-Mask{index:08d}",
            "ToEmailAddress": RECIPIENT,
            "FromEmailAddress": "noreply@example.com",
            "SendStatus": 0,
            "DeliverStatus": 3,
            "DeliverMessage": reply,
            "RequestTime": 1_764_300_000 + index,
        }
    )


@pytest.fixture
def report() -> DigestReport:
    records = [_bounced(reply, i) for i, reply in enumerate(REPLIES)]
    summary = summarize(DAY, records)
    return DigestReport(summary, WalkProgress(pages=1, records=len(records), complete=True))


def test_thread_and_top_reasons_hide_every_spelling_of_the_recipient(
    report: DigestReport,
) -> None:
    reply = thread_reply(report, show_addresses=False, csv_attached=False)
    assert reply is not None
    for posted in (reply.to_dict(), digest_message(report).to_dict()):
        text = json.dumps(posted, ensure_ascii=False)
        assert not any(trace in text for trace in TRACES), text
    assert "•••" in json.dumps(reply.to_dict(), ensure_ascii=False)


def test_the_csv_hides_them_too(report: DigestReport) -> None:
    rows = [
        csv_row(record, show_addresses=False, zone=UTC)
        for record in (_bounced(reply, i) for i, reply in enumerate(REPLIES))
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    assert not any(trace in buffer.getvalue() for trace in TRACES), buffer.getvalue()


def test_shown_addresses_show_the_reply_as_sent(report: DigestReport) -> None:
    row = csv_row(_bounced(REPLIES[0], 0), show_addresses=True, zone=UTC)
    assert REPLIES[0] in row
