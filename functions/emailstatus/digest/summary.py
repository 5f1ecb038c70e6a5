"""A day of emails folded into one ``DigestSummary``, in constant memory.

The walk hands over pages as they arrive; ``DigestBuilder.add`` counts each email and keeps
nothing that grows with the day: counters per state and per SendStatus code, bounded tallies of
failure reasons, recipient domains and senders, and the newest ``SAMPLE_SIZE`` failed emails.
Pure code (no I/O), so the CLI, the Lambda and the tests all count the same way.

Example::

    builder = DigestBuilder(day)
    for page in client.iter_day(day, rate=16):
        builder.add_all(page.records)
    summary = builder.summary()
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from emailstatus.i18n import N_, _
from emailstatus.knowledge.codes import send_status_info
from emailstatus.knowledge.reasons import reason_headline
from emailstatus.knowledge.records import EmailRecord
from emailstatus.knowledge.replies import UNDEFINED, read_reply
from emailstatus.verdict import State, record_state

#: The states that count as failed: the email did not and will not arrive. Deferred and queued
#: emails may still arrive (Tencent keeps trying for up to 72 hours), so they are not failures.
FAILED_STATES = frozenset({State.BOUNCED, State.DROPPED, State.REFUSED})
#: The states Tencent's statistics count as bounces (``BounceCount``): rejected or discarded
#: after Tencent accepted the email. Used for the bounce rate, so it compares with theirs.
BOUNCE_STATES = frozenset({State.BOUNCED, State.DROPPED})
#: Every state one email can be in (``NOT_FOUND`` belongs to lookups, not emails).
EMAIL_STATES = tuple(state for state in State if state is not State.NOT_FOUND)
#: How many reasons, domains and senders the summary lists.
TOP = 5
#: How many failed emails (the newest) are kept for the thread reply.
SAMPLE_SIZE = 20
#: Distinct keys a tally keeps exactly. Recipient domains and senders are few in practice; if
#: more ever appear, a tally holds at most twice this many keys and prunes back to the
#: highest-ranked ones, and the summary is marked ``approximate``.
TALLY_KEYS = 1000
#: Providers named on a reason's line; the rest (and replies naming none) are "other".
REASON_PROVIDERS = 3
OTHER_PROVIDERS = N_("other")  # a key in the counters: translated only where shown


@dataclass(frozen=True, slots=True)
class Share:
    """A key (reason, domain or sender) with its emails and failures among them."""

    name: str
    emails: int
    failed: int

    @property
    def failure_rate(self) -> float:
        """Failed over emails (0 when there were none)."""
        return self.failed / self.emails if self.emails else 0.0


@dataclass(frozen=True, slots=True)
class ReasonShare:
    """Why emails bounced or were dropped (the reply reader's reason), how many, and the
    providers whose replies said so, most first, the rest summed as "other"."""

    reason: str
    failed: int
    providers: tuple[tuple[str, int], ...]

    @property
    def label(self) -> str:
        """The reason in words, as a sentence start: "The mailbox does not exist"."""
        return reason_headline(self.reason)

    def providers_text(self) -> str:
        """ "QQ Mail 3, Microsoft 2, other 1" (empty when no reply named a provider)."""
        if self.providers == ((OTHER_PROVIDERS, self.failed),):
            return ""
        return _(", ").join(f"{_(name)} {count:,}" for name, count in self.providers)


@dataclass(frozen=True, slots=True)
class Engagement:
    """Emails with each user action recorded."""

    opened: int = 0
    clicked: int = 0
    unsubscribed: int = 0
    complained: int = 0


@dataclass(frozen=True, slots=True)
class DigestSummary:
    """What one day's sending came to. Counts are exact unless ``approximate`` is set."""

    day: date
    total: int
    by_state: Mapping[State, int]
    refusals: Mapping[int, int]
    engagement: Engagement
    #: Why emails bounced or were dropped, most first (Tencent's refusals are ``refusals``).
    top_reasons: tuple[ReasonShare, ...]
    top_domains: tuple[Share, ...]
    senders: tuple[Share, ...]
    #: The newest failed emails, newest first.
    failed_samples: tuple[EmailRecord, ...]
    approximate: bool = False
    #: Emails whose RequestTime or DeliverTime was out of range (counted, time unknown).
    unknown_times: int = 0

    @property
    def accepted(self) -> int:
        """Emails Tencent accepted for sending (SendStatus 0)."""
        return self.total - self.by_state[State.REFUSED]

    @property
    def delivered(self) -> int:
        return self.by_state[State.DELIVERED]

    @property
    def failed(self) -> int:
        return sum(self.by_state[state] for state in FAILED_STATES)

    @property
    def bounced(self) -> int:
        """Bounced or dropped after acceptance: Tencent's ``BounceCount``."""
        return sum(self.by_state[state] for state in BOUNCE_STATES)

    @property
    def bounce_rate(self) -> float | None:
        """Bounces over accepted emails, as Tencent computes it; None with nothing accepted."""
        return _ratio(self.bounced, self.accepted)

    @property
    def complaint_rate(self) -> float | None:
        """Complaints over delivered emails; None with nothing delivered."""
        return _ratio(self.engagement.complained, self.delivered)

    def rates(self) -> dict[str, float | None]:
        """Every rate the digest shows; engagement rates are over delivered emails."""
        delivered = self.delivered
        return {
            "delivery": _ratio(delivered, self.accepted),
            "bounce": self.bounce_rate,
            "complaint": self.complaint_rate,
            "open": _ratio(self.engagement.opened, delivered),
            "click": _ratio(self.engagement.clicked, delivered),
            "unsubscribe": _ratio(self.engagement.unsubscribed, delivered),
            "failure": _ratio(self.failed, self.total),
        }

    def as_dict(self) -> dict[str, Any]:
        """The summary as JSON values (no addresses: the failed samples are left out)."""
        return {
            "date": self.day.isoformat(),
            "total": self.total,
            "accepted": self.accepted,
            "failed": self.failed,
            "by_state": {state.value: n for state, n in self.by_state.items()},
            "refusals": {str(code): n for code, n in sorted(self.refusals.items())},
            "engagement": {
                "opened": self.engagement.opened,
                "clicked": self.engagement.clicked,
                "unsubscribed": self.engagement.unsubscribed,
                "complained": self.engagement.complained,
            },
            "rates": self.rates(),
            "top_reasons": [
                {
                    "reason": r.reason,
                    "label": r.label,
                    "count": r.failed,
                    "providers": dict(r.providers),
                }
                for r in self.top_reasons
            ],
            "top_domains": [_share_json("domain", share) for share in self.top_domains],
            "senders": [_share_json("sender", share) for share in self.senders],
            "approximate": self.approximate,
            "unknown_times": self.unknown_times,
        }


class DigestBuilder:
    """The fold: ``add`` every email of a day, then read ``summary()``. Not thread-safe."""

    def __init__(self, day: date) -> None:
        self.day = day
        self._states: Counter[State] = Counter()
        self._refusals: Counter[int] = Counter()
        self._engagement: Counter[str] = Counter()
        #: Reply reader's reason → provider → emails. Reasons and providers are fixed
        #: vocabularies, so this stays small whatever the day brings.
        self._reasons: dict[str, Counter[str]] = {}
        self._domains = _Tally()
        self._senders = _Tally(by_volume=True)
        self._samples: list[tuple[float, int, EmailRecord]] = []
        self._sequence = itertools.count()
        self._unknown_times = 0

    def add(self, record: EmailRecord) -> None:
        """Count one email."""
        state = record_state(record)
        failed = state in FAILED_STATES
        self._states[state] += 1
        self._unknown_times += record.unreadable_time
        if state is State.REFUSED:
            self._refusals[record.send_status] += 1
        for flag, engaged in record.engagement.items():
            if engaged:
                self._engagement[flag] += 1
        self._domains.add(_domain(record.to_address), failed=failed)
        self._senders.add(record.from_address.lower() or "(unknown)", failed=failed)
        if state in BOUNCE_STATES:
            reading = read_reply(record.deliver_message, final=True)
            reason = reading.reason if reading else UNDEFINED
            provider = (reading.provider if reading else None) or OTHER_PROVIDERS
            self._reasons.setdefault(reason, Counter())[provider] += 1
        if failed:
            entry = (record.sort_key, next(self._sequence), record)
            if len(self._samples) < SAMPLE_SIZE:
                heapq.heappush(self._samples, entry)
            else:
                heapq.heappushpop(self._samples, entry)

    def add_all(self, records: Iterable[EmailRecord]) -> None:
        """Count several emails (one page)."""
        for record in records:
            self.add(record)

    def summary(self) -> DigestSummary:
        """What was added so far."""
        tallies = (self._domains, self._senders)
        return DigestSummary(
            day=self.day,
            total=sum(self._states.values()),
            by_state={state: self._states[state] for state in EMAIL_STATES},
            refusals=dict(sorted(self._refusals.items())),
            engagement=Engagement(**self._engagement),
            top_reasons=_top_reasons(self._reasons),
            top_domains=self._domains.top(TOP),
            senders=self._senders.top(TOP),
            failed_samples=tuple(entry[2] for entry in sorted(self._samples, reverse=True)),
            approximate=any(tally.pruned for tally in tallies),
            unknown_times=self._unknown_times,
        )


def summarize(day: date, records: Iterable[EmailRecord]) -> DigestSummary:
    """Fold ``records`` (any iterable, consumed once) into the summary of ``day``."""
    builder = DigestBuilder(day)
    builder.add_all(records)
    return builder.summary()


def failure_reason(record: EmailRecord) -> str:
    """Why one email failed, in words, without the reply's own text (which often repeats the
    recipient's address): the reader's headline with the codes and provider; or Tencent's
    refusal (SendStatus)."""
    if record_state(record) is State.REFUSED:
        return f"SendStatus {record.send_status}: {send_status_info(record.send_status).headline}"
    reading = read_reply(record.deliver_message, final=True)
    if reading is None:
        return "No reply text"
    details = ", ".join(part for part in (reading.codes, reading.provider) if part)
    return f"{reading.headline} ({details})" if details else reading.headline


class _Tally:
    """Emails and failures per key, in bounded memory (see ``TALLY_KEYS``)."""

    def __init__(self, *, by_volume: bool = False) -> None:
        self._counts: dict[str, list[int]] = {}
        #: Rank keys by emails (senders) or by failures, then emails (reasons, domains).
        self._by_volume = by_volume
        self.pruned = False

    def add(self, key: str, *, failed: bool) -> None:
        counts = self._counts.get(key)
        if counts is None:
            if len(self._counts) >= 2 * TALLY_KEYS:
                self._prune()
            counts = self._counts[key] = [0, 0]
        counts[0] += 1
        counts[1] += failed

    def top(self, n: int) -> tuple[Share, ...]:
        """The ``n`` highest-ranked keys; ranked by failures, only keys with a failure count."""
        items = self._counts.items()
        if not self._by_volume:
            items = {key: counts for key, counts in items if counts[1]}.items()
        ranked = sorted(items, key=lambda item: (self._rank(item[1]), item[0]))
        return tuple(Share(key, emails, failed) for key, (emails, failed) in ranked[:n])

    def _rank(self, counts: list[int]) -> tuple[int, int]:
        emails, failed = counts
        return (-emails, -failed) if self._by_volume else (-failed, -emails)

    def _prune(self) -> None:
        kept = sorted(self._counts.items(), key=lambda item: self._rank(item[1]))[:TALLY_KEYS]
        self._counts = dict(kept)
        self.pruned = True


def _top_reasons(reasons: Mapping[str, Counter[str]]) -> tuple[ReasonShare, ...]:
    """The ``TOP`` reasons by emails, each with its ``REASON_PROVIDERS`` biggest providers."""
    ranked = sorted(reasons.items(), key=lambda item: (-item[1].total(), item[0]))[:TOP]
    return tuple(_reason_share(reason, providers) for reason, providers in ranked)


def _reason_share(reason: str, providers: Counter[str]) -> ReasonShare:
    named = sorted(
        ((name, n) for name, n in providers.items() if name != OTHER_PROVIDERS),
        key=lambda item: (-item[1], item[0]),
    )
    shown = named[:REASON_PROVIDERS]
    other = providers.total() - sum(n for _, n in shown)
    if other:
        shown.append((OTHER_PROVIDERS, other))
    return ReasonShare(reason, providers.total(), tuple(shown))


def _domain(address: str) -> str:
    local, at, domain = address.rpartition("@")
    return domain.lower() if at and local and domain else "(no domain)"


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _share_json(kind: str, share: Share) -> dict[str, Any]:
    return {
        kind: share.name,
        "emails": share.emails,
        "failed": share.failed,
        "failure_rate": share.failure_rate,
    }
