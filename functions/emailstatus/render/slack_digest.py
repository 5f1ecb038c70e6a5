"""The daily digest as Slack messages: the summary post, its thread reply, and the CSV rows.

Built like the slash-command answer (``render.slack``): Block Kit through ``slack_sdk.models``,
every outside string (replies, addresses) through ``mrkdwn.escape``, every message through
``render.slack.message`` so it always fits. Addresses are masked unless the operator set
``EMAILSTATUS_DIGEST_SHOW_ADDRESSES=true``. Pure: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, tzinfo

from slack_sdk.models.blocks import (
    Block,
    HeaderBlock,
    PlainTextObject,
    SectionBlock,
)

from emailstatus.command import TENCENT_DAYS
from emailstatus.digest.report import DigestReport
from emailstatus.digest.summary import DigestSummary, failure_reason
from emailstatus.digest.trends import Alert, Change, Severity, Source, arrow, percent, sparkline
from emailstatus.i18n import N_, _, format_long_day, is_english, ngettext
from emailstatus.knowledge.codes import send_status_info
from emailstatus.knowledge.records import EmailRecord
from emailstatus.privacy import mask_address, mask_reply
from emailstatus.render.mrkdwn import (
    MAX_SECTION_TEXT,
    clip,
    context,
    date_token,
    escape,
    mrkdwn,
    section,
)
from emailstatus.render.slack import STATE_EMOJI
from emailstatus.render.slack_message import Message, message
from emailstatus.verdict import STATE_TITLES, State, judge_email, record_state

#: Characters of a reason shown on one line.
REASON_CHARS = 160
CSV_HEADER = (
    "requested_at",
    "message_id",
    "to",
    "from",
    "state",
    "send_status",
    "deliver_status",
    "reason",
)
#: A CSV cell starting with one of these is a formula to a spreadsheet: neutralise it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: The day at a glance, first line of the digest.
SEVERITY_LINES: Mapping[Severity, str] = {
    Severity.NORMAL: N_(":large_green_circle: Normal day"),
    Severity.WATCH: N_(":large_orange_circle: Watch"),
    Severity.ACT_NOW: N_(":red_circle: Act now"),
}


def digest_message(report: DigestReport) -> Message:
    """The summary post: the day at a glance and the alert that matters most first, then the
    numbers, trend, reasons, domains, senders, notes."""
    summary = report.summary
    blocks: list[Block] = [
        HeaderBlock(
            text=PlainTextObject(
                text=_("Email digest for {day} ({zone})").format(
                    day=_long_date(summary.day), zone=_(TENCENT_DAYS)
                )
            )
        ),
        section(f"*{_verdict_line(report)}*"),
    ]
    for alert in report.alerts:
        blocks.append(section(_alert_text(alert)))
    if not report.complete:
        blocks.append(section(_incomplete_text(report)))
    if report.complete or report.day_totals is None:
        blocks.append(SectionBlock(fields=[mrkdwn(text) for text in _fields(report)]))
    if report.totals_disagree() and report.day_totals is not None:
        blocks.append(
            context(
                _(
                    ":information_source: Tencent's statistics count {requests:,} emails "
                    "for the day; the walk read {total:,}. The figures here are the walk's."
                ).format(requests=report.day_totals.requests, total=summary.total)
            )
        )
    if report.history:
        blocks.append(context(_sparkline_text(report.history, report.bounce_alert_rate)))
    if summary.refusals:
        blocks.append(section(_refusals_text(summary)))
    if summary.top_reasons:
        lines = [
            f"{rank}. {escape(reason.label)} — {reason.failed:,}"
            + (f" ({escape(reason.providers_text())})" if reason.providers_text() else "")
            for rank, reason in enumerate(summary.top_reasons, 1)
        ]
        blocks.append(section(_("*Top failure reasons*") + "\n" + "\n".join(lines)))
    if summary.top_domains:
        lines = [
            _("• {name} — {failed:,} of {emails:,} failed ({rate})").format(
                name=escape(share.name),
                failed=share.failed,
                emails=share.emails,
                rate=percent(share.failure_rate),
            )
            for share in summary.top_domains
        ]
        blocks.append(
            section(_("*Recipient domains with the most failures*") + "\n" + "\n".join(lines))
        )
    if summary.senders:
        lines = [
            _("• {name} — {emails:,} emails, {rate} failed").format(
                name=escape(share.name), emails=share.emails, rate=percent(share.failure_rate)
            )
            for share in summary.senders
        ]
        blocks.append(section(_("*Senders by volume*") + "\n" + "\n".join(lines)))
    notes = _notes(report)
    if notes:
        blocks.append(context(*notes))
    return message(_notification(report), blocks)


def thread_reply(
    report: DigestReport, *, show_addresses: bool, csv_attached: bool
) -> Message | None:
    """The failed emails (the newest, addresses masked by default), or None when none failed."""
    summary = report.summary
    if not summary.failed:
        return None
    shown = summary.failed_samples
    title = _("*Failed emails* — the newest {count} of {failed:,}").format(
        count=len(shown), failed=summary.failed
    )
    lines = [_failed_line(record, show_addresses) for record in shown]
    blocks: list[Block] = [section(title)]
    blocks.extend(section(chunk) for chunk in _chunks(lines, MAX_SECTION_TEXT))
    notes = [
        _(
            ":x: bounced · :wastebasket: dropped · :no_entry_sign: refused by "
            "Tencent. Times are in your time zone. Look any line up with "
            "`/emailstatus &lt;MessageId&gt;`."
        )
    ]
    if csv_attached:
        notes.append(
            _("Every failed email ({failed:,}) is in the attached CSV.").format(
                failed=summary.failed
            )
        )
    blocks.append(context(*notes))
    return message(_("Failed emails on {day}").format(day=_long_date(summary.day)), blocks)


def digest_payload_json(report: DigestReport, *, show_addresses: bool) -> str:
    """Both messages as Slack would receive them (``emailstatus digest --format blocks``)."""
    reply = thread_reply(report, show_addresses=show_addresses, csv_attached=False)
    document = {
        "message": digest_message(report).to_dict(),
        "thread": reply.to_dict() if reply else None,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def csv_row(record: EmailRecord, *, show_addresses: bool, zone: tzinfo) -> tuple[str, ...]:
    """One failed email as a CSV row (``CSV_HEADER`` order), safe to open in a spreadsheet.

    With addresses masked, the reason is the reply reader's reading in words (reason, codes,
    provider) rather than the raw reply, which often repeats the recipient's address.
    """
    requested = record.requested_at.astimezone(zone).isoformat() if record.requested_at else ""
    reason = (
        record.deliver_message
        if show_addresses
        else mask_reply(failure_reason(record), record.to_address)
    )
    cells = (
        requested,
        record.message_id,
        _address(record.to_address, show_addresses),
        record.from_address,
        record_state(record).value,
        str(record.send_status),
        str(record.deliver_status),
        reason,
    )
    return tuple(_inert_cell(cell) for cell in cells)


def csv_filename(day: date) -> str:
    return f"failed-emails-{day.isoformat()}.csv"


def _fields(report: DigestReport) -> list[str]:
    summary = report.summary
    rates = summary.rates()
    changes = {change.label: change for change in report.changes}
    states = summary.by_state
    accepted = _("{accepted:,} accepted").format(accepted=summary.accepted)
    fields = [
        _field(
            _("Emails"),
            _("{total:,} requested · {accepted} by Tencent").format(
                total=summary.total, accepted=accepted
            ),
            changes.get("Emails"),
        ),
        _field(
            _("Delivered"),
            f"{summary.delivered:,} · {percent(rates['delivery'])} of {accepted}",
            changes.get("Delivered"),
        ),
        _field(
            _("Bounce rate"),
            _("{rate} of {accepted} ({bounced:,} bounced or dropped)").format(
                rate=percent(summary.bounce_rate), accepted=accepted, bounced=summary.bounced
            ),
            changes.get("Bounce rate"),
        ),
        _field(
            _("Complaint rate"),
            f"{percent(summary.complaint_rate)} ({summary.engagement.complained:,})",
            changes.get("Complaint rate"),
        ),
        _field(_("Refused by Tencent"), f"{states[State.REFUSED]:,}"),
        _field(_("Delayed · queued"), f"{states[State.DEFERRED]:,} · {states[State.QUEUED]:,}"),
        _field(_("Opened"), f"{summary.engagement.opened:,} · {percent(rates['open'])}"),
        _field(_("Clicked"), f"{summary.engagement.clicked:,} · {percent(rates['click'])}"),
        _field(
            _("Unsubscribed"),
            f"{summary.engagement.unsubscribed:,} · {percent(rates['unsubscribe'])}",
        ),
    ]
    if states[State.UNKNOWN]:
        fields.append(_field(_("Unknown status"), f"{states[State.UNKNOWN]:,}"))
    return fields


def _field(label: str, value: str, change: Change | None = None) -> str:
    text = f"*{label}*\n{value}"
    return f"{text}\n" + _("{arrow} vs day before").format(arrow=arrow(change)) if change else text


def _incomplete_text(report: DigestReport) -> str:
    """Why the day is partial, and Tencent's own totals for it (the walked part is not the day:
    it feeds neither the alerts nor the trend)."""
    progress = report.progress
    text = _(
        ":hourglass: *Incomplete:* {why}; {records:,} emails "
        "were read, so there are no alerts or trend for this day."
    ).format(why=report.incomplete_reason(), records=progress.records)
    totals = report.day_totals
    if totals is None:
        return text + _(
            " Tencent's totals could not be read either: the figures below cover only the "
            "emails read."
        )
    bounce = percent(totals.bounced / totals.accepted) if totals.accepted else "n/a"
    delivered = percent(totals.delivered / totals.accepted) if totals.accepted else "n/a"
    return f"{text}\n" + _(
        "*Tencent's totals for the whole day:* {requests:,} requested · "
        "{accepted:,} accepted · {delivered:,} delivered ({delivered_share} of "
        "accepted) · {bounced:,} bounced ({bounce}) · {opened:,} opens · "
        "{clicked:,} clicked · {unsubscribed:,} unsubscribed"
    ).format(
        requests=totals.requests,
        accepted=totals.accepted,
        delivered=totals.delivered,
        delivered_share=delivered,
        bounced=totals.bounced,
        bounce=bounce,
        opened=totals.opened,
        clicked=totals.clicked,
        unsubscribed=totals.unsubscribed,
    )


def _verdict_line(report: DigestReport) -> str:
    line = _(SEVERITY_LINES[report.severity])
    if report.alerts:
        count = len(report.alerts)
        return ngettext(
            "{line}: {count} alert, most urgent first",
            "{line}: {count} alerts, most urgent first",
            count,
        ).format(line=line, count=count)
    if not report.complete:
        return _("{line}: the day could not be read whole").format(line=line)
    return _("{line}: nothing crossed a threshold").format(line=line)


def _alert_text(alert: Alert) -> str:
    icon = ":red_circle:" if alert.severity is Severity.ACT_NOW else ":warning:"
    text = f"{icon} *{escape(alert.message)}*"
    if alert.next_step:
        text += "\n" + _("*Who acts:* {who}. {next_step}").format(
            who=escape(_(alert.who)), next_step=escape(alert.next_step)
        )
    return text


def _sparkline_text(history: tuple[float | None, ...], alert_rate: float) -> str:
    known = [value for value in history if value is not None]
    span = f", {percent(known[0])} → {percent(known[-1])}" if len(known) > 1 else ""
    return _(
        "Bounce rate, last {count} days: {sparkline} (scale 0–{scale}, alert at {alert_rate}{span})"
    ).format(
        count=len(history),
        sparkline=sparkline(history, alert_rate),
        scale=percent(max([alert_rate, *known])),
        alert_rate=percent(alert_rate),
        span=span,
    )


def _refusals_text(summary: DigestSummary) -> str:
    lines = [
        f"• {code}: {count:,} — {escape(_without_state(send_status_info(code).headline))}"
        for code, count in sorted(summary.refusals.items(), key=lambda item: -item[1])
    ]
    return _("*Refused by Tencent* (SendStatus)") + "\n" + "\n".join(lines)


def _notes(report: DigestReport) -> list[str]:
    joined = [f":no_entry: {report.blocklist_line}"] if report.blocklist_line else []
    notes = joined + [escape(_(note)) for note in report.notes]
    previous = report.previous
    if previous is not None:
        digest = previous.source is Source.DIGEST
        source = _("our digest") if digest else _("Tencent's statistics")
        notes.append(
            _("Compared with {day} ({source}).").format(day=_long_date(previous.day), source=source)
        )
    if report.summary.approximate:
        notes.append(_("Unusually many distinct reasons or domains: their counts are approximate."))
    if report.summary.failed:
        notes.append(_("Failed emails are in the thread."))
    return notes


def _notification(report: DigestReport) -> str:
    summary = report.summary
    text = _(
        "{severity} · Email digest for {day}: {total:,} emails, "
        "{delivered} of accepted delivered, {failed:,} failed"
    ).format(
        severity=_(SEVERITY_LINES[report.severity]),
        day=_long_date(summary.day),
        total=summary.total,
        delivered=percent(summary.rates()["delivery"]),
        failed=summary.failed,
    )
    if not report.complete:
        text = _("{text} (incomplete)").format(text=text)
    if report.alerts:
        text = f"{text} — {report.alerts[0].message}"
    return text


def _failed_line(record: EmailRecord, show_addresses: bool) -> str:
    """One failed email a reader can act on: when, to whom (masked), why in plain words, and
    the MessageId to look it up with (an opaque ID, not personal data)."""
    email = judge_email(record)
    when = (
        date_token(record.requested_at, "%H:%M UTC", "{time}")
        if record.requested_at
        else _("time unknown")
    )
    reason_text = email.detail or _(STATE_TITLES[email.state])
    if not show_addresses:  # a server's words often repeat the recipient: keep it masked
        reason_text = mask_reply(reason_text, record.to_address)
    reason = escape(clip(reason_text, REASON_CHARS))
    address = escape(_address(record.to_address, show_addresses))
    return f"{STATE_EMOJI[email.state]} {when} {address}: {reason}\n`{escape(record.message_id)}`"


def _address(address: str, show: bool) -> str:
    return address if show else mask_address(address)


def _chunks(lines: list[str], limit: int) -> list[str]:
    """Lines joined into texts of at most ``limit`` characters each."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            chunks.append(current)
            candidate = line
        current = candidate
    if current:
        chunks.append(current)
    return chunks


def _inert_cell(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def _long_date(day: date) -> str:
    """ "Thu 3 Dec 2026"; in Chinese CLDR's "2026年12月3日周四"."""
    return f"{day:%a} {day.day} {day:%b %Y}" if is_english() else format_long_day(day)


def _without_state(headline: str) -> str:
    """ "Refused: the address is on a blocklist" → "the address is on a blocklist"."""
    return headline.partition(": ")[2] or headline
