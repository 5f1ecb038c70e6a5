"""The message shortcut *Check email status*: look up the addresses and MessageIds in a message.

One found: answered as the slash command answers, ephemeral to the clicker in that
conversation (through the shortcut's response_url, which Slack lets an app use in DMs and
private channels it is not in), "Looking up …" first. Several: a modal lets the agent pick one
(radio buttons hold ten; the rest are counted). None: a modal says so and offers the lookup
form.

Where Slack refuses the response_url (the conversation does not take the app's messages), the
"Looking up …" post is refused while the trigger_id is still fresh: a modal opens instead, with
an ``external_id`` derived from the trigger, and the lazy listener puts the answer into it with
``views.update``. In a thread the answer appears in the conversation, not the thread: Slack's
response_url ignores ``thread_ts`` (slackapi/bolt-js#963).
"""

from __future__ import annotations

from typing import Any, Final

from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_sdk import WebClient

from emailstatus.command import Query, parse
from emailstatus.i18n import N_, _
from emailstatus.message_targets import find_queries
from emailstatus.render.slack import looking_up_message
from emailstatus.render.slack_modal import (
    PICK_BLOCK,
    PICK_INPUT,
    VIEW_PICK,
    ModalOrigin,
    looking_up_modal,
    nothing_found_modal,
    pick_modal,
)
from emailstatus.slack_app.answer import Answers
from emailstatus.slack_app.audit import Asker
from emailstatus.slack_app.modal_answer import external_id, open_view, show_answer

#: The shortcut's ``callback_id`` (the manifest's ``shortcuts``).
CALLBACK: Final = "check_email_status"
CANNOT_POST: Final = N_("Shown here because emailstatus cannot post in that conversation.")


def register(app: App, answers: Answers) -> None:
    """Add the shortcut's and its picker modal's listeners to ``app``."""

    def queries(
        body: dict[str, Any], request: BoltRequest, *, as_asker: bool = False
    ) -> tuple[Query, ...]:
        now = answers.asker_time(request) if as_asker else answers.request_time(request)
        return find_queries(body.get("message") or {}, now)

    def one_found(body: dict[str, Any], request: BoltRequest) -> bool:
        return len(queries(body, request)) == 1

    def acknowledge(
        ack: Ack, body: dict[str, Any], request: BoltRequest, client: WebClient
    ) -> None:
        ack()
        found = queries(body, request)
        trigger = str(body.get("trigger_id", ""))
        origin = _origin(body)
        if len(found) == 1:
            if not answers.post(origin.response_url, looking_up_message(found[0])):
                open_view(client, trigger, looking_up_modal(found[0], external_id(trigger)))
        elif found:
            open_view(client, trigger, pick_modal(found, origin))
        else:
            open_view(client, trigger, nothing_found_modal(origin))

    def look_up(
        body: dict[str, Any], request: BoltRequest, context: BoltContext, client: WebClient
    ) -> None:
        (query,) = queries(body, request, as_asker=True)  # the matcher let only one through
        asker = Asker("shortcut", context.user_id, context.channel_id)
        answer = answers.answer(query, asker)
        origin = _origin(body)
        if not answers.post(origin.response_url, answer):
            trigger = str(body.get("trigger_id", ""))
            show_answer(client, answer, origin, trigger_id=trigger, note=_(CANNOT_POST))

    app.message_shortcut(CALLBACK, matchers=[one_found])(ack=acknowledge, lazy=[look_up])
    app.message_shortcut(CALLBACK)(acknowledge)
    _register_pick(app, answers)


def _register_pick(app: App, answers: Answers) -> None:
    """The picker modal: its submission answers in the conversation, or in the modal."""

    def picked(
        view: dict[str, Any], request: BoltRequest, *, as_asker: bool = False
    ) -> Query | None:
        state = view.get("state", {}).get("values", {})
        option = state.get(PICK_BLOCK, {}).get(PICK_INPUT, {}).get("selected_option") or {}
        now = answers.asker_time(request) if as_asker else answers.request_time(request)
        parsed = parse(str(option.get("value", "")), now)
        return parsed if isinstance(parsed, Query) else None

    def acknowledge(ack: Ack, view: dict[str, Any], request: BoltRequest) -> None:
        query = picked(view, request)
        origin = ModalOrigin.decode(str(view.get("private_metadata", "")))
        if query is None or origin is None:
            ack(response_action="errors", errors={PICK_BLOCK: _("Pick one of the addresses.")})
        elif answers.post(origin.response_url, looking_up_message(query)):
            ack()  # the modal closes; the answer follows in the conversation
        else:
            ack(response_action="update", view=looking_up_modal(query))

    def look_up(
        body: dict[str, Any],
        view: dict[str, Any],
        request: BoltRequest,
        context: BoltContext,
        client: WebClient,
    ) -> None:
        query = picked(view, request, as_asker=True)
        origin = ModalOrigin.decode(str(view.get("private_metadata", "")))
        if query is None or origin is None:
            return  # always set: the matcher let only picks through
        asker = Asker("shortcut_pick", context.user_id, origin.channel)
        answer = answers.answer(query, asker)
        if not answers.post(origin.response_url, answer):
            show_answer(
                client, answer, origin, view_id=str(view.get("id", "")), note=_(CANNOT_POST)
            )

    def is_pick(view: dict[str, Any], request: BoltRequest) -> bool:
        origin = ModalOrigin.decode(str(view.get("private_metadata", "")))
        return picked(view, request) is not None and origin is not None

    app.view(VIEW_PICK, matchers=[is_pick])(ack=acknowledge, lazy=[look_up])
    app.view(VIEW_PICK)(acknowledge)


def _origin(body: dict[str, Any]) -> ModalOrigin:
    """The shortcut's conversation: its response_url and channel."""
    return ModalOrigin(str(body.get("response_url", "")), (body.get("channel") or {}).get("id"))
