"""The daily digest for a terminal: text for people, JSON for scripts.

Apart from ``terminal`` so that ``emailstatus check`` never imports the digest's code.
"""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from emailstatus.digest.report import DigestReport
from emailstatus.digest.summary import ReasonShare, failure_reason
from emailstatus.digest.trends import arrow, percent, sparkline
from emailstatus.privacy import mask_address
from emailstatus.render.terminal import iso_time
from emailstatus.verdict import State, record_state


def render_digest_text(report: DigestReport, zone: tzinfo, *, show_addresses: bool) -> str:
    """The daily digest for a terminal: the same figures, reasons and notes as the Slack post."""
    summary = report.summary
    lines = [
        f"Email digest for {summary.day.isoformat()} (Beijing time): "
        f"{report.severity.value.replace('_', ' ')}"
    ]
    for alert in report.alerts:
        lines.append(f"WARNING: {alert.message}")
        if alert.next_step:
            lines.append(f"  who acts: {alert.who}. {alert.next_step}")
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
        lines.extend(
            f"  {reason.failed:6,}  {_reason_line(reason)}" for reason in summary.top_reasons
        )
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
    if report.blocklist_line:
        lines.append(report.blocklist_line)
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
            "requested_at": iso_time(record.requested_at, zone),
            "message_id": record.message_id,
            "to": record.to_address if show_addresses else mask_address(record.to_address),
            "state": record_state(record).value,
            "reason": failure_reason(record),
        }
        for record in report.summary.failed_samples
    ]


def _reason_line(reason: ReasonShare) -> str:
    """ "The mailbox does not exist (QQ Mail 3, Microsoft 2, other 1)"."""
    providers = reason.providers_text()
    return f"{reason.label} ({providers})" if providers else reason.label
