"""Alerts every 5 minutes: a 30-minute bounce spike is one alert and one all-clear, posted
through slack_sdk to the fake Slack, keeping the rate Slack guarantees: one message a second
per channel, no burst."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
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
from testkit.fake_slack import BOT_TOKEN, FakeSlack
from tests.events.conftest import T0, ZONE

CHANNEL = "C0ALERTS"


THRESHOLDS = Thresholds(
    bounce_rate=0.05, complaint_rate=0.001, refusals=frozenset(), dropped=25, min_emails=50
)


@pytest.fixture
def strict_slack() -> Iterator[FakeSlack]:
    """The fake Slack at the rate Slack guarantees (bursts are allowed but not promised)."""
    with FakeSlack(burst=1) as fake:
        yield fake


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
    tmp_path: Path, strict_slack: FakeSlack
) -> None:
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
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "EMAILSTATUS_ALERT_CHANNEL": CHANNEL,
            "EMAILSTATUS_SLACK_API_URL": strict_slack.api_url,
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
    alert, clear = strict_slack.channels.history[CHANNEL]
    assert (alert["channel"], clear["channel"]) == (CHANNEL, CHANNEL)
    assert clear["thread_ts"] == alert["ts"]
    assert "Bounce rate" in alert["text"] and "mx.example.net" in alert["text"]
    assert "Top reasons: The mailbox does not exist (" in alert["text"]


def test_a_second_post_within_a_second_waits_out_slacks_429(
    strict_slack: FakeSlack,
) -> None:
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "EMAILSTATUS_ALERT_CHANNEL": CHANNEL,
            "EMAILSTATUS_SLACK_API_URL": strict_slack.api_url,
        }
    )
    poster = SlackAlertPoster(settings)
    (reading,) = [r for r in read_spike() if r.kind is AlertKind.DROPPED]
    started = time.monotonic()
    ts = poster.alert(reading)
    poster.all_clear(reading, ts)
    assert len(strict_slack.posts()) == 2
    assert [call.status for call in strict_slack.calls] == [200, 429, 200]
    assert time.monotonic() - started >= 1.0


def read_spike() -> list[Any]:
    from emailstatus.events.alerts import read

    return read({"emails:dropped": 40, "emails:delivered": 100}, {}, THRESHOLDS)
