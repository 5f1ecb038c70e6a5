"""Digest fixtures: a simulated day of 2,000 emails, the fake Slack, a moto table.

The Tencent side is the project's simulator over HTTP with the real SDK; DynamoDB is moto's;
Slack is ``testkit.fake_slack`` (``chat.postMessage`` with Slack's per-channel rate,
``conversations.history``, ``files_upload_v2``'s steps, scripted 429s and failures).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints
import pytest
from moto import mock_aws

from emailstatus.config import Settings, load_settings
from emailstatus.digest.store import DigestStore
from ses_simulator import Simulator, SimulatorConfig
from testkit.fake_slack import BOT_TOKEN

EMAILS_PER_DAY = 2000
TABLE = "emailstatus-digest-test"
CHANNEL = "C0DIGEST01"


@pytest.fixture(scope="session")
def day_sim() -> Iterator[Simulator]:
    """A simulator with 2,000 emails a day and no rate limit (tests that need one set it)."""
    config = SimulatorConfig(seed=11, emails_per_day=EMAILS_PER_DAY, rate_limit=None)
    with Simulator(config) as running:
        yield running


@pytest.fixture
def dsim(day_sim: Simulator) -> Simulator:
    """The shared digest simulator, reset (faults, rate limit, counters) for this test."""
    day_sim.reset()
    return day_sim


@pytest.fixture
def day(dsim: Simulator) -> date:
    """Yesterday in the simulated account: a whole day of emails."""
    return dsim.dataset.today - timedelta(days=1)


def digest_settings(sim: Simulator, **env: str) -> Settings:
    """Settings pointed at ``sim``, at a high digest rate unless the test says otherwise."""
    base = {
        "TENCENTCLOUD_SECRET_ID": sim.secret_id,
        "TENCENTCLOUD_SECRET_KEY": sim.secret_key,
        "EMAILSTATUS_SES_ENDPOINT": sim.endpoint,
        "EMAILSTATUS_SES_RATE": "400",
        "EMAILSTATUS_DIGEST_RATE": "400",
        "EMAILSTATUS_SES_TIMEOUT": "2",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "EMAILSTATUS_DIGEST_CHANNEL": CHANNEL,
    }
    return load_settings({**base, **env})


# --- DynamoDB ------------------------------------------------------------------------------------


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """moto's DynamoDB with the digest table (partition key ``id``, TTL ``expiration``)."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-southeast-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-southeast-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.update_time_to_live(
            TableName=TABLE,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"},
        )
        yield client


@pytest.fixture
def store(dynamodb: Any) -> DigestStore:
    return DigestStore(TABLE, client=dynamodb)
