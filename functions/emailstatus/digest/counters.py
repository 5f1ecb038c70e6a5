"""A day's digest from the events' counters: a few reads whatever the volume, instead of
walking every email at the status API's 20 requests a second (about 1.3 million emails in a
15-minute Lambda).

The counters (``emailstatus.events.counters``) know each accepted email's outcome, engagement,
recipient domain, sender and failure reason; they know nothing of the emails Tencent refused
(it pushes no event for them) or of those still waiting for an outcome. Tencent's statistics
(``GetStatisticsReport``) fill those in: requests minus accepted were refused, accepted minus
the outcomes counted are still on their way. The same statistics are the cross-check: when the
counted outcomes and Tencent's own differ by more than ``TOTALS_MARGIN`` (callbacks switched on
mid-day, a lost batch), the counters are not trusted and the day is walked instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from emailstatus.digest.report import TOTALS_MARGIN
from emailstatus.digest.summary import (
    EMAIL_STATES,
    OTHER_PROVIDERS,
    TOP,
    DigestSummary,
    Engagement,
    ReasonShare,
    Share,
)
from emailstatus.events.counters import dimension
from emailstatus.i18n import _
from emailstatus.knowledge.statistics import DailyVolume
from emailstatus.verdict import State

#: The counters' outcome of an email → the state the walk would have found.
_OUTCOMES = {"delivered": State.DELIVERED, "bounce": State.BOUNCED, "dropped": State.DROPPED}
#: The counters' engagement events → ``Engagement`` fields.
_ENGAGEMENT = {
    "open": "opened",
    "click": "clicked",
    "unsubscribe": "unsubscribed",
    "spamreport": "complained",
}


def counted_outcomes(counters: Mapping[str, int]) -> int:
    """Emails with an outcome (delivered, bounced or dropped) in the counters."""
    return sum(counters.get(f"emails:{kind}", 0) for kind in _OUTCOMES)


def disagreement(counters: Mapping[str, int], volume: DailyVolume) -> str | None:
    """Why the counters cannot stand for the day, or None when they agree with Tencent's
    statistics (delivered plus bounced, within ``TOTALS_MARGIN``)."""
    counted = counted_outcomes(counters)
    theirs = volume.delivered + volume.bounced
    largest = max(counted, theirs)
    if largest == 0 or abs(counted - theirs) / largest <= TOTALS_MARGIN:
        return None
    return _(
        "The event callbacks counted {counted:,} delivered or bounced emails and Tencent's "
        "statistics {theirs:,}: the day was read from the status API instead."
    ).format(counted=counted, theirs=theirs)


def summary_from_counters(
    day: date, counters: Mapping[str, int], volume: DailyVolume | None
) -> DigestSummary:
    """The day's summary from its counters, with Tencent's statistics (when read) for the
    emails no event speaks of: refused, and accepted but without an outcome yet."""
    by_state: dict[State, int] = dict.fromkeys(EMAIL_STATES, 0)
    for kind, state in _OUTCOMES.items():
        by_state[state] = counters.get(f"emails:{kind}", 0)
    outcomes = counted_outcomes(counters)
    if volume is not None:
        by_state[State.REFUSED] = max(volume.requests - volume.accepted, 0)
        waiting = max(volume.accepted - outcomes, 0)
        deferred = min(waiting, counters.get("emails:deferred", 0))
        by_state[State.DEFERRED] = deferred
        by_state[State.QUEUED] = waiting - deferred
    engagement = Engagement(
        **{field: counters.get(f"emails:{kind}", 0) for kind, field in _ENGAGEMENT.items()}
    )
    return DigestSummary(
        day=day,
        total=sum(by_state.values()),
        by_state=by_state,
        refusals={},
        engagement=engagement,
        top_reasons=_reasons(dimension(counters, "reason")),
        top_domains=_shares(counters, "domain", by_volume=False),
        senders=_shares(counters, "sender", by_volume=True),
        failed_samples=(),
    )


def _reasons(reasons: Mapping[str, int]) -> tuple[ReasonShare, ...]:
    """The ``TOP`` reasons by emails (the counters keep no provider: all "other")."""
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    return tuple(ReasonShare(reason, n, ((OTHER_PROVIDERS, n),)) for reason, n in ranked)


def _shares(counters: Mapping[str, int], name: str, *, by_volume: bool) -> tuple[Share, ...]:
    """The ``TOP`` domains (by failures, those with any) or senders (by emails)."""
    emails = Counter(dimension(counters, name))
    failed = Counter(dimension(counters, f"{name}_failed"))
    keys = emails.keys() if by_volume else [key for key in failed if failed[key]]

    def rank(key: str) -> tuple[int, int, str]:
        first, second = (emails[key], failed[key]) if by_volume else (failed[key], emails[key])
        return (-first, -second, key)

    return tuple(Share(key, emails[key], failed[key]) for key in sorted(keys, key=rank)[:TOP])
