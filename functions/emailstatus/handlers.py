"""AWS Lambda entry points.

``slack_events`` serves Slack's HTTP requests (API Gateway HTTP API v2 or a Function URL: both
send payload format 2.0) and the lazy self-invocations Bolt makes to finish a lookup after the
acknowledgement. The Bolt app is built once per container, at import, so a warm request pays
for nothing but its own work; import only what the Slack path needs. ``daily_digest`` runs the
scheduled digest, importing the digest's code only when it is called.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.adapter.aws_lambda import SlackRequestHandler
from slack_bolt.adapter.aws_lambda.lazy_listener_runner import LambdaLazyListenerRunner

from emailstatus.config import get_settings
from emailstatus.errors import EmailStatusError
from emailstatus.render.slack import failure_message
from emailstatus.slack_app import build_app

log = logging.getLogger(__name__)


def build_slack_handler(lambda_client: Any | None = None) -> SlackRequestHandler:
    """The Bolt app behind Bolt's Lambda adapter, from the current settings.

    ``lambda_client`` replaces the boto3 client the lazy self-invocation uses (tests, benches);
    by default Bolt creates one on the first lookup, off the import path.
    """
    handler = SlackRequestHandler(build_app(get_settings()))
    runner = LambdaLazyListenerRunner(handler.logger, lambda_client)
    handler.app.listener_runner.lazy_listener_runner = runner
    return handler


def reset(lambda_client: Any | None = None) -> None:
    """Rebuild the module's handler from the settings as they are now (tests and benches)."""
    global _slack  # noqa: PLW0603 - the one per-container handler, replaced on purpose
    _slack = _load(lambda_client)


def slack_events(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda handler for ``POST /slack/events``: commands, buttons and lazy re-invocations."""
    if isinstance(_slack, EmailStatusError):
        return _misconfigured(_slack)
    event.setdefault("isBase64Encoded", False)  # Bolt's adapter reads it unguarded
    response: dict[str, Any] = _slack.handle(event, context)  # type: ignore[no-untyped-call]
    return response


def daily_digest(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda handler for the scheduled digest (EventBridge); the work is in ``digest_job``."""
    from emailstatus.digest_job import handle_scheduled

    return handle_scheduled(event, context)


def _load(lambda_client: Any | None = None) -> SlackRequestHandler | EmailStatusError:
    """The handler, or the configuration error that prevents it (answered on every request)."""
    try:
        return build_slack_handler(lambda_client)
    except EmailStatusError as error:
        log.error("emailstatus cannot serve Slack: %s %s", error.explanation, error.next_step)
        return error


def _misconfigured(error: EmailStatusError) -> dict[str, Any]:
    """Say what is wrong instead of failing silently (Slack would show only "dispatch_failed")."""
    payload = {"response_type": "ephemeral", **failure_message(error).to_dict()}
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(payload),
    }


_slack: SlackRequestHandler | EmailStatusError = _load()
