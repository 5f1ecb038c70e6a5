"""Lambda entry points of the events path: the callback receiver, the SQS consumer and the
5-minute alerts.

Both are small on purpose: neither imports Bolt nor the Tencent SDK, and neither reads the
Slack or Tencent secrets (their roles may not). The receiver answers from its own container's
cached token and SQS client within milliseconds, whatever the burst; the consumer does the
DynamoDB work at the queue's pace.

``receive_callback`` serves the HTTP API (payload format 2.0) and the optional ALB listener on
port 8080 alike: both carry the path, the method and the (maybe base64) body.
"""

from __future__ import annotations

import base64
import binascii
import functools
import logging
import os
import time
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from emailstatus.config import events_tokens, get_settings
from emailstatus.errors import EmailStatusError
from emailstatus.events.backend import open_store
from emailstatus.events.consumer import consume
from emailstatus.events.model import Event
from emailstatus.events.payload import MAX_BODY_BYTES
from emailstatus.events.queue import encode
from emailstatus.events.receiver import CallbackFate, DeliveryError, Reception, receive
from emailstatus.events.store import EventStore
from emailstatus.i18n import use_locale

#: Where the receiver finds the queue, and the SSM path of its tokens.
QUEUE_URL_VARIABLE = "EMAILSTATUS_EVENTS_QUEUE_URL"
TOKEN_PATH_VARIABLE = "EMAILSTATUS_EVENTS_TOKEN_PATH"

log = logging.getLogger(__name__)
metrics = Metrics(namespace="emailstatus")


@metrics.log_metrics
def receive_callback(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """``POST /tencent/events/<token>`` from the HTTP API or the ALB."""
    reception = _receive(event)
    metrics.add_metric(name=f"callback_{reception.outcome}", unit=MetricUnit.Count, value=1)
    if reception.outcome is CallbackFate.ACCEPTED:
        metrics.add_metric(name="events_received", unit=MetricUnit.Count, value=reception.events)
    response: dict[str, Any] = {
        "statusCode": reception.status,
        "headers": {"content-type": "application/json"},
        "body": reception.json(),
        "isBase64Encoded": False,
    }
    if "httpMethod" in event:  # an ALB target's answer also names its status line
        response["statusDescription"] = f"{reception.status} {_REASONS[reception.status]}"
    return response


def consume_queue(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The SQS trigger (``ReportBatchItemFailures``): store the batch, name what failed."""
    failed = consume(event.get("Records", []), _store())
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}


def check_alerts(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Every 5 minutes (EventBridge Scheduler): alert or all-clear in the alert channel."""
    from emailstatus.events.alert_job import run_alerts
    from emailstatus.events.alert_post import SlackAlertPoster

    settings = get_settings()
    if not settings.alert_channel:
        return {"posted": [], "skipped": "EMAILSTATUS_ALERT_CHANNEL is not set"}
    poster = SlackAlertPoster(settings)
    with use_locale(settings.digest_locale or settings.locale):  # the channel's language
        actions = run_alerts(_store(), poster, settings.thresholds, now=int(time.time()))
    return {"posted": [f"{action.kind} {action.posted}" for action in actions]}


def _receive(event: dict[str, Any]) -> Reception:
    method = event.get("requestContext", {}).get("http", {}).get("method") or event.get(
        "httpMethod", ""
    )
    path = event.get("rawPath") or event.get("path") or ""
    if method != "POST":
        return Reception(CallbackFate.WRONG_TOKEN, 404, {"message": "Not Found"})
    body = event.get("body") or ""
    if len(body) > 2 * MAX_BODY_BYTES:  # far too big: not worth decoding
        raw = body[: MAX_BODY_BYTES + 1].encode()
    elif event.get("isBase64Encoded"):
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raw = b"\xff"  # not base64 after all: refused as not JSON
    else:
        raw = body.encode()
    try:
        tokens = _tokens()
    except EmailStatusError as error:
        log.error("Cannot check callback tokens: %s %s", error.explanation, error.next_step)
        metrics.add_metric(name="callback_tokens_unreadable", unit=MetricUnit.Count, value=1)
        return Reception(CallbackFate.UNAVAILABLE, 503, {"error": "temporarily unavailable"})
    return receive(path, raw, tokens=tokens, now=int(time.time()), deliver=_send)


def _tokens() -> tuple[str, ...]:
    """The accepted tokens: from the environment if set there, else from SSM (cached)."""
    tokens = events_tokens(os.environ)
    if tokens:
        return tokens
    from emailstatus.secrets import fetch_events_tokens

    return fetch_events_tokens(os.environ.get(TOKEN_PATH_VARIABLE, ""))


def _send(events: list[Event]) -> None:
    try:
        _sqs().send_message(QueueUrl=os.environ[QUEUE_URL_VARIABLE], MessageBody=encode(events))
    except (BotoCoreError, ClientError, KeyError) as error:
        raise DeliveryError(f"SQS send failed: {type(error).__name__}") from None


@functools.cache
def _sqs() -> Any:
    import boto3  # type: ignore[import-untyped]

    return boto3.session.Session().client("sqs")


@functools.cache
def _store() -> EventStore:
    return open_store(get_settings())


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}
