"""The verdict for a terminal: readable text, or JSON for scripts.

Carries the same content as the Slack answer, so what a support agent sees and what an
engineer scripts against never disagree.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from emailstatus.digest import failure_reason
from emailstatus.digest_report import DigestReport
from emailstatus.errors import EmailStatusError
from emailstatus.lookup import Outcome
from emailstatus.privacy import mask_address
from emailstatus.trends import arrow, percent, sparkline
from emailstatus.verdict import EmailVerdict, State, record_state

#: How many emails the text form lists before summarising the rest.
TEXT_LIST_LIMIT = 20


def render_text(outcome: Outcome, zone: tzinfo) -> str:
    """A few lines a person can read: verdict, why, what next, then the emails."""
    verdict = outcome.verdict
    lines = [
        f"{verdict.state.value.upper()}: {verdict.headline}",
        f"  for {outcome.query.describe()}",
        f"  Why:  {verdict.explanation}",
        f"  Next: {verdict.next_step}",
    ]
    if verdict.emails:
        newest = verdict.emails[0]
        flags = newest.engagement()
        lines.append(f"  Engagement: {', '.join(flags) if flags else 'none recorded'}")
        counts = ", ".join(f"{n} {state.value}" for state, n in verdict.counts.items() if n)
        lines.append("")
        lines.append(f"{len(verdict.emails)} email(s), newest first ({counts}):")
        for email in verdict.emails[:TEXT_LIST_LIMIT]:
            lines.extend(_email_lines(email, zone))
        if len(verdict.emails) > TEXT_LIST_LIMIT:
            lines.append(
                f"  … and {len(verdict.emails) - TEXT_LIST_LIMIT} more (use --format json)"
            )
    if outcome.lookup.unsupported_dates:
        days = ", ".join(day.isoformat() for day in outcome.lookup.unsupported_dates)
        lines.append(f"Tencent no longer keeps status for: {days}")
    if outcome.lookup.request_ids:
        lines.append(f"RequestId: {outcome.lookup.request_ids[-1]}")
    return "\n".join(lines)


def render_json(outcome: Outcome, zone: tzinfo) -> str:
    """The whole outcome as JSON: every email over all pages, times ISO 8601 with offset."""
    query = outcome.query
    verdict = outcome.verdict
    document = {
        "query": {
            "target": query.target,
            "kind": query.kind.value,
            "dates": [day.isoformat() for day in query.dates],
        },
        "verdict": {
            "state": verdict.state.value,
            "headline": verdict.headline,
            "explanation": verdict.explanation,
            "next_step": verdict.next_step,
            "counts": {state.value: n for state, n in verdict.counts.items()},
        },
        "emails": [_email_json(email, zone) for email in verdict.emails],
        "request_ids": list(outcome.lookup.request_ids),
        "unsupported_dates": [day.isoformat() for day in outcome.lookup.unsupported_dates],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def render_error(error: EmailStatusError) -> str:
    """What went wrong, who must act and, for Tencent errors, the RequestId."""
    lines = [f"error: {error.explanation}"]
    if error.next_step:
        lines.append(f"next step ({error.actor.value}): {error.next_step}")
    code = getattr(error, "code", None)
    if code:
        lines.append(f"code: {code}")
    request_id = getattr(error, "request_id", None)
    if request_id:
        lines.append(f"RequestId: {request_id}")
    return "\n".join(lines)


def _email_lines(email: EmailVerdict, zone: tzinfo) -> list[str]:
    record = email.record
    lines = [
        f"  {_local(record.requested_at, zone) or 'unknown time':25} {email.state.value:9} "
        f"{record.from_address} → {record.to_address}",
        f"      {email.headline}  [{record.message_id}]",
    ]
    if record.deliver_message:
        lines.append(f"      reply: {record.deliver_message[:200]}")
    return lines


def _email_json(email: EmailVerdict, zone: tzinfo) -> dict[str, Any]:
    record = email.record
    return {
        "message_id": record.message_id,
        "to": record.to_address,
        "from": record.from_address,
        "state": email.state.value,
        "send_status": record.send_status,
        "deliver_status": record.deliver_status,
        "deliver_message": record.deliver_message,
        "requested_at": _iso(record.requested_at, zone),
        "delivered_at": _iso(record.delivered_at, zone),
        "opened": record.opened,
        "clicked": record.clicked,
        "unsubscribed": record.unsubscribed,
        "complained": record.complained,
        "headline": email.headline,
        "explanation": email.explanation,
        "next_step": email.next_step,
    }


def _iso(moment: datetime | None, zone: tzinfo) -> str | None:
    return moment.astimezone(zone).isoformat() if moment else None


def _local(moment: datetime | None, zone: tzinfo) -> str | None:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %z") if moment else None


def render_digest_text(report: DigestReport, zone: tzinfo, *, show_addresses: bool) -> str:
    """The daily digest for a terminal: the same figures, reasons and notes as the Slack post."""
    summary = report.summary
    lines = [f"Email digest for {summary.day.isoformat()}"]
    lines.extend(f"WARNING: {alert.message}" for alert in report.alerts)
    if not report.complete:
        lines.append(
            f"INCOMPLETE: {report.incomplete_reason()}; these figures cover the first "
            f"{report.progress.records:,} emails only."
        )
        totals = report.day_totals
        if totals is not None:
            lines.append(
                f"  Tencent's totals for the whole day: {totals.requests:,} emails, "
                f"{totals.accepted:,} accepted, {totals.delivered:,} delivered, "
                f"{totals.bounced:,} bounced"
            )
    lines.extend(_digest_figures(report))
    if report.history:
        lines.append(f"  Bounce rate, last {len(report.history)} days: {sparkline(report.history)}")
    if summary.refusals:
        codes = ", ".join(f"{code} ×{count:,}" for code, count in summary.refusals.items())
        lines.append(f"Refused by Tencent (SendStatus): {codes}")
    if summary.top_reasons:
        lines.append("Top failure reasons:")
        lines.extend(f"  {reason.failed:6,}  {reason.name}" for reason in summary.top_reasons)
    if summary.top_domains:
        lines.append("Recipient domains with the most failures:")
        lines.extend(
            f"  {share.name}: {share.failed:,} of {share.emails:,} failed "
            f"({percent(share.failure_rate)})"
            for share in summary.top_domains
        )
    if summary.senders:
        lines.append("Senders by volume:")
        lines.extend(
            f"  {share.name}: {share.emails:,} emails, {percent(share.failure_rate)} failed"
            for share in summary.senders
        )
    if summary.failed_samples:
        lines.append(f"Newest failed emails ({len(summary.failed_samples)} of {summary.failed:,}):")
        lines.extend(
            f"  {sample['requested_at'] or 'unknown time'}  {sample['to']}  {sample['reason']}"
            for sample in _failed_samples(report, zone, show_addresses)
        )
    lines.extend(f"Note: {note}" for note in report.notes)
    lines.append(
        f"Read {report.progress.pages:,} pages ({report.progress.records:,} emails) "
        f"in {report.progress.seconds:.1f} s."
    )
    return "\n".join(lines)


def render_digest_json(report: DigestReport, zone: tzinfo, *, show_addresses: bool) -> str:
    """The digest as JSON: every count exact, plus the newest failed emails (masked by default)."""
    document = report.as_dict()
    document["failed_samples"] = _failed_samples(report, zone, show_addresses)
    return json.dumps(document, ensure_ascii=False, indent=2)


def _digest_figures(report: DigestReport) -> list[str]:
    summary = report.summary
    states = summary.by_state
    engagement = summary.engagement
    rates = summary.rates()
    changes = {change.label: f"  {arrow(change)} vs day before" for change in report.changes}
    rows = [
        ("Emails", f"{summary.total:,}"),
        ("Delivered", f"{summary.delivered:,}  {percent(rates['delivery'])}"),
        (
            "Bounce rate",
            f"{percent(summary.bounce_rate)}  ({summary.bounced:,} bounced or dropped)",
        ),
        ("Complaint rate", f"{percent(summary.complaint_rate)}  ({engagement.complained:,})"),
        ("Refused", f"{states[State.REFUSED]:,}"),
        ("Deferred", f"{states[State.DEFERRED]:,}"),
        ("Queued", f"{states[State.QUEUED]:,}"),
        ("Unknown", f"{states[State.UNKNOWN]:,}"),
        ("Opened", f"{engagement.opened:,}  {percent(rates['open'])}"),
        ("Clicked", f"{engagement.clicked:,}  {percent(rates['click'])}"),
        ("Unsubscribed", f"{engagement.unsubscribed:,}  {percent(rates['unsubscribe'])}"),
    ]
    return [f"  {label:15} {value}{changes.get(label, '')}" for label, value in rows]


def _failed_samples(
    report: DigestReport, zone: tzinfo, show_addresses: bool
) -> list[dict[str, Any]]:
    return [
        {
            "requested_at": _iso(record.requested_at, zone),
            "message_id": record.message_id,
            "to": record.to_address if show_addresses else mask_address(record.to_address),
            "state": record_state(record).value,
            "reason": failure_reason(record),
        }
        for record in report.summary.failed_samples
    ]
