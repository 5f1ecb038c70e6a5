"""Which event store the settings choose: DynamoDB on AWS, a SQLite file elsewhere.

Apart from ``events.store`` (the interface) so the interface never imports its backends, which
import it for its types.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emailstatus.config import Settings
    from emailstatus.events.store import EventStore


def open_store(settings: Settings) -> EventStore:
    """DynamoDB when ``EMAILSTATUS_EVENTS_TABLE`` is set (on AWS), else the SQLite file."""
    retention = timedelta(days=settings.events_retention_days)
    if settings.events_table:
        from emailstatus.events.dynamodb import DynamoEventStore

        return DynamoEventStore(settings.events_table, zone=settings.zone, retention=retention)
    from emailstatus.events.sqlite import SqliteEventStore

    return SqliteEventStore(settings.events_db, zone=settings.zone, retention=retention)


def store_for_lookups(settings: Settings) -> EventStore | None:
    """The store lookups read, or None without events: DynamoDB when configured, the SQLite
    file only when it exists (a lookup never creates it)."""
    if settings.events_table or settings.events_db.exists():
        return open_store(settings)
    return None
