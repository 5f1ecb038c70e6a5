"""Counters of what the simulator served, for tests and the ``/_simulator/stats`` endpoint."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Stats:
    """A snapshot. "Served" means admitted by the rate limiter, whatever the answer was."""

    #: Action -> requests admitted.
    served: Mapping[str, int]
    #: Requests answered ``RequestLimitExceeded`` (not counted as served).
    rejected: int
    rejected_by_action: Mapping[str, int]
    #: Action -> most requests admitted inside any sliding one-second window.
    max_per_window: Mapping[str, int]
    #: Injected fault kind (or error code) -> times injected.
    faults: Mapping[str, int]
    #: Error code -> error answers given (injected or genuine, rate limit included).
    errors: Mapping[str, int]
    #: Requests being handled right now, and the most ever handled at once.
    in_flight: int
    max_in_flight: int

    @property
    def served_total(self) -> int:
        """Requests admitted, all actions together."""
        return sum(self.served.values())

    @property
    def max_window(self) -> int:
        """The busiest sliding second of any single action."""
        return max(self.max_per_window.values(), default=0)

    def to_json(self) -> dict[str, Any]:
        """The snapshot as plain JSON values."""
        return {
            "served": dict(self.served),
            "served_total": self.served_total,
            "rejected": self.rejected,
            "rejected_by_action": dict(self.rejected_by_action),
            "max_per_window": dict(self.max_per_window),
            "max_window": self.max_window,
            "faults": dict(self.faults),
            "errors": dict(self.errors),
            "in_flight": self.in_flight,
            "max_in_flight": self.max_in_flight,
        }


class Recorder:
    """Thread-safe counters behind ``Stats``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._served: Counter[str] = Counter()
        self._rejected: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()
        self._errors: Counter[str] = Counter()
        self._in_flight = 0
        self._max_in_flight = 0

    def enter(self) -> None:
        """A request started."""
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def leave(self) -> None:
        """A request finished (answered, dropped or abandoned)."""
        with self._lock:
            self._in_flight -= 1

    def served(self, action: str) -> None:
        with self._lock:
            self._served[action] += 1

    def rejected(self, action: str) -> None:
        with self._lock:
            self._rejected[action] += 1

    def fault(self, kind: str) -> None:
        with self._lock:
            self._faults[kind] += 1

    def error(self, code: str) -> None:
        with self._lock:
            self._errors[code] += 1

    def snapshot(self, max_per_window: Mapping[str, int]) -> Stats:
        with self._lock:
            return Stats(
                served=dict(self._served),
                rejected=sum(self._rejected.values()),
                rejected_by_action=dict(self._rejected),
                max_per_window=dict(max_per_window),
                faults=dict(self._faults),
                errors=dict(self._errors),
                in_flight=self._in_flight,
                max_in_flight=self._max_in_flight,
            )

    def reset(self) -> None:
        """Zero every counter except requests still in flight."""
        with self._lock:
            for counter in (self._served, self._rejected, self._faults, self._errors):
                counter.clear()
            self._max_in_flight = self._in_flight
