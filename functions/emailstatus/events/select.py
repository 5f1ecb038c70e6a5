"""Which emails a lookup with ``subject:``/``template:`` is about, found in the events.

The status API can filter by neither, so the events choose the emails first: a recipient's
events over the asked days (one index query), kept when their subject and template match; or,
for a subject alone, that subject's per-day index. The status API is then asked only about the
days the chosen emails were sent on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from emailstatus.command import Query, message_id_time
from emailstatus.events.model import Event
from emailstatus.events.store import EventStore
from emailstatus.filters import other_subjects
from emailstatus.i18n import _
from emailstatus.knowledge.records import BEIJING

#: Events read from a subject's index per lookup: a popular subject is a whole day's mail.
MAX_SUBJECT_EVENTS: Final = 5_000


@dataclass(frozen=True, slots=True)
class Selection:
    """The matching emails' events by MessageId, the days they were sent on (newest first),
    and what the answer should add about the search ("" when nothing)."""

    emails: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)
    days: tuple[date, ...] = ()
    note: str = ""


def for_address(query: Query, store: EventStore) -> Selection:
    """The emails to ``query.target`` on its dates whose events match its filters."""
    emails = by_email(store.to_recipient(query.target, *query.seconds()))
    matching = {key: events for key, events in emails.items() if query.filters.match(events)}
    if matching:
        return Selection(matching, _days(matching))
    said = query.filters.describe().removeprefix(" · ")
    others = other_subjects(emails)
    if others:
        note = _(
            "No email to {address} on those dates has {filters} in Tencent's events; "
            "they have {others}."
        ).format(address=query.target, filters=said, others=others)
    else:
        note = _("No email to {address} on those dates has {filters} in Tencent's events.").format(
            address=query.target, filters=said
        )
    return Selection(note=note)


def for_subject(query: Query, store: EventStore) -> Selection:
    """The emails of ``query``'s days with its subject (and template), from the index."""
    assert query.filters.subject is not None
    events: list[Event] = []
    cut = False
    for day in query.request_dates:  # the index is by Beijing date
        found = store.with_subject(day, query.filters.subject, limit=MAX_SUBJECT_EVENTS)
        cut = cut or len(found) >= MAX_SUBJECT_EVENTS
        events.extend(found)
    emails = by_email(events)
    matching = {
        key: found
        for key, found in emails.items()
        if query.filters.match(found) and query.holds(_sent_at(key, found))
    }
    note = ""
    if not matching:
        note = _(
            "No email {filters} on those days in Tencent's events (the whole subject counts; "
            "case and spacing do not)."
        ).format(filters=query.filters.describe().removeprefix(" · "))
    if cut:
        note = _(
            "Stopped after {limit:,} events of that subject in a day: more emails "
            "have it. Narrow the search with the recipient's address or template:."
        ).format(limit=MAX_SUBJECT_EVENTS)
    return Selection(matching, _days(matching), note)


def by_email(events: Iterable[Event]) -> dict[str, tuple[Event, ...]]:
    """Events grouped by MessageId, each email's oldest first (as they came)."""
    grouped: dict[str, list[Event]] = {}
    for event in events:
        grouped.setdefault(event.message_id, []).append(event)
    return {key: tuple(value) for key, value in grouped.items()}


def _days(emails: Mapping[str, Sequence[Event]]) -> tuple[date, ...]:
    """The Beijing days the emails were sent on (Tencent's dates to ask)."""
    days = {_sent_at(key, events).astimezone(BEIJING).date() for key, events in emails.items()}
    return tuple(sorted(days, reverse=True))


def _sent_at(message_id: str, events: Sequence[Event]) -> datetime:
    """When an email was sent: the time in its MessageId, else its first event's."""
    return message_id_time(message_id) or datetime.fromtimestamp(events[0].at, BEIJING)
