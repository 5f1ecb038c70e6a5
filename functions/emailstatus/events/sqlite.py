"""The embedded event store: one SQLite file (standard library), for the CLI, ``emailstatus
serve`` and ``make demo``: the same ``EventStore`` as DynamoDB on AWS, without AWS.

One connection guarded by a lock serves every thread (``emailstatus serve`` answers requests in
threads); WAL lets a ``check`` in another process read while events arrive. A ``put`` is one
transaction: ``INSERT OR IGNORE`` finds the duplicates and the per-email first-of-kind markers,
and the counters are upserted for exactly the rows inserted. Expired rows are purged on open
and then at most once an hour, by an indexed delete.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta, tzinfo
from pathlib import Path

from emailstatus.events.counters import (
    day_of,
    day_period,
    first_kind,
    increments,
    periods,
    window_period,
    window_starts,
)
from emailstatus.events.model import Event
from emailstatus.events.store import DEFAULT_RETENTION, PutResult, subject_index_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    message_id TEXT NOT NULL,
    identity TEXT NOT NULL,
    at INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    subject_day TEXT,
    body TEXT NOT NULL,
    expires INTEGER NOT NULL,
    PRIMARY KEY (message_id, identity)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_by_recipient ON events (recipient, at);
CREATE INDEX IF NOT EXISTS events_by_subject ON events (subject_day, at)
    WHERE subject_day IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_by_expiry ON events (expires);
CREATE TABLE IF NOT EXISTS firsts (
    message_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    expires INTEGER NOT NULL,
    PRIMARY KEY (message_id, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS firsts_by_expiry ON firsts (expires);
CREATE TABLE IF NOT EXISTS counters (
    period TEXT NOT NULL,
    key TEXT NOT NULL,
    n INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    PRIMARY KEY (period, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS counters_by_expiry ON counters (expires);
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires INTEGER NOT NULL
) WITHOUT ROWID;
"""
_PURGE_EVERY_S = 3600


class SqliteEventStore:
    """``EventStore`` in one SQLite file (``":memory:"`` for a throwaway one)."""

    def __init__(
        self, path: str | Path, *, zone: tzinfo, retention: timedelta = DEFAULT_RETENTION
    ) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        self.zone = zone
        self._retention = int(retention.total_seconds())
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        self._purged_at = 0.0
        self._purge(time.time())

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def put(self, events: Sequence[Event]) -> PutResult:
        now = time.time()
        tallies: dict[str, tuple[Counter[str], int]] = {}
        stored = 0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for event in events:
                    if not self._insert(event):
                        continue
                    stored += 1
                    first = self._first(event)
                    adds = increments(event, first=first)
                    for period, expires in periods(event, self.zone, self._retention):
                        tally = tallies.setdefault(period, (Counter(), expires))[0]
                        tally.update(adds)
                self._db.executemany(
                    "INSERT INTO counters (period, key, n, expires) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (period, key) DO UPDATE SET n = n + excluded.n",
                    [
                        (period, key, n, expires)
                        for period, (tally, expires) in tallies.items()
                        for key, n in tally.items()
                    ],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            if now - self._purged_at >= _PURGE_EVERY_S:
                self._purge(now)
        return PutResult(stored, len(events) - stored)

    def timeline(self, message_id: str) -> list[Event]:
        return self._events(
            "SELECT body FROM events WHERE message_id = ? ORDER BY at, identity", (message_id,)
        )

    def to_recipient(self, recipient: str, start: int, end: int) -> list[Event]:
        return self._events(
            "SELECT body FROM events WHERE recipient = ? AND at >= ? AND at < ? "
            "ORDER BY at, message_id, identity",
            (recipient.strip().lower(), start, end),
        )

    def with_subject(self, day: date, subject: str, *, limit: int | None = None) -> list[Event]:
        return self._events(
            "SELECT body FROM events WHERE subject_day = ? ORDER BY at, message_id, identity "
            "LIMIT ?",
            (subject_index_key(day, subject), -1 if limit is None else limit),
        )

    def day_counters(self, day: date) -> dict[str, int]:
        return self._counters("SELECT key, n FROM counters WHERE period = ?", (day_period(day),))

    def window_counters(self, start: int, end: int) -> dict[str, int]:
        labels = [window_period(window) for window in window_starts(start, end)]
        if not labels:
            return {}
        marks = ",".join("?" * len(labels))
        return self._counters(
            f"SELECT key, SUM(n) FROM counters WHERE period IN ({marks}) GROUP BY key",
            labels,
        )

    def claim(self, key: str, *, ttl_s: int) -> bool:
        now = int(time.time())
        with self._lock:
            self._db.execute("DELETE FROM state WHERE key = ? AND expires <= ?", (key, now))
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO state (key, value, expires) VALUES (?, '', ?)",
                (key, now + ttl_s),
            )
            return cursor.rowcount == 1

    def get_state(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM state WHERE key = ? AND expires > ?", (key, int(time.time()))
            ).fetchone()
        return None if row is None else str(row[0])

    def put_state(self, key: str, value: str, *, ttl_s: int) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO state (key, value, expires) VALUES (?, ?, ?)",
                (key, value, int(time.time()) + ttl_s),
            )

    def release(self, key: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM state WHERE key = ?", (key,))

    def _insert(self, event: Event) -> bool:
        day = day_of(event.at, self.zone)
        subject = subject_index_key(day, event.subject) if event.subject else None
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO events "
            "(message_id, identity, at, recipient, subject_day, body, expires) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                event.message_id,
                event.identity,
                event.at,
                event.recipient.lower(),
                subject,
                json.dumps(event.to_json(), separators=(",", ":")),
                event.at + self._retention,
            ),
        )
        return cursor.rowcount == 1

    def _first(self, event: Event) -> bool:
        kind = first_kind(event)
        if kind is None:
            return False
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO firsts (message_id, kind, expires) VALUES (?, ?, ?)",
            (event.message_id, kind, event.at + self._retention),
        )
        return cursor.rowcount == 1

    def _events(self, sql: str, parameters: Sequence[object]) -> list[Event]:
        with self._lock:
            rows = self._db.execute(sql, parameters).fetchall()
        return [Event.from_json(json.loads(body)) for (body,) in rows]

    def _counters(self, sql: str, parameters: Sequence[object]) -> dict[str, int]:
        with self._lock:
            return {key: int(n) for key, n in self._db.execute(sql, parameters)}

    def _purge(self, now: float) -> None:
        with self._db:
            for table in ("events", "firsts", "counters", "state"):
                self._db.execute(f"DELETE FROM {table} WHERE expires < ?", (int(now),))
        self._purged_at = now
