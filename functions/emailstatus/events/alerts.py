"""Alerts within minutes: the last 15 minutes of events against thresholds and the same hour
of the past week, read every 5 minutes.

Three kinds: the bounce rate (bounced over emails with an outcome), the complaint rate (spam
reports over delivered) and dropped emails (a count). A kind *fires* when its reading is at or
over both its threshold and ``BASELINE_FACTOR`` times its usual level at this hour (the same
hour on the last ``BASELINE_DAYS`` days), with at least ``min_emails`` outcomes in the window
for the rates. It is *clear* again only when the reading is below ``CLEAR_RATIO`` of that level
(hysteresis: a reading hovering at the line does not flap). Pure code over counters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from emailstatus.events.counters import dimension
from emailstatus.thresholds import Thresholds

#: The window each run reads, and the period between runs.
ALERT_WINDOW_S: Final = 15 * 60
RUN_EVERY_S: Final = 5 * 60
BASELINE_DAYS: Final = 7
#: A kind fires at this multiple of its usual level (or its threshold, whichever is higher).
BASELINE_FACTOR: Final = 2.0
#: ...and clears below this share of the level it fired at.
CLEAR_RATIO: Final = 0.8
TOP: Final = 3


class AlertKind(StrEnum):
    BOUNCES = "bounces"
    COMPLAINTS = "complaints"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class Reading:
    """One kind in one window: the value, the level that fires it, and what is behind it."""

    kind: AlertKind
    value: float
    level: float
    usual: float | None
    emails: int
    firing: bool
    clear: bool
    top_reasons: tuple[tuple[str, int], ...] = ()
    top_domains: tuple[tuple[str, int], ...] = ()

    @property
    def is_rate(self) -> bool:
        return self.kind is not AlertKind.DROPPED


def read(
    window: Mapping[str, int], baseline: Mapping[str, int], thresholds: Thresholds
) -> list[Reading]:
    """The three readings of ``window``; ``baseline`` is the same hour summed over the past
    ``BASELINE_DAYS`` days (its counts are scaled to one window)."""
    outcomes = _outcomes(window)
    usual_outcomes = _outcomes(baseline)
    delivered = window.get("emails:delivered", 0)
    usual_delivered = baseline.get("emails:delivered", 0)
    scale = ALERT_WINDOW_S / (3600 * BASELINE_DAYS)
    top_reasons = _top(dimension(window, "reason"))
    top_domains = _top(dimension(window, "domain_failed"))
    failed = window.get("emails:bounce", 0) + window.get("emails:dropped", 0)
    return [
        _reading(
            AlertKind.BOUNCES,
            _ratio(window.get("emails:bounce", 0), outcomes),
            _ratio(baseline.get("emails:bounce", 0), usual_outcomes),
            thresholds.bounce_rate,
            outcomes,
            enough=outcomes >= thresholds.min_emails,
            tops=(top_reasons, top_domains),
        ),
        _reading(
            AlertKind.COMPLAINTS,
            _ratio(window.get("emails:spamreport", 0), delivered),
            _ratio(baseline.get("emails:spamreport", 0), usual_delivered),
            thresholds.complaint_rate,
            delivered,
            enough=delivered >= thresholds.min_emails,
            tops=((), ()),
        ),
        _reading(
            AlertKind.DROPPED,
            float(window.get("emails:dropped", 0)),
            baseline.get("emails:dropped", 0) * scale if baseline else None,
            float(thresholds.dropped),
            failed,
            enough=True,
            tops=(top_reasons, top_domains),
        ),
    ]


def _reading(
    kind: AlertKind,
    value: float | None,
    usual: float | None,
    threshold: float,
    emails: int,
    *,
    enough: bool,
    tops: tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]],
) -> Reading:
    level = max(threshold, (usual or 0.0) * BASELINE_FACTOR)
    current = value or 0.0
    return Reading(
        kind=kind,
        value=current,
        level=level,
        usual=usual,
        emails=emails,
        firing=enough and value is not None and current >= level,
        clear=current < level * CLEAR_RATIO,
        top_reasons=tops[0],
        top_domains=tops[1],
    )


def _outcomes(counters: Mapping[str, int]) -> int:
    return sum(counters.get(f"emails:{kind}", 0) for kind in ("delivered", "bounce", "dropped"))


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _top(values: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(values.items(), key=lambda item: (-item[1], item[0]))[:TOP])
