"""Injected failures: random ones at configured rates, and a deterministic queue of next ones.

Settings are an immutable ``Faults`` value swapped atomically, so a change made while requests
are in flight never leaves a request seeing half of the old settings and half of the new.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

HTTP500 = "http500"
DROP = "drop"
TIMEOUT = "timeout"
MALFORMED = "malformed"
MISSING_LIST = "missing_list"
#: Send the answer's body one byte every ``drip_interval`` seconds.
DRIP = "drip"
#: Answer success with ``huge_records`` emails, whatever the Limit.
HUGE = "huge"
#: Fault kinds that are not a Tencent error code.
TRANSPORT_KINDS = frozenset({HTTP500, DROP, TIMEOUT, MALFORMED, MISSING_LIST, DRIP, HUGE})
_ERROR_CODE = re.compile(r"^[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$")


@dataclass(frozen=True)
class Faults:
    """What goes wrong, and how often (each rate a probability per request).

    One draw per request picks at most one fault, in this order: drop, timeout, http500,
    malformed, missing_list, then ``error_rates`` by code; rates should sum to at most 1.
    """

    #: Seconds added to every API request.
    latency: float = 0.0
    #: Tencent error code -> probability of answering with it.
    error_rates: Mapping[str, float] = field(default_factory=dict)
    http_500_rate: float = 0.0
    #: Close the connection without an answer.
    drop_rate: float = 0.0
    #: Wait ``hang_seconds`` before answering, so the client's timeout fires first.
    timeout_rate: float = 0.0
    hang_seconds: float = 30.0
    #: Answer 200 application/json with a body that is not JSON.
    malformed_rate: float = 0.0
    #: Answer success without ``EmailStatusList`` (or the statistics lists).
    missing_list_rate: float = 0.0
    drip_rate: float = 0.0
    drip_interval: float = 1.0
    huge_rate: float = 0.0
    huge_records: int = 100_000
    # Lasting misbehaviour of GetSendEmailStatus / GetStatisticsReport (``simulator.hostile``):
    #: Answer every page as if Offset were 0 (a full day never ends).
    ignore_offset: bool = False
    #: Start every page after the first this many emails early (offsets shifting under new
    #: mail): the previous page's last emails are listed again.
    repeat_records: int = 0
    #: Give every tenth email an out-of-range RequestTime and DeliverTime (10^12, 10^18, ...).
    bad_times: bool = False
    #: Multiply GetStatisticsReport's counts by this (Tencent's totals disagreeing).
    lying_totals: float = 1.0

    def __post_init__(self) -> None:
        if self.latency < 0 or self.hang_seconds < 0:
            raise ValueError("latency and hang_seconds must be >= 0")
        for name, rate in self._rates():
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {rate}")
        for code in self.error_rates:
            check_kind(code)
        object.__setattr__(self, "error_rates", MappingProxyType(dict(self.error_rates)))

    def _rates(self) -> list[tuple[str, float]]:
        """(fault kind, probability) in draw order."""
        rates = [
            (DROP, self.drop_rate),
            (TIMEOUT, self.timeout_rate),
            (HTTP500, self.http_500_rate),
            (MALFORMED, self.malformed_rate),
            (MISSING_LIST, self.missing_list_rate),
            (DRIP, self.drip_rate),
            (HUGE, self.huge_rate),
        ]
        return rates + sorted(self.error_rates.items())

    def to_json(self) -> dict[str, Any]:
        """The settings as plain JSON values (the admin endpoint's format)."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["error_rates"] = dict(self.error_rates)
        return data

    def updated(self, changes: Mapping[str, Any]) -> Faults:
        """A copy with the given fields changed; unknown names raise ``ValueError``."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        try:
            return replace(self, **changes)
        except (TypeError, AttributeError) as error:
            raise ValueError(str(error)) from None


def check_kind(kind: str) -> str:
    """``kind`` if it is a transport fault or looks like a Tencent error code."""
    if kind in TRANSPORT_KINDS or _ERROR_CODE.match(kind):
        return kind
    raise ValueError(
        f"unknown fault {kind!r}: use a Tencent error code or one of {sorted(TRANSPORT_KINDS)}"
    )


@dataclass
class _Queued:
    kind: str
    action: str | None
    remaining: int


class FaultInjector:
    """Decides, per request, which fault (if any) it gets. Thread-safe; seeded for repeatability."""

    def __init__(self, faults: Faults, seed: int) -> None:
        self._lock = threading.Lock()
        self._faults = faults
        self._seed = seed
        self._rng = random.Random(f"faults:{seed}")
        self._queue: list[_Queued] = []

    @property
    def faults(self) -> Faults:
        """The current settings."""
        return self._faults

    def set(self, faults: Faults) -> None:
        """Replace the settings (the queue of next faults is kept)."""
        with self._lock:
            self._faults = faults

    def fail_next(self, kind: str, times: int = 1, action: str | None = None) -> None:
        """Give the next ``times`` requests (of ``action``, or of any action) this fault."""
        check_kind(kind)
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._queue.append(_Queued(kind, action, times))

    def pending(self) -> int:
        """How many queued faults are still to be served."""
        with self._lock:
            return sum(entry.remaining for entry in self._queue)

    def draw(self, action: str) -> str | None:
        """The fault for one request of ``action``: queued ones first, then a random draw."""
        with self._lock:
            for index, entry in enumerate(self._queue):
                if entry.action in (None, action):
                    entry.remaining -= 1
                    if entry.remaining == 0:
                        del self._queue[index]
                    return entry.kind
            rates = self._faults._rates()
            if not any(rate for _, rate in rates):
                return None
            point = self._rng.random()
        cumulative = 0.0
        for kind, rate in rates:
            cumulative += rate
            if point < cumulative:
                return kind
        return None

    def reset(self, faults: Faults) -> None:
        """New settings, an empty queue and the RNG back at its seed."""
        with self._lock:
            self._faults = faults
            self._rng = random.Random(f"faults:{self._seed}")
            self._queue.clear()
