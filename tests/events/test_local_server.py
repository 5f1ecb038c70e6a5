"""``emailstatus serve``'s callback endpoint: the same receiver, straight into SQLite."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from emailstatus.events.local import CallbackEndpoint
from emailstatus.events.payload import MAX_BODY_BYTES
from emailstatus.events.sqlite import SqliteEventStore
from emailstatus.slack_app.local import events_server
from tests.events.conftest import SIGNING_SECRET, T0, TOKEN, ZONE, slack_app

CALLBACK: dict[str, Any] = {
    "event": "open",
    "email": "carol@example.org",
    "bulkId": "qcloudses-30-1300000007-date-20261203100000-local",
    "timestamp": T0,
    "useragent": "Mozilla/5.0",
}


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[CallbackEndpoint]:
    store = SqliteEventStore(tmp_path / "events.sqlite3", zone=ZONE)
    yield CallbackEndpoint(store, (TOKEN,))
    store.close()


@pytest.fixture
def server(endpoint: CallbackEndpoint) -> Iterator[ThreadingHTTPServer]:
    running = events_server(
        slack_app(), SIGNING_SECRET, host="127.0.0.1", port=0, callbacks=endpoint
    )
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.shutdown()
    running.server_close()


def post(server: ThreadingHTTPServer, path: str, body: bytes) -> tuple[int, dict[str, object]]:
    url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    request = urllib.request.Request(url, data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_callbacks_are_stored_once_and_wrong_ones_not_at_all(
    server: ThreadingHTTPServer, endpoint: CallbackEndpoint
) -> None:
    body = json.dumps(CALLBACK).encode()
    assert post(server, f"/tencent/events/{TOKEN}", body) == (200, {"ok": True, "events": 1})
    assert post(server, f"/tencent/events/{TOKEN}", body)[0] == 200  # Tencent's repeat
    assert post(server, "/tencent/events/not-the-token-000000000000000", body)[0] == 404
    status, answer = post(server, f"/tencent/events/{TOKEN}", b'{"event": "open"}')
    assert (status, answer) == (400, {"error": "bulkId (the MessageId) is missing"})
    too_big = post(server, f"/tencent/events/{TOKEN}", b" " * (MAX_BODY_BYTES + 10))
    assert too_big[0] == 400
    (event,) = endpoint.store.timeline(CALLBACK["bulkId"])
    assert event.user_agent == "Mozilla/5.0"
    assert endpoint.outcomes == {"accepted": 2, "wrong_token": 1, "bad_payload": 2}


def test_without_a_token_configured_there_is_no_callback_endpoint() -> None:
    running = events_server(slack_app(), SIGNING_SECRET, host="127.0.0.1", port=0)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        assert post(running, f"/tencent/events/{TOKEN}", json.dumps(CALLBACK).encode())[0] == 404
    finally:
        running.shutdown()
        running.server_close()
