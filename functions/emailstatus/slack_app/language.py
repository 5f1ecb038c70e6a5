"""The asker's language, chosen once per request before any listener runs (docs/i18n.md).

``i18n`` keeps the locale in a context variable. Here each request is dispatched in a context
of its own (``App.dispatch``), a middleware sets the asker's locale in it, and lazy listeners
run in a copy of it (``i18n.ContextExecutor``): so the acknowledgement, the lookup that follows and
every message they render speak the same language, and no request can leave its language
behind for the next one on the same thread.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

import slack_bolt
from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient

from emailstatus.config import Settings
from emailstatus.i18n import activate, supported


class App(slack_bolt.App):
    """Bolt's app, dispatching each request in a context of its own (see the module)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        return contextvars.copy_context().run(super().dispatch, req)


def asker_locale(client: WebClient, user_id: str | None, settings: Settings) -> str:
    """The language to answer ``user_id`` in: theirs when we have it, else the configured one.

    The one place that decides; the asker's own Slack language joins here when their profile
    (``users.info``) is read.
    """
    del client, user_id  # until the asker's profile is read (issue 14, item 5)
    return supported(settings.locale) or settings.locale


def register(app: slack_bolt.App, settings: Settings) -> None:
    """Add the middleware that sets the asker's language for the rest of the request."""

    def set_language(context: BoltContext, next: Callable[[], Any]) -> Any:
        activate(asker_locale(context.client, context.user_id, settings))
        return next()

    app.use(set_language)
