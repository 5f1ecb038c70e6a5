"""The fold's own rules: reason normalisation, bounded tallies, the newest failed samples."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from emailstatus import digest
from emailstatus.digest import SAMPLE_SIZE, normalise_reason, summarize
from emailstatus.ses.records import EmailRecord

DAY = date(2026, 11, 28)
START = 1795795200  # 2026-11-28 00:00 Beijing time


def _email(n: int, **fields: Any) -> EmailRecord:
    item = {
        "MessageId": f"qcloudses-30-1300000007-date-20261128000000-{n:012d}",
        "ToEmailAddress": f"user{n}@example.com",
        "FromEmailAddress": "noreply@notify.example.com",
        "SendStatus": 0,
        "DeliverStatus": 1,
        "DeliverMessage": "250 2.0.0 OK",
        "RequestTime": START + n,
        **fields,
    }
    return EmailRecord.from_api(item)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "550 5.1.1 <alice.chen42@example.com>: Recipient address rejected: User unknown",
            "550 5.1.1 <address>: Recipient address rejected: User unknown",
        ),
        (
            "550-5.1.1 The email account does not exist. Please try 550-5.1.1 double-checking "
            "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-b2a2f5 - gsmtp",
            "550 5.1.1 The email account does not exist. Please try double-checking "
            "https://support.google.com/mail/?p=NoSuchUser # - gsmtp",
        ),
        (
            "451 4.7.650 The mail server [203.0.113.25] has been temporarily rate limited.",
            "451 4.7.650 The mail server [#] has been temporarily rate limited.",
        ),
        (
            "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302).",
            "550 5.5.0 Requested action not taken: mailbox unavailable (#).",
        ),
        ("552 5.2.2 user is over quota", "552 5.2.2 user is over quota"),
        ("550 User suspended", "550 User suspended"),
        ("   ", ""),
    ],
)
def test_reasons_lose_what_differs_per_email_and_keep_the_codes(message: str, reason: str) -> None:
    assert normalise_reason(message) == reason


def test_the_same_reason_for_different_people_groups_together() -> None:
    records = [
        _email(n, DeliverStatus=3, DeliverMessage=f"550 User not found: user{n}@example.com")
        for n in range(30)
    ]

    summary = summarize(DAY, records)

    assert [(r.name, r.failed) for r in summary.top_reasons] == [
        ("550 User not found: <address>", 30)
    ]


def test_newest_failed_emails_are_kept_newest_first() -> None:
    records = [_email(n, DeliverStatus=3 if n % 2 else 1) for n in range(200)]

    summary = summarize(DAY, records)

    kept = [record.sort_key for record in summary.failed_samples]
    assert len(kept) == SAMPLE_SIZE
    assert kept == sorted(kept, reverse=True)
    assert summary.failed_samples[0].to_address == "user199@example.com"


def test_tallies_stay_bounded_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digest, "TALLY_KEYS", 10)
    heavy = [
        _email(n, ToEmailAddress=f"x{n}@heavy.example.com", DeliverStatus=3) for n in range(50)
    ]
    rare = [_email(1000 + n, ToEmailAddress=f"y@d{n}.example.com") for n in range(100)]

    summary = summarize(DAY, heavy + rare)

    assert summary.approximate
    assert summary.top_domains[0].name == "heavy.example.com"
    assert summary.top_domains[0].failed == 50
    assert summary.total == 150  # the plain counts never approximate


def test_rates_follow_tencents_definitions() -> None:
    records = [
        *(_email(n) for n in range(90)),
        *(_email(100 + n, DeliverStatus=3) for n in range(5)),
        *(_email(200 + n, DeliverStatus=2) for n in range(3)),
        *(_email(300 + n, SendStatus=3030) for n in range(2)),
        _email(400, UserComplainted=True),  # the deprecated spelling still counts
    ]

    summary = summarize(DAY, records)

    assert summary.accepted == 99
    assert summary.bounce_rate == pytest.approx(8 / 99)  # BounceCount / AcceptedCount
    assert summary.complaint_rate == pytest.approx(1 / 91)  # over delivered
    assert summary.refusals == {3030: 2}
    assert summary.failed == 10


def test_an_empty_day() -> None:
    summary = summarize(DAY, [])

    assert summary.total == 0 and summary.bounce_rate is None
    assert summary.as_dict()["rates"]["delivery"] is None
