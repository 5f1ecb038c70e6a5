"""Both event stores behind one fixture, so every store test runs on SQLite and on DynamoDB
(moto), and an event factory with Tencent-like defaults."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3  # type: ignore[import-untyped]
import pytest
from moto import mock_aws

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
