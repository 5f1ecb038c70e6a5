"""What Tencent's event callbacks add to a Slack answer: the email's timeline with each time
labelled by its event, its subject and template, where the events and the status API disagree,
and that an answer came from the events alone.

Times are Slack date tokens, so each reader sees their own zone; a time carries its date only
when it is the first or comes more than an hour after the one before it, so a timeline reads
"requested Today 9:19:59 AM → delivered 9:20:14 AM → opened 10:02:31 AM".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from slack_sdk.models.blocks import Block, ContextBlock

from emailstatus.command import TargetKind
from emailstatus.events.model import Event
from emailstatus.events.status import EVENTS_UNREADABLE, events_only_note
from emailstatus.events.timeline import LABELS, subject_of
from emailstatus.i18n import _, ngettext
from emailstatus.render.mrkdwn import clip, clip_plain, context, date_token, escape, literal
from emailstatus.verdict import EmailVerdict, state_word

if TYPE_CHECKING:
    from emailstatus.events.status import Disagreement
    from emailstatus.results import Outcome

#: A timeline's time shows its date again after a gap this long (see the module docstring).
DATE_AGAIN_AFTER: Final = timedelta(hours=1)
#: Events shown in one timeline: a much-clicked email keeps its first ones and says the rest.
MAX_TIMELINE_EVENTS: Final = 12
#: Characters of a subject in a list line.
MAX_LIST_SUBJECT: Final = 60
#: Characters of the reply quoted from the events where the two reports disagree.
MAX_EVENT_REPLY: Final = 300
_WITH_DATE: Final = "{date_short_pretty} {time_secs}"
_TIME_ONLY: Final = "{time_secs}"


def timeline_blocks(
    email: EmailVerdict, events: Sequence[Event], disagreement: Disagreement | None
) -> list[Block]:
    """Subject and template, the labelled timeline, and what the two reports said if they
    differ; nothing without events."""
    if not events:
        return []
    subject, template = subject_of(events)
    lines = []
    if subject:
        about = _("*Subject:* {subject}").format(subject=escape(subject))
        if template is not None:
            about += _(" · template {template_id}").format(template_id=template)
        lines.append(about)
    elif template is not None:
        lines.append(_("*Template:* {template_id}").format(template_id=template))
    lines.append(_("*Timeline:* {steps}").format(steps=timeline(email, events)))
    blocks: list[Block] = [context("\n".join(lines))]
    if disagreement is not None:
        blocks.append(_disagreement_block(disagreement))
    return blocks


def timeline(email: EmailVerdict, events: Sequence[Event]) -> str:
    """``requested <time> → delivered <time> → opened <time>``, in date tokens."""
    steps: list[tuple[str, datetime]] = []
    if email.record.requested_at is not None:
        steps.append((_("requested"), email.record.requested_at))
    shown = events[:MAX_TIMELINE_EVENTS]
    steps.extend((_(LABELS[event.type]), event.time) for event in shown)
    parts = []
    previous: datetime | None = None
    for label, moment in steps:
        dated = previous is None or moment - previous > DATE_AGAIN_AFTER
        parts.append(f"{label} {date_token(moment, pattern=_WITH_DATE if dated else _TIME_ONLY)}")
        previous = moment
    if len(events) > len(shown):
        parts.append(_("{count} more").format(count=len(events) - len(shown)))
    return " → ".join(parts)


def list_suffix(events: Sequence[Event], disagreement: Disagreement | None) -> str:
    """What a list line adds: the subject in quotes, and a warning when the reports differ."""
    subject, _template = subject_of(events)
    suffix = f" · “{clip(escape(subject), MAX_LIST_SUBJECT)}”" if subject else ""
    if disagreement is not None:
        suffix += " · :warning: " + _("events say {state}").format(
            state=state_word(disagreement.events)
        )
    return suffix


def events_notes(outcome: Outcome) -> list[str]:
    """The small print: an answer read from the events alone, and emails only they know."""
    notes = [f":mag: {escape(outcome.events_note)}"] if outcome.events_note else []
    if outcome.from_events:
        by_subject = outcome.query.kind is TargetKind.SUBJECT
        note = events_only_note(outcome.lookup.unsupported_dates, by_subject=by_subject)
        return [*notes, f":information_source: {escape(note)}"]
    if outcome.events_error is not None:
        why = escape(_(outcome.events_error.explanation))
        return [":warning: " + _("{note}: {why}").format(note=_(EVENTS_UNREADABLE), why=why)]
    if not outcome.events_only:
        return notes
    count = len(outcome.events_only)
    return [
        *notes,
        ":information_source: "
        + ngettext(
            "{count} more email on these dates known only from Tencent's event callbacks "
            "(the status API has no record): ask with the MessageId to see it.",
            "{count} more emails on these dates known only from Tencent's event callbacks "
            "(the status API has no record): ask with the MessageId to see it.",
            count,
        ).format(count=count)
        + "".join(f"\n`{escape(message_id)}`" for message_id in list(outcome.events_only)[:3]),
    ]


def _disagreement_block(disagreement: Disagreement) -> ContextBlock:
    """The reports' words with the events' time, then the reply the events carried (as
    literal text: a server's ``*`` or ``_`` must not format)."""
    when = date_token(disagreement.events_at, pattern=_WITH_DATE)
    said = f":warning: {escape(disagreement.said)} ({when}). {escape(disagreement.advice)}"
    if not disagreement.reason:
        return context(said)
    reply = clip_plain(disagreement.reason, MAX_EVENT_REPLY)
    return context(said, literal(_("Reply in the events: “{reply}”").format(reply=reply)))
