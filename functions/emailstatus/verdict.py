"""Records → a verdict a support agent can act on: what happened, why, and what to do next.

The status codes give the base reading (``emailstatus.ses.codes``); the receiving server's SMTP
reply sharpens it when the codes alone are vague (bounced, dropped, delayed: *why?*). Pure code:
no I/O, so Slack, the CLI and the digest all say the same thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from emailstatus.ses.codes import CodeInfo, deliver_status_info, send_status_info
from emailstatus.ses.records import EmailRecord
from emailstatus.ses.replies import Reading, read_reply


class State(StrEnum):
    """Where one email (or the newest of several) ended up."""

    DELIVERED = "delivered"
    BOUNCED = "bounced"
    DROPPED = "dropped"
    DEFERRED = "deferred"
    QUEUED = "queued"
    REFUSED = "refused"
    UNKNOWN = "unknown"
    NOT_FOUND = "not_found"


#: The state's word at the start of a headline ("Bounced: the mailbox is full").
STATE_TITLES: Mapping[State, str] = {
    State.DELIVERED: "Delivered",
    State.BOUNCED: "Bounced",
    State.DROPPED: "Dropped",
    State.DEFERRED: "Delayed",
    State.QUEUED: "Queued",
    State.REFUSED: "Not sent",
    State.UNKNOWN: "Status unknown",
    State.NOT_FOUND: "No email found",
}

#: Engagement flags on ``EmailRecord`` (attribute name) and how to say them.
ENGAGEMENT_LABELS: Mapping[str, str] = {
    "opened": "opened",
    "clicked": "clicked a link",
    "unsubscribed": "unsubscribed",
    "complained": "reported it as spam",
}

#: Tencent's promise: delivery takes at most this long, so a younger queued email may arrive.
DELIVERY_WINDOW = timedelta(hours=72)
#: How long Tencent keeps status (the docs' promise; the NotSupportDate error says 90 days).
RETENTION_DAYS = 30

_DELIVER_STATES: Mapping[int, State] = {
    0: State.QUEUED,
    1: State.DELIVERED,
    2: State.DROPPED,
    3: State.BOUNCED,
    8: State.DEFERRED,
}
#: States where the codes say *that* it failed but not *why*: the SMTP reply tells.
_SHARPENED_BY_REPLY = frozenset({State.BOUNCED, State.DROPPED, State.DEFERRED})
#: Whether delivery has ended, by state: DeliverStatus wins over the reply's own class (a
#: bounced email is never retried, whatever its reply says; a deferred one still is).
_FINAL: Mapping[State, bool] = {
    State.BOUNCED: True,
    State.DROPPED: True,
    State.DEFERRED: False,
    State.QUEUED: False,
}
#: States where Tencent is still trying, so the email's age matters.
_STILL_TRYING = frozenset({State.QUEUED, State.DEFERRED})


@dataclass(frozen=True, slots=True)
class EmailVerdict:
    """One email, read."""

    record: EmailRecord
    state: State
    headline: str
    explanation: str
    next_step: str
    reply: Reading | None

    def engagement(self) -> tuple[str, ...]:
        """The engagement flags set on the record, as keys of ``ENGAGEMENT_LABELS``."""
        return tuple(flag for flag in ENGAGEMENT_LABELS if getattr(self.record, flag))


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer to one lookup: the newest email's reading, and every email read.

    ``counts`` holds only the states that occur; use ``counts.get(state, 0)``.
    """

    state: State
    headline: str
    explanation: str
    next_step: str
    emails: tuple[EmailVerdict, ...]
    counts: Mapping[State, int]


def record_state(record: EmailRecord) -> State:
    """The state the codes give: Tencent's own refusal first, then the receiving side."""
    if record.send_status != 0:
        return State.REFUSED
    return _DELIVER_STATES.get(record.deliver_status, State.UNKNOWN)


def judge_email(record: EmailRecord, now: datetime | None = None) -> EmailVerdict:
    """Read one email: the codes' reading, sharpened by the SMTP reply, aged against ``now``."""
    state = record_state(record)
    info: CodeInfo = (
        send_status_info(record.send_status)
        if state is State.REFUSED
        else deliver_status_info(record.deliver_status)
    )
    headline, explanation, next_step = info.headline, info.explanation, info.next_step
    reply = read_reply(record.deliver_message, final=_FINAL.get(state))
    if state in _SHARPENED_BY_REPLY and reply is not None:
        explanation, next_step = reply.explanation, reply.next_step
        if reply.recognised:
            headline = f"{STATE_TITLES[state]}: {reply.label}"
            if reply.provider:
                explanation += f" The reply came from {reply.provider}."
    if state in _STILL_TRYING:
        note, late_step = _delivery_window(record, now or datetime.now(UTC))
        explanation = f"{explanation} {note}"
        next_step = late_step or next_step
    return EmailVerdict(record, state, headline, explanation, next_step, reply)


def judge(records: Iterable[EmailRecord], now: datetime | None = None) -> Verdict:
    """Read every email; the verdict is the newest one's. No records: ``NOT_FOUND``."""
    moment = now or datetime.now(UTC)
    ordered = sorted(records, key=lambda record: record.sort_key, reverse=True)
    emails = tuple(judge_email(record, moment) for record in ordered)
    tally = Counter(email.state for email in emails)
    counts = {state: tally[state] for state in State if tally[state]}
    if not emails:
        return Verdict(
            State.NOT_FOUND,
            STATE_TITLES[State.NOT_FOUND],
            "No email to this address or MessageId on those dates.",
            f"Check the spelling and try other dates: SES keeps status for {RETENTION_DAYS} days.",
            emails,
            counts,
        )
    newest = emails[0]
    return Verdict(
        newest.state, newest.headline, newest.explanation, newest.next_step, emails, counts
    )


def _delivery_window(record: EmailRecord, now: datetime) -> tuple[str, str | None]:
    """What the 72-hour delivery window means for this email: a note, and a next step once the
    window has passed (None while it may still arrive)."""
    hours = int(DELIVERY_WINDOW.total_seconds() // 3600)
    if record.requested_at is None:
        return f"Tencent keeps trying for up to {hours} hours.", None
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    age = now - record.requested_at
    if age < DELIVERY_WINDOW:
        return (
            f"It was sent {_age(age)} ago and Tencent keeps trying for up to {hours} hours, "
            "so it may still arrive.",
            None,
        )
    return (
        f"It was sent {_age(age)} ago, past Tencent's {hours}-hour delivery window, so it "
        "will not arrive.",
        "Resend the email; escalate with the MessageId if this keeps happening.",
    )


def _age(age: timedelta) -> str:
    """A rough, readable age: "12 minutes", "5 hours", "4 days"."""
    minutes = max(int(age.total_seconds() // 60), 0)
    if minutes < 60:
        count, unit = minutes, "minute"
    elif minutes < 48 * 60:
        count, unit = minutes // 60, "hour"
    else:
        count, unit = minutes // (24 * 60), "day"
    return f"{count} {unit}" + ("" if count == 1 else "s")
