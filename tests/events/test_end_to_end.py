"""The whole events path, twice: the simulator's callbacks → receiver → SQS → consumer →
DynamoDB (all on moto), and → ``emailstatus serve``'s endpoint → SQLite. Duplicates, disorder
and both payload versions on the way; what is stored must be exactly what happened."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from emailstatus.events import handlers
from emailstatus.events.counters import dimension
from emailstatus.events.dynamodb import DynamoEventStore
from emailstatus.events.local import CallbackEndpoint
from emailstatus.events.sqlite import SqliteEventStore
from emailstatus.events.store import EventStore
from emailstatus.slack_app.local import events_server
from ses_simulator import SHANGHAI, Dataset
from ses_simulator.callbacks import CallbackSender, callbacks_for, day_items
from tests.events.conftest import (
    SIGNING_SECRET,
    TABLE,
    TOKEN,
    ZONE,
    http_api_event,
    queued_records,
    slack_app,
)

NOW = datetime(2026, 12, 3, 18, 0, tzinfo=SHANGHAI)


@dataclass
class WayIn:
    """One way in: where to post, the store behind it, and how to let queued work finish."""

    url: str
    store: EventStore
    drain: Callable[[], None]


class _ApiGateway(BaseHTTPRequestHandler):
    """What API Gateway does for the receiver: the request as an HTTP API event, its answer.
    One invocation at a time, as in one Lambda container (its metrics are per invocation)."""

    container = threading.Lock()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.container:
            answer = handlers.receive_callback(http_api_event(self.path, body.decode()), None)
        data = answer["body"].encode()
        self.send_response(answer["statusCode"])
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(server: ThreadingHTTPServer) -> Iterator[str]:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=["lambda+sqs+dynamodb", "serve+sqlite"])
def path_in(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WayIn]:
    if request.param == "serve+sqlite":
        store = SqliteEventStore(tmp_path / "events.sqlite3", zone=ZONE)
        endpoint = CallbackEndpoint(store, (TOKEN,))
        server = events_server(
            slack_app(), SIGNING_SECRET, host="127.0.0.1", port=0, callbacks=endpoint
        )
        for url in _serve(server):
            yield WayIn(url, store, lambda: None)
        return
    sqs = request.getfixturevalue("lambda_env")
    client = request.getfixturevalue("dynamodb")
    queue_url = os.environ["EMAILSTATUS_EVENTS_QUEUE_URL"]

    def drain() -> None:  # the SQS trigger: batches of 10 until the queue is empty
        records = queued_records(sqs, queue_url)
        for start in range(0, len(records), 10):
            answer = handlers.consume_queue({"Records": records[start : start + 10]}, None)
            assert answer == {"batchItemFailures": []}

    gateway = ThreadingHTTPServer(("127.0.0.1", 0), _ApiGateway)
    for url in _serve(gateway):
        yield WayIn(url, DynamoEventStore(TABLE, zone=ZONE, client=client), drain)


def test_the_simulators_callbacks_are_stored_exactly(path_in: WayIn) -> None:
    dataset = Dataset(seed=11, emails_per_day=40, days=45, now=NOW)
    days = [NOW.date() - timedelta(days=offset) for offset in (40, 1)]
    items = day_items(dataset, days)
    sender = CallbackSender(
        f"{path_in.url}/tencent/events/{TOKEN}", version="mixed", duplicates=0.3, seed=5
    )
    report = sender.send(items, now=int(NOW.timestamp()))
    assert report.statuses == {200: report.posts}
    assert report.posts > sum(
        len(callbacks_for(i, version="older", now=int(NOW.timestamp()))) for i in items
    )
    path_in.drain()

    for item in items:
        expected = callbacks_for(item, version="older", now=int(NOW.timestamp()))
        timeline = path_in.store.timeline(item["MessageId"])
        assert [(e.type.value, e.at, e.link) for e in timeline] == [
            (c["event"], c["timestamp"], c["link"]) for c in expected
        ]

    yesterday = days[1]
    accepted = [i for i in dataset.day_records(yesterday) if i["SendStatus"] == 0]
    outcomes = Counter(i["DeliverStatus"] for i in accepted)
    counters = path_in.store.day_counters(yesterday)
    assert counters.get("emails:delivered", 0) == outcomes[1]
    assert counters.get("emails:bounce", 0) == outcomes[3]
    assert counters.get("emails:dropped", 0) == outcomes[2]
    assert counters.get("emails:open", 0) == sum(
        1 for i in accepted if i["DeliverStatus"] == 1 and i["UserOpened"]
    )
    failed = Counter(
        i["ToEmailAddress"].rpartition("@")[2] for i in accepted if i["DeliverStatus"] in (2, 3)
    )
    assert dimension(counters, "domain_failed") == dict(failed)

    # An email 40 days old, beyond Tencent's 30: found by its recipient from the events.
    old = next(
        i for i in dataset.day_records(days[0]) if i["SendStatus"] == 0 and i["DeliverStatus"] == 1
    )
    start = int(datetime.combine(days[0], datetime.min.time(), SHANGHAI).timestamp())
    found = path_in.store.to_recipient(old["ToEmailAddress"], start, start + 86400)
    assert old["MessageId"] in {e.message_id for e in found}


def test_wrong_tokens_and_malformed_callbacks_store_nothing(path_in: WayIn) -> None:
    dataset = Dataset(seed=11, emails_per_day=20, days=2, now=NOW)
    items = day_items(dataset, [NOW.date() - timedelta(days=1)])
    wrong = CallbackSender(f"{path_in.url}/tencent/events/{'w' * 32}", duplicates=0)
    assert set(wrong.send(items, now=int(NOW.timestamp())).statuses) == {404}
    broken = [{**i, "MessageId": "has spaces in it"} for i in items]
    bad = CallbackSender(f"{path_in.url}/tencent/events/{TOKEN}", duplicates=0)
    assert set(bad.send(broken, now=int(NOW.timestamp())).statuses) == {400}
    path_in.drain()
    assert all(path_in.store.timeline(i["MessageId"]) == [] for i in items)
    assert path_in.store.day_counters(NOW.date() - timedelta(days=1)) == {}
