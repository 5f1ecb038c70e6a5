"""Both event stores behind one fixture, so every store test runs on SQLite and on DynamoDB
(moto), and an event factory with Tencent-like defaults."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3  # type: ignore[import-untyped]
import pytest
from moto import mock_aws
from slack_bolt import App

from emailstatus.events.dynamodb import DynamoEventStore, table_definition
from emailstatus.events.model import Event, EventType
from emailstatus.events.sqlite import SqliteEventStore
from emailstatus.events.store import EventStore

ZONE = ZoneInfo("Asia/Shanghai")
TABLE = "emailstatus-test-events"
#: 2026-12-03 10:00:00 Beijing time.
T0 = 1_796_263_200
MESSAGE_ID = "qcloudses-30-1300000007-date-20261203095959-AbCdEfGhIjKl"


def make_event(type: EventType = EventType.DELIVERED, **fields: Any) -> Event:
    """An event of ``type`` for alice@example.com at ``T0`` unless told otherwise."""
    base = Event(
        type=type,
        message_id=MESSAGE_ID,
        at=T0,
        recipient="alice@example.com",
        sender="noreply@notify.example.com",
        sender_domain="notify.example.com",
        subject="Reset your password",
        template_id=12345,
    )
    return replace(base, **fields)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto's in-process AWS with dummy credentials; no real profile or endpoint leaks in."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-1")
    with mock_aws():
        yield


@pytest.fixture
def dynamodb(aws: None) -> Any:
    """A DynamoDB client with the events table created."""
    client = boto3.client("dynamodb")
    client.create_table(**table_definition(TABLE))
    return client


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """Each event store in turn, empty."""
    if request.param == "sqlite":
        sqlite = SqliteEventStore(tmp_path / "events.sqlite3", zone=ZONE)
        yield sqlite
        sqlite.close()
    else:
        client = request.getfixturevalue("dynamodb")
        yield DynamoEventStore(TABLE, zone=ZONE, client=client)


TOKEN = "tok_current_0123456789abcdefghij"
PREVIOUS_TOKEN = "tok_previous_0123456789abcdefghij"
QUEUE = "emailstatus-test-events"


@pytest.fixture
def lambda_env(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The receiver's and consumer's environment on moto: the queue (with its dead-letter
    queue), the table and the token; handler caches emptied around the test. Yields SQS."""
    from emailstatus.config import get_settings
    from emailstatus.events import handlers

    sqs = boto3.client("sqs")
    dlq = sqs.create_queue(QueueName=QUEUE + "-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]
    policy = {"deadLetterTargetArn": dlq_arn["QueueArn"], "maxReceiveCount": "3"}
    url = sqs.create_queue(QueueName=QUEUE, Attributes={"RedrivePolicy": json.dumps(policy)})[
        "QueueUrl"
    ]
    monkeypatch.setenv("EMAILSTATUS_EVENTS_QUEUE_URL", url)
    monkeypatch.setenv("EMAILSTATUS_EVENTS_TABLE", TABLE)
    monkeypatch.setenv("EMAILSTATUS_EVENTS_TOKEN", TOKEN)
    monkeypatch.setenv("EMAILSTATUS_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "emailstatus")
    for name in (
        "EMAILSTATUS_SSM_PATH",
        "EMAILSTATUS_EVENTS_TOKEN_PREVIOUS",
        "EMAILSTATUS_EVENTS_DB",
    ):
        monkeypatch.delenv(name, raising=False)
    caches = (get_settings, handlers._sqs, handlers._store)
    for cache in caches:
        cache.cache_clear()
    yield sqs
    for cache in caches:
        cache.cache_clear()


def http_api_event(path: str, body: str | bytes, *, method: str = "POST") -> dict[str, Any]:
    """What API Gateway's HTTP API (payload 2.0) hands the receiver."""
    encoded = isinstance(body, bytes)
    text = base64.b64encode(body).decode() if isinstance(body, bytes) else body
    return {
        "version": "2.0",
        "routeKey": "POST /tencent/events/{token}",
        "rawPath": path,
        "headers": {"content-type": "application/json"},
        "requestContext": {"http": {"method": method, "path": path}},
        "body": text,
        "isBase64Encoded": encoded,
    }


def alb_event(path: str, body: str, *, method: str = "POST") -> dict[str, Any]:
    """What an Application Load Balancer target (the port-8080 listener) is handed."""
    return {
        "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:tg"}},
        "httpMethod": method,
        "path": path,
        "headers": {"content-type": "application/json"},
        "body": body,
        "isBase64Encoded": False,
    }


def queued_records(sqs: Any, url: str) -> list[dict[str, Any]]:
    """Every message now on the queue, as the SQS trigger would hand them to the consumer."""
    records: list[dict[str, Any]] = []
    while True:
        answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        messages = answer.get("Messages", [])
        if not messages:
            return records
        for message in messages:
            records.append(
                {
                    "messageId": message["MessageId"],
                    "body": message["Body"],
                    "eventSource": "aws:sqs",
                }
            )
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


SIGNING_SECRET = "0123456789abcdef0123456789abcdef"


def slack_app() -> App:
    """A Bolt app for the local server's Slack route (the callback tests never reach it)."""
    return App(signing_secret=SIGNING_SECRET, token="xoxb-test", token_verification_enabled=False)
