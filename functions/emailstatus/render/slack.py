"""The verdict, help and errors as Slack messages (Block Kit through ``slack_sdk.models``).

Pure: no I/O and no Slack client, so the CLI (``check --format blocks``), the Bolt app and the
tests all build exactly the same payload. Every string from outside (addresses, DeliverMessage,
what the user typed) goes through ``mrkdwn.escape``; every message goes through
``mrkdwn.fit_message``, so no data can make Slack reject an answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    PlainTextObject,
    SectionBlock,
)

from emailstatus.command import (
    GUARANTEED_DAYS,
    MAX_AGE_DAYS,
    MAX_RANGE_DAYS,
    USAGE,
    Query,
    TargetKind,
    UsageError,
)
from emailstatus.errors import Actor, EmailStatusError
from emailstatus.render.mrkdwn import (
    clip,
    context,
    date_token,
    escape,
    fit_message,
    mrkdwn,
    section,
)
from emailstatus.verdict import ENGAGEMENT_LABELS, EmailVerdict, State, Verdict

if TYPE_CHECKING:  # lookup imports the Tencent SDK: not needed to render
    from emailstatus.lookup import Outcome

#: ``action_id`` of each button; the Bolt app listens for these.
ACTION_PREVIOUS_DAY = "emailstatus_previous_day"
ACTION_SHARE = "emailstatus_share"
ACTION_MORE = "emailstatus_more"

#: Emails listed per message; "Show more" pages through the rest.
PAGE_SIZE = 10
#: A top-level ``text`` longer than this helps no notification.
MAX_NOTIFICATION_TEXT = 300
#: Characters of a DeliverMessage shown in the experts' line (the full reply is in the CLI).
MAX_REPLY_CHARS = 500
#: One compact line per listed email, so ten of them fit a section with room to spare.
MAX_LINE_CHARS = 280

STATE_EMOJI: dict[State, str] = {
    State.DELIVERED: ":white_check_mark:",
    State.BOUNCED: ":x:",
    State.DROPPED: ":wastebasket:",
    State.DEFERRED: ":hourglass_flowing_sand:",
    State.QUEUED: ":inbox_tray:",
    State.REFUSED: ":no_entry_sign:",
    State.UNKNOWN: ":grey_question:",
    State.NOT_FOUND: ":mag:",
}

_WHO_ACTS: dict[Actor, str] = {
    Actor.USER: "You: check what you typed.",
    Actor.OPERATOR: "Whoever runs emailstatus for this workspace (the operator).",
    Actor.TENCENT: "Tencent Cloud: usually this passes by itself.",
}


@dataclass(frozen=True)
class Message:
    """A Slack message: notification ``text`` and ``blocks``, already within Block Kit limits."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready payload (``blocks`` validated by ``slack_sdk`` on the way)."""
        return {"text": self.text, "blocks": [block.to_dict() for block in self.blocks]}


@dataclass(frozen=True)
class ButtonValue:
    """What a button carries: the command text to look up again, and the page to show.

    The text is re-read by ``command.parse``, so a button can never ask for more than a user
    could type.
    """

    text: str
    page: int = 0

    def encode(self) -> str:
        return json.dumps({"q": self.text, "p": self.page}, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> ButtonValue | None:
        """The value, or None when it is not one of ours (say, from an older version)."""
        try:
            data = json.loads(value)
            text, page = data["q"], data["p"]
        except (ValueError, TypeError, KeyError):
            return None
        if not isinstance(text, str) or not isinstance(page, int) or page < 0:
            return None
        return cls(text, page)


def message(text: str, blocks: list[Block]) -> Message:
    """The one way to finish a message: shorten the text and fit the blocks to the limits."""
    return Message(clip(text, MAX_NOTIFICATION_TEXT), fit_message(blocks))


def verdict_message(outcome: Outcome, *, page: int = 0, shared_by: str | None = None) -> Message:
    """The answer to a lookup: verdict, reason, next step, the newest email, then the list.

    ``page`` selects which ``PAGE_SIZE`` emails the list shows. ``shared_by`` (a Slack user
    ID) makes the in-channel version: it names who shared it and carries no buttons.
    """
    query, verdict = outcome.query, outcome.verdict
    blocks: list[Block] = []
    if shared_by is not None:
        blocks.append(context(f"Shared by {_mention(shared_by)}"))
    blocks.append(_header(f"{STATE_EMOJI[verdict.state]} {verdict.headline}"))
    blocks.append(
        section(
            f"*{escape(query.describe())}*\n{escape(verdict.explanation)}\n"
            f"*Next step:* {escape(verdict.next_step)}"
        )
    )
    if verdict.emails:
        blocks.extend(_email_detail(verdict.emails[0]))
    if len(verdict.emails) > 1:
        blocks.extend(_email_list(verdict, page))
    blocks.extend(_notes(outcome))
    if shared_by is None:
        blocks.extend(_buttons(outcome, page))
    text = f"{STATE_EMOJI[verdict.state]} {verdict.headline}: {query.describe()}"
    return message(escape(text), blocks)


def verdict_payload_json(outcome: Outcome) -> str:
    """The payload Slack would get, as JSON: what ``emailstatus check --format blocks`` prints."""
    return json.dumps(verdict_message(outcome).to_dict(), ensure_ascii=False, indent=2)


def checking_message(query: Query) -> Message:
    """The immediate acknowledgement while the lookup runs."""
    text = f":mag: Checking {escape(query.describe())}…"
    return message(text, [context(text)])


def help_message() -> Message:
    """Usage, examples, the date forms and how far back SES remembers."""
    return message(
        "How to use /emailstatus",
        [
            _header(":mag: /emailstatus"),
            section(
                "What happened to an email sent through Tencent Cloud SES, in plain words.\n"
                f"`{escape(USAGE.removeprefix('Usage: '))}`"
            ),
            section(
                "*Examples*\n"
                "• `/emailstatus alice@example.com`: today and yesterday\n"
                "• `/emailstatus alice@example.com yesterday`\n"
                "• `/emailstatus alice@example.com last 3 days`\n"
                "• `/emailstatus alice@example.com 2026-11-25..2026-11-28`\n"
                "• `/emailstatus qcloudses-30-…`: a MessageId carries its own date"
            ),
            section(
                "*When*: `today`, `yesterday`, `2026-11-28`, `11-28`, `3d`, `3 days ago`, "
                f"`last 3 days` or a range `A..B` of up to {MAX_RANGE_DAYS} days."
            ),
            context(
                f"SES keeps status for {GUARANTEED_DAYS} days (older dates up to {MAX_AGE_DAYS} "
                "days are tried, but may be gone). Answers are visible only to you until you "
                "press *Share in channel*."
            ),
        ],
    )


def usage_error_message(error: UsageError) -> Message:
    """What is wrong with what the user typed, and the usage line."""
    text = f":warning: {escape(error.message)}"
    return message(text, [section(text), context(escape(error.usage))])


def failure_message(error: EmailStatusError) -> Message:
    """A lookup that failed: what happened, who must act, and Tencent's code and RequestId."""
    headline = getattr(error, "headline", None) or "The lookup failed"
    details = [
        f"{label} {escape(str(value))}"
        for label, value in (
            ("Code", getattr(error, "code", None)),
            ("RequestId", getattr(error, "request_id", None)),
        )
        if value
    ]
    tencent_said = getattr(error, "tencent_message", None)
    if tencent_said:
        details.append(f"Tencent said: “{escape(tencent_said)}”")
    blocks: list[Block] = [
        section(f":warning: *{escape(headline)}*\n{escape(error.explanation)}"),
        section(
            f"*Who must act:* {_WHO_ACTS[error.actor]}"
            + (f"\n*Next step:* {escape(error.next_step)}" if error.next_step else "")
        ),
    ]
    if details:
        blocks.append(context(*details))
    return message(f":warning: {escape(headline)}", blocks)


def not_allowed_message(*, channel: bool) -> Message:
    """The polite refusal for someone (or somewhere) outside the allow-lists."""
    where = "in this channel" if channel else "for your account"
    text = (
        f"Sorry, /emailstatus is not enabled {where} in this workspace. Ask whoever runs "
        "emailstatus (the operator) to add you to its allow-list."
    )
    return message(text, [section(text)])


def unreadable_button_message() -> Message:
    """A button whose value is not ours: answer instead of ignoring the click."""
    text = "That button no longer works; run /emailstatus again."
    return message(text, [section(text)])


# --- pieces -----------------------------------------------------------------------------------


def _email_detail(email: EmailVerdict) -> list[Block]:
    record = email.record
    fields = [
        f"*From*\n{escape(record.from_address) or '—'}",
        f"*To*\n{escape(record.to_address) or '—'}",
        f"*Requested*\n{date_token(record.requested_at) if record.requested_at else '—'}",
        f"*Delivered*\n{date_token(record.delivered_at) if record.delivered_at else 'not yet'}",
    ]
    blocks: list[Block] = [SectionBlock(fields=[mrkdwn(text) for text in fields])]
    blocks.append(context(_engagement(email)))
    expert = [
        f"SendStatus {record.send_status} · DeliverStatus {record.deliver_status}",
        f"MessageId {escape(record.message_id)}",
    ]
    if record.deliver_message:
        expert.append(f"Reply: “{clip(escape(record.deliver_message), MAX_REPLY_CHARS)}”")
    blocks.append(context(*expert))
    return blocks


def _engagement(email: EmailVerdict) -> str:
    flags = email.engagement()
    if not flags:
        return "No opens, clicks, unsubscribes or complaints recorded."
    said = ", ".join(ENGAGEMENT_LABELS[flag] for flag in flags)
    warn = ":warning: " if "complained" in flags else ""
    return f"{warn}The recipient {said}."


def _email_list(verdict: Verdict, page: int) -> list[Block]:
    emails = verdict.emails
    start = min(page * PAGE_SIZE, (len(emails) - 1) // PAGE_SIZE * PAGE_SIZE)
    shown = emails[start : start + PAGE_SIZE]
    counts = ", ".join(
        f"{n} {state.value.replace('_', ' ')}" for state, n in verdict.counts.items()
    )
    summary = f"*{len(emails)} emails*, newest first: {counts}"
    if len(emails) > PAGE_SIZE:
        summary += f" (showing {start + 1}–{start + len(shown)})"
    lines = [clip(_email_line(email), MAX_LINE_CHARS) for email in shown]
    blocks: list[Block] = [DividerBlock(), section(summary), section("\n".join(lines))]
    remaining = len(emails) - start - len(shown)
    if remaining > 0:
        blocks.append(context(f"{remaining} more"))
    return blocks


def _email_line(email: EmailVerdict) -> str:
    record = email.record
    when = date_token(record.requested_at) if record.requested_at else "time unknown"
    sender = escape(record.from_address)
    return f"{STATE_EMOJI[email.state]} {when} · {escape(email.headline)} · from {sender}"


def _notes(outcome: Outcome) -> list[Block]:
    notes = []
    gone = outcome.lookup.unsupported_dates
    if gone:
        days = ", ".join(day.isoformat() for day in gone)
        notes.append(f":information_source: Tencent no longer keeps status for {days}.")
    elif outcome.query.beyond_guarantee and not outcome.verdict.emails:
        notes.append(
            f":information_source: SES promises status for {GUARANTEED_DAYS} days only; "
            "older emails may be gone."
        )
    if outcome.lookup.request_ids:
        notes.append(f"RequestId {escape(outcome.lookup.request_ids[-1])}")
    return [context(*notes)] if notes else []


def _buttons(outcome: Outcome, page: int) -> list[Block]:
    query = outcome.query
    buttons = []
    if query.kind is TargetKind.ADDRESS and query.dates:
        day = query.dates[-1] - timedelta(days=1)
        buttons.append(
            _button("Check previous day", ACTION_PREVIOUS_DAY, f"{query.target} {day.isoformat()}")
        )
    buttons.append(_button("Share in channel", ACTION_SHARE, query_text(query), page))
    if len(outcome.verdict.emails) > (page + 1) * PAGE_SIZE:
        buttons.append(_button("Show more", ACTION_MORE, query_text(query), page + 1))
    return [ActionsBlock(elements=buttons)]


def query_text(query: Query) -> str:
    """Command text that ``command.parse`` reads back as ``query`` (dates made absolute)."""
    if query.kind is TargetKind.MESSAGE_ID or not query.dates:
        return query.target
    newest, oldest = query.dates[0], query.dates[-1]
    when = newest.isoformat() if newest == oldest else f"{oldest.isoformat()}..{newest.isoformat()}"
    return f"{query.target} {when}"


def _button(label: str, action_id: str, text: str, page: int = 0) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=label),
        action_id=action_id,
        value=ButtonValue(text, page).encode(),
    )


def _mention(user_id: str) -> str:
    """``<@U123>`` for a real Slack user ID; anything else is shown inert."""
    return f"<@{user_id}>" if user_id.isalnum() and user_id.isupper() else escape(user_id)


def _header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=text, emoji=True))
