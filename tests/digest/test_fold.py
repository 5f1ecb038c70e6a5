"""The fold's own rules: reasons by the reply reader, bounded tallies, the newest failed samples."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from emailstatus.digest import summary as digest
from emailstatus.digest.summary import SAMPLE_SIZE, failure_reason, summarize
from emailstatus.knowledge.records import EmailRecord

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


#: One reason, three providers' words for it (each from the reply corpus's sources).
NO_SUCH_MAILBOX = [
    "550 Mailbox not found. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022",
    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
    "550 5.1.1 https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-b2a2f5 - gsmtp",
    "550 User not found: someone@example.com",
]


def test_one_reason_in_many_providers_words_is_one_line_naming_them() -> None:
    messages = NO_SUCH_MAILBOX * 3 + [NO_SUCH_MAILBOX[0]] * 2
    records = [
        _email(n, DeliverStatus=3, DeliverMessage=message) for n, message in enumerate(messages)
    ]
    records.append(_email(99, DeliverStatus=2, DeliverMessage="550 Ip frequency limited"))

    summary = summarize(DAY, records)

    assert [(r.reason, r.label, r.failed, r.providers) for r in summary.top_reasons] == [
        (
            "userunknown",
            "The mailbox does not exist",
            14,
            (("Tencent Exmail", 5), ("Gmail", 3), ("Microsoft", 3), ("other", 3)),
        ),
        ("toomanyconn", "Too many connections from our side", 1, (("QQ Mail", 1),)),
    ]
    assert summary.top_reasons[0].providers_text() == (
        "Tencent Exmail 5, Gmail 3, Microsoft 3, other 3"
    )


def test_refusals_are_counted_once_in_their_own_section() -> None:
    records = [_email(n, SendStatus=1007, DeliverStatus=0, DeliverMessage="") for n in range(4)]
    records += [_email(10, DeliverStatus=3, DeliverMessage="550 5.1.1 user unknown")]

    summary = summarize(DAY, records)

    assert summary.refusals == {1007: 4}
    assert [(r.reason, r.failed) for r in summary.top_reasons] == [("userunknown", 1)]
    assert summary.failed == 5


def test_a_reply_nobody_recognises_is_counted_as_undefined_not_guessed() -> None:
    records = [_email(n, DeliverStatus=3, DeliverMessage="554 Computer says no") for n in range(2)]
    records.append(_email(5, DeliverStatus=2, DeliverMessage=""))

    summary = summarize(DAY, records)

    assert [(r.reason, r.label, r.failed) for r in summary.top_reasons] == [
        ("undefined", "The reply does not say why", 3)
    ]
    assert summary.top_reasons[0].providers_text() == ""


def test_a_failed_email_in_words_holds_no_address_and_no_mangled_link() -> None:
    gmail = _email(1, DeliverStatus=3, DeliverMessage=NO_SUCH_MAILBOX[2])
    netease = _email(2, DeliverStatus=3, DeliverMessage=NO_SUCH_MAILBOX[3])
    refused = _email(3, SendStatus=1007, DeliverStatus=0, DeliverMessage="")

    assert failure_reason(gmail) == "The mailbox does not exist (550 5.1.1, Gmail)"
    assert failure_reason(netease) == "The mailbox does not exist (550)"
    assert failure_reason(refused).startswith("SendStatus 1007: ")
    assert "#" not in failure_reason(gmail)


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
