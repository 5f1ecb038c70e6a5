"""Records → a verdict a support agent can act on: what happened, why, and what to do next.

The status codes give the base reading (``knowledge.codes``); the receiving server's SMTP reply
sharpens it when the codes alone are vague (bounced, dropped, delayed: *why?*). Pure code:
no I/O, so Slack, the CLI and the digest all say the same thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from emailstatus.i18n import N_, _, ngettext
from emailstatus.knowledge.codes import (
    NO_RELATED_RECORD,
    RETENTION,
    CodeInfo,
    deliver_status_info,
    send_status_info,
    tencent_drop_reason,
)
from emailstatus.knowledge.reasons import DELIVERY_WINDOW
from emailstatus.knowledge.records import EmailRecord
from emailstatus.knowledge.replies import Reading, read_reply


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


#: The one word for each state, used by every headline, summary and list line
#: ("Bounced: the mailbox is full", "2 earlier delivered").
STATE_TITLES: Mapping[State, str] = {
    State.DELIVERED: N_("Delivered"),
    State.BOUNCED: N_("Bounced"),
    State.DROPPED: N_("Dropped"),
    State.DEFERRED: N_("Delayed"),
    State.QUEUED: N_("Queued"),
    State.REFUSED: N_("Refused"),
    State.UNKNOWN: N_("Status unknown"),
    State.NOT_FOUND: N_("No email found"),
}

#: What ``DeliverTime`` is for each state. Tencent sets it when it *carried out* delivery,
#: whatever the outcome, so it is a delivery time only for a delivered email.
OUTCOME_TIME_LABELS: Mapping[State, str] = {
    State.DELIVERED: N_("Delivered at"),
    State.BOUNCED: N_("Bounced at"),
    State.DROPPED: N_("Dropped at"),
    State.DEFERRED: N_("Last attempt"),
    State.UNKNOWN: N_("Last update"),
}
#: Instead of a time, for the states where Tencent has not delivered (and maybe never will).
NO_OUTCOME_TIME: Mapping[State, str] = {
    State.QUEUED: N_("Not delivered yet"),
    State.REFUSED: N_("Never sent — Tencent refused it"),
}

#: Engagement flags on ``EmailRecord`` (attribute name) and how to say them in a sentence.
ENGAGEMENT_LABELS: Mapping[str, str] = {
    "opened": N_("opened it"),
    "clicked": N_("clicked a link"),
    "unsubscribed": N_("unsubscribed"),
    "complained": N_("reported it as spam"),
}
#: The flags that change what support should do; they lead the headline.
WARNING_LABELS: Mapping[str, str] = {
    "complained": N_("reported as spam"),
    "unsubscribed": N_("unsubscribed"),
}

_UNSUBSCRIBED_STEP = N_(
    "Don't resend: after an unsubscribe Tencent stops our sender domain from mailing this "
    "address. If the customer wants these emails again, they must re-subscribe in our product."
)
_COMPLAINED_STEP = N_(
    "Don't resend: the recipient reported it as spam. Mail them again only if they ask for "
    "it; complaints count against our sending reputation."
)

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
    #: Detail for whoever runs emailstatus (API names): small print, never the next step.
    operator_note: str = ""

    def engagement(self) -> tuple[str, ...]:
        """The engagement flags set on the record, as keys of ``ENGAGEMENT_LABELS``."""
        return tuple(flag for flag, engaged in self.record.engagement.items() if engaged)

    @property
    def detail(self) -> str | None:
        """The headline without its state word: "the mailbox is full" (None if it has none)."""
        _state, colon, detail = self.headline.partition(_(": "))
        return detail.partition(" · ")[0] if colon else None

    @property
    def outcome_time(self) -> tuple[str, datetime | None]:
        """What to call Tencent's ``DeliverTime`` for this email, and the time (None: no time).

        "Bounced at" 09:20, or ("Never sent — Tencent refused it", None).
        """
        if self.state in NO_OUTCOME_TIME:
            return _(NO_OUTCOME_TIME[self.state]), None
        label = OUTCOME_TIME_LABELS.get(self.state, OUTCOME_TIME_LABELS[State.UNKNOWN])
        return _(label), self.record.delivered_at

    def engagement_sentence(self) -> str:
        """ "The recipient opened it and clicked a link." or what nobody did."""
        flags = self.engagement()
        if not flags:
            return _("No opens, clicks, unsubscribes or complaints recorded.")
        said = [_(ENGAGEMENT_LABELS[flag]) for flag in flags]
        joined = (
            said[0]
            if len(said) == 1
            else _("{first} and {last}").format(first=_(", ").join(said[:-1]), last=said[-1])
        )
        return _("The recipient {did}.").format(did=joined)


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
    if record.send_status == NO_RELATED_RECORD:
        return State.UNKNOWN
    if record.send_status != 0:
        return State.REFUSED
    return _DELIVER_STATES.get(record.deliver_status, State.UNKNOWN)


def judge_email(record: EmailRecord, now: datetime | None = None) -> EmailVerdict:
    """Read one email: the codes' reading, sharpened by the SMTP reply, aged against ``now``."""
    state = record_state(record)
    info: CodeInfo = (
        send_status_info(record.send_status)
        if record.send_status != 0
        else deliver_status_info(record.deliver_status)
    )
    headline, explanation, next_step = info.headline, info.explanation, info.next_step
    operator_note = info.operator_note
    if state is State.DELIVERED:
        next_step = _delivered_step(record)
    reply = read_reply(record.deliver_message, final=_FINAL.get(state))
    dropped = tencent_drop_reason(record.deliver_message) if state is State.DROPPED else None
    if dropped is not None:
        headline, explanation, next_step = dropped.headline, dropped.explanation, dropped.next_step
        operator_note = dropped.operator_note
    elif state in _SHARPENED_BY_REPLY and reply is not None:
        explanation, next_step = reply.explanation, reply.next_step
        if reply.recognised:
            headline = _("{state}: {reason}").format(
                state=_(STATE_TITLES[state]), reason=reply.label
            )
            if reply.provider:
                explanation += _(" The reply came from {provider}.").format(
                    provider=_(reply.provider)
                )
    if state in _STILL_TRYING:
        note, late_step = _delivery_window(record, now or datetime.now(UTC))
        explanation = f"{explanation} {note}"
        next_step = late_step or next_step
    warnings = [_(label) for flag, label in WARNING_LABELS.items() if record.engagement[flag]]
    if warnings:
        said = _(", ").join(warnings)
        headline = f"{headline} · ⚠️ {said}"
        next_step = _(_UNSUBSCRIBED_STEP if record.unsubscribed else _COMPLAINED_STEP)
    return EmailVerdict(record, state, headline, explanation, next_step, reply, operator_note)


def _delivered_step(record: EmailRecord) -> str:
    """What to tell a customer who can't find a delivered email."""
    sender = record.from_address or _("our sender address")
    if record.opened:
        return _(
            "It reached them and was opened: ask them to search their inbox for {sender}."
        ).format(sender=sender)
    return _(
        "If they can't find it, ask them to search their inbox and spam folder for {sender} "
        "and add it to their contacts."
    ).format(sender=sender)


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
            _(STATE_TITLES[State.NOT_FOUND]),
            _("No email to this address or MessageId on those dates."),
            _("Check the spelling and try other dates: {retention}.").format(
                retention=_(RETENTION)
            ),
            emails,
            counts,
        )
    newest = emails[0]
    headline = newest.headline if len(emails) == 1 else _summary(emails)
    return Verdict(newest.state, headline, newest.explanation, newest.next_step, emails, counts)


def _summary(emails: tuple[EmailVerdict, ...]) -> str:
    """One headline for several emails: "Newest of 3 bounced (the mailbox is full) · 2 earlier
    delivered"; the newest email's state word, then what the others did."""
    newest, earlier = emails[0], emails[1:]
    said = _("Newest of {count} {state}").format(count=len(emails), state=state_word(newest.state))
    if newest.detail:
        said += _(" ({detail})").format(detail=newest.detail)
    ranked = _by_count(Counter(email.state for email in earlier))
    if len(ranked) == 1:
        state, count = ranked[0]
        return _("{said} · {count} earlier {state}").format(
            said=said, count=count, state=state_word(state)
        )
    words = _(", ").join(
        _("{count} {state}").format(count=count, state=state_word(state)) for state, count in ranked
    )
    return _("{said} · earlier: {states}").format(said=said, states=words)


def state_word(state: State) -> str:
    """The state's word inside a sentence ("2 bounced"), in the reader's language."""
    return _(STATE_TITLES[state]).lower()


def _by_count(tally: Counter[State]) -> list[tuple[State, int]]:
    """States, most frequent first; ties in ``State`` order (so output is stable)."""
    order = list(State)
    return sorted(tally.items(), key=lambda item: (-item[1], order.index(item[0])))


def _delivery_window(record: EmailRecord, now: datetime) -> tuple[str, str | None]:
    """What the delivery window means for this email: a note, and a next step once the
    window has passed (None while it may still arrive)."""
    hours = DELIVERY_WINDOW // timedelta(hours=1)
    if record.requested_at is None:
        return _("Tencent keeps trying for up to {hours} hours.").format(hours=hours), None
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    age = now - record.requested_at
    if age < DELIVERY_WINDOW:
        return (
            _(
                "It was sent {age} ago and Tencent keeps trying for up to {hours} hours, "
                "so it may still arrive."
            ).format(age=_age(age), hours=hours),
            None,
        )
    return (
        _(
            "It was sent {age} ago; Tencent's delivery FAQ gives {hours} hours as the "
            "longest delivery takes, so it is overdue."
        ).format(age=_age(age), hours=hours),
        _("Resend the email; escalate with the MessageId if this keeps happening."),
    )


def _age(age: timedelta) -> str:
    """A rough, readable age: "12 minutes", "5 hours", "4 days"."""
    minutes = max(int(age.total_seconds() // 60), 0)
    if minutes < 60:
        return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
    if minutes < 48 * 60:
        hours = minutes // 60
        return ngettext("{count} hour", "{count} hours", hours).format(count=hours)
    days = minutes // (24 * 60)
    return ngettext("{count} day", "{count} days", days).format(count=days)
