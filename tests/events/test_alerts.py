"""Alerts every 5 minutes: a 30-minute bounce spike is one alert and one all-clear, posted
through slack_sdk to a fake Web API that keeps Slack's one message a second per channel."""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from emailstatus.config import load_settings
from emailstatus.events.alert_job import run_alerts
from emailstatus.events.alert_post import SlackAlertPoster
from emailstatus.events.alerts import AlertKind
from emailstatus.events.model import BounceKind, Event, EventType
from emailstatus.events.sqlite import SqliteEventStore
from emailstatus.thresholds import Thresholds
from tests.events.conftest import T0, ZONE

CHANNEL = "C0ALERTS"
THRESHOLDS = Thresholds(
    bounce_rate=0.05, complaint_rate=0.001, refusals=frozenset(), dropped=25, min_emails=50
)


@dataclass
class FakeSlackApi:
    """``chat.postMessage`` as Slack answers it, including HTTP 429 with ``Retry-After``
    for a second message in the same channel within a second."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    refused: int = 0
    _last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(
        self, method: str, args: dict[str, Any]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        if method != "chat.postMessage":
            return 200, {}, {"ok": False, "error": "unknown_method"}
        channel = str(args.get("channel", ""))
        with self._lock:
            now = time.monotonic()
            if now - self._last.get(channel, -10.0) < 1.0:
                self.refused += 1
                return 429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}
            self._last[channel] = now
            ts = f"{1796263200 + len(self.posts)}.000100"
            self.posts.append({**args, "ts": ts})
        return 200, {}, {"ok": True, "channel": channel, "ts": ts}


@pytest.fixture
def slack_api() -> Iterator[tuple[FakeSlackApi, str]]:
    fake = FakeSlackApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if self.headers.get("Content-Type", "").startswith("application/json"):
                args = json.loads(raw or "{}")
            else:
                args = dict(urllib.parse.parse_qsl(raw))
            status, headers, body = fake.answer(self.path.rsplit("/", 1)[-1], args)
            data = json.dumps(body).encode()
            self.send_response(status)
            for name, value in {**headers, "Content-Type": "application/json"}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield fake, f"http://127.0.0.1:{server.server_address[1]}/api/"
    server.shutdown()
    server.server_close()


def traffic(
    start: int, minutes: int, bounce_share: float, rng: random.Random, tag: str
) -> list[Event]:
    """One email outcome every 10 seconds, ``bounce_share`` of them bounced."""
    events = []
    for n in range(minutes * 6):
        at = start + n * 10
        bounced = rng.random() < bounce_share
        events.append(
            Event(
                type=EventType.BOUNCE if bounced else EventType.DELIVERED,
                message_id=f"qcloudses-{tag}-{at}",
                at=at,
                recipient=f"user{n}@{'mx.example.net' if bounced else 'example.com'}",
                reason="550 5.1.1 <x@mx.example.net>: user unknown" if bounced else "",
                bounce=BounceKind.HARD if bounced else None,
            )
        )
    return events


def test_a_30_minute_spike_is_one_alert_and_one_all_clear(
    tmp_path: Path, slack_api: tuple[FakeSlackApi, str]
) -> None:
    fake, url = slack_api
    store = SqliteEventStore(tmp_path / "events.sqlite3", zone=ZONE)
    rng = random.Random(1)
    start = T0 - T0 % 3600  # on the hour
    for day in range(1, 8):  # a normal week at these hours: 2% bounces
        store.put(traffic(start - day * 86400, 180, 0.02, rng, f"d{day}"))
    store.put(traffic(start, 60, 0.02, rng, "before"))
    store.put(traffic(start + 3600, 30, 0.40, rng, "spike"))
    store.put(traffic(start + 5400, 90, 0.02, rng, "after"))
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "EMAILSTATUS_ALERT_CHANNEL": CHANNEL,
            "EMAILSTATUS_SLACK_API_URL": url,
        }
    )
    poster = SlackAlertPoster(settings)
    actions = []
    for run in range(4, 36):  # every 5 minutes for three hours
        actions += run_alerts(store, poster, THRESHOLDS, now=start + run * 300 + 7)
    assert [(a.kind, a.posted) for a in actions] == [
        (AlertKind.BOUNCES, "alert"),
        (AlertKind.BOUNCES, "all_clear"),
    ]
    alert, clear = fake.posts
    assert (alert["channel"], clear["channel"]) == (CHANNEL, CHANNEL)
    assert clear["thread_ts"] == alert["ts"]
    assert "Bounce rate" in alert["text"] and "mx.example.net" in alert["text"]
    assert "Top reasons: The mailbox does not exist (" in alert["text"]


def test_a_second_post_within_a_second_waits_out_slacks_429(
    slack_api: tuple[FakeSlackApi, str],
) -> None:
    fake, url = slack_api
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "EMAILSTATUS_ALERT_CHANNEL": CHANNEL,
            "EMAILSTATUS_SLACK_API_URL": url,
        }
    )
    poster = SlackAlertPoster(settings)
    (reading,) = [r for r in read_spike() if r.kind is AlertKind.DROPPED]
    started = time.monotonic()
    ts = poster.alert(reading)
    poster.all_clear(reading, ts)
    assert len(fake.posts) == 2 and fake.refused == 1
    assert time.monotonic() - started >= 1.0


def read_spike() -> list[Any]:
    from emailstatus.events.alerts import read

    return read({"emails:dropped": 40, "emails:delivered": 100}, {}, THRESHOLDS)
