"""``handlers.daily_digest`` as Lambda calls it: settings from the environment, time from the
context, DynamoDB (moto) guarding the day, Slack a local fake."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from emailstatus import handlers
from emailstatus.config import get_settings
from emailstatus.handlers import DEADLINE_MARGIN, DigestRetryError
from ses_simulator import Faults, Simulator
from testkit.block_kit import all_text
from testkit.fake_slack import BOT_TOKEN, FakeSlack
from tests.digest.conftest import CHANNEL, TABLE


class Context:
    """The one thing the handler reads from Lambda's context: the time left."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds

    def get_remaining_time_in_millis(self) -> int:
        return int(self._seconds * 1000)


@pytest.fixture
def lambda_env(
    monkeypatch: pytest.MonkeyPatch, dsim: Simulator, fake_slack: FakeSlack, dynamodb: Any
) -> Iterator[pytest.MonkeyPatch]:
    """The digest function's environment, as serverless.yml sets it."""
    for name, value in {
        "TENCENTCLOUD_SECRET_ID": dsim.secret_id,
        "TENCENTCLOUD_SECRET_KEY": dsim.secret_key,
        "EMAILSTATUS_SES_ENDPOINT": dsim.endpoint,
        "EMAILSTATUS_SES_RATE": "400",
        "EMAILSTATUS_DIGEST_RATE": "400",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "EMAILSTATUS_SLACK_API_URL": fake_slack.api_url,
        "EMAILSTATUS_DIGEST_CHANNEL": CHANNEL,
        "EMAILSTATUS_TABLE": TABLE,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_scheduled_run_posts_once_per_day(
    lambda_env: pytest.MonkeyPatch, dsim: Simulator, fake_slack: FakeSlack, day: date
) -> None:
    first = handlers.daily_digest({}, Context(900))
    again = handlers.daily_digest({"source": "aws.events"}, Context(900))

    assert first["ok"] and first["date"] == day.isoformat()
    assert first["channels"][0]["outcome"] == "posted" and first["complete"] is True
    assert again["channels"][0]["outcome"] == "already_posted"
    assert len(fake_slack.posts(thread=False)) == 1


def test_the_deadline_comes_from_the_context(
    lambda_env: pytest.MonkeyPatch, dsim: Simulator, fake_slack: FakeSlack, day: date
) -> None:
    lambda_env.setenv("EMAILSTATUS_DIGEST_RATE", "10")
    get_settings.cache_clear()
    dsim.set_faults(Faults(latency=0.05))

    result = handlers.daily_digest({"date": day.isoformat()}, Context(DEADLINE_MARGIN + 0.6))

    assert result["ok"] and result["complete"] is False
    text = all_text(fake_slack.posts(thread=False)[0])
    total = len(dsim.dataset.day_records(day))
    assert "Incomplete" in text and f"the whole day:* {total:,} requested" in text


def test_a_configuration_error_is_returned_not_retried(lambda_env: pytest.MonkeyPatch) -> None:
    lambda_env.delenv("EMAILSTATUS_DIGEST_CHANNEL")
    get_settings.cache_clear()

    result = handlers.daily_digest({}, Context(900))

    assert result == {
        "ok": False,
        "error": "No channel to post the digest to.",
        "next_step": "Set EMAILSTATUS_DIGEST_CHANNEL (channel IDs, comma-separated).",
    }


def test_a_slack_outage_is_raised_for_lambda_to_retry(
    lambda_env: pytest.MonkeyPatch, fake_slack: FakeSlack, day: date
) -> None:
    fake_slack.fail_next("chat.postMessage", "service_unavailable")

    with pytest.raises(DigestRetryError, match="service_unavailable"):
        handlers.daily_digest({}, Context(900))
    retried = handlers.daily_digest({}, Context(900))

    assert retried["channels"][0]["outcome"] == "posted"


def test_a_bad_date_in_the_event_is_explained(lambda_env: pytest.MonkeyPatch) -> None:
    result = handlers.daily_digest({"date": "yesterday-ish"}, Context(900))

    assert not result["ok"] and "yesterday-ish" in result["error"]
