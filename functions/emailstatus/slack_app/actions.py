"""The buttons under a verdict: "Check previous day", "Share in channel", "Show more".

Each acknowledges at once and answers from a lazy listener. A button carries command text (see
``render.slack.ButtonValue``) that goes through ``command.parse`` again, so a click is checked
like anything typed; the lookup is run afresh, since ephemeral messages cannot be read back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_bolt.context.respond import Respond

from emailstatus.command import Query
from emailstatus.render.slack import (
    ACTION_MORE,
    ACTION_PREVIOUS_DAY,
    ACTION_SHARE,
    ButtonValue,
    unreadable_button_message,
)
from emailstatus.slack_app.answer import Answers
from emailstatus.slack_app.audit import Asker


@dataclass(frozen=True)
class _Button:
    """How one button answers."""

    action_id: str
    audit_name: str
    share: bool = False
    replace_original: bool = False


BUTTONS = (
    _Button(ACTION_PREVIOUS_DAY, "previous_day"),
    _Button(ACTION_SHARE, "share", share=True),
    _Button(ACTION_MORE, "more", replace_original=True),
)


def register(app: App, answers: Answers) -> None:
    """Add one listener per button to ``app``."""

    def acknowledge(ack: Ack) -> None:
        ack()

    for button in BUTTONS:
        app.action(button.action_id)(ack=acknowledge, lazy=[_lazy(button, answers)])


def _lazy(button: _Button, answers: Answers) -> Callable[..., None]:
    def answer_click(
        action: dict[str, Any], request: BoltRequest, context: BoltContext, respond: Respond
    ) -> None:
        value = ButtonValue.decode(str(action.get("value", "")))
        if value is None:
            answers.send(respond, unreadable_button_message())
            return
        parsed = answers.read(value.text, request)
        if not isinstance(parsed, Query):
            answers.reply(parsed, respond)
            return
        answers.lookup(
            parsed,
            respond,
            Asker(button.audit_name, context.user_id, context.channel_id),
            page=value.page,
            share=button.share,
            replace_original=button.replace_original,
        )

    return answer_click
