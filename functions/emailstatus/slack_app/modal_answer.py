"""Answers shown in modals: open one within the click's 3 seconds, then put the answer in it.

Shared by the surfaces whose answer cannot, or should not, be a message: the message shortcut
where Slack refuses its response_url, the lookup form, App Home's *Look again*. A modal opened
in an acknowledgement is found again by the lazy listener (possibly another Lambda invocation)
through an ``external_id`` derived from the click's trigger_id, which both listeners see.
"""

from __future__ import annotations

import hashlib
import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from emailstatus.render.slack_message import Message
from emailstatus.render.slack_modal import TITLE, ModalOrigin, answer_modal

log = logging.getLogger(__name__)


def external_id(trigger_id: str) -> str:
    """The modal opened for one click: unique per trigger, the same in both listeners."""
    return "emailstatus-" + hashlib.sha256(trigger_id.encode()).hexdigest()[:32]


def open_view(client: WebClient, trigger_id: str, view: View) -> str | None:
    """Open ``view``; Slack's error (``expired_trigger_id``, …) when it refused, else None."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        reason = str(error.response.get("error", "unknown"))
        log.warning("views.open failed", extra={"slack_error": reason})
        return reason
    return None


def show_answer(
    client: WebClient,
    answer: Message,
    origin: ModalOrigin,
    *,
    view_id: str | None = None,
    trigger_id: str | None = None,
    note: str | None = None,
    title: str = TITLE,
) -> None:
    """Replace the modal (by ``view_id``, or the one opened for ``trigger_id``) with the
    answer; a modal the user already closed is only logged."""
    view = answer_modal(answer, origin, note=note, title=title)
    found = {"view_id": view_id} if view_id else {"external_id": external_id(trigger_id or "")}
    try:
        client.views_update(view=view, **found)
    except SlackApiError as error:
        log.warning("views.update failed", extra={"slack_error": error.response.get("error")})
