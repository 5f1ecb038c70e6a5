"""The verdict, help and errors as Slack messages (Block Kit through ``slack_sdk.models``).

Pure: no I/O and no Slack client, so the CLI (``check --format blocks``), the Bolt app and the
tests all build exactly the same payload. Every string from outside (addresses, DeliverMessage,
what the user typed) goes through ``mrkdwn.escape``; every message goes through
``mrkdwn.fit_message``, so no data can make Slack reject an answer.
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import date, timedelta
from typing import TYPE_CHECKING

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
    MAX_FILTERED_RANGE_DAYS,
    MAX_RANGE_DAYS,
    TENCENT_DAYS,
    USAGE,
    Query,
    TargetKind,
    UsageError,
)
from emailstatus.errors import EmailStatusError
from emailstatus.i18n import N_, _, format_day, ngettext
from emailstatus.knowledge.codes import RETENTION, Actor
from emailstatus.render.mrkdwn import (
    clip,
    clip_plain,
    context,
    date_token,
    escape,
    fit_message,
    labelled,
    literal,
    mrkdwn,
    section,
)
from emailstatus.render.slack_blocklist import RemovalRequest, blocklist_blocks
from emailstatus.render.slack_events import events_notes, list_suffix, timeline_blocks
from emailstatus.render.slack_message import (
    ACTION_CHECK_AGAIN,
    ACTION_LAST_WEEK,
    ACTION_NEXT_PAGE,
    ACTION_OPEN_FORM,
    ACTION_PREVIOUS_DAY,
    ACTION_PREVIOUS_PAGE,
    ACTION_SHARE,
    ACTION_TRY_AGAIN,
    ButtonValue,
    Message,
    message,
)
from emailstatus.verdict import WARNING_LABELS, EmailVerdict, State, Verdict, state_word

if TYPE_CHECKING:
    from emailstatus.results import Outcome

#: Emails listed per message; "Next 10 ›" and "‹ Previous" page through the rest.
EMAILS_PER_SCREEN = 10
#: Lists longer than this put the failures first (newest first within each group).
FAILURES_FIRST_ABOVE = 5
#: The share button carries what was shown; Slack caps a button's value at 2000 characters.
MAX_BUTTON_VALUE = 2000
#: Characters of a DeliverMessage shown in the experts' line (the full reply is in the CLI).
MAX_REPLY_CHARS = 500
#: One compact line per listed email, so ten of them fit a section with room to spare.
MAX_LINE_CHARS = 280

STATE_EMOJI: dict[State, str] = {
    State.DELIVERED: ":white_check_mark:",
    State.BOUNCED: ":x:",
    State.DROPPED: ":wastebasket:",
    State.DEFERRED: ":hourglass_flowing_sand:",
    State.QUEUED: ":outbox_tray:",  # still on its way out, not "in the inbox"
    State.REFUSED: ":no_entry_sign:",
    State.UNKNOWN: ":grey_question:",
    State.NOT_FOUND: ":mailbox_with_no_mail:",
}
#: 🔍 means one thing: a lookup is under way.
LOOKING_UP = ":mag:"
#: States that went wrong, in the order a long list shows them.
_FAILURE_ORDER = (State.REFUSED, State.BOUNCED, State.DROPPED, State.DEFERRED, State.UNKNOWN)

_WHO_ACTS: dict[Actor, str] = {
    Actor.USER: N_("You: check what you typed."),
    Actor.OPERATOR: N_("Whoever runs emailstatus for this workspace (the operator)."),
    Actor.TENCENT: N_("Tencent Cloud: usually this passes by itself."),
}


def verdict_message(
    outcome: Outcome, *, page: int = 0, remove: RemovalRequest | None = None
) -> Message:
    """The answer to a lookup, complete on its own (in Slack it arrives as a new message):
    the question, the verdict, reason and next step, the newest email, then the list.

    ``page`` selects which ``EMAILS_PER_SCREEN`` emails the list shows.
    """
    content = verdict_blocks(outcome, page, remove)
    buttons = _buttons(outcome, page, verdict_blocks(outcome, page))
    return message(_notification(outcome), [*content, *buttons])


def shared_message(snapshot: str, user_id: str) -> Message | None:
    """What an agent shares in the channel: exactly the answer they saw (carried by the share
    button, see ``verdict_blocks``), naming who shared it; None when the snapshot is unreadable."""
    try:
        data = json.loads(zlib.decompress(base64.b64decode(snapshot.encode(), validate=True)))
        text, blocks = str(data["t"]), Block.parse_all(data["b"])
    except (ValueError, TypeError, KeyError, zlib.error):
        return None
    if not text or not blocks or any(block is None for block in blocks):
        return None
    return message(text, [context(_("Shared by {user}").format(user=_mention(user_id))), *blocks])


def verdict_blocks(
    outcome: Outcome, page: int = 0, remove: RemovalRequest | None = None
) -> list[Block]:
    """The answer without its buttons: what *Share in channel* posts. ``remove``: an operator's
    *Remove from blocklist…* button beside a listed address."""
    query, verdict = outcome.query, outcome.verdict
    blocks: list[Block] = [
        _header(f"{STATE_EMOJI[verdict.state]} {verdict.headline}"),
        section(
            f"*{escape(query.describe())}*\n{escape(verdict.explanation)}\n"
            + _("*Next step:* {step}").format(step=escape(verdict.next_step))
        ),
    ]
    if outcome.blocklist is not None:
        reply = verdict.emails[0].record.deliver_message if verdict.emails else None
        blocks.extend(blocklist_blocks(outcome.blocklist, remove=remove, shown_reply=reply))
    if verdict.emails:
        newest = verdict.emails[0]
        events = outcome.events.get(newest.record.message_id, ())
        timeline = timeline_blocks(newest, events, outcome.disagreement(newest))
        blocks.extend(_email_detail(newest, timeline, from_events=outcome.from_events))
    if len(verdict.emails) > 1:
        blocks.extend(_email_list(outcome, page))
    blocks.extend(_notes(outcome))
    return blocks


def verdict_payload_json(outcome: Outcome) -> str:
    """The payload Slack would get, as JSON: what ``emailstatus check --format blocks`` prints."""
    return json.dumps(verdict_message(outcome).to_dict(), ensure_ascii=False, indent=2)


def looking_up_message(query: Query) -> Message:
    """The acknowledgement while the lookup runs. Slack cannot replace it, so it promises
    nothing that would change: the answer follows as a message of its own."""
    text = f"{LOOKING_UP} " + _("Looking up {question}: the answer follows below.").format(
        question=escape(query.describe(exact=False))
    )
    return message(text, [context(text)])


def working_message(what: str) -> Message:
    """Shown in place of an answer at once when a button was pressed, until the new one comes."""
    text = f":hourglass: {escape(what)}…"
    return message(text, [context(text)])


def help_message() -> Message:
    """Usage, examples, the date forms and how far back Tencent remembers."""
    return message(
        _("How to use /emailstatus"),
        [
            _header("/emailstatus"),
            section(
                _("What happened to an email sent through Tencent Cloud SES, in plain words.")
                + f"\n`{escape(_(USAGE))}`"
            ),
            section(
                _(
                    "*Examples*\n"
                    "• `/emailstatus alice@example.com`: today and yesterday\n"
                    "• `/emailstatus alice@example.com yesterday`\n"
                    "• `/emailstatus alice@example.com last 3 days`\n"
                    "• `/emailstatus alice@example.com 2026-11-25..2026-11-28`\n"
                    "• `/emailstatus qcloudses-30-…`: a MessageId carries its own date\n"
                    "• `/emailstatus explain 550 5.1.1 …`: read a bounce a customer forwarded\n"
                    "• `/emailstatus alice@example.com "
                    'subject:"Reset your password" last 30 days`: '
                    "only that subject (or `template:&lt;id&gt;`), up to {days} days\n"
                    '• `/emailstatus subject:"Reset your password" yesterday`: '
                    "everyone who got it\n"
                    "Subjects and templates come from Tencent's event callbacks, where set up."
                ).format(days=MAX_FILTERED_RANGE_DAYS)
            ),
            section(
                _(
                    "*When*: `today`, `yesterday`, `2026-11-28`, `11-28`, `3d`, `3 days ago`, "
                    "`last 3 days` or a range `A..B` of up to {days} days. Days are "
                    "Tencent's, in Beijing time."
                ).format(days=MAX_RANGE_DAYS)
            ),
            context(
                _(
                    "{retention}. Answers are visible only to you until you press "
                    "*Share in channel*."
                ).format(retention=_(RETENTION))
            ),
            ActionsBlock(elements=[_open_form_button()]),
        ],
    )


def usage_error_message(error: UsageError) -> Message:
    """What is wrong with what the user typed, and the usage line."""
    text = f":warning: {escape(error.message)}"
    return message(text, [section(text), context(f"`{escape(_(error.usage))}`")])


def failure_message(error: EmailStatusError, query: Query | None = None) -> Message:
    """A lookup that failed: the question, what happened in words, who acts and what to do;
    the code, attempts and RequestId in small print, and a *Try again* button."""
    # Errors built away from the asker's context (a worker thread, a module constant) hold the
    # English text of a catalog entry: said here in the reader's language (a said one is kept).
    headline, explanation, next_step = _(error.headline), _(error.explanation), _(error.next_step)
    asked = f"*{escape(query.describe())}*\n" if query is not None else ""
    blocks: list[Block] = [
        section(f":warning: *{escape(headline)}*\n{asked}{escape(explanation)}"),
        section(
            _("*Who acts:* {who}").format(who=_(_WHO_ACTS[error.actor]))
            + ("\n" + _("*Next step:* {step}").format(step=escape(next_step)) if next_step else "")
        ),
    ]
    small_print = [
        f"{label} {escape(str(value))}"
        for label, value in (
            (_("Code"), error.code),
            (_("Attempts"), error.attempts if error.code else None),
            ("RequestId", error.request_id),
        )
        if value
    ]
    tencent_said = error.tencent_said
    if tencent_said:
        small_print.append(_("Tencent said: “{reply}”").format(reply=escape(tencent_said)))
    if error.operator_note:
        small_print.append(escape(_(error.operator_note)))
    if small_print:
        blocks.append(context(" · ".join(small_print[:3]), *small_print[3:]))
    if query is not None:
        blocks.append(
            ActionsBlock(elements=[_button(_("Try again"), ACTION_TRY_AGAIN, query_text(query))])
        )
    about = f" — {query.describe()}" if query is not None else ""
    return message(f":warning: {escape(headline + about)}", blocks)


def not_allowed_message(*, channel: bool) -> Message:
    """The polite refusal for someone (or somewhere) outside the allow-lists."""
    if channel:
        text = _(
            "Sorry, /emailstatus is not enabled in this channel. Ask whoever runs emailstatus "
            "(the operator) to enable it here, or use it in a channel where it is enabled."
        )
    else:
        text = _(
            "Sorry, /emailstatus is not enabled for your account in this workspace. Ask "
            "whoever runs emailstatus (the operator) to add you to its allow-list."
        )
    return message(text, [section(text)])


def rate_limited_message(per_minute: int) -> Message:
    """The polite refusal for someone who asked more often than the per-user limit allows."""
    text = _(
        "Sorry, that is more than {count} lookups in a minute, the most emailstatus runs "
        "for one person. Wait a minute, then try again."
    ).format(count=per_minute)
    return message(text, [section(text)])


def unreadable_button_message() -> Message:
    """A button whose value is not ours: answer instead of ignoring the click."""
    text = _("That button no longer works; run `/emailstatus` again.")
    return message(text, [section(text)])


# --- pieces -----------------------------------------------------------------------------------


def _notification(outcome: Outcome) -> str:
    verdict = outcome.verdict
    return escape(f"{STATE_EMOJI[verdict.state]} {verdict.headline} — {outcome.query.describe()}")


def _email_detail(
    email: EmailVerdict, timeline: list[Block], *, from_events: bool = False
) -> list[Block]:
    """The email's fields, engagement, ``timeline`` (its events), then the experts' codes."""
    record = email.record
    label, moment = email.outcome_time
    outcome = labelled(label, date_token(moment)) if moment else labelled(_("Delivery"), label)
    requested = date_token(record.requested_at) if record.requested_at else "—"
    fields = [
        labelled(_("From"), escape(record.from_address) or "—"),
        labelled(_("To"), escape(record.to_address) or "—"),
        labelled(_("Requested"), requested),
        outcome,
    ]
    blocks: list[Block] = [SectionBlock(fields=[mrkdwn(text) for text in fields])]
    warned = any(getattr(record, flag) for flag in WARNING_LABELS)
    if email.state is not State.REFUSED or email.engagement():  # never sent: nothing to engage
        blocks.append(context((":warning: " if warned else "") + email.engagement_sentence()))
    blocks.extend(timeline)
    codes = f"SendStatus {record.send_status} · DeliverStatus {record.deliver_status} · "
    expert: list[str | PlainTextObject] = [
        # Read from events, the record's codes are ours, not Tencent's: not shown as theirs.
        f"{'' if from_events else codes}MessageId `{escape(record.message_id)}`"
    ]
    if record.deliver_message:
        reply = clip_plain(record.deliver_message, MAX_REPLY_CHARS)
        expert.append(literal(_("Reply: “{reply}”").format(reply=reply)))
    if email.operator_note:
        expert.append(escape(email.operator_note))
    blocks.append(context(*expert))
    return blocks


def _email_list(outcome: Outcome, page: int) -> list[Block]:
    verdict = outcome.verdict
    emails = _list_order(verdict.emails)
    start = _page_start(len(emails), page)
    shown = emails[start : start + EMAILS_PER_SCREEN]
    counts = _(", ").join(
        _("{count} {state}").format(count=n, state=state_word(state))
        for state, n in _counts_in_order(verdict)
    )
    order = _("failures first, then newest first") if _failures_first(emails) else _("newest first")
    summary = ngettext(
        "*{count} email*, {order}: {counts}", "*{count} emails*, {order}: {counts}", len(emails)
    ).format(count=len(emails), order=order, counts=counts)
    if len(emails) > EMAILS_PER_SCREEN:
        summary += _(" (showing {first}–{last})").format(first=start + 1, last=start + len(shown))
    senders = {email.record.from_address for email in verdict.emails}
    with_sender = len(senders) > 1
    lines = [clip(_email_line(outcome, email, with_sender), MAX_LINE_CHARS) for email in shown]
    if not with_sender and senders:
        summary += "\n" + _("All from {sender}").format(sender=escape(next(iter(senders))))
    return [DividerBlock(), section(summary), section("\n".join(lines))]


def _list_order(emails: tuple[EmailVerdict, ...]) -> tuple[EmailVerdict, ...]:
    """Newest first; a long list puts the failures first, so they are not paged away."""
    if not _failures_first(emails):
        return emails
    rank = {state: index for index, state in enumerate(_FAILURE_ORDER)}
    return tuple(sorted(emails, key=lambda email: rank.get(email.state, len(rank))))


def _failures_first(emails: tuple[EmailVerdict, ...]) -> bool:
    return len(emails) > FAILURES_FIRST_ABOVE


def _counts_in_order(verdict: Verdict) -> list[tuple[State, int]]:
    return sorted(verdict.counts.items(), key=lambda item: -item[1])


def _page_start(total: int, page: int) -> int:
    return min(page * EMAILS_PER_SCREEN, (total - 1) // EMAILS_PER_SCREEN * EMAILS_PER_SCREEN)


def _email_line(outcome: Outcome, email: EmailVerdict, with_sender: bool) -> str:
    record = email.record
    when = date_token(record.requested_at) if record.requested_at else _("time unknown")
    line = f"{STATE_EMOJI[email.state]} {when} · {escape(email.headline)}"
    events = outcome.events.get(record.message_id)
    if events:
        line += list_suffix(events, outcome.disagreement(email))
    if outcome.query.kind is TargetKind.SUBJECT:  # a subject's emails go to many people
        line += " · " + _("to {recipient}").format(recipient=escape(record.to_address))
    if with_sender:
        line += " · " + _("from {sender}").format(sender=escape(record.from_address))
    return line


def _notes(outcome: Outcome) -> list[Block]:
    notes = events_notes(outcome)
    gone = outcome.lookup.unsupported_dates
    if gone and not outcome.from_events:
        days = ", ".join(day.isoformat() for day in gone)
        if outcome.query.window is not None:  # the asker's days are not Beijing's: say whose
            days = _("{days} ({zone})").format(days=days, zone=_(TENCENT_DAYS))
        notes.append(
            ":information_source: "
            + _("{retention}: it no longer has {days}.").format(retention=_(RETENTION), days=days)
        )
    elif outcome.query.beyond_guarantee and not outcome.verdict.emails:
        notes.append(
            ":information_source: "
            + _("{retention}: older emails may be gone.").format(retention=_(RETENTION))
        )
    from emailstatus.results import cut_short_note, days_note

    asker_days = days_note(outcome)
    if asker_days:
        notes.append(f":globe_with_meridians: {escape(asker_days)}")
    cut_short = cut_short_note(outcome)
    if cut_short:
        notes.append(f":hourglass: {escape(cut_short)}")
    if outcome.lookup.request_ids:
        notes.append(f"RequestId {escape(outcome.lookup.request_ids[-1])}")
    return [context(*notes)] if notes else []


def _buttons(outcome: Outcome, page: int, content: list[Block]) -> list[Block]:
    """The buttons that fit the answer: look again, look further, page, share."""
    query, verdict = outcome.query, outcome.verdict
    asked = query_text(query)
    buttons = []
    if verdict.state in (State.QUEUED, State.DEFERRED):
        buttons.append(_button(_("Check again"), ACTION_CHECK_AGAIN, asked, page))
    if verdict.state is State.NOT_FOUND and query.kind is TargetKind.ADDRESS:
        week = _last_week(query)
        if week is not None:
            buttons.append(
                _button(
                    _("Search the last {days} days").format(days=MAX_RANGE_DAYS),
                    ACTION_LAST_WEEK,
                    week,
                )
            )
    if verdict.state is State.NOT_FOUND:
        buttons.append(_open_form_button())
    earlier = _day_before(query)
    if earlier is not None:
        label = _("Check {day}").format(day=format_day(earlier))
        buttons.append(
            _button(label, ACTION_PREVIOUS_DAY, f"{_asked(query)} {earlier.isoformat()}")
        )
    total = len(verdict.emails)
    if total > EMAILS_PER_SCREEN and page > 0:
        buttons.append(_button(_("‹ Previous"), ACTION_PREVIOUS_PAGE, asked, page - 1))
    if total > (page + 1) * EMAILS_PER_SCREEN:
        following = min(EMAILS_PER_SCREEN, total - (page + 1) * EMAILS_PER_SCREEN)
        label = _("Next {count} ›").format(count=following)
        buttons.append(_button(label, ACTION_NEXT_PAGE, asked, page + 1))
    share = _share_value(_notification(outcome), content)
    if share is not None:
        buttons.append(
            ButtonElement(
                text=PlainTextObject(text=_("Share in channel")),
                action_id=ACTION_SHARE,
                value=share,
            )
        )
    return [ActionsBlock(elements=buttons)] if buttons else []


def _share_value(text: str, content: list[Block]) -> str | None:
    """The answer as shown, packed into the share button (so sharing never looks up again).

    Too big for a button: the list of emails is left out, then the share button is.
    """
    for blocks in (
        content,
        [block for block in content if not isinstance(block, DividerBlock)][:4],
    ):
        packed = json.dumps(
            {"t": text, "b": [block.to_dict() for block in fit_message(blocks)]},
            separators=(",", ":"),
            ensure_ascii=False,
        )
        value = base64.b64encode(zlib.compress(packed.encode(), 9)).decode()
        if len(value) <= MAX_BUTTON_VALUE:
            return value
    return None


def _day_before(query: Query) -> date | None:
    """The day before the oldest asked about, for an address; None past what Tencent keeps."""
    if query.kind is not TargetKind.ADDRESS or not query.dates:
        return None
    day = query.dates[-1] - timedelta(days=1)
    today = query.today or query.dates[0]
    return day if (today - day).days <= GUARANTEED_DAYS else None


def _last_week(query: Query) -> str | None:
    """Command text for the last ``MAX_RANGE_DAYS`` days, unless that is what was asked."""
    today = query.today or (query.dates[0] if query.dates else None)
    if today is None or (len(query.dates) >= MAX_RANGE_DAYS and query.dates[0] == today):
        return None
    return f"{_asked(query)} last {MAX_RANGE_DAYS} days"


def query_text(query: Query) -> str:
    """Command text that ``command.parse`` reads back as ``query`` (dates made absolute)."""
    if query.kind is TargetKind.MESSAGE_ID or not query.dates:
        return query.target
    newest, oldest = query.dates[0], query.dates[-1]
    when = newest.isoformat() if newest == oldest else f"{oldest.isoformat()}..{newest.isoformat()}"
    return f"{_asked(query)} {when}"


def _asked(query: Query) -> str:
    """The address or subject asked about, with any filters, as a user would type them."""
    if query.kind is TargetKind.SUBJECT:
        return query.filters.as_text()
    return f"{query.target} {query.filters.as_text()}".rstrip()


def _button(label: str, action_id: str, text: str, page: int = 0) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=label),
        action_id=action_id,
        value=ButtonValue(text, page).encode(),
    )


def _open_form_button() -> ButtonElement:
    """Opens the lookup form (a modal with date pickers), for a question typed wrongly."""
    return ButtonElement(
        text=PlainTextObject(text=_("Open the lookup form")), action_id=ACTION_OPEN_FORM
    )


def problem_message(text: str) -> Message:
    """Something Slack refused on the way (a modal it would not open): say so plainly."""
    said = f":warning: {escape(text)}"
    return message(said, [section(said)])


def _mention(user_id: str) -> str:
    """``<@U123>`` for a real Slack user ID; anything else is shown inert."""
    return f"<@{user_id}>" if user_id.isalnum() and user_id.isupper() else escape(user_id)


def _header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=text, emoji=True))
