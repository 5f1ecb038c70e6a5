"""An email's events read as its delivery status, and where that differs from the status API's.

Events and ``GetSendEmailStatus`` are two reports of one email that can part ways: the status
API lags behind the callbacks (it still says queued when ``delivered`` has arrived), keeps only
30 days (the events a year), and a server can accept an email and bounce it later. Reading the
events as an ``EmailRecord`` lets the same ``verdict.judge_email`` explain an email known only
from its events, and lets the answer say plainly which report said what when they differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from emailstatus.events.model import Event, EventType
from emailstatus.i18n import N_, _
from emailstatus.knowledge.codes import RETENTION
from emailstatus.knowledge.records import EmailRecord
from emailstatus.verdict import State, record_state, state_word

#: Tencent's DeliverStatus for each event that ends (or delays) delivery.
DELIVER_STATUS: Final = {
    EventType.DELIVERED: 1,
    EventType.DROPPED: 2,
    EventType.BOUNCE: 3,
    EventType.DEFERRED: 8,
}
#: Said when the events could not be read, before why (the status API's answer stands).
EVENTS_UNREADABLE: Final = N_("No timeline: Tencent's event callbacks could not be read")
#: The states the events can establish: delivery ended, or an attempt was deferred.
_SETTLED = frozenset({State.DELIVERED, State.BOUNCED, State.DROPPED})


def outcome_event(events: Sequence[Event]) -> Event | None:
    """The event that says where delivery stands: the latest terminal one (a bounce after a
    ``delivered`` is a server that accepted, then bounced), else the latest deferral."""
    by_time = sorted(events, key=lambda event: event.at)
    terminal = [event for event in by_time if event.type.terminal]
    if terminal:
        return terminal[-1]
    deferred = [event for event in by_time if event.type is EventType.DEFERRED]
    return deferred[-1] if deferred else None


def record_from_events(events: Sequence[Event]) -> EmailRecord:
    """The email as the status API would report it, read from its events (at least one).

    An email with events was accepted by Tencent (it pushes nothing for a refused one), so
    ``send_status`` is 0; with no outcome yet it reads as queued.
    """
    outcome = outcome_event(events)
    sent = next((event.sent_at for event in events if event.sent_at), None)
    types = {event.type for event in events}
    return EmailRecord(
        message_id=events[0].message_id,
        to_address=next((event.recipient for event in events if event.recipient), ""),
        from_address=next((event.sender for event in events if event.sender), ""),
        send_status=0,
        deliver_status=DELIVER_STATUS[outcome.type] if outcome else 0,
        deliver_message=outcome.reason if outcome else "",
        requested_at=datetime.fromtimestamp(sent, UTC) if sent else None,
        delivered_at=outcome.time if outcome else None,
        opened=EventType.OPEN in types or EventType.CLICK in types,
        clicked=EventType.CLICK in types,
        unsubscribed=EventType.UNSUBSCRIBE in types,
        complained=EventType.SPAMREPORT in types,
    )


@dataclass(frozen=True, slots=True)
class Disagreement:
    """The status API and the events give one email different outcomes."""

    status_api: State
    events: State
    #: When the events' outcome happened, and the receiving server's reply it carried.
    events_at: datetime
    reason: str

    @property
    def said(self) -> str:
        """Which report said what: "Tencent's status API says delivered; its event callbacks
        say bounced"."""
        return _("Tencent's status API says {status_api}; its event callbacks say {events}").format(
            status_api=state_word(self.status_api), events=state_word(self.events)
        )

    @property
    def advice(self) -> str:
        """What to make of it."""
        if self.status_api in (State.QUEUED, State.DEFERRED):
            return _("The events are newer: the status API catches up later.")
        return _("The answer above follows the status API.")


def disagreement(status_api: State, events: Sequence[Event]) -> Disagreement | None:
    """How the events' outcome differs from the status API's ``status_api`` state, if it does.

    Events that have not reached an outcome (only engagement, or nothing) never disagree: their
    callback may simply not have arrived yet. A deferral counts only against an email the
    status API still calls queued.
    """
    outcome = outcome_event(events)
    if outcome is None:
        return None
    said = record_state(record_from_events(events))
    differs = said in _SETTLED and said is not status_api
    delayed = said is State.DEFERRED and status_api is State.QUEUED
    if not (differs or delayed):
        return None
    return Disagreement(status_api, said, outcome.time, outcome.reason)


def events_only_note(unsupported_dates: Sequence[date], *, by_subject: bool = False) -> str:
    """How an answer read from the events alone says so, and why the status API could not."""
    days = ", ".join(day.isoformat() for day in unsupported_dates)
    if by_subject:
        why = _("Tencent's status API cannot search by subject")
    elif unsupported_dates:
        why = _("{retention} and no longer has {days}").format(retention=_(RETENTION), days=days)
    else:
        why = _("Tencent's status API has no record of it")
    return _("Answered from Tencent's event callbacks alone: {why}.").format(why=why)
