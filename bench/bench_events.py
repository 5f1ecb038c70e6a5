"""Email events: how fast the embedded path takes callbacks, what DynamoDB writes per event,
how fast a digest reads a 10-million-email day from counters, and what a million events cost.

1. **Embedded throughput.** ``CALLBACKS`` of the simulator's callbacks (both payload versions,
   10% repeated, shuffled) through ``CallbackEndpoint.receive`` (token, parse, bounds) into the
   SQLite store, one process, one thread: events/s.
2. **DynamoDB writes per 1,000 events.** The first ``DYNAMO_EVENTS`` of those callbacks stored
   by ``DynamoEventStore.put`` on moto in batches of 100 (the consumer's SQS batch size): write
   requests per 1,000 events (each item of a transaction; transactions cost 2 write units an
   item).
3. **Digest from counters.** One day's counters as ``DynamoEventStore`` lays them out for
   ``DAY_EMAILS`` emails (totals in 8 shards, dimensions in 2; ``DOMAINS`` recipient domains,
   ``REASONS`` reasons), read with ``day_counters`` and folded by the digest
   (``digest.counters.summary_from_counters``), on moto (whose Query is far slower than
   DynamoDB's; the items and megabytes read are printed too): seconds, against the walk at the
   API's ceiling (``DAY_EMAILS`` / 100 per page / 20 requests/s).
4. **Cost per million events** from list prices (us-east-1, as README "Cost"), using the
   measured writes per event.

Run alone: ``.venv/bin/python -m bench.bench_events``.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
import zlib
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import boto3  # type: ignore[import-untyped]
from moto import mock_aws

from emailstatus.digest.counters import counted_outcomes, summary_from_counters
from emailstatus.events.dynamodb import (
    BUCKETS,
    COUNTER_SHARDS,
    DIMENSION_SHARDS,
    GROUPS,
    DynamoEventStore,
    table_definition,
)
from emailstatus.events.local import CallbackEndpoint
from emailstatus.events.payload import parse_body
from emailstatus.events.sqlite import SqliteEventStore
from ses_simulator import SHANGHAI, Dataset
from ses_simulator.callbacks import CallbackSender, day_items

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 23, 0, tzinfo=SHANGHAI)
TOKEN = "bench_token_0123456789abcdefghij"
CALLBACKS_EMAILS = 20_000
#: moto copies its whole table for every transaction, so only a few batches are written: the
#: ratio (writes per event) does not depend on how many.
DYNAMO_EVENTS = 400
BATCH = 100
DAY_EMAILS = 10_000_000
DOMAINS = 5_000
REASONS = 300
DIGEST_SECONDS_TARGET = 5.0
API_RATE = 20
PAGE = 100
#: us-east-1 list prices (README "Cost"): Lambda arm64, HTTP API, SQS standard, DynamoDB.
LAMBDA_GB_S = 0.0000133334
LAMBDA_REQUEST = 0.20 / 1e6
HTTP_API_REQUEST = 1.00 / 1e6
SQS_REQUEST = 0.40 / 1e6
DYNAMODB_WRITE_UNIT = 0.625 / 1e6
#: Receiver: 256 MB for ~20 ms a callback; consumer: 512 MB for ~1 s per batch of 100.
RECEIVER_GB_S = 0.25 * 0.02
CONSUMER_GB_S_PER_EVENT = 0.5 * 1.0 / BATCH


def callbacks(emails: int) -> list[dict[str, Any]]:
    """The simulator's callbacks for ``emails`` emails of one day, as Tencent would send them."""
    dataset = Dataset(seed=5, emails_per_day=emails, days=2, now=NOW)
    sender = CallbackSender("http://127.0.0.1:1/", version="mixed", duplicates=0.1, seed=5)
    return sender.plan(
        day_items(dataset, [NOW.date() - timedelta(days=1)]), now=int(NOW.timestamp())
    )


def embedded_throughput(bodies: list[bytes]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteEventStore(Path(folder) / "events.sqlite3", zone=ZONE)
        endpoint = CallbackEndpoint(store, (TOKEN,))
        path = f"/tencent/events/{TOKEN}"
        started = time.perf_counter()
        for body in bodies:
            endpoint.receive(path, body)
        seconds = time.perf_counter() - started
        store.close()
    assert endpoint.outcomes["accepted"] == len(bodies)
    return len(bodies) / seconds


def dynamodb_writes(bodies: list[bytes]) -> tuple[float, int]:
    """Write requests per 1,000 events, and the events stored (duplicates excluded).

    The events arrive as Tencent sends them, about when they happen, repeats included.
    """
    now = int(NOW.timestamp())
    events = [event for body in bodies for event in parse_body(body, now=now)]
    events.sort(key=lambda event: event.at)
    client = boto3.client("dynamodb")
    client.create_table(**table_definition("bench-events"))
    store = DynamoEventStore("bench-events", zone=ZONE, client=client, rng=random.Random(1))
    stored = 0
    for start in range(0, len(events), BATCH):
        stored += store.put(events[start : start + BATCH]).stored
    return store.items_written * 1000 / len(events), stored


def seed_day_counters(client: Any, day: str, rng: random.Random) -> tuple[int, float]:
    """A 10-million-email day's counters, laid out as ``DynamoEventStore`` keeps them; how many
    items and megabytes (as JSON) they take."""
    domains = [f"d{n}.example.com" for n in range(DOMAINS)]
    totals: Counter[str] = Counter()
    delivered = int(DAY_EMAILS * 0.95)
    bounced = int(DAY_EMAILS * 0.03)
    dropped = DAY_EMAILS - delivered - bounced
    for kind, n in (("delivered", delivered), ("bounce", bounced), ("dropped", dropped)):
        totals[f"emails:{kind}"] = totals[f"events:{kind}"] = n
    totals["emails:open"] = int(delivered * 0.4)
    totals["events:open"] = int(delivered * 0.7)
    weights = [1 / (rank + 1) for rank in range(DOMAINS)]
    share = sum(weights)
    for domain, weight in zip(domains, weights, strict=True):
        emails = int(DAY_EMAILS * weight / share)
        totals[f"domain:{domain}"] = emails
        totals[f"domain_failed:{domain}"] = int(emails * 0.05)
    for n in range(REASONS):
        totals[f"reason:550 5.1.1 reason number {n}"] = rng.randrange(1, 10_000)
    for sender in ("noreply@notify.example.com", "billing@notify.example.com"):
        totals[f"sender:{sender}"] = DAY_EMAILS // 2
    items: dict[str, dict[str, Any]] = {}
    for key, n in totals.items():
        dim, _, value = key.partition(":")
        group = GROUPS[dim]
        bucket = zlib.crc32(value.encode()) % BUCKETS[group]
        shards = COUNTER_SHARDS if group == "totals" else DIMENSION_SHARDS
        per_shard = n // shards
        for shard in range(shards):
            sort_key = f"{group}#{bucket:02d}#{shard:02d}"
            item = items.setdefault(
                sort_key, {"pk": {"S": f"c#d:{day}"}, "sk": {"S": sort_key}, "expires": {"N": "0"}}
            )
            item[key] = {"N": str(per_shard + (n % shards if shard == 0 else 0))}
    for item in items.values():
        client.put_item(TableName="bench-events", Item=item)
    return len(items), sum(len(json.dumps(item)) for item in items.values()) / 1e6


def digest_from_counters() -> tuple[float, int, int, float]:
    """Seconds to read and fold a 10-million-email day's counters, the emails it counted, and
    the counter items and megabytes read (DynamoDB returns 1 MB a page)."""
    client = boto3.client("dynamodb")
    day = NOW.date() - timedelta(days=1)
    items, megabytes = seed_day_counters(client, day.isoformat(), random.Random(2))
    store = DynamoEventStore("bench-events", zone=ZONE, client=client)
    started = time.perf_counter()
    counters = store.day_counters(day)
    summary = summary_from_counters(day, counters, None)  # what the digest does with them
    seconds = time.perf_counter() - started
    outcomes = counted_outcomes(counters)
    assert summary.top_domains and summary.top_reasons and outcomes == DAY_EMAILS
    return seconds, outcomes, items, megabytes


def cost_per_million(writes_per_1000: float) -> dict[str, float]:
    events = 1e6
    receiver = events * (LAMBDA_REQUEST + RECEIVER_GB_S * LAMBDA_GB_S)
    consumer = events / BATCH * LAMBDA_REQUEST + events * CONSUMER_GB_S_PER_EVENT * LAMBDA_GB_S
    http = events * HTTP_API_REQUEST
    sqs = events * (1 + 2 / BATCH) * SQS_REQUEST  # send each; receive and delete per batch
    dynamodb = events * writes_per_1000 / 1000 * 2 * DYNAMODB_WRITE_UNIT  # transactional: 2 WRU
    return {
        "lambda_usd": round(receiver + consumer, 2),
        "http_api_usd": round(http, 2),
        "sqs_usd": round(sqs, 2),
        "dynamodb_usd": round(dynamodb, 2),
        "total_usd": round(receiver + consumer + http + sqs + dynamodb, 2),
    }


def run() -> dict[str, Any]:
    plan = callbacks(CALLBACKS_EMAILS)
    bodies = [json.dumps(body).encode() for body in plan]
    rate = embedded_throughput(bodies)
    env = {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "ap-southeast-1",
    }
    with mock.patch.dict(os.environ, env), mock_aws():
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
            os.environ.pop(name, None)
        # A stretch of the day as it arrives: in time order, repeats included.
        in_time = sorted(bodies, key=lambda body: json.loads(body)["timestamp"])
        writes, stored = dynamodb_writes(in_time[:DYNAMO_EVENTS])
        digest_seconds, counted, items, megabytes = digest_from_counters()
    walk_seconds = DAY_EMAILS / PAGE / API_RATE
    return {
        "embedded_events_per_s": round(rate),
        "embedded_callbacks": len(bodies),
        "dynamodb_writes_per_1000_events": round(writes),
        "dynamodb_events_stored": stored,
        "digest_from_counters_s": round(digest_seconds, 3),
        "digest_counter_items": items,
        "digest_counter_mb": round(megabytes, 2),
        "digest_from_counters_target": f"< {DIGEST_SECONDS_TARGET:g} s for {counted:,} emails",
        "digest_from_counters_ok": digest_seconds < DIGEST_SECONDS_TARGET,
        "digest_walk_at_api_ceiling_s": round(walk_seconds),
        "cost_per_million_events": cost_per_million(writes),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
