"""The event store contract, run on SQLite and on DynamoDB (moto) alike."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from emailstatus.events.counters import dimension
from emailstatus.events.dynamodb import DynamoEventStore
from emailstatus.events.model import BounceKind, EventType
from emailstatus.events.sqlite import SqliteEventStore
from emailstatus.events.store import EventStore
from tests.events.conftest import MESSAGE_ID, T0, TABLE, ZONE, make_event

DAY = date(2026, 12, 3)


def test_a_redelivered_event_is_stored_and_counted_once(store: EventStore) -> None:
    delivered = make_event(EventType.DELIVERED)
    opened = make_event(EventType.OPEN, at=T0 + 60, user_agent="Mozilla/5.0")
    assert store.put([delivered, opened]).stored == 2
    again = store.put([opened, delivered, delivered])
    assert (again.stored, again.duplicates) == (0, 3)
    assert store.timeline(MESSAGE_ID) == [delivered, opened]
    counters = store.day_counters(DAY)
    assert counters["events:delivered"] == 1
    assert counters["events:open"] == 1
    assert counters["emails:delivered"] == 1


def test_a_duplicate_inside_one_batch_is_stored_once(store: EventStore) -> None:
    event = make_event(EventType.BOUNCE, reason="550 5.1.1 user unknown", bounce=BounceKind.HARD)
    result = store.put([event, event])
    assert (result.stored, result.duplicates) == (1, 1)
    assert store.day_counters(DAY)["events:bounce"] == 1


def test_the_timeline_is_in_event_order_whatever_the_arrival_order(store: EventStore) -> None:
    events = [
        make_event(EventType.DEFERRED, at=T0, reason="451 4.7.1 try again later"),
        make_event(EventType.DELIVERED, at=T0 + 300),
        make_event(EventType.OPEN, at=T0 + 3000),
        make_event(EventType.CLICK, at=T0 + 3060, link="https://example.com/reset?t=1"),
        make_event(EventType.CLICK, at=T0 + 3060, link="https://example.com/help"),
    ]
    for event in reversed(events):  # disorder: one callback each, newest first
        store.put([event])
    timeline = store.timeline(MESSAGE_ID)
    assert [e.type for e in timeline] == [e.type for e in events]
    assert {e.link for e in timeline if e.type is EventType.CLICK} == {
        "https://example.com/reset?t=1",
        "https://example.com/help",
    }


def test_an_email_counts_once_per_kind_however_many_events_it_gets(store: EventStore) -> None:
    store.put([make_event(EventType.OPEN, at=T0 + 100 + n) for n in range(3)])
    store.put([make_event(EventType.DELIVERED)])
    # A late bounce for an email already delivered (disorder or a later NDR) is kept in the
    # timeline, but the email already has its outcome.
    store.put([make_event(EventType.BOUNCE, at=T0 + 500, reason="550 mailbox full")])
    counters = store.day_counters(DAY)
    assert counters["events:open"] == 3
    assert counters["emails:open"] == 1
    assert counters["emails:delivered"] == 1
    assert "emails:bounce" not in counters
    assert dimension(counters, "domain") == {"example.com": 1}
    assert dimension(counters, "domain_failed") == {}
    assert len(store.timeline(MESSAGE_ID)) == 5


def test_failures_are_counted_by_domain_sender_reason_and_bounce_kind(store: EventStore) -> None:
    events = [
        make_event(
            EventType.BOUNCE,
            message_id=f"qcloudses-30-1300000007-date-20261203100000-bounce{n}",
            recipient=f"user{n}@mail.example.net",
            reason=f"550 5.1.1 <user{n}@mail.example.net>: Recipient address rejected",
            bounce=BounceKind.HARD,
        )
        for n in range(4)
    ]
    events.append(
        make_event(
            EventType.DROPPED,
            message_id="qcloudses-30-1300000007-date-20261203100000-dropped",
            recipient="bob@example.org",
            sender="Billing@Notify.Example.com",
            reason="",
        )
    )
    store.put(events)
    counters = store.day_counters(DAY)
    assert counters["emails:bounce"] == 4
    assert counters["bounce:hard"] == 4
    assert dimension(counters, "domain_failed") == {"mail.example.net": 4, "example.org": 1}
    assert dimension(counters, "sender_failed") == {
        "noreply@notify.example.com": 4,
        "billing@notify.example.com": 1,
    }
    assert dimension(counters, "reason") == {"userunknown": 4, "undefined": 1}


def test_days_follow_the_store_zone(store: EventStore) -> None:
    # 23:59:59 and 00:00:00 Beijing time fall on two days, though both are the same UTC day.
    midnight = 1_796_313_600  # 2026-12-04 00:00:00 +08:00
    store.put([make_event(at=midnight - 1, message_id="qcloudses-a"), make_event(at=midnight)])
    assert store.day_counters(DAY)["events:delivered"] == 1
    assert store.day_counters(DAY + timedelta(days=1))["events:delivered"] == 1
    assert store.day_counters(DAY - timedelta(days=1)) == {}


def test_window_counters_add_up_the_five_minute_windows_in_range(store: EventStore) -> None:
    # T0 is 02:00 UTC: windows 02:00, 02:05, 02:10 get 1, 2 and 3 bounces.
    events = [
        make_event(EventType.BOUNCE, message_id=f"qcloudses-w{minute}-{n}", at=T0 + minute * 60)
        for minute, count in ((0, 1), (5, 2), (12, 3))
        for n in range(count)
    ]
    store.put(events)
    assert store.window_counters(T0, T0 + 900)["events:bounce"] == 6
    assert store.window_counters(T0 + 300, T0 + 600)["events:bounce"] == 2
    # A window counts when it starts in the range: 02:01 to 02:10 holds only 02:05.
    assert store.window_counters(T0 + 60, T0 + 600)["events:bounce"] == 2
    assert store.window_counters(T0 + 900, T0 + 1800) == {}


def test_recipient_lookups_ignore_case_and_respect_the_time_range(store: EventStore) -> None:
    old = make_event(at=T0 - 40 * 86400, message_id="qcloudses-forty-days-ago")
    new = make_event(at=T0, recipient="Alice@Example.COM")
    other = make_event(at=T0, recipient="bob@example.com", message_id="qcloudses-bob")
    store.put([old, new, other])
    assert store.to_recipient("ALICE@example.com", T0 - 41 * 86400, T0 + 1) == [old, new]
    assert store.to_recipient("alice@example.com", T0 - 86400, T0 + 1) == [new]
    assert store.to_recipient("alice@example.com", T0 + 1, T0 + 2) == []
    assert store.timeline("qcloudses-forty-days-ago") == [old]


def test_subject_lookups_match_the_normalised_subject_on_that_day(store: EventStore) -> None:
    reset = make_event(subject="Reset   your PASSWORD", message_id="qcloudses-reset")
    chinese = make_event(subject="重置您的密码", message_id="qcloudses-zh", at=T0 + 1)
    tomorrow = make_event(subject="Reset your password", message_id="qcloudses-next", at=T0 + 86400)
    store.put([reset, chinese, tomorrow])
    assert store.with_subject(DAY, "reset your password") == [reset]
    assert store.with_subject(DAY, "重置您的密码") == [chinese]
    assert store.with_subject(DAY, "Reset your") == []


def test_a_subject_lookup_stops_at_its_limit_with_the_earliest(store: EventStore) -> None:
    emails = [make_event(message_id=f"qcloudses-{n:03d}", at=T0 + n) for n in range(25)]
    store.put(emails)
    assert store.with_subject(DAY, "Reset your password", limit=10) == emails[:10]
    assert len(store.with_subject(DAY, "reset your password")) == 25


def test_a_batch_too_big_for_one_transaction_is_stored_and_counted_exactly(
    store: EventStore,
) -> None:
    rng = random.Random(3)
    events = [
        make_event(
            rng.choice([EventType.DELIVERED, EventType.BOUNCE, EventType.OPEN]),
            message_id=f"qcloudses-bulk-{n % 180}",
            recipient=f"user{n}@d{n % 37}.example.com",
            at=T0 + n,
            reason="550 no such user",
        )
        for n in range(400)
    ]
    assert store.put(events).stored == 400
    assert store.put(events[::-1]).duplicates == 400
    counters = store.day_counters(DAY)
    assert sum(dimension(counters, "events").values()) == 400
    terminal = {e.message_id for e in events if e.type.terminal}
    outcomes = counters.get("emails:delivered", 0) + counters.get("emails:bounce", 0)
    assert outcomes == len(terminal)
    assert sum(dimension(counters, "domain").values()) == len(terminal)


def test_sqlite_forgets_events_past_the_retention(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"
    store = SqliteEventStore(path, zone=ZONE, retention=timedelta(days=400))
    store.put([make_event(at=T0 - 401 * 86400, message_id="qcloudses-ancient"), make_event()])
    store.close()
    reopened = SqliteEventStore(path, zone=ZONE, retention=timedelta(days=400))
    assert reopened.timeline("qcloudses-ancient") == []
    assert reopened.timeline(MESSAGE_ID) == [make_event()]


def test_dynamodb_items_expire_after_the_retention(dynamodb: Any) -> None:
    store = DynamoEventStore(TABLE, zone=ZONE, client=dynamodb, retention=timedelta(days=30))
    store.put([make_event()])
    item = dynamodb.get_item(
        TableName=TABLE,
        Key={"pk": {"S": f"m#{MESSAGE_ID}"}, "sk": {"S": f"e#{make_event().identity}"}},
    )["Item"]
    assert int(item["expires"]["N"]) == T0 + 30 * 86400


def test_a_claim_is_taken_once_until_released(store: EventStore) -> None:
    assert store.claim("alert:bounces:2026-12-03T10", ttl_s=3600)
    assert not store.claim("alert:bounces:2026-12-03T10", ttl_s=3600)
    store.release("alert:bounces:2026-12-03T10")
    assert store.claim("alert:bounces:2026-12-03T10", ttl_s=3600)


def test_an_expired_claim_or_state_is_free_again(store: EventStore) -> None:
    assert store.claim("clear:bounces:1.2", ttl_s=0)
    assert store.claim("clear:bounces:1.2", ttl_s=3600)
    store.put_state("alert:bounces", "1796263200.000100", ttl_s=0)
    assert store.get_state("alert:bounces") is None


def test_state_is_kept_and_overwritten(store: EventStore) -> None:
    assert store.get_state("alert:dropped") is None
    store.put_state("alert:dropped", "1.1", ttl_s=60)
    store.put_state("alert:dropped", "2.2", ttl_s=60)
    assert store.get_state("alert:dropped") == "2.2"
    store.release("alert:dropped")
    assert store.get_state("alert:dropped") is None
