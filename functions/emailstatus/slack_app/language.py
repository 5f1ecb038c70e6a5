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

from emailstatus.config import Settings
from emailstatus.i18n import ENGLISH, activate, supported
from emailstatus.slack_app.asker import AskerProfile, asker_profile, cached_profile


class App(slack_bolt.App):
    """Bolt's app, dispatching each request in a context of its own (see the module)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        return contextvars.copy_context().run(super().dispatch, req)


def asker_locale(request: BoltRequest, context: BoltContext, settings: Settings) -> str:
    """The language to answer this request's user in: theirs when we have it, else the
    configured one (``EMAILSTATUS_LOCALE``). The one place that decides.

    Slack is asked (``users.info``, cached per user) only in the work after the
    acknowledgement (Bolt's lazy invocation); an acknowledgement uses the profile this process
    already holds, so Slack's 3 seconds are never spent on it.
    """
    user = context.user_id
    if request.lazy_only:
        profile: AskerProfile | None = asker_profile(
            context.client, user, default_zone=settings.zone, default_locale=settings.locale
        )
    else:
        profile = cached_profile(user)
    return supported(profile.locale if profile else None) or supported(settings.locale) or ENGLISH


def register(app: slack_bolt.App, settings: Settings) -> None:
    """Add the middleware that sets the asker's language for the rest of the request."""

    def set_language(
        request: BoltRequest,
        context: BoltContext,
        next: Callable[[], Any],
    ) -> Any:
        activate(asker_locale(request, context, settings))
        return next()

    app.use(set_language)
