"""``GetStatisticsReport`` answers as typed per-day totals.

Tencent's own daily counters are one cheap call for any range of days: the digest uses them for
the whole-day totals when its walk runs out of time, and for the day before when no summary of
it was stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class DailyVolume:
    """Tencent's counters for one day (``Volume``)."""

    day: date
    requests: int
    accepted: int
    delivered: int
    opened: int
    clicked: int
    bounced: int
    unsubscribed: int

    @property
    def bounce_rate(self) -> float | None:
        """Bounces over accepted emails, as Tencent computes it; None with nothing accepted."""
        return self.bounced / self.accepted if self.accepted else None

    @classmethod
    def from_api(cls, item: Mapping[str, Any]) -> DailyVolume | None:
        """Build from one ``Volume`` dict (a missing counter reads as 0; no usable date, None)."""
        try:
            day = date.fromisoformat(str(item.get("SendDate"))[:10])
        except ValueError:
            return None
        return cls(
            day=day,
            requests=_count(item.get("RequestCount")),
            accepted=_count(item.get("AcceptedCount")),
            delivered=_count(item.get("DeliveredCount")),
            opened=_count(item.get("OpenedCount")),
            clicked=_count(item.get("ClickedCount")),
            bounced=_count(item.get("BounceCount")),
            unsubscribed=_count(item.get("UnsubscribeCount")),
        )


def _count(value: object) -> int:
    return value if isinstance(value, int) and value > 0 else 0


def parse_volumes(items: object) -> dict[date, DailyVolume]:
    """``DailyVolumes`` by day; entries that are not readable are left out, not guessed."""
    if not isinstance(items, Sequence):
        return {}
    volumes = (DailyVolume.from_api(item) for item in items if isinstance(item, Mapping))
    return {volume.day: volume for volume in volumes if volume is not None}
