"""Digest fixtures: a simulated day of 2,000 emails, a local Slack Web API, a moto table.

The Tencent side is the project's simulator over HTTP with the real SDK; DynamoDB is moto's;
Slack's Web API is a small local server that speaks the few methods the digest calls
(``chat.postMessage`` and the three steps of ``files_upload_v2``) and can answer 429.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints
import pytest
from moto import mock_aws

from emailstatus.config import Settings, load_settings
from emailstatus.digest.store import DigestStore
from ses_simulator import Simulator, SimulatorConfig

EMAILS_PER_DAY = 2000
TABLE = "emailstatus-digest-test"
BOT_TOKEN = "xoxb-digest-test-token"
CHANNEL = "C0DIGEST01"


@pytest.fixture(scope="session")
def day_sim() -> Iterator[Simulator]:
    """A simulator with 2,000 emails a day and no rate limit (tests that need one set it)."""
    config = SimulatorConfig(seed=11, emails_per_day=EMAILS_PER_DAY, rate_limit=None)
    with Simulator(config) as running:
        yield running


@pytest.fixture
def dsim(day_sim: Simulator) -> Simulator:
    """The shared digest simulator, reset (faults, rate limit, counters) for this test."""
    day_sim.reset()
    return day_sim


@pytest.fixture
def day(dsim: Simulator) -> date:
    """Yesterday in the simulated account: a whole day of emails."""
    return dsim.dataset.today - timedelta(days=1)


def digest_settings(sim: Simulator, **env: str) -> Settings:
    """Settings pointed at ``sim``, at a high digest rate unless the test says otherwise."""
    base = {
        "TENCENTCLOUD_SECRET_ID": sim.secret_id,
        "TENCENTCLOUD_SECRET_KEY": sim.secret_key,
        "EMAILSTATUS_SES_ENDPOINT": sim.endpoint,
        "EMAILSTATUS_SES_RATE": "400",
        "EMAILSTATUS_DIGEST_RATE": "400",
        "EMAILSTATUS_SES_TIMEOUT": "2",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "EMAILSTATUS_DIGEST_CHANNEL": CHANNEL,
    }
    return load_settings({**base, **env})


# --- a local Slack Web API ---------------------------------------------------------------------


@dataclass
class SlackCall:
    """One request the fake received: the Web API method (or "upload") and its arguments."""

    method: str
    args: dict[str, Any]
    status: int
    ok: bool = True
    body: bytes = b""


@dataclass
class FakeSlack:
    """Slack's Web API, the part the digest uses. ``url`` is the base URL for the client."""

    url: str = ""
    calls: list[SlackCall] = field(default_factory=list)
    _next: dict[str, list[tuple[int, dict[str, Any], Mapping[str, str]]]] = field(
        default_factory=dict
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: int = 0
    #: What each channel holds, oldest first: what ``conversations.history`` reads back.
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Whether the app was granted channels:history (Slack answers missing_scope otherwise).
    history_scope: bool = True
    #: Seconds the next chat.postMessage waits, *after* taking the message, before answering.
    _hang_after_post: list[float] = field(default_factory=list)

    def rate_limit_next(self, method: str, retry_after: int = 1) -> None:
        """The next call of ``method`` gets HTTP 429 with ``Retry-After``."""
        answer = {"ok": False, "error": "ratelimited"}
        self._queue(method, 429, answer, {"Retry-After": str(retry_after)})

    def fail_next(self, method: str, error: str) -> None:
        """The next call of ``method`` gets ``{"ok": false, "error": error}``."""
        self._queue(method, 200, {"ok": False, "error": error}, {})

    def accept_then_hang(self, seconds: float) -> None:
        """The next chat.postMessage is posted, then answered only after ``seconds``."""
        with self._lock:
            self._hang_after_post.append(seconds)

    def posts(self, *, thread: bool | None = None) -> list[dict[str, Any]]:
        """Accepted ``chat.postMessage`` calls; ``thread`` picks replies or top-level posts."""
        return [
            call.args
            for call in self.calls
            if call.method == "chat.postMessage"
            and call.ok
            and (thread is None or ("thread_ts" in call.args) == thread)
        ]

    def uploads(self) -> list[bytes]:
        return [call.body for call in self.calls if call.method == "upload"]

    def answer(
        self, method: str, args: dict[str, Any]
    ) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        with self._lock:
            queued = self._next.get(method)
            if queued:
                return queued.pop(0)
            self._ts += 1
            ts = f"{int(time.time())}.{self._ts:06d}"
            hang = (
                self._hang_after_post.pop(0)
                if method == "chat.postMessage" and self._hang_after_post
                else 0.0
            )
            if method == "chat.postMessage":
                self.history.setdefault(str(args.get("channel")), []).append({**args, "ts": ts})
        if method == "chat.postMessage":
            time.sleep(hang)
            return 200, {"ok": True, "channel": args.get("channel"), "ts": ts}, {}
        if method == "conversations.history":
            return self._read_history(args)
        if method == "files.getUploadURLExternal":
            file_id = f"F{self._ts:08d}"
            upload_url = f"{self.url.split('/api/')[0]}/upload/{file_id}"
            return 200, {"ok": True, "upload_url": upload_url, "file_id": file_id}, {}
        if method == "files.completeUploadExternal":
            files = json.loads(args.get("files") or "[]")
            return 200, {"ok": True, "files": files}, {}
        return 200, {"ok": False, "error": "unknown_method"}, {}

    def _read_history(self, args: dict[str, Any]) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        """Like Slack: newest first, after ``oldest``, metadata only when asked for."""
        if not self.history_scope:
            return 200, {"ok": False, "error": "missing_scope", "needed": "channels:history"}, {}
        oldest = float(args.get("oldest") or 0)
        with_metadata = str(args.get("include_all_metadata")).lower() in ("1", "true")
        messages = [
            {
                "type": "message",
                "ts": message["ts"],
                "text": message.get("text", ""),
                **(
                    {"metadata": message["metadata"]}
                    if with_metadata and "metadata" in message
                    else {}
                ),
            }
            for message in reversed(self.history.get(str(args.get("channel")), []))
            if float(message["ts"]) > oldest and "thread_ts" not in message
        ]
        return 200, {"ok": True, "messages": messages, "has_more": False}, {}

    def record(self, call: SlackCall) -> None:
        with self._lock:
            self.calls.append(call)

    def _queue(
        self, method: str, status: int, body: dict[str, Any], headers: Mapping[str, str]
    ) -> None:
        with self._lock:
            self._next.setdefault(method, []).append((status, body, headers))


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            """slack_sdk reads (conversations.history) with GET and a query string."""
            path, _, query = self.path.partition("?")
            self._answer(path.rsplit("/", 1)[-1], dict(parse_qsl(query)))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.startswith("/upload/"):
                fake.record(SlackCall("upload", {"path": self.path}, 200, body=body))
                self._send(200, b"OK", "text/plain")
                return
            self._answer(
                self.path.rsplit("/", 1)[-1],
                _arguments(self.headers.get("Content-Type", ""), body),
            )

        def _answer(self, method: str, args: dict[str, Any]) -> None:
            headers: Mapping[str, str] = {}
            if self.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
                status, answer = 200, {"ok": False, "error": "invalid_auth"}
            else:
                status, answer, headers = fake.answer(method, args)
                fake.record(SlackCall(method, args, status, ok=bool(answer.get("ok"))))
            with contextlib.suppress(OSError):  # the client gave up waiting (accept_then_hang)
                self._send(status, json.dumps(answer).encode(), "application/json", headers)

        def _send(
            self, status: int, body: bytes, kind: str, headers: Mapping[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test reads ``calls``."""

    return Handler


def _arguments(content_type: str, body: bytes) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        parsed = json.loads(body or b"{}")
        return parsed if isinstance(parsed, dict) else {}
    return dict(parse_qsl(body.decode()))


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A running fake Slack Web API; its ``url`` goes into EMAILSTATUS_SLACK_API_URL."""
    fake = FakeSlack()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


# --- DynamoDB ------------------------------------------------------------------------------------


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """moto's DynamoDB with the digest table (partition key ``id``, TTL ``expiration``)."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-southeast-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-southeast-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.update_time_to_live(
            TableName=TABLE,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"},
        )
        yield client


@pytest.fixture
def store(dynamodb: Any) -> DigestStore:
    return DigestStore(TABLE, client=dynamodb)
