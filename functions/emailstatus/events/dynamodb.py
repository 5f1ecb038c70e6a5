"""The event store on AWS: one DynamoDB table, written by the SQS consumer, read by lookups,
the digest and the alerts.

Items (partition key ``pk``, sort key ``sk``, TTL attribute ``expires``):

- an event: ``m#<MessageId>`` / ``e#<Event.identity>``, with ``at``, ``rcpt`` (the recipient,
  lower case) and ``subj`` (``<day>#<subject_key>``) for the two indexes ``by_recipient``
  (``rcpt``, ``at``) and ``by_subject`` (``subj``, ``at``), and the event as JSON in ``body``;
- a marker: ``m#<MessageId>`` / ``f#<kind>``: this email's first event of that kind was
  counted (see ``emailstatus.events.counters``);
- counters: ``c#d:<YYYY-MM-DD>`` or ``c#5m:<YYYY-MM-DDTHH:MMZ>`` / ``<group>#<bucket>#<shard>``
  with one number attribute per counter key (``events:open``, ``domain:example.com``...).

Exactly-once counting: each ``TransactWriteItems`` holds a batch's events (``attribute_not_exists``:
a stored event is a duplicate), their markers (the same condition: a marker present means "not
the first") and the counter ``ADD``s of exactly the events that will be written. DynamoDB names
every failed condition in ``CancellationReasons``; the batch is rebuilt without them and
retried, so a redelivered batch stores and counts nothing twice. BatchWriteItem cannot do this
(it has no conditions), which is why a transaction (two write units per item) is used.

Hot counters: a busy day's counter item would take every event. Each transaction adds to one of
``COUNTER_SHARDS`` copies chosen at random (readers sum them), and the unbounded dimensions
(domains, senders, reasons) are spread over buckets by a hash of the value, which also keeps
each item far below DynamoDB's 400 KB. Every copy of a dimension's item repeats its thousands of
keys, and a digest reads them all: so the dimensions keep ``DIMENSION_SHARDS`` copies (of the
transaction's shard, modulo), the small totals all ``COUNTER_SHARDS``. A 10-million-email day
with 5,000 recipient domains reads 20,000 numbers instead of 80,000 (bench/bench_events.py).
"""

from __future__ import annotations

import json
import random
import time
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any, Final

from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from emailstatus.errors import EventStoreError
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
from emailstatus.i18n import N_, _

#: DynamoDB's limit on the items of one transaction.
TRANSACTION_ITEMS: Final = 100
#: Copies of each counter item (see the module docstring).
COUNTER_SHARDS: Final = 8
#: Copies of each dimension's items (domains, senders, reasons): see the module docstring.
DIMENSION_SHARDS: Final = 2
#: Buckets per dimension: the value's hash picks one.
BUCKETS: Final = {"totals": 1, "domain": 4, "sender": 1, "reason": 2}
#: Which bucket group a counter key's dimension is kept in.
GROUPS: Final = {
    "events": "totals",
    "emails": "totals",
    "bounce": "totals",
    "domain": "domain",
    "domain_failed": "domain",
    "sender": "sender",
    "sender_failed": "sender",
    "reason": "reason",
}
#: Rounds of one transaction: condition failures (at most two rounds) and conflicts/throttles.
MAX_ROUNDS: Final = 6
RECIPIENT_INDEX: Final = "by_recipient"
SUBJECT_INDEX: Final = "by_subject"
_NOT_COUNTERS = frozenset({"pk", "sk", "expires"})


@dataclass
class _Transaction:
    """One TransactWriteItems being built: items, and what each item stands for."""

    items: list[dict[str, Any]] = field(default_factory=list)
    #: Per item: (index of its event in the batch, "event" | "marker"), None for counters.
    roles: list[tuple[int, str] | None] = field(default_factory=list)


class DynamoEventStore:
    """``EventStore`` in one DynamoDB table (``EMAILSTATUS_EVENTS_TABLE``)."""

    def __init__(
        self,
        table_name: str,
        *,
        zone: tzinfo,
        client: Any | None = None,
        retention: timedelta = DEFAULT_RETENTION,
        rng: random.Random | None = None,
    ) -> None:
        if client is None:
            import boto3  # type: ignore[import-untyped]

            client = boto3.session.Session().client("dynamodb")
        self.table_name = table_name
        self.zone = zone
        self._client = client
        self._retention = int(retention.total_seconds())
        self._rng = rng or random.Random()
        #: Write requests sent (each item of a transaction counts): for the benchmark.
        self.items_written = 0

    def put(self, events: Sequence[Event]) -> PutResult:
        unique = list({(e.message_id, e.identity): e for e in reversed(events)}.values())[::-1]
        stored = sum(self._put_chunk(chunk) for chunk in self._chunks(unique))
        return PutResult(stored, len(events) - stored)

    def timeline(self, message_id: str) -> list[Event]:
        return self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :e)",
            ExpressionAttributeValues={":pk": {"S": f"m#{message_id}"}, ":e": {"S": "e#"}},
            ConsistentRead=True,
        )

    def to_recipient(self, recipient: str, start: int, end: int) -> list[Event]:
        if end <= start:
            return []
        return self._query(
            IndexName=RECIPIENT_INDEX,
            KeyConditionExpression="rcpt = :r AND #at BETWEEN :a AND :b",
            ExpressionAttributeNames={"#at": "at"},
            ExpressionAttributeValues={
                ":r": {"S": recipient.strip().lower()},
                ":a": {"N": str(start)},
                ":b": {"N": str(end - 1)},
            },
        )

    def with_subject(self, day: date, subject: str, *, limit: int | None = None) -> list[Event]:
        request: dict[str, Any] = {
            "IndexName": SUBJECT_INDEX,
            "KeyConditionExpression": "subj = :s",
            "ExpressionAttributeValues": {":s": {"S": subject_index_key(day, subject)}},
        }
        if limit is None:
            return self._query(**request)
        # The index is sorted by time: read pages of at most what is still wanted, then stop.
        items = []
        for item in self._items({**request, "Limit": limit}):
            items.append(item)
            if len(items) >= limit:
                break
        return _events(items)

    def day_counters(self, day: date) -> dict[str, int]:
        return self._counters(day_period(day))

    def window_counters(self, start: int, end: int) -> dict[str, int]:
        total: Counter[str] = Counter()
        for window in window_starts(start, end):
            total.update(self._counters(window_period(window)))
        return dict(total)

    def claim(self, key: str, *, ttl_s: int) -> bool:
        now = int(time.time())
        try:
            with self._errors(N_("claim {key}"), key=key):
                self._client.put_item(
                    TableName=self.table_name,
                    Item={
                        **_state_key(key),
                        "value": {"S": ""},
                        "expires": {"N": str(now + ttl_s)},
                    },
                    # DynamoDB's TTL deletes late (up to days): an expired claim is free.
                    ConditionExpression="attribute_not_exists(pk) OR expires <= :now",
                    ExpressionAttributeValues={":now": {"N": str(now)}},
                )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get_state(self, key: str) -> str | None:
        with self._errors(N_("read {key}"), key=key):
            item = self._client.get_item(
                TableName=self.table_name, Key=_state_key(key), ConsistentRead=True
            ).get("Item")
        if item is None or int(item["expires"]["N"]) <= time.time():
            return None
        return str(item["value"]["S"])

    def put_state(self, key: str, value: str, *, ttl_s: int) -> None:
        expires = int(time.time()) + ttl_s
        with self._errors(N_("write {key}"), key=key):
            self._client.put_item(
                TableName=self.table_name,
                Item={**_state_key(key), "value": {"S": value}, "expires": {"N": str(expires)}},
            )

    def release(self, key: str) -> None:
        with self._errors(N_("release {key}"), key=key):
            self._client.delete_item(TableName=self.table_name, Key=_state_key(key))

    # --- writing ---------------------------------------------------------------------------

    def _chunks(self, events: Sequence[Event]) -> Iterator[list[Event]]:
        """Batches whose transaction fits ``TRANSACTION_ITEMS`` even if every marker is new."""
        chunk: list[Event] = []
        counters: set[tuple[str, str]] = set()
        markers: set[tuple[str, str]] = set()
        for event in events:
            kind = first_kind(event)
            new_markers = {(event.message_id, kind)} - markers if kind else set()
            new_counters = self._counter_items(event, first=True) - counters
            size = len(chunk) + len(markers) + len(counters)
            if chunk and size + 1 + len(new_markers) + len(new_counters) > TRANSACTION_ITEMS:
                yield chunk
                chunk, counters, markers = [], set(), set()
                new_markers = {(event.message_id, kind)} if kind else set()
                new_counters = self._counter_items(event, first=True)
            chunk.append(event)
            markers |= new_markers
            counters |= new_counters
        if chunk:
            yield chunk

    def _put_chunk(self, chunk: Sequence[Event]) -> int:
        """Write one batch in one transaction; the number of events that were new."""
        duplicates: set[int] = set()
        not_first: set[int] = set()
        for round_number in range(MAX_ROUNDS):
            transaction = self._build(chunk, duplicates, not_first)
            if not transaction.items:
                return 0
            try:
                with self._errors(N_("store events")):
                    self._client.transact_write_items(TransactItems=transaction.items)
            except ClientError as error:  # only a cancelled transaction gets past _errors
                reasons = error.response.get("CancellationReasons", [])
                conditions = _failed_conditions(transaction, reasons)
                if not conditions:  # a conflict or a throttle: back off and try again
                    time.sleep(min(0.05 * 2**round_number, 1.0) * (0.5 + self._rng.random()))
                for index, role in conditions:
                    (duplicates if role == "event" else not_first).add(index)
                continue
            self.items_written += len(transaction.items)
            return len(chunk) - len(duplicates)
        raise EventStoreError(
            f"Could not store {len(chunk)} events in DynamoDB table {self.table_name}: "
            f"the transaction was cancelled {MAX_ROUNDS} times (conflicts or throttling).",
            next_step="The batch is retried from the queue; if this persists, check the "
            "table's throttling metrics.",
        )

    def _build(
        self, chunk: Sequence[Event], duplicates: set[int], not_first: set[int]
    ) -> _Transaction:
        transaction = _Transaction()
        tallies: dict[str, tuple[Counter[str], int]] = {}
        marked: set[tuple[str, str]] = set()
        for index, event in enumerate(chunk):
            if index in duplicates:
                continue
            transaction.items.append({"Put": self._new_item(self._event_item(event))})
            transaction.roles.append((index, "event"))
            kind = first_kind(event)
            first = kind is not None and index not in not_first
            if first and kind is not None and (event.message_id, kind) not in marked:
                marked.add((event.message_id, kind))
                marker = {
                    "pk": {"S": f"m#{event.message_id}"},
                    "sk": {"S": f"f#{kind}"},
                    "expires": {"N": str(event.at + self._retention)},
                }
                transaction.items.append({"Put": self._new_item(marker)})
                transaction.roles.append((index, "marker"))
            else:
                first = False
            adds = increments(event, first=first)
            for period, expires in periods(event, self.zone, self._retention):
                tallies.setdefault(period, (Counter(), expires))[0].update(adds)
        shard = self._rng.randrange(COUNTER_SHARDS)
        for period, (tally, expires) in tallies.items():
            for sort_key, keys in _grouped(tally, shard).items():
                transaction.items.append({"Update": self._add(period, sort_key, keys, expires)})
                transaction.roles.append(None)
        return transaction

    def _event_item(self, event: Event) -> dict[str, Any]:
        item: dict[str, Any] = {
            "pk": {"S": f"m#{event.message_id}"},
            "sk": {"S": f"e#{event.identity}"},
            "at": {"N": str(event.at)},
            "body": {"S": json.dumps(event.to_json(), separators=(",", ":"))},
            "expires": {"N": str(event.at + self._retention)},
        }
        if event.recipient:
            item["rcpt"] = {"S": event.recipient.lower()}
        if event.subject:
            day = day_of(event.at, self.zone)
            item["subj"] = {"S": subject_index_key(day, event.subject)}
        return item

    def _new_item(self, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "TableName": self.table_name,
            "Item": item,
            "ConditionExpression": "attribute_not_exists(pk)",
        }

    def _add(self, period: str, sort_key: str, keys: Counter[str], expires: int) -> dict[str, Any]:
        names = {f"#k{i}": key for i, key in enumerate(keys)}
        values = {f":v{i}": {"N": str(n)} for i, n in enumerate(keys.values())}
        values[":exp"] = {"N": str(expires)}
        adds = ", ".join(f"#k{i} :v{i}" for i in range(len(keys)))
        return {
            "TableName": self.table_name,
            "Key": {"pk": {"S": f"c#{period}"}, "sk": {"S": sort_key}},
            "UpdateExpression": f"SET expires = if_not_exists(expires, :exp) ADD {adds}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }

    def _counter_items(self, event: Event, *, first: bool) -> set[tuple[str, str]]:
        """The counter items ``event`` touches (for sizing a transaction; any shard)."""
        keys = increments(event, first=first)
        return {
            (period, sk)
            for period, _ in periods(event, self.zone, self._retention)
            for sk in _grouped(keys, 0)
        }

    # --- reading ---------------------------------------------------------------------------

    def _query(self, **request: Any) -> list[Event]:
        return _events(self._items(request))

    def _counters(self, period: str) -> dict[str, int]:
        total: Counter[str] = Counter()
        request = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"c#{period}"}},
            "ConsistentRead": True,
        }
        for item in self._items(request):
            for key, value in item.items():
                if key not in _NOT_COUNTERS:
                    total[key] += int(value["N"])
        return dict(total)

    def _items(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item a Query finds, page after page."""
        request = {"TableName": self.table_name, **request}
        with self._errors(N_("read events")):
            while True:
                page = self._client.query(**request)
                yield from page.get("Items", [])
                if "LastEvaluatedKey" not in page:
                    return
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    @contextmanager
    def _errors(self, doing: str, *, key: str = "") -> Iterator[None]:
        """boto3 failures other than a cancelled transaction → ``EventStoreError``, saying what
        was being done (``doing``, an ``N_`` text with ``key`` filled in: translated only when
        it fails, never on the way of a call that succeeds)."""
        try:
            yield
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "ClientError")
            if code in ("TransactionCanceledException", "ConditionalCheckFailedException"):
                raise
            raise EventStoreError(
                _("Could not {doing} in DynamoDB table {table}: {code}.").format(
                    doing=_(doing).format(key=key), table=self.table_name, code=code
                ),
                next_step=_(
                    "Check that EMAILSTATUS_EVENTS_TABLE names the events table "
                    "(keys pk, sk; indexes by_recipient, by_subject) and the function's role."
                ),
            ) from None
        except BotoCoreError as error:
            raise EventStoreError(
                _("Could not {doing}: DynamoDB could not be reached ({error}).").format(
                    doing=_(doing).format(key=key), error=type(error).__name__
                ),
                next_step=_("Check the network and the AWS region and credentials."),
            ) from None


def _events(items: Iterable[dict[str, Any]]) -> list[Event]:
    """Stored items → events, oldest first."""
    events = [Event.from_json(json.loads(item["body"]["S"])) for item in items]
    return sorted(events, key=lambda e: (e.at, e.message_id, e.identity))


def _state_key(key: str) -> dict[str, Any]:
    return {"pk": {"S": f"s#{key}"}, "sk": {"S": "-"}}


def _grouped(tally: Counter[str], shard: int) -> dict[str, Counter[str]]:
    """Counter keys by the item (``<group>#<bucket>#<shard>``) that keeps them."""
    items: dict[str, Counter[str]] = {}
    for key, n in tally.items():
        dimension, _, value = key.partition(":")
        group = GROUPS[dimension]
        bucket = zlib.crc32(value.encode()) % BUCKETS[group]
        copy = shard if group == "totals" else shard % DIMENSION_SHARDS
        items.setdefault(f"{group}#{bucket:02d}#{copy:02d}", Counter())[key] += n
    return items


def _failed_conditions(
    transaction: _Transaction, reasons: Sequence[dict[str, Any]]
) -> list[tuple[int, str]]:
    """The events and markers whose ``attribute_not_exists`` failed (they already exist)."""
    failed = []
    for role, reason in zip(transaction.roles, reasons, strict=False):
        if role is not None and reason.get("Code") == "ConditionalCheckFailed":
            failed.append(role)
    return failed


def table_definition(table_name: str) -> dict[str, Any]:
    """``CreateTable`` arguments for the events table (tests, benches, ``make offline``);
    serverless.yml declares the same keys and indexes for AWS."""
    index_projection = {"ProjectionType": "ALL"}
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": kind}
            for name, kind in (("pk", "S"), ("sk", "S"), ("rcpt", "S"), ("subj", "S"), ("at", "N"))
        ],
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": name,
                "KeySchema": [
                    {"AttributeName": key, "KeyType": "HASH"},
                    {"AttributeName": "at", "KeyType": "RANGE"},
                ],
                "Projection": index_projection,
            }
            for name, key in ((RECIPIENT_INDEX, "rcpt"), (SUBJECT_INDEX, "subj"))
        ],
    }
