"""The reply reader's rules: precedence, direction, finality and honesty (``ses.replies``).

What each real reply means is checked by the cited corpus (``test_reply_corpus.py``); this
file pins how the reader decides.
"""

from __future__ import annotations

import random
import time

import pytest

from emailstatus.knowledge.reasons import Who
from emailstatus.knowledge.replies import MAX_READ, Basis, normalise, read_reply
from ses_simulator.replies import DROPPED

GMAIL_NO_SUCH_USER = (
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\n"
    "550-5.1.1 unnecessary spaces. Learn more at\n"
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si2 - gsmtp"
)


def read(text: str, *, final: bool | None = None) -> tuple[str, Who, bool | None]:
    reading = read_reply(text, final=final)
    assert reading is not None
    return reading.reason, reading.who, reading.final


# --- 1. stage and direction come first -----------------------------------------------------

SENDER_SIDE_REFUSALS = [
    "553 5.1.8 <root@example.com>... Domain of sender address root@example.com does not exist",
    "501 5.1.8 Sender address rejected",
    "550 5.1.7 No such domain (in reply to MAIL FROM command)",
    "SMTP error from remote mail server after MAIL FROM:<bounce@example.com>: 550 No such user",
    "450 4.1.8 <bounce@example.com>: Sender address rejected: Domain not found",
    "553 sorry, your envelope sender domain must exist (#5.7.1)",
    "550 5.7.1 Sender verify failed",
]


@pytest.mark.parametrize("reply", SENDER_SIDE_REFUSALS)
def test_a_refusal_of_our_sender_is_never_the_recipients_fault(reply: str) -> None:
    reason, who, _final = read(reply)
    assert reason == "rejected"
    assert who is Who.SENDER


def test_the_same_words_after_rcpt_to_are_about_the_recipient() -> None:
    assert read("550 5.1.1 No such user (in reply to RCPT TO command)")[:2] == (
        "userunknown",
        Who.CUSTOMER,
    )


def test_a_refusal_at_connection_time_is_about_our_sending_host() -> None:
    reading = read_reply(
        "SMTP error from remote mail server after initial connection: 554 mx.example.com "
        "no mailbox here"
    )
    assert reading is not None
    assert (reading.reason, reading.basis) == ("blocked", Basis.STAGE)


def test_a_block_at_mail_from_stays_a_block() -> None:
    """The stage only turns recipient reasons around: an IP block stays an IP block."""
    reply = (
        "SMTP error from remote mail server after MAIL FROM:<bounce@example.com> SIZE=2022: "
        "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.5, because the ip "
        "is in Spamhaus's list; see http://postmaster.yahoo.com/550-bl23"
    )
    reading = read_reply(reply)
    assert reading is not None
    assert (reading.reason, reading.provider) == ("blocked", "Yahoo")


# --- 2-5. provider rules, then wording, then the enhanced code, then the class ------------


def test_a_provider_rule_beats_generic_wording() -> None:
    reading = read_reply("550 5.4.1 Recipient address rejected: Access denied. AS(201806281)")
    assert reading is not None
    assert (reading.reason, reading.basis, reading.provider) == (
        "userunknown",
        Basis.PROVIDER,
        "Microsoft",
    )


def test_wording_beats_the_enhanced_code() -> None:
    """4.4.7 says "expired"; the words say the mailbox is full, and they win."""
    reading = read_reply("452 4.4.7 mailbox full")
    assert reading is not None
    assert (reading.reason, reading.basis) == ("mailboxfull", Basis.WORDING)


def test_the_enhanced_code_when_the_words_say_nothing() -> None:
    reading = read_reply("smtp; 550 5.1.1 nope")
    assert reading is not None
    assert (reading.reason, reading.basis, reading.status_code, reading.reply_code) == (
        "userunknown",
        Basis.STATUS_CODE,
        "5.1.1",
        550,
    )


def test_the_subject_digit_when_the_exact_code_is_unknown() -> None:
    reading = read_reply("550 5.6.99 nope")
    assert reading is not None
    assert (reading.reason, reading.basis) == ("contenterror", Basis.SUBJECT)


def test_expiry_is_recognised_and_final_even_with_a_4xx_code() -> None:
    for reply in ("554 4.4.7 Message expired", "retry timeout exceeded", "451 Giving up"):
        assert read(reply)[0::2] == ("expired", True), reply


def test_a_timeout_on_one_connection_is_not_expiry() -> None:
    assert read("421 4.4.2 Connection timed out")[0::2] == ("networkerror", False)


def test_unrecognised_text_is_said_honestly() -> None:
    reading = read_reply("550 Computer says no")
    assert reading is not None
    assert (reading.reason, reading.who, reading.recognised) == ("undefined", Who.UNKNOWN, False)
    assert "does not say why in a way we recognise" in reading.explanation
    assert "Computer says no" in reading.explanation
    assert "does not exist" not in reading.explanation


def test_an_unrecognised_temporary_reply_is_not_called_a_refusal() -> None:
    reading = read_reply("451 Computer says later")
    assert reading is not None
    assert reading.final is False
    assert "for now" in reading.explanation


def test_a_subject_2_code_alone_is_not_read_as_a_disabled_mailbox() -> None:
    assert read("550 5.2.0 nope")[0] == "filtered"


def test_text_without_codes_is_still_read() -> None:
    reading = read_reply("User unknown")
    assert reading is not None
    assert (reading.reason, reading.status_code, reading.reply_code, reading.final) == (
        "userunknown",
        None,
        None,
        None,
    )


def test_matching_ignores_case() -> None:
    assert read("550 USER UNKNOWN")[0] == "userunknown"


def test_ip_addresses_and_version_numbers_are_not_codes() -> None:
    reading = read_reply("421 Service not available from 203.0.113.5 (4.16.55.1)")
    assert reading is not None
    assert (reading.status_code, reading.reply_code) == (None, 421)


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_is_none(text: str) -> None:
    assert read_reply(text) is None


# --- finality: DeliverStatus wins, and a final reading never says wait ---------------------


def test_the_reply_class_decides_finality_on_its_own() -> None:
    assert read("550 Ip frequency limited")[2] is True
    assert read("451 4.7.650 rate limited due to IP reputation")[2] is False


def test_a_final_rate_limit_says_resend_later_not_wait() -> None:
    reading = read_reply("550 Ip frequency limited", final=True)
    assert reading is not None
    assert reading.final is True
    assert "wait" not in reading.next_step.lower()
    assert "will not retry" in reading.next_step


def test_deliverstatus_wins_over_the_reply_class() -> None:
    assert read("550 5.2.2 mailbox full", final=False)[2] is False
    assert read("452 4.2.2 mailbox full", final=True)[2] is True
    retrying = read_reply("452 4.2.2 mailbox full", final=False)
    ended = read_reply("452 4.2.2 mailbox full", final=True)
    assert retrying is not None and ended is not None
    assert "retries" in retrying.next_step
    assert "retries" not in ended.next_step


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
    assert (reading.status_code, reading.reply_code) == ("5.1.1", 550)


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
    reading = read_reply("x" * MAX_READ + " 550 5.1.1 user unknown")
    assert reading is not None
    assert reading.reason == "undefined"
    assert len(normalise("y" * 100_000)) == MAX_READ


#: The simulator's drop texts in Tencent's own words (its third is a real SMTP reply).
TENCENT_DROPS = [text for text in DROPPED if not text[:1].isdigit()]


@pytest.mark.parametrize("dropped", TENCENT_DROPS)
def test_tencents_own_drop_words_are_never_read_as_a_refusal_of_our_sender(dropped: str) -> None:
    """ "unsubscribed from this sender domain" names our sender domain, but it is Tencent saying
    why it dropped the email, not a server refusing us: the digest's top reasons, the event
    counters and ``explain`` must all say the recipient unsubscribed or is suppressed."""
    reading = read_reply(dropped, final=True)
    assert reading is not None
    assert reading.reason == "suppressed"
    assert reading.who is Who.CUSTOMER
    assert reading.basis is Basis.TENCENT


def test_an_unsubscribe_drop_says_not_to_resend() -> None:
    reading = read_reply("Message discarded: the recipient unsubscribed from this sender domain.")
    assert reading is not None and reading.final is True
    assert "unsubscribed" in reading.explanation
    assert reading.next_step.startswith("Don't resend")
