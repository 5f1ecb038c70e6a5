"""One lookup, start to finish: a parsed ``Query`` → SES → a ``Verdict``.

The CLI, the Slack listener and the demo all answer the same question the same way, so the
steps live here once. SES errors are not caught: each caller explains them in its own medium.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Final

from emailstatus.blocklist import start_check
from emailstatus.command import Query, TargetKind
from emailstatus.errors import (
    DeadlineError,
    EmailStatusError,
    FiltersNeedEventsError,
    LookupTimeoutError,
    SesError,
    log_bug,
)
from emailstatus.i18n import N_, _
from emailstatus.knowledge.codes import Actor
from emailstatus.results import (
    LOOKUP_SECONDS,
    BlocklistStatus,
    Lookup,
    Outcome,
)
from emailstatus.tencent.client import NOT_SUPPORTED_DATE, SesClient
from emailstatus.verdict import State, judge

if TYPE_CHECKING:
    from emailstatus.events.model import Event
    from emailstatus.events.select import Selection
    from emailstatus.events.store import EventStore

#: The states an address's blocklists can explain (a bounce lists it, a listing refuses or
#: drops the next email): their answers say where the address stands.
BLOCKLIST_STATES: Final = frozenset({State.BOUNCED, State.DROPPED, State.REFUSED})


def run_lookup(
    query: Query,
    client: SesClient,
    now: datetime | None = None,
    *,
    seconds: float | None = None,
    blocklist_days: int | None = None,
    events: EventStore | None = None,
) -> Outcome:
    """Ask SES about ``query`` on each of its dates, within ``seconds`` (default
    ``LOOKUP_SECONDS``), and judge the answer; with an event store, add each email's events.

    With ``blocklist_days``, a bounced, dropped or refused email's address is also checked on
    both blocklists: for an address the check starts with the status call, so it adds no
    waiting; for a MessageId it follows it (the address comes with the email).
    """
    seconds = LOOKUP_SECONDS if seconds is None else seconds
    started = time.monotonic()
    deadline = started + seconds
    selection = None
    if query.filters:
        selection = _select(query, events)
        if not selection.emails or query.kind is TargetKind.SUBJECT:
            nothing = Lookup((), ())
            return _from_events(query, nothing, selection.emails, now, started, note=selection.note)
    dates = selection.days if selection else query.request_dates
    by_id = query.kind is TargetKind.MESSAGE_ID
    pending = None
    if blocklist_days is not None and not by_id:
        pending = start_check(client, query.target, days=blocklist_days, deadline=deadline)
    try:
        lookup = client.find(
            dates,
            message_id=query.target if by_id else None,
            to_address=None if by_id else query.target,
            deadline=deadline,
        )
    except SesError as error:
        # Older than Tencent keeps: the events may still know the email.
        if events is None or error.code != NOT_SUPPORTED_DATE:
            raise
        ids = (error.request_id,) if error.request_id else ()
        lookup = Lookup((), ids, unsupported_dates=tuple(dates))
        known = selection.emails if selection else _events(query, lookup, events)[1]
        if not known:
            raise
        return _from_events(query, lookup, known, now, started)
    except DeadlineError:
        raise LookupTimeoutError(
            _("Tencent did not answer within {seconds:g} seconds: nothing was read.").format(
                seconds=seconds
            ),
            next_step=_(
                "Try again in a minute. If it keeps happening, an operator checks the "
                "network path to Tencent."
            ),
        ) from None
    lookup = _kept(query, lookup, selection)
    verdict = judge(lookup.records, now=now)
    blocklist = None
    if blocklist_days is not None and verdict.state in BLOCKLIST_STATES:
        address = verdict.emails[0].record.to_address
        if pending is None:
            pending = start_check(client, address, days=blocklist_days, deadline=deadline)
        blocklist = _finish(pending, deadline)
    timelines: dict[str, tuple[Event, ...]] = {}
    only: dict[str, tuple[Event, ...]] = {}
    events_error = None
    if selection is not None:
        found = {record.message_id for record in lookup.records}
        timelines = {key: value for key, value in selection.emails.items() if key in found}
        only = {key: value for key, value in selection.emails.items() if key not in found}
    elif events is not None:
        try:
            timelines, only = _events(query, lookup, events)
        except EmailStatusError as error:  # the status API's answer still stands
            events_error = error
    if not lookup.records and only:
        return _from_events(query, lookup, only, now, started)
    return Outcome(
        query,
        lookup,
        verdict,
        time.monotonic() - started,
        blocklist,
        timelines,
        only,
        events_error=events_error,
        time_limit=seconds,
    )


def _kept(query: Query, lookup: Lookup, selection: Selection | None) -> Lookup:
    """The emails the answer is about: those the events chose (with filters), and only those
    sent inside the asker's days (their Beijing dates hold others too), counted."""
    records = lookup.records
    if selection is not None:
        records = tuple(record for record in records if record.message_id in selection.emails)
    inside = tuple(record for record in records if query.holds(record.requested_at))
    return replace(lookup, records=inside, outside=len(records) - len(inside))


def _select(query: Query, events: EventStore | None) -> Selection:
    """The emails ``query``'s filters choose, from the events (which they need)."""
    if events is None:
        raise FiltersNeedEventsError(
            _(
                "subject: and template: are read from Tencent's event callbacks, and this "
                "emailstatus does not receive them."
            ),
            next_step=_(
                "Look up the address without them, or ask the operator to set up "
                'event callbacks (README "Email events").'
            ),
        )
    from emailstatus.events.select import for_address, for_subject

    if query.kind is TargetKind.SUBJECT:
        return for_subject(query, events)
    return for_address(query, events)


def _from_events(
    query: Query,
    lookup: Lookup,
    only: Mapping[str, tuple[Event, ...]],
    now: datetime | None,
    started: float,
    *,
    note: str = "",
) -> Outcome:
    """The answer when the status API had none of the emails (or cannot search for them):
    judged from their events; with none, not found (``note`` says what the search saw)."""
    from emailstatus.events.status import record_from_events

    verdict = judge((record_from_events(events) for events in only.values()), now=now)
    return Outcome(
        query,
        lookup,
        verdict,
        time.monotonic() - started,
        events=only,
        events_only=only,
        from_events=bool(only),
        events_note=note,
    )


def _finish(
    pending: Future[BlocklistStatus], deadline: float
) -> BlocklistStatus | EmailStatusError:
    """The check's result, or the error that says why it could not be had (never raised: a
    failed check must not hide the verdict)."""
    try:
        return pending.result(timeout=max(deadline - time.monotonic(), 0.0) + 1.0)
    except EmailStatusError as error:
        return error
    except (DeadlineError, FutureTimeout):
        return EmailStatusError(N_("Tencent did not answer in time."), actor=Actor.TENCENT)
    except Exception as error:
        log_bug("blocklist check", error)
        return EmailStatusError(N_("emailstatus ran into an unexpected problem."))


def _events(
    query: Query, lookup: Lookup, store: EventStore
) -> tuple[dict[str, tuple[Event, ...]], dict[str, tuple[Event, ...]]]:
    """The found emails' timelines, and the emails of the asked dates known only from events."""
    found = {record.message_id for record in lookup.records}
    timelines = {message_id: tuple(store.timeline(message_id)) for message_id in found}
    only: dict[str, list[Event]] = {}
    if query.kind is TargetKind.MESSAGE_ID:
        if query.target not in found:
            only[query.target] = store.timeline(query.target)
    elif query.dates:
        for event in store.to_recipient(query.target, *query.seconds()):
            if event.message_id not in found:
                only.setdefault(event.message_id, []).append(event)
    return timelines, {key: tuple(value) for key, value in only.items() if value}
