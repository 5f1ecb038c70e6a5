"""The buttons under an answer: look again, look further, page, share, try again.

Each acknowledges at once and, when it starts a lookup, shows right away that it is working: a
button that refreshes the answer replaces it with a one-line note, a button that asks a new
question posts the same "Looking up …" line a typed command gets. The answer comes from a lazy
listener. A button carries command text (see ``render.slack.ButtonValue``) that goes through
``command.parse`` again, so a click is checked like anything typed. *Share in channel* carries
the answer as it was shown and posts exactly that: it never looks up again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_bolt.context.respond import Respond

from emailstatus.command import Query
from emailstatus.i18n import N_, _
from emailstatus.render.slack import (
    looking_up_message,
    shared_message,
    unreadable_button_message,
    working_message,
)
from emailstatus.render.slack_message import (
    ACTION_CHECK_AGAIN,
    ACTION_LAST_WEEK,
    ACTION_NEXT_PAGE,
    ACTION_PREVIOUS_DAY,
    ACTION_PREVIOUS_PAGE,
    ACTION_SHARE,
    ACTION_TRY_AGAIN,
    ButtonValue,
)
from emailstatus.slack_app.answer import Answers
from emailstatus.slack_app.audit import Asker


@dataclass(frozen=True)
class _Button:
    """How one lookup button answers: in place of its message (``working`` says what it does
    meanwhile), or as a new message under it (``working`` None)."""

    action_id: str
    audit_name: str
    working: str | None = None


BUTTONS = (
    _Button(ACTION_PREVIOUS_DAY, "previous_day"),
    _Button(ACTION_LAST_WEEK, "last_week", N_("Searching the last 7 days")),
    _Button(ACTION_NEXT_PAGE, "more", N_("Loading the next emails")),
    _Button(ACTION_PREVIOUS_PAGE, "previous_page", N_("Loading the previous emails")),
    _Button(ACTION_CHECK_AGAIN, "check_again", N_("Checking again")),
    _Button(ACTION_TRY_AGAIN, "try_again", N_("Trying again")),
)


def register(app: App, answers: Answers) -> None:
    """Add one listener per button to ``app``."""
    for button in BUTTONS:
        app.action(button.action_id)(
            ack=_acknowledge(button, answers), lazy=[_lazy(button, answers)]
        )

    def acknowledge_share(ack: Ack) -> None:
        ack()

    app.action(ACTION_SHARE)(ack=acknowledge_share, lazy=[_share(answers)])


def _acknowledge(button: _Button, answers: Answers) -> Callable[..., None]:
    def acknowledge(
        ack: Ack, action: dict[str, Any], request: BoltRequest, respond: Respond
    ) -> None:
        ack()
        value = ButtonValue.decode(str(action.get("value", "")))
        parsed = answers.read(value.text, request) if value is not None else None
        if not isinstance(parsed, Query):
            return  # the lazy listener explains
        if button.working is None:
            answers.send(respond, looking_up_message(parsed))
        else:
            answers.send(respond, working_message(_(button.working)), replace_original=True)

    return acknowledge


def _lazy(button: _Button, answers: Answers) -> Callable[..., None]:
    def answer_click(
        action: dict[str, Any], request: BoltRequest, context: BoltContext, respond: Respond
    ) -> None:
        value = ButtonValue.decode(str(action.get("value", "")))
        if value is None:
            answers.send(respond, unreadable_button_message())
            return
        parsed = answers.read(value.text, request, as_asker=True)
        if not isinstance(parsed, Query):
            answers.reply(parsed, respond)
            return
        answers.lookup(
            parsed,
            respond,
            Asker(button.audit_name, context.user_id, context.channel_id),
            page=value.page,
            replace_original=button.working is not None,
        )

    return answer_click


def _share(answers: Answers) -> Callable[..., None]:
    def share(action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        shared = shared_message(str(action.get("value", "")), context.user_id or "someone")
        if shared is None:
            answers.send(respond, unreadable_button_message())
            return
        answers.send(respond, shared, response_type="in_channel")

    return share
