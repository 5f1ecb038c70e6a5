"""Everything one digest says, gathered in one value for the renderers (Slack, terminal, JSON).

The job fills it (walk, statistics, store); the renderers only read it, so what Slack shows and
what ``emailstatus digest --format json`` prints never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emailstatus.digest.summary import DigestSummary
from emailstatus.digest.trends import Alert, Change, DayFigures, Severity, day_severity
from emailstatus.i18n import _, ngettext
from emailstatus.knowledge.statistics import DailyVolume
from emailstatus.results import DEADLINE, WalkProgress

#: Where a digest's figures came from: the walk of every email, or the events' counters.
WALK_SOURCE = "walk"
EVENTS_SOURCE = "events"
#: A whole day's walk may differ from Tencent's own totals by this much before the digest says
#: so (Tencent's statistics lag and round; a larger gap means one of the two is wrong).
TOTALS_MARGIN = 0.02


@dataclass(frozen=True)
class DigestReport:
    """One day's digest: the summary of what was read, and what puts it in context."""

    summary: DigestSummary
    #: How far the walk got; ``progress.complete`` is False when it was cut short.
    progress: WalkProgress
    #: Tencent's own totals for the day (GetStatisticsReport), when they could be read.
    day_totals: DailyVolume | None = None
    #: The day before, from the store or from Tencent's statistics, when known.
    previous: DayFigures | None = None
    changes: tuple[Change, ...] = ()
    alerts: tuple[Alert, ...] = ()
    #: Bounce rates of the last days, oldest first (None: unknown); empty without history.
    history: tuple[float | None, ...] = ()
    #: Plain sentences about what the digest could not do (statistics failed, ...).
    notes: tuple[str, ...] = field(default=())
    #: The bounce rate that raises an alert: the sparkline's scale, so a healthy week stays low.
    bounce_alert_rate: float = 0.05
    #: Addresses Tencent put on its blocklist that day (None: could not be read).
    blocklisted: int | None = None
    #: ``WALK_SOURCE`` or ``EVENTS_SOURCE``.
    source: str = WALK_SOURCE

    @property
    def blocklist_line(self) -> str | None:
        """ "3 addresses joined Tencent's blocklist that day", or None when unknown."""
        if self.blocklisted is None:
            return None
        if self.blocklisted == 0:
            return _("No address joined Tencent's blocklist that day.")
        return ngettext(
            "{count:,} address joined Tencent's blocklist that day.",
            "{count:,} addresses joined Tencent's blocklist that day.",
            self.blocklisted,
        ).format(count=self.blocklisted)

    @property
    def complete(self) -> bool:
        return self.progress.complete

    @property
    def severity(self) -> Severity:
        """The day at a glance: normal, watch, or act now."""
        return day_severity(self.alerts, complete=self.complete)

    def totals_disagree(self) -> bool:
        """Whether a whole day's walk and Tencent's own total differ by more than the margin."""
        totals = self.day_totals
        if not self.complete or totals is None:
            return False
        largest = max(totals.requests, self.summary.total)
        return largest > 0 and abs(totals.requests - self.summary.total) / largest > TOTALS_MARGIN

    def incomplete_reason(self) -> str:
        """Why the walk stopped early, in words ("" when it did not)."""
        if self.complete:
            return ""
        if self.progress.stopped_by == DEADLINE:
            return _("the day could not be read before the time limit")
        return _("Tencent kept failing ({code}) after retries").format(
            code=self.progress.stopped_by
        )

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON values: the summary's fields first, then the context."""
        document = self.summary.as_dict()
        document.update(
            complete=self.complete,
            source=self.source,
            coverage={
                "pages": self.progress.pages,
                "emails": self.progress.records,
                "seconds": round(self.progress.seconds, 3),
                "stopped_by": self.progress.stopped_by,
            },
            day_totals=_volume_json(self.day_totals),
            previous=self.previous.to_json() if self.previous else None,
            changes=[
                {"label": c.label, "now": c.now, "before": c.before, "delta": c.delta}
                for c in self.changes
            ],
            severity=self.severity.value,
            totals_disagree=self.totals_disagree(),
            alerts=[
                {
                    "kind": a.kind.value,
                    "severity": a.severity.value,
                    "message": a.message,
                    "who": a.who,
                    "next_step": a.next_step,
                }
                for a in self.alerts
            ],
            bounce_history=list(self.history),
            joined_blocklist=self.blocklisted,
            notes=list(self.notes),
        )
        return document


def _volume_json(volume: DailyVolume | None) -> dict[str, Any] | None:
    if volume is None:
        return None
    return {
        "requests": volume.requests,
        "accepted": volume.accepted,
        "delivered": volume.delivered,
        "bounced": volume.bounced,
        "opened": volume.opened,
        "clicked": volume.clicked,
        "unsubscribed": volume.unsubscribed,
    }
