"""SMTP replies in DeliverMessage → a reason, permanence and next step (SMTP-REPLIES.md)."""

from __future__ import annotations

import random
import time

import pytest

from emailstatus.ses.replies import (
    BY_CLASS,
    BY_ENHANCED_CODE,
    BY_SUBJECT,
    MAX_READ,
    REASON_LABELS,
    TEXT_ROWS,
    Basis,
    normalise,
    read_reply,
)

GMAIL_NO_SUCH_USER = (
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\n"
    "550-5.1.1 unnecessary spaces. Learn more at\n"
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si2 - gsmtp"
)

# (reply, reason, permanent, provider)
REPLIES: list[tuple[str, str, bool | None, str | None]] = [
    # Gmail
    (GMAIL_NO_SUCH_USER, "userunknown", True, "Gmail"),
    (
        "550-5.2.1 The email account that you tried to reach is disabled. Learn more at\n"
        "550 5.2.1  https://support.google.com/mail/?p=DisabledUser x1si5 - gsmtp",
        "suspend",
        True,
        "Gmail",
    ),
    (
        "452-4.2.2 The recipient's inbox is out of storage space. Please direct the\n"
        "452-4.2.2 recipient to\n452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp",
        "mailboxfull",
        False,
        "Gmail",
    ),
    (
        "450-4.2.1 The user you are trying to contact is receiving mail too quickly.",
        "ratelimited",
        False,
        "Gmail",
    ),
    (
        "421-4.7.28 [203.0.113.5] Our system has detected an unusual rate of\n"
        "421-4.7.28 unsolicited mail originating from your IP address. To protect our\n"
        "421 4.7.28 users from spam, mail sent from your IP address has been temporarily "
        "rate limited.",
        "ratelimited",
        False,
        "Gmail",
    ),
    (
        "550-5.7.1 [203.0.113.5] Our system has detected that this message is\n"
        "550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail,\n"
        "550 5.7.1 this message has been blocked.",
        "spamdetected",
        True,
        "Gmail",
    ),
    (
        "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's\n"
        "550 5.7.26 DMARC policy. Please contact the administrator of example.com domain.",
        "authfailure",
        True,
        None,
    ),
    (
        "550 5.7.25 [203.0.113.5] The IP address sending this message does not have a PTR "
        "record setup, or the corresponding forward DNS entry does not point to the sending IP.",
        "requireptr",
        True,
        None,
    ),
    # Microsoft
    (
        "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)",
        "userunknown",
        True,
        "Microsoft",
    ),
    (
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient user@example.com not found by "
        "SMTP address lookup",
        "userunknown",
        True,
        "Microsoft",
    ),
    (
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) "
        "[AM0PR01MB1234.eurprd01.prod.exchangelabs.com]",
        "userunknown",
        True,
        "Microsoft",
    ),
    (
        "550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact "
        "your Internet service provider since part of their network is on our block list "
        "(S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.",
        "blocked",
        True,
        "Microsoft",
    ),
    (
        "451 4.7.650 The mail server [203.0.113.5] has been temporarily rate limited due to IP "
        "reputation. For e-mail delivery information, see https://postmaster.live.com",
        "ratelimited",
        False,
        "Microsoft",
    ),
    (
        "550 5.7.606 Access denied, banned sending IP [203.0.113.5].",
        "blocked",
        True,
        "Microsoft",
    ),
    # Yahoo / AOL
    (
        "554 delivery error: dd This user doesn't have a yahoo.com account (user@example.com) "
        "[0] - mta1234.mail.bf1.yahoo.com",
        "userunknown",
        True,
        "Yahoo",
    ),
    (
        "554 delivery error: dd user@example.com is no longer valid. [-20] - mta7.am0.yahoodns.net",
        "suspend",
        True,
        "Yahoo",
    ),
    (
        "421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred due to unexpected "
        "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
        "ratelimited",
        False,
        "Yahoo",
    ),
    (
        "553 5.7.2 [TSS09] All messages from 203.0.113.5 will be permanently deferred; "
        "Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes",
        "blocked",
        True,
        "Yahoo",
    ),
    # iCloud
    ("550 5.1.1 <user@example.com>: inactive email address", "userunknown", True, "iCloud"),
    ("552 5.2.2 <user@example.com>: user is over quota", "mailboxfull", False, None),
    ("550 5.1.6 recipient no longer on server: user@example.com", "hasmoved", True, "iCloud"),
    (
        "554 5.7.1 [HME1] This message was blocked for security reasons.",
        "policyviolation",
        True,
        "iCloud",
    ),
    # QQ / Exmail
    (
        "550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022",
        "userunknown",
        True,
        None,
    ),
    (
        "550 Mailbox unavailable or access denied [MJzAQ2j+xx==]",
        "ratelimited",
        False,
        "QQ Mail",
    ),
    ("550 Ip frequency limited [MJzAQ2j+xx==]", "ratelimited", False, "QQ Mail"),
    ("550 Suspected spam ip, please contact the administrator", "blocked", True, "QQ Mail"),
    ("550 Mail content denied. http://service.mail.qq.com", "spamdetected", True, "QQ Mail"),
    ("550 SPF check failed", "authfailure", True, "QQ Mail"),
    ("550 Mail is rejected by recipients [MJzAQ2j+xx==]", "rejected", True, "QQ Mail"),
    # NetEase
    ("550 User not found: user@example.com", "userunknown", True, None),
    ("550 User suspended", "suspend", True, "NetEase"),
    (
        "554 DT:SPM 163 smtp14,EsCowAD3_example: please see http://mail.163.com/help/help_spam_16.htm",
        "spamdetected",
        True,
        "NetEase",
    ),
    ("451 DT:SPM 163 smtp10, retry in 2 minutes", "spamdetected", False, "NetEase"),
    ("421 HL:REP 163 smtp7, too many unknown recipients", "blocked", False, "NetEase"),
    ("550 MI:STC 163 smtp3, daily quota used up", "ratelimited", False, "NetEase"),
    ("550 MI:SPF 163 smtp3, SPF check did not pass", "authfailure", True, "NetEase"),
    ("554 IP in blacklist", "blocked", True, "NetEase"),
    # Aliyun
    (
        "554 Reject by behaviour spam at DATA State(Connection IP address:203.0.113.5)"
        "ANTISPAM_BAT[01201311R1234]: list on rbl sites",
        "blocked",
        True,
        "Aliyun Mail",
    ),
    (
        "454 Transient reject by behaviour spam at Rcpt State(Connection IP address:203.0.113.5)"
        "ANTISPAM_BAT[01201311R5678]: currently unexpected sending",
        "ratelimited",
        False,
        "Aliyun Mail",
    ),
    # Generic servers
    (
        "550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in virtual "
        "mailbox table",
        "userunknown",
        True,
        None,
    ),
    ("554 5.7.1 <user@example.com>: Relay access denied", "norelaying", True, None),
    (
        "450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted, see "
        "http://postgrey.schweikert.ch/help/example.com.html",
        "greylisted",
        False,
        None,
    ),
    ("451 4.7.1 Please try again later (greylisting)", "greylisted", False, None),
    (
        "450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.5]",
        "requireptr",
        False,
        None,
    ),
    ("501 Bad address syntax", "userunknown", True, None),
    # Enhanced code only
    ("550 5.1.2 <user@example.invalid>: bad destination system", "hostunknown", True, None),
    ("554 5.4.7 [internal] exceeded max time without delivery", "expired", True, None),
    ("421 4.4.1 [203.0.113.9] no answer", "networkerror", False, None),
    ("554 5.7.1 Message refused", "policyviolation", True, None),
    ("451 4.3.0 Temporary local problem", "systemerror", False, None),
    # Class digit only
    ("451 Temporary local problem - please try later", "softbounce", False, None),
    ("554 Transaction failed", "hardbounce", True, None),
    ("250 2.0.0 OK 1700000000 a1si2", "delivered", False, None),
]


@pytest.mark.parametrize(
    ("reply", "reason", "permanent", "provider"), REPLIES, ids=[row[0][:40] for row in REPLIES]
)
def test_real_replies_are_recognised(
    reply: str, reason: str, permanent: bool | None, provider: str | None
) -> None:
    reading = read_reply(reply)
    assert reading is not None
    assert reading.reason.reason == reason
    assert reading.permanent is permanent
    assert reading.reason.provider == provider


def test_there_are_many_real_replies() -> None:
    assert len(REPLIES) >= 25


def test_codes_are_reported() -> None:
    reading = read_reply(GMAIL_NO_SUCH_USER)
    assert reading is not None
    assert (reading.enhanced_code, reading.smtp_code, reading.basis) == ("5.1.1", 550, Basis.TEXT)
    by_code = read_reply("smtp; 550 5.1.1 nope")
    assert by_code is not None
    assert (by_code.enhanced_code, by_code.smtp_code, by_code.basis) == ("5.1.1", 550, Basis.CODE)


def test_text_without_codes_is_still_read() -> None:
    reading = read_reply("User unknown")
    assert reading is not None
    assert reading.reason.reason == "userunknown"
    assert (reading.enhanced_code, reading.smtp_code) == (None, None)


def test_matching_ignores_case() -> None:
    reading = read_reply("550 USER UNKNOWN")
    assert reading is not None
    assert reading.reason.reason == "userunknown"


def test_mailbox_full_is_temporary_even_as_5xx() -> None:
    reading = read_reply("552 5.2.2 mailbox full")
    assert reading is not None
    assert reading.permanent is False
    assert reading.smtp_code == 552


def test_rows_whose_permanence_follows_the_class_digit() -> None:
    permanent = read_reply("550 5.7.24 SPF error")
    temporary = read_reply("451 4.7.24 SPF temporary error")
    assert permanent is not None
    assert temporary is not None
    assert (permanent.permanent, temporary.permanent) == (True, False)


def test_ip_addresses_and_version_numbers_are_not_codes() -> None:
    reading = read_reply("421 Service not available from 203.0.113.5 (4.16.55.1)")
    assert reading is not None
    assert reading.enhanced_code is None
    assert reading.smtp_code == 421


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "hello there", "ok", "Message queued"])
def test_empty_or_unrecognised_is_none(text: str) -> None:
    assert read_reply(text) is None


def test_class_only_readings_are_not_specific() -> None:
    vague = read_reply("554 Transaction failed")
    sharp = read_reply("550 5.1.1 nope")
    assert vague is not None
    assert sharp is not None
    assert not vague.specific
    assert sharp.specific


# --- normalisation ------------------------------------------------------------------------


def test_multiline_prefixes_collapse() -> None:
    assert normalise(GMAIL_NO_SUCH_USER) == (
        "550 5.1.1 The email account that you tried to reach does not exist. Please try "
        "double-checking the recipient's email address for typos or unnecessary spaces. "
        "Learn more at https://support.google.com/mail/?p=NoSuchUser a1si2 - gsmtp"
    )


def test_run_together_prefixes_collapse() -> None:
    flat = "550-5.1.1 The email account that you tried to reach 550-5.1.1 does not exist."
    assert normalise(flat) == "550 5.1.1 The email account that you tried to reach does not exist."


def test_a_code_on_a_later_line_is_kept() -> None:
    assert normalise("Remote server said:\n550 5.1.1 nope") == "Remote server said: 550 5.1.1 nope"
    reading = read_reply("Remote server said:\n550 5.1.1 nope")
    assert reading is not None
    assert reading.enhanced_code == "5.1.1"


# --- the tables ---------------------------------------------------------------------------


def _all_reasons() -> list[str]:
    reasons = [reason for _, reason in TEXT_ROWS]
    reasons += [*BY_ENHANCED_CODE.values(), *BY_SUBJECT.values(), *BY_CLASS.values()]
    return [reason.reason for reason in reasons]


def test_every_reason_has_a_label_and_texts() -> None:
    for _pattern, reason in TEXT_ROWS:
        assert reason.reason in REASON_LABELS
        assert reason.explanation
        assert reason.next_step
    assert set(_all_reasons()) <= REASON_LABELS.keys()


def test_enhanced_code_keys_are_well_formed() -> None:
    for code in BY_ENHANCED_CODE:
        klass, _subject, _detail = code.split(".")
        assert klass in "45"


# --- safety on untrusted text -------------------------------------------------------------

ADVERSARIAL = [
    "a" * 10_000,
    "550 5.1.1 " * 1_000,
    "550-5.1.1 x\n" * 900,
    "4.7.0 " * 1_700,
    "dd " * 3_400,
    "5." * 5_000,
    " " * 10_000,
    "\n" * 10_000,
    "".join(random.Random(7).choice("5.1-40 \nabcdd:[]()") for _ in range(10_000)),
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_ten_kilobytes_of_anything_is_read_fast(text: str) -> None:
    started = time.perf_counter()
    read_reply(text)
    assert time.perf_counter() - started < 0.25


def test_only_the_start_of_a_huge_reply_is_read() -> None:
    assert read_reply("x" * MAX_READ + " 550 5.1.1 user unknown") is None
    assert len(normalise("y" * 100_000)) == MAX_READ
