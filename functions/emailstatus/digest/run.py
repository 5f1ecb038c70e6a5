"""The daily digest, start to finish: claim → walk → summarise → post → mark done.

Claims come first, so a duplicate or concurrent invocation stops before spending any of the
account's shared API budget; the day is walked once for every channel claimed; each channel is
marked done as soon as its summary is posted, so a failure in the thread reply or the CSV never
leads to a second summary. A channel whose post failed is released for the retry, and the run
raises so the invocation counts as failed and is retried.

Example::

    run = run_digest(get_settings(), day=date(2026, 11, 28), deadline=time.monotonic() + 600)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from emailstatus.config import Settings
from emailstatus.digest.report import EVENTS_SOURCE, WALK_SOURCE, DigestReport
from emailstatus.digest.summary import DigestBuilder, DigestSummary
from emailstatus.digest.trends import HISTORY_DAYS, DayFigures, alerts, bounce_history, compare
from emailstatus.errors import (
    ConfigError,
    DeadlineError,
    DigestPostError,
    EmailStatusError,
    SesError,
)
from emailstatus.i18n import ContextExecutor, _, ngettext, use_locale
from emailstatus.knowledge.statistics import DailyVolume
from emailstatus.results import REPEATING, WalkProgress
from emailstatus.tencent.client import SesClient

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from emailstatus.digest.post import FailedSheet
    from emailstatus.digest.store import Claim, DigestStore

log = logging.getLogger(__name__)

#: Seconds GetStatisticsReport may take, retries included: it only enriches the digest.
STATISTICS_SECONDS = 10.0
NO_TABLE_NOTE = (
    "No EMAILSTATUS_TABLE configured: no guard against posting twice, "
    "and no stored history for the comparison and the sparkline."
)


class ChannelStatus(StrEnum):
    """What happened for one channel."""

    POSTED = "posted"
    ALREADY_POSTED = "already_posted"
    BUSY = "busy"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ChannelResult:
    channel: str
    outcome: ChannelStatus
    ts: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class DigestRun:
    """One invocation: the report (None when no channel needed one) and each channel's fate."""

    day: date
    report: DigestReport | None
    channels: tuple[ChannelResult, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "complete": self.report.complete if self.report else None,
            "channels": [
                {"channel": r.channel, "outcome": r.outcome.value, "ts": r.ts, "error": r.error}
                for r in self.channels
            ],
        }


def default_day(settings: Settings, now: datetime | None = None) -> date:
    """Yesterday's date in the configured zone, which the digest reads as a Beijing-time day:
    Tencent's lists and statistics are per Beijing date, so a digest cannot follow each
    reader's zone (it says "Beijing time")."""
    moment = now or datetime.now(settings.zone)
    return moment.astimezone(settings.zone).date() - timedelta(days=1)


def run_digest(
    settings: Settings,
    *,
    day: date | None = None,
    channels: Sequence[str] | None = None,
    deadline: float | None = None,
    client: SesClient | None = None,
    store: DigestStore | None = None,
    slack: WebClient | None = None,
) -> DigestRun:
    """Post the digest of ``day`` (default: yesterday) to each channel that still needs it.

    ``deadline`` (a ``time.monotonic()`` value) is when the walk must stop; raises
    ``DigestPostError`` after trying every channel if any could not be posted to.
    """
    day = day or default_day(settings)
    targets = tuple(dict.fromkeys(channels or settings.digest_channels))
    if not targets:
        raise ConfigError(
            "No channel to post the digest to.",
            next_step="Set EMAILSTATUS_DIGEST_CHANNEL (channel IDs, comma-separated).",
        )
    if store is None and settings.table_name:
        from emailstatus.digest.store import DigestStore

        store = DigestStore(settings.table_name)
    from emailstatus.digest import post as digest_post

    slack = slack or digest_post.slack_client(settings)
    results: dict[str, ChannelResult] = {}
    mine: list[Claim | str] = []  # a Claim with a table, the bare channel without one
    for channel in targets:
        claim = store.claim(channel, day) if store else None
        if claim is None:
            mine.append(channel)
        elif not claim.mine:
            outcome = ChannelStatus.ALREADY_POSTED if claim.posted else ChannelStatus.BUSY
            results[channel] = ChannelResult(channel, outcome, ts=claim.ts)
        else:
            finished = _finish_earlier_post(slack, claim, store) if store else None
            if finished is None:
                mine.append(claim)
            else:
                results[channel] = finished
    report: DigestReport | None = None
    if mine:  # in the channel's language (docs/i18n.md): the alerts, notes and both posts
        language = use_locale(settings.digest_locale or settings.locale)
        with language, digest_post.failed_sheet(settings) as sheet:
            try:
                report = build_report(
                    client or SesClient(settings),
                    settings,
                    day,
                    deadline=deadline,
                    store=store,
                    sheet=sheet,
                )
            except BaseException as error:  # nothing is posted yet: a retry may start afresh
                for holder in mine:
                    if store and not isinstance(holder, str):
                        _release(store, holder, error)
                raise
            for holder in mine:
                result = _post(slack, holder, report, settings=settings, store=store, sheet=sheet)
                results[result.channel] = result
    run = DigestRun(day, report, tuple(results[channel] for channel in targets))
    failed = [result for result in run.channels if result.outcome is ChannelStatus.FAILED]
    if failed:
        raise DigestPostError(
            f"The digest could not be posted to {', '.join(r.channel for r in failed)} "
            f"({failed[0].error}).",
            code=str(failed[0].error),
        )
    return run


def build_report(
    client: SesClient,
    settings: Settings,
    day: date,
    *,
    deadline: float | None = None,
    store: DigestStore | None = None,
    sheet: FailedSheet | None = None,
) -> DigestReport:
    """Walk the day into a summary and put it in context (statistics, history, alerts).

    Tencent's statistics are asked for alongside the walk (one request, off the walk's
    critical path) and with their own time limit, so a walk that runs up to its deadline cannot
    squeeze them out: an incomplete digest needs the day's totals most.
    """
    notes: list[str] = []
    with ContextExecutor(2, thread_name_prefix="ses-statistics") as background:
        asked = background.submit(_statistics, client, day)
        joined = background.submit(_blocklisted, client, day)
        counted, counters_note = _from_counters(settings, day, asked)
        if counted is None:
            builder = DigestBuilder(day)
            walk = client.iter_day(day, rate=settings.digest_rate, deadline=deadline)
            for page in walk:
                builder.add_all(page.records)
                if sheet is not None:
                    sheet.add_all(page.records)
            summary, progress = builder.summary(), walk.progress
        else:
            summary, progress = counted
        volumes, note = asked.result()
        blocklisted, blocklist_note = joined.result()
    notes.extend(text for text in (note, blocklist_note, counters_note) if text)
    complete = progress.complete
    notes.extend(_walk_notes(progress, summary))
    figures = DayFigures.from_summary(summary)
    before = day - timedelta(days=1)
    stored: dict[date, DayFigures] = {}
    if store is None:
        log.warning(NO_TABLE_NOTE)  # for the operator: the channel cannot act on it
    else:
        stored = _history(store, day, figures if complete else None, notes)
    previous = stored.get(before)
    if previous is None and before in volumes:
        previous = DayFigures.from_volume(volumes[before])
    return DigestReport(
        summary=summary,
        progress=progress,
        day_totals=volumes.get(day),
        previous=previous,
        changes=compare(figures, previous) if previous and complete else (),
        # A partial day would raise (or hide) alarms and dent the trend: whole days only.
        alerts=alerts(summary, settings.thresholds) if complete else (),
        history=bounce_history({**stored, day: figures} if complete else stored, day)
        if stored
        else (),
        notes=tuple(notes),
        bounce_alert_rate=settings.alert_bounce_rate,
        blocklisted=blocklisted,
        source=EVENTS_SOURCE if counted is not None else WALK_SOURCE,
    )


def _from_counters(
    settings: Settings, day: date, statistics: Future[tuple[dict[date, DailyVolume], str]]
) -> tuple[tuple[DigestSummary, WalkProgress] | None, str]:
    """The day from the events' counters when they are there and agree with Tencent's
    statistics, and a note for the reader; None: walk the day (a few reads whatever the volume,
    against one request per 100 emails)."""
    from emailstatus.digest.counters import disagreement, summary_from_counters
    from emailstatus.events.backend import store_for_lookups

    started = time.monotonic()
    try:
        events = store_for_lookups(settings)
        counters = events.day_counters(day) if events is not None else {}
    except EmailStatusError as error:
        log.warning("The events' day counters could not be read", extra={"error": str(error)})
        return None, _("The event callbacks' counters could not be read: the day was walked.")
    if not counters:
        return None, ""  # no callbacks that day (or none set up): the walk is the only way
    volume = statistics.result()[0].get(day)
    if volume is not None and (differs := disagreement(counters, volume)):
        return None, differs
    summary = summary_from_counters(day, counters, volume)
    progress = WalkProgress(
        records=summary.total, complete=True, seconds=time.monotonic() - started
    )
    if volume is None:
        return (summary, progress), (
            _(
                "Counted from Tencent's event callbacks, unchecked (Tencent's "
                "statistics could not be read): emails Tencent refused or has not "
                "delivered yet are not counted."
            )
        )
    return (summary, progress), (
        _(
            "Counted from Tencent's event callbacks, checked against Tencent's "
            "statistics (refused and waiting emails from the statistics); no list "
            "of failed emails."
        )
    )


def _finish_earlier_post(
    slack: WebClient, claim: Claim, store: DigestStore
) -> ChannelResult | None:
    """Take over what an expired run left: its result when the summary is already in Slack,
    None when this run must post it.

    ``posted``: the ts is on record. ``posting``: the earlier run may or may not have got the
    summary into Slack, so the channel is searched for it; when the search itself fails, this
    run refuses to guess (``DigestPostError``, retried later and alarmed).
    """
    from emailstatus.digest.post import find_posted
    from emailstatus.digest.store import RunStatus

    ts = claim.ts if claim.left is RunStatus.POSTED else None
    if claim.left is RunStatus.POSTING:
        ts = find_posted(slack, claim.channel, claim.day, claim.posting_since or 0.0)
    if ts is None:
        return None
    store.mark_done(claim, ts)
    log.warning(
        "The digest was already in Slack from an earlier run: marked done without posting "
        "(its thread reply may be missing)",
        extra={"channel": claim.channel, "ts": ts},
    )
    return ChannelResult(claim.channel, ChannelStatus.ALREADY_POSTED, ts=ts)


def _post(
    slack: WebClient,
    holder: Claim | str,
    report: DigestReport,
    *,
    settings: Settings,
    store: DigestStore | None,
    sheet: FailedSheet | None,
) -> ChannelResult:
    """The summary between two fenced records (posting, posted), then the thread reply and
    the CSV (best effort), then done.

    Slack refusing the summary releases the claim for the retry; a timeout or a lost
    connection keeps it at ``posting``, so whoever comes next checks the channel first.
    """
    from emailstatus.digest.post import post_summary, post_thread
    from emailstatus.errors import DigestPostError, FencedOutError

    claim = None if isinstance(holder, str) else holder
    channel = holder if isinstance(holder, str) else holder.channel
    if store and claim:
        try:
            store.posting(claim)
        except FencedOutError:
            return ChannelResult(channel, ChannelStatus.BUSY)
    try:
        posted = post_summary(slack, channel, report)
    except DigestPostError as error:
        log.error("Posting the digest failed", extra={"channel": channel, "error": error.code})
        if store and claim and error.refused:
            _release(store, claim, error)
        return ChannelResult(channel, ChannelStatus.FAILED, error=error.code)
    if store and claim:
        store.posted(claim, posted.ts)
    problem = post_thread(
        slack, posted, report, show_addresses=settings.digest_show_addresses, sheet=sheet
    )
    if store and claim:
        store.mark_done(claim, posted.ts)
    return ChannelResult(channel, ChannelStatus.POSTED, ts=posted.ts, error=problem)


def _release(store: DigestStore, claim: Claim, error: BaseException) -> None:
    """Give a claim back so a retry can post; a failure to do so is logged (the lease expires)."""
    try:
        store.release(claim)
    except EmailStatusError as failure:
        log.error(
            "Releasing a digest claim failed",
            extra={"error": failure.explanation, "after": type(error).__name__},
        )


def _walk_notes(progress: WalkProgress, summary: DigestSummary) -> list[str]:
    """What the reader should know about the data itself."""
    notes = []
    if progress.stopped_by == REPEATING:
        notes.append(
            _(
                "Tencent kept sending pages already read (it ignored the offset): the "
                "walk stopped there rather than count them again."
            )
        )
    if progress.duplicates:
        notes.append(
            ngettext(
                "{count:,} email listed twice by Tencent was counted once.",
                "{count:,} emails listed twice by Tencent were counted once.",
                progress.duplicates,
            ).format(count=progress.duplicates)
        )
    if summary.unknown_times:
        notes.append(
            ngettext(
                "{count:,} email carried a time Tencent reported out of range: counted, its "
                "time shown as unknown.",
                "{count:,} emails carried a time Tencent reported out of range: counted, their "
                "time shown as unknown.",
                summary.unknown_times,
            ).format(count=summary.unknown_times)
        )
    return notes


def _history(
    store: DigestStore, day: date, figures: DayFigures | None, notes: list[str]
) -> dict[date, DayFigures]:
    """The stored figures of the days before ``day``; saves ``figures`` (the day's, if whole)."""
    before = day - timedelta(days=1)
    try:
        stored = store.load_figures(before - timedelta(days=n) for n in range(HISTORY_DAYS - 1))
        if figures is not None:
            store.save_figures(figures)
    except EmailStatusError as error:
        log.warning("Digest history unavailable", extra={"error": error.explanation})
        notes.append(_("The stored history could not be read or saved: no trend shown."))
        return {}
    return stored


def _statistics(client: SesClient, day: date) -> tuple[dict[date, DailyVolume], str]:
    """Tencent's totals for the day and the day before, or a note why there are none.

    An enrichment, so never fatal.
    """
    try:
        start = day - timedelta(days=1)
        return client.statistics(start, day, deadline=time.monotonic() + STATISTICS_SECONDS), ""
    except SesError as error:
        log.warning("GetStatisticsReport failed", extra={"code": error.code})
        return {}, _("Tencent's statistics could not be read ({code}).").format(code=error.code)
    except DeadlineError:
        return {}, _("Tencent's statistics could not be read in time.")


def _blocklisted(client: SesClient, day: date) -> tuple[int | None, str]:
    """How many addresses joined Tencent's blocklist on ``day``, or a note why unknown.

    An enrichment, so never fatal.
    """
    try:
        return client.blocklist_joined(day, deadline=time.monotonic() + STATISTICS_SECONDS), ""
    except SesError as error:
        log.warning("ListBlackEmailAddress failed", extra={"code": error.code})
        return None, _("Tencent's blocklist could not be read ({code}).").format(code=error.code)
    except DeadlineError:
        return None, _("Tencent's blocklist could not be read in time.")
