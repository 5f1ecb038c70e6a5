"""Records → verdicts: each state, the SMTP reply sharpening vague codes, ordering, not found."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emailstatus.knowledge.codes import DELIVER_STATUS, SEND_STATUS
from emailstatus.knowledge.reasons import DELIVERY_WINDOW
from emailstatus.knowledge.records import EmailRecord
from emailstatus.verdict import (
    ENGAGEMENT_LABELS,
    STATE_TITLES,
    State,
    judge,
    judge_email,
    record_state,
)

NOW = datetime(2024, 5, 31, 12, 0, tzinfo=UTC)


def email(
    send_status: int = 0,
    deliver_status: int = 1,
    deliver_message: str = "",
    age: timedelta | None = timedelta(hours=1),
    message_id: str = "qcloudses-30-1234567-date-20240531190000-abcDEF",
    **flags: bool,
) -> EmailRecord:
    requested_at = NOW - age if age is not None else None
    return EmailRecord(
        message_id=message_id,
        to_address="alice@example.com",
        from_address="noreply@mail.example.com",
        send_status=send_status,
        deliver_status=deliver_status,
        deliver_message=deliver_message,
        requested_at=requested_at,
        delivered_at=requested_at if deliver_status == 1 else None,
        opened=flags.get("opened", False),
        clicked=flags.get("clicked", False),
        unsubscribed=flags.get("unsubscribed", False),
        complained=flags.get("complained", False),
    )


# --- states -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("send_status", "deliver_status", "state"),
    [
        (0, 1, State.DELIVERED),
        (0, 3, State.BOUNCED),
        (0, 2, State.DROPPED),
        (0, 8, State.DEFERRED),
        (0, 0, State.QUEUED),
        (0, 5, State.UNKNOWN),
        (0, -1, State.UNKNOWN),
        (1007, 0, State.REFUSED),
        (1006, 1, State.REFUSED),
        (4242, 0, State.REFUSED),
        (2001, 0, State.UNKNOWN),  # "no related record": Tencent cannot say, it did not refuse
    ],
)
def test_record_state(send_status: int, deliver_status: int, state: State) -> None:
    assert record_state(email(send_status, deliver_status)) is state


def test_every_state_has_a_title_to_show() -> None:
    """Slack and the terminal head each answer with its state's title: none may be missing."""
    assert set(STATE_TITLES) == set(State)


def test_delivered() -> None:
    verdict = judge_email(email(deliver_status=1, deliver_message="250 2.0.0 OK"), NOW)
    assert verdict.state is State.DELIVERED
    assert verdict.headline == "Delivered"
    assert "spam folder" in verdict.next_step
    assert verdict.reply is not None  # kept, though it adds nothing here


def test_bounced_without_a_reply_reads_from_the_codes() -> None:
    verdict = judge_email(email(deliver_status=3), NOW)
    assert verdict.state is State.BOUNCED
    assert verdict.headline == DELIVER_STATUS[3].headline
    assert "does not exist" in verdict.explanation
    assert "confirm" in verdict.next_step.lower()
    assert verdict.reply is None


def test_dropped_without_a_reply_reads_from_the_codes() -> None:
    verdict = judge_email(email(deliver_status=2), NOW)
    assert verdict.state is State.DROPPED
    assert verdict.headline == DELIVER_STATUS[2].headline


@pytest.mark.parametrize(("code", "phrase"), [(1007, "blocklist"), (1006, "hour")])
def test_refused_reads_from_send_status(code: int, phrase: str) -> None:
    verdict = judge_email(email(send_status=code, deliver_status=0), NOW)
    assert verdict.state is State.REFUSED
    assert verdict.headline == SEND_STATUS[code].headline
    assert phrase in verdict.next_step
    assert "72" not in verdict.explanation  # refused emails are not waiting to be delivered


def test_refused_with_an_unknown_code() -> None:
    verdict = judge_email(email(send_status=4242, deliver_status=0), NOW)
    assert "unknown (code 4242)" in verdict.headline


def test_unknown_deliver_status() -> None:
    verdict = judge_email(email(deliver_status=5), NOW)
    assert verdict.state is State.UNKNOWN
    assert "unknown (code 5)" in verdict.headline


# --- the 72-hour window -------------------------------------------------------------------


@pytest.mark.parametrize("deliver_status", [0, 8])
def test_young_queued_or_deferred_may_still_arrive(deliver_status: int) -> None:
    verdict = judge_email(email(deliver_status=deliver_status, age=timedelta(hours=5)), NOW)
    assert "72 hours" in verdict.explanation
    assert "5 hours ago" in verdict.explanation
    assert "may still arrive" in verdict.explanation


@pytest.mark.parametrize("deliver_status", [0, 8])
def test_old_queued_or_deferred_is_overdue(deliver_status: int) -> None:
    """Tencent's FAQ gives 72 hours as the longest delivery takes: say that much, no more."""
    old = DELIVERY_WINDOW + timedelta(hours=1)
    verdict = judge_email(email(deliver_status=deliver_status, age=old), NOW)
    assert "gives 72 hours as the longest delivery takes, so it is overdue" in verdict.explanation
    assert "will not arrive" not in verdict.explanation
    assert "3 days ago" in verdict.explanation
    assert verdict.next_step.startswith("Resend")


def test_queued_without_a_request_time_mentions_the_window() -> None:
    verdict = judge_email(email(deliver_status=0, age=None), NOW)
    assert "72 hours" in verdict.explanation


def test_window_is_judged_against_now() -> None:
    record = email(deliver_status=0, age=timedelta(hours=1))
    later = judge_email(record, NOW + timedelta(days=4))
    assert "overdue" in later.explanation
    assert "may still arrive" in judge_email(record, NOW).explanation


def test_now_defaults_to_the_current_time() -> None:
    record = replace(email(deliver_status=0), requested_at=datetime.now(UTC))
    assert "may still arrive" in judge_email(record).explanation


# --- the SMTP reply sharpens vague codes --------------------------------------------------


def test_bounce_for_a_full_mailbox_is_temporary() -> None:
    record = email(deliver_status=3, deliver_message="552 5.2.2 <alice@example.com> over quota")
    verdict = judge_email(record, NOW)
    assert verdict.state is State.BOUNCED
    assert verdict.headline == "Bounced: the mailbox is full"
    assert "temporary" in verdict.explanation
    assert "free space" in verdict.next_step
    assert verdict.reply is not None
    assert verdict.reply.final is True  # DeliverStatus 3: Tencent will not retry it
    assert "Wait" not in verdict.next_step


def test_bounce_for_an_unknown_user_names_the_provider() -> None:
    record = email(
        deliver_status=3,
        deliver_message="550-5.1.1 The email account that you tried to reach does not exist.",
    )
    verdict = judge_email(record, NOW)
    assert verdict.headline == "Bounced: the mailbox does not exist"
    assert "Gmail" in verdict.explanation
    assert "an operator can remove it from the blocklist" in verdict.next_step


def test_deferred_for_greylisting_says_wait() -> None:
    record = email(
        deliver_status=8,
        deliver_message="450 4.2.0 <alice@example.com>: Recipient address rejected: Greylisted",
    )
    verdict = judge_email(record, NOW)
    assert verdict.state is State.DEFERRED
    assert "greylisting" in verdict.headline
    assert verdict.headline.startswith("Delayed: ")
    assert verdict.next_step.startswith("Wait")
    assert "may still arrive" in verdict.explanation


def test_dropped_as_spam() -> None:
    record = email(
        deliver_status=2,
        deliver_message="550 5.7.1 Message rejected as spam by Content Filtering.",
    )
    verdict = judge_email(record, NOW)
    assert verdict.headline == "Dropped: the email was judged to be spam"
    assert "content" in verdict.next_step


def test_dropped_by_a_bare_5_7_1_is_a_policy_refusal() -> None:
    verdict = judge_email(email(deliver_status=2, deliver_message="554 5.7.1 Refused"), NOW)
    assert verdict.headline.startswith("Dropped: ")
    assert "policy" in verdict.headline


def test_an_unrecognised_reply_keeps_the_codes_headline_and_says_so() -> None:
    message = "554 Computer says no"
    verdict = judge_email(email(deliver_status=3, deliver_message=message), NOW)
    assert verdict.headline == DELIVER_STATUS[3].headline
    assert "does not say why in a way we recognise" in verdict.explanation
    assert message in verdict.explanation
    assert "mailbox does not exist" not in verdict.explanation


def test_delivered_is_never_rewritten_by_the_reply() -> None:
    record = email(deliver_status=1, deliver_message="550 5.1.1 user unknown")
    assert judge_email(record, NOW).headline == "Delivered"


def test_refused_is_never_rewritten_by_the_reply() -> None:
    record = email(send_status=1007, deliver_status=0, deliver_message="552 5.2.2 over quota")
    assert judge_email(record, NOW).headline == SEND_STATUS[1007].headline


# --- engagement ---------------------------------------------------------------------------


def test_engagement_lists_the_flags_set_in_label_order() -> None:
    verdict = judge_email(email(clicked=True, opened=True, complained=True), NOW)
    assert verdict.engagement() == ("opened", "clicked", "complained")
    assert judge_email(email(), NOW).engagement() == ()


def test_engagement_labels_name_record_flags() -> None:
    record = email()
    for flag in ENGAGEMENT_LABELS:
        assert isinstance(getattr(record, flag), bool)


# --- several emails -----------------------------------------------------------------------


def test_the_newest_email_gives_the_verdict() -> None:
    old_bounce = email(deliver_status=3, age=timedelta(days=2), message_id="m-old")
    new_delivery = email(deliver_status=1, age=timedelta(hours=1), message_id="m-new")
    no_time = email(deliver_status=0, age=None, message_id="m-none")
    middle = email(send_status=1006, deliver_status=0, age=timedelta(days=1), message_id="m-mid")
    verdict = judge([no_time, old_bounce, new_delivery, middle], now=NOW)
    assert [e.record.message_id for e in verdict.emails] == ["m-new", "m-mid", "m-old", "m-none"]
    assert verdict.state is State.DELIVERED
    assert verdict.headline == "Newest of 4 delivered · earlier: 1 bounced, 1 queued, 1 refused"
    assert verdict.explanation == verdict.emails[0].explanation
    assert verdict.next_step == verdict.emails[0].next_step
    assert verdict.counts == {
        State.DELIVERED: 1,
        State.BOUNCED: 1,
        State.QUEUED: 1,
        State.REFUSED: 1,
    }


def test_judge_accepts_any_iterable() -> None:
    verdict = judge(iter([email(deliver_status=3)]), now=NOW)
    assert verdict.state is State.BOUNCED
    assert len(verdict.emails) == 1


def test_no_records_is_not_found() -> None:
    verdict = judge([], now=NOW)
    assert verdict.state is State.NOT_FOUND
    assert verdict.emails == ()
    assert verdict.counts == {}
    assert "spelling" in verdict.next_step
    assert "30 days" in verdict.next_step
    assert "MessageId" in verdict.explanation


@pytest.mark.parametrize(
    ("age", "said"),
    [
        (timedelta(seconds=30), "0 minutes ago"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=60), "1 hour ago"),
        (timedelta(hours=47), "47 hours ago"),
        (timedelta(hours=49), "2 days ago"),
    ],
)
def test_age_reads_naturally(age: timedelta, said: str) -> None:
    assert said in judge_email(email(deliver_status=0, age=age), NOW).explanation


# --- a final bounce or drop never gets "wait" advice ---------------------------------------


def _every_rule_as_a_reply() -> list[str]:
    """One reply per rule of the reader (its first phrase), as a 4xx and as a 5xx, plus bare
    codes: every reading the reader can give."""
    from emailstatus.knowledge.reply_rules import BY_STATUS_CODE, PROVIDER_RULES, WORDING_RULES

    replies = []
    for rule in (*PROVIDER_RULES, *WORDING_RULES):
        phrase = rule.phrases[0]
        words = phrase if isinstance(phrase, str) else " x ".join(phrase)
        replies += [f"451 {words}", f"550 {words}", words]
    replies += [f"{code[0]}50 {code} nope" for code in BY_STATUS_CODE]
    return [*replies, "550 nope", "451 nope", "nope"]


@given(
    reply=st.sampled_from(_every_rule_as_a_reply()),
    deliver_status=st.sampled_from([0, 1, 2, 3, 8, 99]),
    age=st.sampled_from([timedelta(minutes=5), timedelta(days=4)]),
)
def test_a_final_bounce_or_drop_never_says_wait(
    reply: str, deliver_status: int, age: timedelta
) -> None:
    record = replace(
        email(deliver_status=deliver_status, deliver_message=reply), requested_at=NOW - age
    )
    verdict = judge_email(record, NOW)
    if verdict.state in {State.BOUNCED, State.DROPPED}:
        step = verdict.next_step.lower()
        assert "wait" not in step
        assert "retries" not in step
        assert verdict.reply is not None and verdict.reply.final is True
    if verdict.state in {State.DEFERRED, State.QUEUED}:
        assert verdict.reply is None or verdict.reply.final is False


# --- what each time is, what comes first, several emails in one line -------------------------


@pytest.mark.parametrize(
    ("send_status", "deliver_status", "label", "has_time"),
    [
        (0, 1, "Delivered at", True),
        (0, 3, "Bounced at", True),
        (0, 2, "Dropped at", True),
        (0, 8, "Last attempt", True),
        (0, 5, "Last update", True),
        (0, 0, "Not delivered yet", False),
        (1007, 0, "Never sent — Tencent refused it", False),
    ],
)
def test_deliver_time_is_labelled_by_what_happened(
    send_status: int, deliver_status: int, label: str, has_time: bool
) -> None:
    record = replace(
        email(send_status, deliver_status), delivered_at=NOW - timedelta(minutes=5)
    )  # Tencent sets DeliverTime whatever the outcome, even for a queued email
    said, moment = judge_email(record, NOW).outcome_time
    assert said == label
    assert (moment is not None) is has_time


def test_a_complaint_and_an_unsubscribe_lead_the_answer() -> None:
    verdict = judge_email(email(opened=True, complained=True, unsubscribed=True), NOW)
    assert verdict.state is State.DELIVERED
    assert verdict.headline == "Delivered · ⚠️ reported as spam, unsubscribed"
    assert verdict.next_step.startswith("Don't resend")
    assert "re-subscribe in our product" in verdict.next_step
    assert "spam folder" not in verdict.next_step
    complained = judge_email(email(complained=True), NOW)
    assert complained.headline == "Delivered · ⚠️ reported as spam"
    assert complained.next_step.startswith("Don't resend: the recipient reported it as spam")


def test_delivered_next_step_fits_what_the_recipient_did() -> None:
    opened = judge_email(email(opened=True), NOW)
    assert opened.next_step == (
        "It reached them and was opened: ask them to search their inbox for "
        "noreply@mail.example.com."
    )
    unopened = judge_email(email(), NOW)
    assert "spam folder for noreply@mail.example.com" in unopened.next_step
    assert judge_email(email(opened=True, clicked=True), NOW).engagement_sentence() == (
        "The recipient opened it and clicked a link."
    )


def test_several_emails_are_summarised_in_one_headline() -> None:
    full = "552 5.2.2 user is over quota"
    verdict = judge(
        [
            email(deliver_status=3, deliver_message=full, age=timedelta(hours=1), message_id="a"),
            email(age=timedelta(days=1), message_id="b"),
            email(age=timedelta(days=2), message_id="c"),
        ],
        now=NOW,
    )
    assert verdict.headline == "Newest of 3 bounced (the mailbox is full) · 2 earlier delivered"
    assert verdict.emails[0].detail == "the mailbox is full"


def test_one_word_per_state() -> None:
    """The list, the summary and the headline all say "delayed" and "refused"."""
    assert STATE_TITLES[State.DEFERRED] == "Delayed"
    assert judge_email(email(deliver_status=8), NOW).headline.startswith("Delayed")
    refused = judge_email(email(send_status=1007, deliver_status=0), NOW)
    assert refused.headline.startswith("Refused: ")
    assert all(not info.headline.startswith("Not sent") for info in SEND_STATUS.values())


@pytest.mark.parametrize(
    ("message", "headline", "step"),
    [
        (
            "Message discarded: the recipient unsubscribed from this sender domain.",
            "Dropped: the recipient unsubscribed from our sender domain",
            "Don't resend",
        ),
        (
            "The recipient address is on the suppression list after an earlier hard bounce.",
            "Dropped: suppressed after an earlier bounce",
            "Confirm the address",
        ),
        ("", "Dropped: Tencent gave no reason", "Escalate"),
    ],
)
def test_dropped_says_why_when_tencent_does(message: str, headline: str, step: str) -> None:
    verdict = judge_email(email(deliver_status=2, deliver_message=message), NOW)
    assert verdict.headline == headline
    assert verdict.next_step.startswith(step)
    assert "DeleteBlackList" not in verdict.next_step
