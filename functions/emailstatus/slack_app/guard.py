"""Who may ask, and only once: the allow-lists and Slack's retries, before any listener runs.

A global middleware, so it runs after Bolt has checked the signature and before a listener
could start a lookup (or a lazy self-invocation).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from emailstatus.config import Settings
from emailstatus.render.slack import not_allowed_message, rate_limited_message
from emailstatus.render.slack_message import ACTION_OPEN_FORM, ACTION_SHARE, Message
from emailstatus.render.slack_modal import VIEW_ANSWER, ModalOrigin, refusal_modal
from emailstatus.slack_app import audit, response_url
from emailstatus.slack_app.user_limit import UserLimit

log = logging.getLogger(__name__)

#: Slack sets this on a request it sends again because the first answer was late or failed.
RETRY_HEADER = "x-slack-retry-num"


def register(app: App, settings: Settings) -> None:
    """Install the guard as a global middleware of ``app``."""

    limit = UserLimit(settings.user_lookups_per_minute)

    def guard(
        request: BoltRequest,
        context: BoltContext,
        client: WebClient,
        next_: Callable[[], BoltResponse],
    ) -> BoltResponse:
        if request.headers.get(RETRY_HEADER):
            # The first delivery is being (or was) answered: acknowledge, do no new work.
            log.info("Slack retry acknowledged without new work")
            return BoltResponse(status=200, body="")
        channel = context.channel_id or _modal_channel(request.body)
        refused = refusal(settings, context.user_id, channel)
        if refused is None and (
            request.lazy_only  # a lazy re-invocation was counted when it was acknowledged
            or starts_no_lookup(request.body)
            or limit.allow(context.user_id or "")
        ):
            return next_()
        audit.record_refusal(context.user_id, channel, refused or "rate limit")
        if refused is None:
            return _refuse(request, settings, client, rate_limited_message(limit.per_minute))
        refused_here = not_allowed_message(channel=refused == "channel")
        return _refuse(request, settings, client, refused_here)

    app.middleware(guard)


def starts_no_lookup(body: dict[str, Any]) -> bool:
    """Requests the per-user limit does not count, as none asks Tencent about an address:
    opening Home (its figures are one call a minute for everyone), opening the lookup form
    (the global shortcut or its button), sharing an answer already shown."""
    event = body.get("event") or {}
    if event.get("type") == "app_home_opened" or body.get("type") == "shortcut":
        return True
    if body.get("type") == "view_submission":
        return (body.get("view") or {}).get("callback_id") == VIEW_ANSWER
    actions = body.get("actions") or []
    return bool(actions) and all(
        action.get("action_id") in (ACTION_OPEN_FORM, ACTION_SHARE) for action in actions
    )


def _modal_channel(body: dict[str, Any]) -> str | None:
    """The conversation a modal of ours answers in (its ``ModalOrigin``), if it has one."""
    view = body.get("view") or {}
    origin = ModalOrigin.decode(str(view.get("private_metadata", "")))
    return origin.channel if origin is not None else None


def _refuse(
    request: BoltRequest, settings: Settings, client: WebClient, answer: Message
) -> BoltResponse:
    """The refusal in the acknowledgement (a command, a modal's submission), in a modal (a
    global shortcut or a Home button, which have no conversation), as the Home tab (opening
    Home) or on response_url (a button, a message shortcut)."""
    if request.body.get("command"):
        body = json.dumps({"response_type": "ephemeral", **answer.to_dict()})
        return BoltResponse(status=200, body=body, headers={"content-type": "application/json"})
    if request.body.get("type") == "view_submission":
        update = {"response_action": "update", "view": refusal_modal(answer).to_dict()}
        return BoltResponse(
            status=200, body=json.dumps(update), headers={"content-type": "application/json"}
        )
    asked = request.body
    event = asked.get("event") or {}
    try:
        if event.get("type") == "app_home_opened" and event.get("tab") == "home":
            home = View(type="home", blocks=list(answer.blocks))
            client.views_publish(user_id=str(event.get("user", "")), view=home)
            return BoltResponse(status=200, body="")
        if asked.get("trigger_id") and not asked.get("response_url"):  # global shortcut, Home
            client.views_open(trigger_id=str(asked["trigger_id"]), view=refusal_modal(answer))
            return BoltResponse(status=200, body="")
    except SlackApiError as error:
        log.warning("The refusal could not be shown (%s)", error.response.get("error"))
        return BoltResponse(status=200, body="")
    payload = {**answer.to_dict(), "response_type": "ephemeral", "replace_original": False}
    try:
        response_url.post(request.body.get("response_url"), settings, payload)
    except Exception as error:  # best effort: log, go on
        log.warning("The refusal could not be posted (%s)", type(error).__name__)
    return BoltResponse(status=200, body="")


def refusal(settings: Settings, user_id: str | None, channel_id: str | None) -> str | None:
    """ "user" or "channel" when an allow-list is set and excludes the request, else None."""
    if settings.allowed_users and user_id not in settings.allowed_users:
        return "user"
    if settings.allowed_channels and channel_id not in settings.allowed_channels:
        return "channel"
    return None
