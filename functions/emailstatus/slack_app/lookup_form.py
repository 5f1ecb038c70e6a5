"""The lookup form: the global shortcut *Look up an email*, the *Open the lookup form* button
under help and "nothing found" answers, and *Share in channel* from an answer in a modal.

The form is read by ``command.parse`` like typed text, so it accepts and refuses exactly what
``/emailstatus`` does; what is wrong is shown under the field it concerns (``response_action:
errors``). A valid submission is acknowledged at once by turning the modal into "Looking up …"
(Slack's 3 seconds), and a lazy listener replaces that with the answer through
``views.update``. Sharing posts the answer as shown (the snapshot the share button would carry)
through the response_url Slack gives for the chosen conversation (``response_url_enabled``),
so it works wherever the agent can write, without the bot being a member.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from emailstatus.command import Query, UsageError, parse
from emailstatus.i18n import _
from emailstatus.render.slack import problem_message, shared_message
from emailstatus.render.slack_message import ACTION_OPEN_FORM
from emailstatus.render.slack_modal import (
    FORM_FROM,
    FORM_TARGET,
    FORM_TITLE,
    FORM_TO,
    SHARE_TO,
    VIEW_ANSWER,
    VIEW_FORM,
    ModalOrigin,
    looking_up_modal,
    lookup_form,
)
from emailstatus.slack_app.answer import Answers
from emailstatus.slack_app.audit import Asker
from emailstatus.slack_app.guard import refusal
from emailstatus.slack_app.modal_answer import open_view, show_answer

#: The global shortcut's ``callback_id`` (the manifest's ``shortcuts``).
CALLBACK: Final = "lookup_email"


def register(app: App, answers: Answers) -> None:
    """Add the form's, its submission's and the share's listeners to ``app``."""

    def open_from_shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        _open(client, str(body.get("trigger_id", "")), ModalOrigin())

    def open_from_button(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        origin = ModalOrigin(
            str(body.get("response_url", "")), (body.get("channel") or {}).get("id")
        )
        problem = _open(client, str(body.get("trigger_id", "")), origin)
        if problem:
            answers.send(respond, problem_message(problem))

    def is_valid(view: dict[str, Any], request: BoltRequest) -> bool:
        return isinstance(read_form(view, answers.request_time(request)), Query)

    def acknowledge(ack: Ack, view: dict[str, Any], request: BoltRequest) -> None:
        read = read_form(view, answers.request_time(request))
        if isinstance(read, Query):
            ack(response_action="update", view=looking_up_modal(read, title=FORM_TITLE))
        else:
            ack(response_action="errors", errors=read)

    def look_up(
        view: dict[str, Any], request: BoltRequest, context: BoltContext, client: WebClient
    ) -> None:
        query = read_form(view, answers.asker_time(request))
        origin = ModalOrigin.decode(str(view.get("private_metadata", ""))) or ModalOrigin()
        if isinstance(query, Query):
            answer = answers.answer(query, Asker("form", context.user_id, origin.channel))
        else:  # valid in the configured zone, not in the asker's (a date near midnight)
            answer = problem_message(" ".join(query.values()))
        show_answer(client, answer, origin, view_id=str(view.get("id", "")), title=FORM_TITLE)

    def share(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        origin = ModalOrigin.decode(str(view.get("private_metadata", "")))
        chosen = next(
            (url for url in body.get("response_urls") or [] if url.get("block_id") == SHARE_TO),
            None,
        )
        shared = shared_message(origin.share, context.user_id or "") if origin else None
        if shared is None:
            ack(
                response_action="errors",
                errors={SHARE_TO: _("This answer can no longer be shared.")},
            )
        elif chosen is None:
            ack(response_action="errors", errors={SHARE_TO: _("Pick a conversation.")})
        elif refusal(answers.settings, context.user_id, chosen.get("channel_id")):
            ack(
                response_action="errors",
                errors={SHARE_TO: "emailstatus is not enabled there: pick a channel where it is."},
            )
        elif answers.post(chosen.get("response_url"), shared, response_type="in_channel"):
            ack()  # shared: the modal closes
        else:
            ack(
                response_action="errors",
                errors={SHARE_TO: _("Slack did not take the message there: pick another.")},
            )

    app.global_shortcut(CALLBACK)(open_from_shortcut)
    app.action(ACTION_OPEN_FORM)(open_from_button)
    app.view(VIEW_FORM, matchers=[is_valid])(ack=acknowledge, lazy=[look_up])
    app.view(VIEW_FORM)(acknowledge)
    app.view(VIEW_ANSWER)(share)


def read_form(view: dict[str, Any], now: datetime) -> Query | dict[str, str]:
    """The form's lookup, or what is wrong by input block (Slack shows it under the field)."""
    values = view.get("state", {}).get("values", {})
    target = str(values.get(FORM_TARGET, {}).get(FORM_TARGET, {}).get("value") or "").strip()
    start, end = (
        values.get(block, {}).get(block, {}).get("selected_date") for block in (FORM_FROM, FORM_TO)
    )
    alone = parse(target, now)
    if isinstance(alone, UsageError):
        return {FORM_TARGET: alone.message}
    if not isinstance(alone, Query) or len(target.split()) != 1:
        return {FORM_TARGET: _("Type one recipient address or one MessageId.")}
    if not start and not end:
        return alone
    when = f"{start}..{end or now.date().isoformat()}" if start else str(end)
    dated = parse(f"{target} {when}", now)
    if isinstance(dated, Query):
        return dated
    message = dated.message if isinstance(dated, UsageError) else _("Those dates cannot be read.")
    return {FORM_FROM if start else FORM_TO: message}


def _open(client: WebClient, trigger_id: str, origin: ModalOrigin) -> str | None:
    """Open the form; what went wrong, in words, when Slack refused."""
    refused = open_view(client, trigger_id, lookup_form(origin))
    if refused:
        return _("Slack did not open the lookup form ({error}): press the button again.").format(
            error=refused
        )
    return None
