"""One alert run (every 5 minutes on EventBridge Scheduler): read, then post what changed.

No alert storms: a kind already alerting posts nothing more while it stays high; it is
alerted at most once per clock hour (a claim ``alert:<kind>:<hour>`` in the event store, taken
before posting, so two overlapping runs post once); when it clears, one all-clear goes in the
alert's thread (claimed the same way). A post that fails gives its claim back, so the next run
tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from emailstatus.events.alerts import ALERT_WINDOW_S, BASELINE_DAYS, Reading, read
from emailstatus.events.counters import window_of
from emailstatus.events.store import EventStore
from emailstatus.thresholds import Thresholds

log = logging.getLogger(__name__)

#: Claims and state outlive any alert (a day), then expire.
STATE_TTL_S = 86_400


class AlertPoster(Protocol):
    """Where alerts go (Slack's ``chat.postMessage``)."""

    def alert(self, reading: Reading) -> str:
        """Post an alert; its message ts."""
        ...

    def all_clear(self, reading: Reading, thread_ts: str) -> None:
        """Reply in the alert's thread that it cleared."""
        ...


@dataclass(frozen=True, slots=True)
class Action:
    """What a run posted."""

    kind: str
    posted: str  # "alert" | "all_clear"
    ts: str


def run_alerts(
    store: EventStore, poster: AlertPoster, thresholds: Thresholds, *, now: int
) -> list[Action]:
    """Read the last complete windows and post alerts and all-clears; what was posted."""
    end = window_of(now)
    window = store.window_counters(end - ALERT_WINDOW_S, end)
    baseline: dict[str, int] = {}
    for days in range(1, BASELINE_DAYS + 1):
        back = days * 86_400
        for key, n in store.window_counters(end - 3600 - back, end - back).items():
            baseline[key] = baseline.get(key, 0) + n
    hour = datetime.fromtimestamp(end, UTC).strftime("%Y-%m-%dT%H")
    actions = []
    for reading in read(window, baseline, thresholds):
        state_key = f"alert:{reading.kind}"
        active = store.get_state(state_key)
        if reading.firing and active is None:
            claim = f"alert:{reading.kind}:{hour}"
            if not store.claim(claim, ttl_s=STATE_TTL_S):
                continue  # alerted this hour already, or another run is posting it
            try:
                ts = poster.alert(reading)
            except Exception:
                store.release(claim)
                raise
            store.put_state(state_key, ts, ttl_s=STATE_TTL_S)
            actions.append(Action(reading.kind, "alert", ts))
        elif reading.clear and active is not None:
            claim = f"clear:{reading.kind}:{active}"
            if not store.claim(claim, ttl_s=STATE_TTL_S):
                continue
            try:
                poster.all_clear(reading, active)
            except Exception:
                store.release(claim)
                raise
            store.release(state_key)
            actions.append(Action(reading.kind, "all_clear", active))
    return actions
