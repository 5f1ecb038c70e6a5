"""One lookup, start to finish: a parsed ``Query`` → SES → a ``Verdict``.

The CLI, the Slack listener and the demo all answer the same question the same way, so the
steps live here once. SES errors are not caught: each caller explains them in its own medium.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock_time
from typing import TYPE_CHECKING, Final

from emailstatus.blocklist import BlocklistStatus, start_check
from emailstatus.command import BEIJING, Query, TargetKind
from emailstatus.errors import Actor, EmailStatusError, log_bug
from emailstatus.ses.client import (
    CUT_BY_DEADLINE,
    LOOKUP_MAX_PAGES,
    NOT_SUPPORTED_DATE,
    PAGE_SIZE,
    Lookup,
    SesClient,
)
from emailstatus.ses.errors import SesError
from emailstatus.ses.limiter import DeadlineError
from emailstatus.verdict import EmailVerdict, State, Verdict, judge

if TYPE_CHECKING:
    from emailstatus.events.model import Event
    from emailstatus.events.status import Disagreement
    from emailstatus.events.store import EventStore

#: Seconds one lookup may spend on SES. The Slack function has 30 s: a cold start and the SSM
#: read take up to ~4 s before the lookup starts, and the answer's post to Slack up to 4 s to
#: connect plus 4 s to read after it, so 18 s leaves room to answer even in the worst case.
LOOKUP_SECONDS: Final = 18.0
#: The states an address's blocklists can explain (a bounce lists it, a listing refuses or
#: drops the next email): their answers say where the address stands.
BLOCKLIST_STATES: Final = frozenset({State.BOUNCED, State.DROPPED, State.REFUSED})


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a lookup found, how it reads, and how long it took."""

    query: Query
    lookup: Lookup
    verdict: Verdict
    seconds: float
    #: Where the address stands on both blocklists; the error when that could not be checked;
    #: None when not asked (not a bounce, drop or refusal).
    blocklist: BlocklistStatus | EmailStatusError | None = None
    #: Each email's events (Tencent's callbacks) by MessageId, oldest first; empty without them.
    events: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)
    #: Emails of the asked dates known only from their events (e.g. older than Tencent's 30
    #: days), by MessageId.
    events_only: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)
    #: The status API had none of the emails: the verdict was read from their events alone.
    from_events: bool = False
    #: Why the events could not be read (the answer stands on the status API alone), or None.
    events_error: EmailStatusError | None = None

    def disagreement(self, email: EmailVerdict) -> Disagreement | None:
        """Where this email's events and the status API tell different outcomes, if they do."""
        events = self.events.get(email.record.message_id)
        if self.from_events or not events:
            return None
        from emailstatus.events.status import disagreement

        return disagreement(email.state, events)


class LookupTimeoutError(EmailStatusError):
    """The deadline came before Tencent answered anything."""

    actor = Actor.TENCENT


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
    by_id = query.kind is TargetKind.MESSAGE_ID
    pending = None
    if blocklist_days is not None and not by_id:
        pending = start_check(client, query.target, days=blocklist_days, deadline=deadline)
    try:
        lookup = client.find(
            query.dates,
            message_id=query.target if by_id else None,
            to_address=None if by_id else query.target,
            deadline=deadline,
        )
    except SesError as error:
        # Older than Tencent keeps: the events may still know the email.
        if events is None or error.code != NOT_SUPPORTED_DATE:
            raise
        ids = (error.request_id,) if error.request_id else ()
        lookup = Lookup((), ids, unsupported_dates=tuple(query.dates))
        _, known = _events(query, lookup, events)
        if not known:
            raise
        return _from_events(query, lookup, known, now, time.monotonic() - started)
    except DeadlineError:
        raise LookupTimeoutError(
            f"Tencent did not answer within {seconds:g} seconds: nothing was read.",
            next_step="Try again in a minute. If it keeps happening, an operator checks the "
            "network path to Tencent.",
        ) from None
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
    if events is not None:
        try:
            timelines, only = _events(query, lookup, events)
        except EmailStatusError as error:  # the status API's answer still stands
            events_error = error
    seconds_taken = time.monotonic() - started
    if not lookup.records and only:
        return _from_events(query, lookup, only, now, seconds_taken)
    return Outcome(
        query, lookup, verdict, seconds_taken, blocklist, timelines, only, events_error=events_error
    )


def _from_events(
    query: Query,
    lookup: Lookup,
    only: Mapping[str, tuple[Event, ...]],
    now: datetime | None,
    seconds: float,
) -> Outcome:
    """The answer when the status API had none of the emails but their events know them."""
    from emailstatus.events.status import record_from_events

    verdict = judge((record_from_events(events) for events in only.values()), now=now)
    return Outcome(query, lookup, verdict, seconds, events=only, events_only=only, from_events=True)


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
        return EmailStatusError("Tencent did not answer in time.", actor=Actor.TENCENT)
    except Exception as error:
        log_bug("blocklist check", error)
        return EmailStatusError("emailstatus ran into an unexpected problem.")


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
        # Tencent's dates are Beijing-time days.
        start = datetime.combine(min(query.dates), clock_time(), BEIJING)
        end = datetime.combine(max(query.dates) + timedelta(days=1), clock_time(), BEIJING)
        for event in store.to_recipient(query.target, int(start.timestamp()), int(end.timestamp())):
            if event.message_id not in found:
                only.setdefault(event.message_id, []).append(event)
    return timelines, {key: tuple(value) for key, value in only.items() if value}


def cut_short_note(outcome: Outcome) -> str | None:
    """What a lookup that stopped early did and did not read, and how to narrow it; else None."""
    lookup = outcome.lookup
    if lookup.cut_short is None:
        return None
    whole = ", ".join(day.isoformat() for day in lookup.dates_read) or "no date"
    unread = [day for day in outcome.query.dates if day not in lookup.dates_read]
    unread_text = ", ".join(
        day.isoformat() for day in unread if day not in lookup.unsupported_dates
    )
    found = f"{len(lookup.records):,} email(s) found"
    if lookup.cut_short == CUT_BY_DEADLINE:
        return (
            f"Stopped at the time limit ({LOOKUP_SECONDS:g} s): {found}; read in full: {whole}; "
            f"not read to the end: {unread_text}. Try again, or ask for one day at a time."
        )
    return (
        f"Stopped at the limit of {LOOKUP_MAX_PAGES * PAGE_SIZE:,} emails per lookup: {found}; "
        f"read in full: {whole}; not read to the end: {unread_text}. Narrow the search: one "
        "day, or a MessageId."
    )
