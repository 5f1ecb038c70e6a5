"""The one storage interface for events, whatever keeps them (SQLite here, DynamoDB on AWS).

Every method is what a reader needs in one call: an email's timeline, a recipient's events in
a time range, a day's emails with one subject, a day's or a window's counters. ``put`` is
idempotent: an event already stored (same ``Event.identity``) is counted as a duplicate and
changes nothing, so SQS redeliveries and Tencent's own repeats are harmless; the counters move
in the same transaction as the events they count, so they are exact too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Protocol

from emailstatus.config import DEFAULT_EVENTS_RETENTION_DAYS
from emailstatus.events.model import Event, subject_key

#: How long events, markers and day counters are kept unless the settings say otherwise
#: (``EMAILSTATUS_EVENTS_RETENTION_DAYS``, whose default is the one number).
DEFAULT_RETENTION: Final = timedelta(days=DEFAULT_EVENTS_RETENTION_DAYS)


def subject_index_key(day: date, subject: str) -> str:
    """Where a subject is indexed: the day (in the store's zone) and its ``subject_key``."""
    return f"{day.isoformat()}#{subject_key(subject)}"


@dataclass(frozen=True, slots=True)
class PutResult:
    """What one ``put`` did."""

    stored: int
    duplicates: int


class EventStore(Protocol):
    """Events and their counters. Times are Unix seconds; days are in the store's zone."""

    def put(self, events: Sequence[Event]) -> PutResult:
        """Store the events not stored yet and count them, all or nothing."""
        ...

    def timeline(self, message_id: str) -> list[Event]:
        """Every event of one email (Tencent's MessageId), oldest first."""
        ...

    def to_recipient(self, recipient: str, start: int, end: int) -> list[Event]:
        """Events for one recipient (any case) with ``start <= at < end``, oldest first."""
        ...

    def with_subject(self, day: date, subject: str, *, limit: int | None = None) -> list[Event]:
        """That day's events whose subject has the same ``subject_key``, oldest first; with
        ``limit``, the first ``limit`` of them (a popular subject has a whole day's mail)."""
        ...

    def day_counters(self, day: date) -> dict[str, int]:
        """The day's counters (see ``emailstatus.events.counters``); empty if none."""
        ...

    def window_counters(self, start: int, end: int) -> dict[str, int]:
        """The sum of the 5-minute windows starting in ``[start, end)``."""
        ...

    def claim(self, key: str, *, ttl_s: int) -> bool:
        """Take ``key`` for ``ttl_s`` seconds: True for exactly one caller until it expires or
        is released (alerts: post once, however many runs overlap)."""
        ...

    def get_state(self, key: str) -> str | None:
        """The unexpired value under ``key`` (``put_state``), or None."""
        ...

    def put_state(self, key: str, value: str, *, ttl_s: int) -> None:
        """Set ``key`` to ``value`` for ``ttl_s`` seconds (overwriting)."""
        ...

    def release(self, key: str) -> None:
        """Forget a claim or a state."""
        ...
