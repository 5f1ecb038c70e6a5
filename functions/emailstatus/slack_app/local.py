"""``emailstatus serve``: the same Bolt app without AWS, for development and a trial workspace.

Over HTTP it listens on ``POST /slack/events`` (Bolt's development server; lazy listeners run
in threads). With Socket Mode it connects out to Slack with an app-level token, so a workspace
can reach it without a public URL.
"""

from __future__ import annotations

import sys

from emailstatus.config import Settings
from emailstatus.errors import ConfigError
from emailstatus.slack_app import build_app

EVENTS_PATH = "/slack/events"


def serve(settings: Settings, *, port: int = 3000, socket_mode: bool = False) -> None:
    """Run until interrupted."""
    app = build_app(settings)
    if not socket_mode:
        print(f"emailstatus: listening on http://localhost:{port}{EVENTS_PATH}", file=sys.stderr)
        app.start(port=port, path=EVENTS_PATH, http_server_logger_enabled=False)
        return
    if not settings.slack_app_token:
        raise ConfigError(
            "Socket Mode needs an app-level token: SLACK_APP_TOKEN is not set.",
            next_step="In the Slack app's settings, turn on Socket Mode and create an app-level "
            "token with the connections:write scope; set it as SLACK_APP_TOKEN (xapp-…).",
        )
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    print("emailstatus: connected to Slack over Socket Mode", file=sys.stderr)
    SocketModeHandler(app, settings.slack_app_token).start()  # type: ignore[no-untyped-call]
