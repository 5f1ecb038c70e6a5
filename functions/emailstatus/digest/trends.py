"""What is getting worse: one day against the day before, the week's bounce rate, and alerts.

Tencent restricts an account's sending when its bounce or complaint rate climbs (SendStatus
3030), so the digest leads with a warning the day a threshold is crossed, not after. Pure code;
the figures of earlier days come from the store (our own summaries) or, failing that, from
Tencent's GetStatisticsReport.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from emailstatus.digest.summary import DigestSummary
from emailstatus.i18n import N_, _, ngettext
from emailstatus.knowledge.codes import send_status_info
from emailstatus.knowledge.statistics import DailyVolume
from emailstatus.thresholds import Thresholds

#: Days in the bounce-rate sparkline, the digest's own day included.
HISTORY_DAYS = 7
SPARK_LEVELS = "▁▂▃▄▅▆▇█"
NO_DATA = "·"


class Source(StrEnum):
    """Where a day's figures came from."""

    DIGEST = "digest"
    STATISTICS = "statistics"


@dataclass(frozen=True, slots=True)
class DayFigures:
    """The few numbers of one day that later digests compare against (no addresses)."""

    day: date
    total: int
    accepted: int
    delivered: int
    #: Bounced or dropped after acceptance, as Tencent's ``BounceCount``.
    bounced: int
    #: Unknown (None) when the figures come from GetStatisticsReport, which has no such count.
    complained: int | None
    source: Source

    @property
    def bounce_rate(self) -> float | None:
        return self.bounced / self.accepted if self.accepted else None

    @property
    def complaint_rate(self) -> float | None:
        if self.complained is None or not self.delivered:
            return None
        return self.complained / self.delivered

    @classmethod
    def from_summary(cls, summary: DigestSummary) -> DayFigures:
        return cls(
            day=summary.day,
            total=summary.total,
            accepted=summary.accepted,
            delivered=summary.delivered,
            bounced=summary.bounced,
            complained=summary.engagement.complained,
            source=Source.DIGEST,
        )

    @classmethod
    def from_volume(cls, volume: DailyVolume) -> DayFigures:
        return cls(
            day=volume.day,
            total=volume.requests,
            accepted=volume.accepted,
            delivered=volume.delivered,
            bounced=volume.bounced,
            complained=None,
            source=Source.STATISTICS,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "total": self.total,
            "accepted": self.accepted,
            "delivered": self.delivered,
            "bounced": self.bounced,
            "complained": self.complained,
            "source": self.source.value,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DayFigures:
        """Read what ``to_json`` wrote; ``ValueError``/``KeyError``/``TypeError`` when it is not."""
        complained = data["complained"]
        return cls(
            day=date.fromisoformat(data["day"]),
            total=int(data["total"]),
            accepted=int(data["accepted"]),
            delivered=int(data["delivered"]),
            bounced=int(data["bounced"]),
            complained=None if complained is None else int(complained),
            source=Source(data["source"]),
        )


@dataclass(frozen=True, slots=True)
class Change:
    """One figure, the day before and now. Rates are fractions (0.05 is 5%)."""

    label: str
    now: float
    before: float
    is_rate: bool

    @property
    def delta(self) -> float:
        return self.now - self.before


class AlertKind(StrEnum):
    BOUNCE_RATE = "bounce_rate"
    COMPLAINT_RATE = "complaint_rate"
    REFUSAL = "refusal"


class Severity(StrEnum):
    """How a day reads at a glance, in the digest's first line."""

    NORMAL = "normal"
    WATCH = "watch"
    ACT_NOW = "act_now"


#: SendStatus codes that stop the whole account sending (3030 restricted for bounces, 3033 out
#: of balance): the day's most important news, whatever else happened.
ACCOUNT_STOPPED = frozenset({3030, 3033})


@dataclass(frozen=True, slots=True)
class Alert:
    """A threshold crossed, said plainly: what, who acts and what to do."""

    kind: AlertKind
    message: str
    severity: Severity = Severity.WATCH
    who: str = N_("The operator")
    next_step: str = ""


def compare(now: DayFigures, before: DayFigures) -> tuple[Change, ...]:
    """The changes worth a line: volume, deliveries, bounce and complaint rates (when known)."""
    changes = [
        Change("Emails", now.total, before.total, is_rate=False),
        Change("Delivered", now.delivered, before.delivered, is_rate=False),
    ]
    for label, rate_now, rate_before in (
        ("Bounce rate", now.bounce_rate, before.bounce_rate),
        ("Complaint rate", now.complaint_rate, before.complaint_rate),
    ):
        if rate_now is not None and rate_before is not None:
            changes.append(Change(label, rate_now, rate_before, is_rate=True))
    return tuple(changes)


def alerts(summary: DigestSummary, thresholds: Thresholds) -> tuple[Alert, ...]:
    """Every configured threshold the day crossed (``EMAILSTATUS_ALERT_*``)."""
    found: list[Alert] = []
    for code, count in sorted(summary.refusals.items()):
        if code in thresholds.refusals:
            info = send_status_info(code)
            stopped = code in ACCOUNT_STOPPED
            what = info.headline.partition(_(": "))[2] or info.headline
            said = (
                ngettext(
                    "{what} (SendStatus {code}, {count:,} email): Tencent is stopping the whole "
                    "account from sending.",
                    "{what} (SendStatus {code}, {count:,} emails): Tencent is stopping the whole "
                    "account from sending.",
                    count,
                )
                if stopped
                else ngettext(
                    "{what} (SendStatus {code}, {count:,} email).",
                    "{what} (SendStatus {code}, {count:,} emails).",
                    count,
                )
            ).format(what=what[:1].upper() + what[1:], code=code, count=count)
            found.append(
                Alert(
                    AlertKind.REFUSAL,
                    said,
                    Severity.ACT_NOW if stopped else Severity.WATCH,
                    N_("The operator, now") if stopped else N_("The operator"),
                    info.next_step,
                )
            )
    bounce = summary.bounce_rate
    if bounce is not None and bounce > thresholds.bounce_rate:
        found.append(
            Alert(
                AlertKind.BOUNCE_RATE,
                _(
                    "Bounce rate {rate} is over {threshold}: Tencent restricts the account's "
                    "sending when it stays high (SendStatus 3030)."
                ).format(rate=percent(bounce), threshold=percent(thresholds.bounce_rate)),
                next_step=_(
                    "Find the source of the bad addresses (the top failure reasons and "
                    "domains below) and stop mailing addresses that bounce."
                ),
            )
        )
    complaints = summary.complaint_rate
    if complaints is not None and complaints > thresholds.complaint_rate:
        found.append(
            Alert(
                AlertKind.COMPLAINT_RATE,
                _(
                    "Complaint rate {rate} is over {threshold}: recipients are marking these "
                    "emails as spam, and Tencent may restrict sending."
                ).format(rate=percent(complaints), threshold=percent(thresholds.complaint_rate)),
                next_step=_("Check which emails draw complaints and that unsubscribing works."),
            )
        )
    return tuple(sorted(found, key=lambda alert: alert.severity is not Severity.ACT_NOW))


def day_severity(found: Iterable[Alert], *, complete: bool) -> Severity:
    """The day at a glance: act now when the account is stopped, watch on any other alert or
    when the day could not be read whole, else normal."""
    severities = {alert.severity for alert in found}
    if Severity.ACT_NOW in severities:
        return Severity.ACT_NOW
    if severities or not complete:
        return Severity.WATCH
    return Severity.NORMAL


def bounce_history(
    figures: Mapping[date, DayFigures], end: date, days: int = HISTORY_DAYS
) -> tuple[float | None, ...]:
    """Bounce rates of the ``days`` days up to ``end``, oldest first; None where unknown."""
    history: list[float | None] = []
    for back in range(days - 1, -1, -1):
        day_figures = figures.get(end - timedelta(days=back))
        history.append(day_figures.bounce_rate if day_figures else None)
    return tuple(history)


def percent(rate: float | None) -> str:
    """A rate for people: 0.0523 → "5.2%"; under 1%, two decimals (0.0012 → "0.12%")."""
    if rate is None:
        return "n/a"
    value = rate * 100
    if value == 0:
        return "0%"
    if abs(value) < 1:
        return f"{value:.2f}%"
    return f"{value:.1f}%"


def sparkline(values: Iterable[float | None], scale: float = 0.0) -> str:
    """One character per value, scaled from 0 to the largest or ``scale``, whichever is higher
    (so a healthy 0.4% is a low bar against a 5% alert line, not a full one); ``NO_DATA`` where
    unknown."""
    values = tuple(values)
    top = max((value for value in values if value is not None), default=0.0)
    top = max(top, scale)
    top_level = len(SPARK_LEVELS) - 1
    return "".join(
        NO_DATA if value is None else SPARK_LEVELS[round(value / top * top_level) if top > 0 else 0]
        for value in values
    )


#: Figures where a rise is bad news; the arrow says so ("worse"/"better").
WORSE_WHEN_HIGHER = frozenset({"Bounce rate", "Complaint rate"})


def arrow(change: Change) -> str:
    """↑, ↓ or → and the signed difference, with a cue where a direction is good or bad
    ("↑ +1,204", "↑ +0.40 pt, worse", "↓ -0.10 pt, better")."""
    if change.delta > 0:
        symbol = "↑"
    elif change.delta < 0:
        symbol = "↓"
    else:
        symbol = "→"
    said = (
        f"{symbol} {change.delta * 100:+.2f} pt"
        if change.is_rate
        else f"{symbol} {change.delta:+,.0f}"
    )
    if change.label in WORSE_WHEN_HIGHER and change.delta:
        said += _(", worse") if change.delta > 0 else _(", better")
    return said
