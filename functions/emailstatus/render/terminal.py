"""The verdict for a terminal: readable text, or JSON for scripts.

Carries the same content as the Slack answer, so what a support agent sees and what an
engineer scripts against never disagree.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from emailstatus.command import TargetKind
from emailstatus.days import zone_name
from emailstatus.errors import EmailStatusError
from emailstatus.events.status import EVENTS_UNREADABLE, events_only_note
from emailstatus.events.timeline import subject_of, timeline_json, timeline_text
from emailstatus.render.blocklist import failed_line, local_time, status_json, wording
from emailstatus.results import Outcome, cut_short_note, days_note
from emailstatus.verdict import STATE_TITLES, EmailVerdict

if TYPE_CHECKING:
    from emailstatus.events.status import Disagreement

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
    lines.extend(_blocklist_lines(outcome, zone))
    if outcome.from_events:
        by_subject = outcome.query.kind is TargetKind.SUBJECT
        note = events_only_note(outcome.lookup.unsupported_dates, by_subject=by_subject)
        lines.append(f"  Source: {note}")
    if outcome.events_note:
        lines.append(f"  Search: {outcome.events_note}")
    if verdict.emails:
        newest = verdict.emails[0]
        lines.append(f"  Engagement: {newest.engagement_sentence()}")
        counts = ", ".join(
            f"{n} {STATE_TITLES[state].lower()}" for state, n in verdict.counts.items() if n
        )
        count = len(verdict.emails)
        lines.append("")
        lines.append(f"{count} {'email' if count == 1 else 'emails'}, newest first ({counts}):")
        for email in verdict.emails[:TEXT_LIST_LIMIT]:
            lines.extend(_email_lines(email, zone))
            events = outcome.events.get(email.record.message_id, ())
            if events:
                subject, template = subject_of(events)
                if subject:
                    lines.append(
                        f"    subject: {subject}" + (f" (template {template})" if template else "")
                    )
                lines.append(f"    events: {timeline_text(events, zone)}")
            differs = outcome.disagreement(email)
            if differs is not None:
                lines.append(f"    ⚠ {_disagreement_text(differs, zone)}")
        if len(verdict.emails) > TEXT_LIST_LIMIT:
            lines.append(
                f"  … and {len(verdict.emails) - TEXT_LIST_LIMIT} more (use --format json)"
            )
    if outcome.events_error is not None:
        lines.append(f"{EVENTS_UNREADABLE}: {outcome.events_error.explanation}")
    if outcome.events_only and not outcome.from_events:
        count = len(outcome.events_only)
        lines.append("")
        lines.append(
            f"{count} {'email' if count == 1 else 'emails'} known only from Tencent's event "
            "callbacks (Tencent's status API no longer has or never had them):"
        )
        for message_id, events in outcome.events_only.items():
            subject, _ = subject_of(events)
            lines.append(f"  {message_id}  {events[0].recipient}  {subject}".rstrip())
            lines.append(f"    {timeline_text(events, zone)}")
    if outcome.lookup.unsupported_dates and not outcome.from_events:
        days = ", ".join(day.isoformat() for day in outcome.lookup.unsupported_dates)
        lines.append(f"Tencent no longer keeps status for: {days}")
    lines.extend(said for said in (days_note(outcome), cut_short_note(outcome)) if said)
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
            "zone": zone_name(query.zone),
            "request_dates": [day.isoformat() for day in query.request_dates],
            "subject": query.filters.subject,
            "template_id": query.filters.template_id,
        },
        "verdict": {
            "state": verdict.state.value,
            "headline": verdict.headline,
            "explanation": verdict.explanation,
            "next_step": verdict.next_step,
            "counts": {state.value: n for state, n in verdict.counts.items()},
        },
        "answered_from": "events" if outcome.from_events else "status_api",
        "events_error": outcome.events_error.explanation if outcome.events_error else None,
        "events_note": outcome.events_note or None,
        "emails": [
            {
                **_email_json(email, zone),
                "source": "events" if outcome.from_events else "status_api",
                **_events_json(outcome, email.record.message_id, zone),
                "disagreement": _disagreement_json(outcome.disagreement(email), zone),
            }
            for email in verdict.emails
        ],
        "emails_from_events_only": [
            {"message_id": message_id, **_events_json(outcome, message_id, zone, only=True)}
            for message_id in outcome.events_only
        ],
        "request_ids": list(outcome.lookup.request_ids),
        "unsupported_dates": [day.isoformat() for day in outcome.lookup.unsupported_dates],
        "left_out": outcome.lookup.outside,
        "cut_short": cut_short_note(outcome),
        "blocklist": _blocklist_json(outcome, zone),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _disagreement_text(disagreement: Disagreement, zone: tzinfo) -> str:
    """``Tencent's status API says …; its event callbacks say … (time: “reply”). …``"""
    when = _local(disagreement.events_at, zone)
    reply = f": “{disagreement.reason}”" if disagreement.reason else ""
    return f"{disagreement.said} ({when}{reply}). {disagreement.advice}"


def _disagreement_json(disagreement: Disagreement | None, zone: tzinfo) -> dict[str, Any] | None:
    """Which report said what, for scripts; None when they agree (or there are no events)."""
    if disagreement is None:
        return None
    return {
        "status_api": disagreement.status_api.value,
        "events": disagreement.events.value,
        "events_at": iso_time(disagreement.events_at, zone),
        "reason": disagreement.reason or None,
        "said": f"{disagreement.said}. {disagreement.advice}",
    }


def _blocklist_lines(outcome: Outcome, zone: tzinfo) -> list[str]:
    check = outcome.blocklist
    if check is None:
        return []
    if isinstance(check, EmailStatusError):
        return [f"  Blocklist: {failed_line(check)}"]
    said = wording(check, local_time(zone))
    return [f"  Blocklist: {said.line}", *(f"      {line}" for line in said.small_print)]


def _blocklist_json(outcome: Outcome, zone: tzinfo) -> dict[str, Any] | None:
    check = outcome.blocklist
    if isinstance(check, EmailStatusError):
        return {"error": failed_line(check)}
    return None if check is None else status_json(check, zone)


def render_error(error: EmailStatusError) -> str:
    """What went wrong, who must act and, for Tencent errors, the RequestId."""
    lines = [f"error: {error.explanation}"]
    if error.next_step:
        lines.append(f"next step ({error.actor.value}): {error.next_step}")
    if error.code:
        lines.append(f"code: {error.code} (attempts: {error.attempts})")
    if error.operator_note:
        lines.append(error.operator_note)
    if error.request_id:
        lines.append(f"RequestId: {error.request_id}")
    return "\n".join(lines)


def _email_lines(email: EmailVerdict, zone: tzinfo) -> list[str]:
    record = email.record
    label, moment = email.outcome_time
    outcome = f"{label} {_local(moment, zone)}" if moment else label
    lines = [
        f"  {_local(record.requested_at, zone) or 'unknown time':25} "
        f"{STATE_TITLES[email.state].lower():9} {record.from_address} → {record.to_address}",
        f"      {email.headline}  [{record.message_id}]",
        f"      {outcome}",
    ]
    if record.deliver_message:
        lines.append(f"      reply: {record.deliver_message[:200]}")
    return lines


def _events_json(
    outcome: Outcome, message_id: str, zone: tzinfo, *, only: bool = False
) -> dict[str, Any]:
    """``subject``, ``template_id`` and ``events`` of one email, from its callbacks."""
    events = (outcome.events_only if only else outcome.events).get(message_id, ())
    subject, template = subject_of(events)
    item: dict[str, Any] = {
        "subject": subject or None,
        "template_id": template,
        "events": timeline_json(events, zone),
    }
    if only and events:
        item["to"] = events[0].recipient
    return item


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
        "requested_at": iso_time(record.requested_at, zone),
        "outcome": email.outcome_time[0],
        "outcome_at": iso_time(email.outcome_time[1], zone),
        **record.engagement,
        "headline": email.headline,
        "explanation": email.explanation,
        "next_step": email.next_step,
    }


def iso_time(moment: datetime | None, zone: tzinfo) -> str | None:
    """ISO 8601 with the zone's offset, or None for "not yet"."""
    return moment.astimezone(zone).isoformat() if moment else None


def _local(moment: datetime | None, zone: tzinfo) -> str | None:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %z") if moment else None
