"""Who may ask, and only once: the allow-lists and Slack's retries, before any listener runs.

A global middleware, so it runs after Bolt has checked the signature and before a listener
could start a lookup (or a lazy self-invocation).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from emailstatus.config import Settings
from emailstatus.render.slack import not_allowed_message
from emailstatus.slack_app import response_url

log = logging.getLogger(__name__)

#: Slack sets this on a request it sends again because the first answer was late or failed.
RETRY_HEADER = "x-slack-retry-num"


def register(app: App, settings: Settings) -> None:
    """Install the guard as a global middleware of ``app``."""

    def guard(
        request: BoltRequest, context: BoltContext, next_: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if request.headers.get(RETRY_HEADER):
            # The first delivery is being (or was) answered: acknowledge, do no new work.
            log.info("Slack retry acknowledged without new work")
            return BoltResponse(status=200, body="")
        refused = refusal(settings, context.user_id, context.channel_id)
        if refused is None:
            return next_()
        log.info("Request refused by the allow-list", extra={"refused": refused})
        answer = not_allowed_message(channel=refused == "channel")
        if request.body.get("command"):
            body = json.dumps({"response_type": "ephemeral", **answer.to_dict()})
            return BoltResponse(status=200, body=body, headers={"content-type": "application/json"})
        payload = {**answer.to_dict(), "response_type": "ephemeral", "replace_original": False}
        try:
            response_url.post(request.body.get("response_url"), settings, payload)
        except Exception as error:  # best effort: log, go on
            log.warning("The refusal could not be posted (%s)", type(error).__name__)
        return BoltResponse(status=200, body="")

    app.middleware(guard)


def refusal(settings: Settings, user_id: str | None, channel_id: str | None) -> str | None:
    """ "user" or "channel" when an allow-list is set and excludes the request, else None."""
    if settings.allowed_users and user_id not in settings.allowed_users:
        return "user"
    if settings.allowed_channels and channel_id not in settings.allowed_channels:
        return "channel"
    return None
