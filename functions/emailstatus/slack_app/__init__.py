"""The Bolt app behind ``/emailstatus``, its shortcuts, the lookup form and App Home, assembled
in one place.

``build_app(settings)`` is used by the Lambda handler and by ``emailstatus serve``. It makes no
Web API call at start, and none for the slash command: ``authorize`` hands Bolt the bot token
from Settings instead of Bolt's default ``auth.test`` round trip, which a cold Lambda cannot
afford. Only the modals and Home call Slack (``views.open``/``update``/``publish``).
"""

from __future__ import annotations

import logging

from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from emailstatus.config import SLACK_TIMEOUT_S, Settings
from emailstatus.errors import ConfigError
from emailstatus.i18n import ContextExecutor
from emailstatus.privacy import quiet_request_dumpers
from emailstatus.slack_app import (
    actions,
    blocklist,
    commands,
    guard,
    home,
    language,
    lookup_form,
    shortcut,
)
from emailstatus.slack_app.answer import Answers

#: Bolt logs whole request bodies (addresses included) at INFO and DEBUG: keep it to warnings.
BOLT_LOG_LEVEL = logging.WARNING


def build_app(settings: Settings, answers: Answers | None = None) -> language.App:
    """The app with its guard, the slash command and the buttons; ``answers`` for tests."""
    signing_secret, bot_token = settings.slack_signing_secret, settings.slack_bot_token
    if not signing_secret or not bot_token:
        missing = " and ".join(
            name
            for name, value in (
                ("SLACK_SIGNING_SECRET", signing_secret),
                ("SLACK_BOT_TOKEN", bot_token),
            )
            if not value
        )
        raise ConfigError(
            f"The Slack app is not configured: {missing} not set.",
            next_step="Copy the values from the Slack app's Basic Information and OAuth & "
            "Permissions pages into the settings (environment or SSM).",
        )

    def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=bot_token)

    bolt_logger = logging.getLogger("emailstatus.bolt")
    bolt_logger.setLevel(BOLT_LOG_LEVEL)
    quiet_request_dumpers()
    app = language.App(
        name="emailstatus-slack",  # also a logger name: kept out of the package's hierarchy
        logger=bolt_logger,
        signing_secret=signing_secret,
        client=WebClient(base_url=settings.slack_api_url, timeout=SLACK_TIMEOUT_S),
        authorize=authorize,
        process_before_response=True,
        listener_executor=ContextExecutor(max_workers=5),  # Bolt's own default size
    )
    answers = answers or Answers(settings)
    language.register(app, settings)  # first: even a refusal is in the asker's language
    guard.register(app, settings)
    commands.register(app, answers)
    actions.register(app, answers)
    blocklist.register(app, answers)
    shortcut.register(app, answers)
    lookup_form.register(app, answers)
    home.register(app, answers)
    app.error(answers.on_error)
    return app
