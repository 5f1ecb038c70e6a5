"""AWS Lambda entry points.

``slack_events`` serves Slack's HTTP requests (API Gateway HTTP API v2 or a Function URL: both
send payload format 2.0) and the lazy self-invocations Bolt makes to finish a lookup after the
acknowledgement. The Bolt app is built once per container, at import, so a warm request pays
for nothing but its own work; import only what the Slack path needs. ``daily_digest`` runs the
scheduled digest, importing the digest's code only when it is called.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from slack_bolt.adapter.aws_lambda import SlackRequestHandler
from slack_bolt.adapter.aws_lambda.lazy_listener_runner import LambdaLazyListenerRunner

from emailstatus.config import Settings, get_settings
from emailstatus.errors import ConfigError, EmailStatusError, SesError, log_bug
from emailstatus.render.slack import failure_message
from emailstatus.slack_app import build_app
from emailstatus.slack_app.gate import MAX_BODY_BYTES, Refused, admit, http_headers

log = logging.getLogger(__name__)

#: Seconds kept free at the end of the digest's invocation: the last SES request in flight (the
#: SES timeout), GetStatisticsReport, DynamoDB and posting to Slack, Retry-After included.
DEADLINE_MARGIN = 30.0
#: The CloudWatch metric every failed digest run adds one to (``serverless.yml`` alarms on it).
METRIC_NAMESPACE = "emailstatus"
FAILURE_METRIC = "DigestFailed"

#: After a failed start (SSM unreachable, a setting missing) the next request tries again once
#: this many seconds have passed, doubling up to the maximum, so a brief SSM outage at a cold
#: start heals by itself and a lasting one does not make every request wait on SSM.
RELOAD_BACKOFF_S: Final = 1.0
RELOAD_BACKOFF_MAX_S: Final = 60.0


@dataclass(frozen=True)
class _SlackSide:
    """The container's handler, or why there is none and when to try again."""

    handler: SlackRequestHandler | EmailStatusError
    signing_secret: str | None
    lambda_client: Any | None
    retry_at: float = 0.0
    backoff: float = RELOAD_BACKOFF_S


def build_slack_handler(
    settings: Settings, lambda_client: Any | None = None
) -> SlackRequestHandler:
    """The Bolt app behind Bolt's Lambda adapter.

    ``lambda_client`` replaces the boto3 client the lazy self-invocation uses (tests, benches);
    by default Bolt creates one on the first lookup, off the import path.
    """
    handler = SlackRequestHandler(build_app(settings))
    runner = LambdaLazyListenerRunner(handler.logger, lambda_client)
    handler.app.listener_runner.lazy_listener_runner = runner
    return handler


def reset(lambda_client: Any | None = None) -> None:
    """Rebuild the module's handler from the settings as they are now (tests and benches)."""
    global _slack  # noqa: PLW0603 - the one per-container handler, replaced on purpose
    _slack = _load(lambda_client)


def slack_events(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda handler for ``POST /slack/events``: commands, buttons and lazy re-invocations.

    Nothing of a request is parsed or used before its signature is verified (``gate``); only a
    verified request may learn that the deployment is misconfigured.
    """
    side = _current()
    body = _raw_body(event)
    if isinstance(body, Refused):
        return _refuse(body)
    # Bolt's adapter marks its own self-invocation (Lambda's Invoke API, IAM-guarded) so.
    self_invocation = event.get("method") == "NONE"
    headers = http_headers(event.get("headers") or {}, self_invocation=self_invocation)
    if side.signing_secret is None:
        return _refuse(Refused(503, "no signing secret: nothing can be verified"))
    admitted = admit(body, headers, side.signing_secret)
    if isinstance(admitted, Refused):
        return _refuse(admitted)
    if isinstance(side.handler, EmailStatusError):
        return _misconfigured(side.handler)
    verified = {**event, "headers": headers, "body": admitted, "isBase64Encoded": False}
    response: dict[str, Any] = side.handler.handle(verified, context)  # type: ignore[no-untyped-call]
    return response


class DigestRetryError(Exception):
    """Raised to the Lambda runtime so the scheduled invocation is retried (message only)."""


def daily_digest(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda handler for the scheduled digest (EventBridge); the digest itself is
    ``digest.run.run_digest``, this is what Lambda needs around it.

    The day is yesterday in the configured zone, or the event's ``"date"`` (YYYY-MM-DD) for a
    manual re-run. The walk stops ``DEADLINE_MARGIN`` seconds before the invocation's time runs
    out. A failure a retry may cure (Slack, DynamoDB, Tencent trouble) is raised so Lambda
    retries; one it cannot (configuration, a bad date) is logged and returned.
    """
    from emailstatus.digest.run import ChannelStatus, default_day, run_digest

    try:
        settings = get_settings()
        day = _event_day(event) or default_day(settings)
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        deadline = (
            time.monotonic() + remaining() / 1000 - DEADLINE_MARGIN if callable(remaining) else None
        )
        run = run_digest(settings, day=day, deadline=deadline)
    except EmailStatusError as error:
        log.error(
            "The daily digest failed: %s %s",
            error.explanation,
            error.next_step,
            extra={"code": error.code or None, "actor": error.actor.value},
        )
        count_failure(error.code or type(error).__name__)
        if _worth_retrying(error):
            raise DigestRetryError(error.explanation) from None
        return {"ok": False, "error": error.explanation, "next_step": error.next_step}
    except Exception as error:
        # A bug: its type and frames are logged (not its message, which may hold an address),
        # counted for the alarm, and the invocation fails so the scheduler retries it.
        log_bug("digest", error)
        count_failure(type(error).__name__)
        raise DigestRetryError(
            f"The daily digest hit an unexpected {type(error).__name__}; see the log."
        ) from None
    busy = [r.channel for r in run.channels if r.outcome is ChannelStatus.BUSY]
    if busy:
        # Another run holds the day (or held it and died): this invocation must not count as
        # a success, or a day whose run died would be skipped; the retry comes back later.
        log.warning("Daily digest busy elsewhere: to be retried", extra={"run": run.to_json()})
        raise DigestRetryError(f"The digest of {run.day} is held by another run for {busy}.")
    log.info("Daily digest done", extra={"run": run.to_json()})
    return {"ok": True, **run.to_json()}


def count_failure(code: str) -> None:
    """One ``DigestFailed`` metric (CloudWatch embedded metric format), for the alarm."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    with single_metric(
        name=FAILURE_METRIC, unit=MetricUnit.Count, value=1, namespace=METRIC_NAMESPACE
    ) as metric:
        metric.add_dimension(name="code", value=code[:200])


def _event_day(event: Mapping[str, Any]) -> date | None:
    raw = event.get("date") if isinstance(event, Mapping) else None
    if raw is None:
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ConfigError(
            f"The event's date is not a date: {raw!r}.",
            next_step='Invoke with {"date": "YYYY-MM-DD"}, or with no date for yesterday.',
        ) from None


def _worth_retrying(error: EmailStatusError) -> bool:
    """Configuration and rejected credentials stay wrong on a retry; the rest may pass."""
    if isinstance(error, SesError):
        return error.retryable
    return not isinstance(error, ConfigError)


def _current() -> _SlackSide:
    """The handler, loading it again when the last attempt failed and its backoff is over."""
    global _slack  # noqa: PLW0603 - the one per-container handler, replaced on purpose
    if isinstance(_slack.handler, EmailStatusError) and time.monotonic() >= _slack.retry_at:
        _slack = _load(_slack.lambda_client, backoff=_slack.backoff)
    return _slack


def _load(lambda_client: Any | None = None, *, backoff: float = 0.0) -> _SlackSide:
    """The handler, or the configuration error that prevents it (retried after ``backoff``)."""
    secret: str | None = None
    try:
        settings = get_settings()
        secret = settings.slack_signing_secret
        handler = build_slack_handler(settings, lambda_client)
    except EmailStatusError as error:
        log.error("emailstatus cannot serve Slack: %s %s", error.explanation, error.next_step)
        return _SlackSide(
            error,
            secret,
            lambda_client,
            retry_at=time.monotonic() + backoff,
            backoff=min(max(backoff * 2, RELOAD_BACKOFF_S), RELOAD_BACKOFF_MAX_S),
        )
    return _SlackSide(handler, secret, lambda_client)


def _raw_body(event: dict[str, Any]) -> bytes | Refused:
    """The body's bytes as Slack signed them; too large or undecodable ones refused unread."""
    body = event.get("body") or ""
    if not isinstance(body, str):
        return Refused(400, "body is not text")
    if event.get("isBase64Encoded"):
        if len(body) > (MAX_BODY_BYTES + 2) // 3 * 4:
            return Refused(413, "body too large")
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return Refused(401, "body is not base64: it cannot have been verified")
    if len(body) > MAX_BODY_BYTES:
        return Refused(413, "body too large")
    return body.encode("utf-8", "surrogatepass")


def _refuse(refused: Refused) -> dict[str, Any]:
    """A status with no detail a caller could use; the log gets the reason, never content."""
    log.info("Request refused before any work (%s): %s", refused.status, refused.reason)
    return {
        "statusCode": refused.status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"error": "request refused"}),
    }


def _misconfigured(error: EmailStatusError) -> dict[str, Any]:
    """Say what is wrong to a verified request (Slack would show only "dispatch_failed")."""
    payload = {"response_type": "ephemeral", **failure_message(error).to_dict()}
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(payload),
    }


_slack: _SlackSide = _load()
