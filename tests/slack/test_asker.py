"""The asker's zone and locale from Slack's ``users.info``: read, cached, and the configured
ones when Slack refuses, through slack_sdk's real WebClient against the fake Web API."""

from __future__ import annotations

import logging
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from emailstatus.slack_app.asker import (
    FALLBACK_TTL_S,
    PROFILE_TTL_S,
    AskerProfile,
    ProfileCache,
    asker_profile,
)
from testkit.fake_slack import BOT_TOKEN, FakeSlack
from testkit.fake_slack.users import SlackUser
from testkit.slack_requests import USER

CONFIGURED = ZoneInfo("Europe/Berlin")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slack_api(hooks: FakeSlack) -> WebClient:
    hooks.reset()
    return WebClient(token=BOT_TOKEN, base_url=hooks.api_url)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(clock: Clock) -> ProfileCache:
    return ProfileCache(clock)


def profile(client: WebClient, cache: ProfileCache, user: str = USER) -> AskerProfile:
    return asker_profile(client, user, default_zone=CONFIGURED, default_locale="en", cache=cache)


def test_the_askers_zone_and_locale_come_from_slack_and_are_kept_a_while(
    slack_api: WebClient, hooks: FakeSlack, cache: ProfileCache, clock: Clock
) -> None:
    hooks.users.users[USER] = SlackUser(tz="America/Los_Angeles", locale="zh-CN")
    first = profile(slack_api, cache)
    assert first == AskerProfile(ZoneInfo("America/Los_Angeles"), "zh-CN", from_slack=True)
    assert hooks.users.calls == [(USER, True)]  # the locale was asked for
    clock.now += PROFILE_TTL_S - 1
    hooks.users.users[USER] = SlackUser(tz="Asia/Tokyo", locale="en-US")  # they travelled
    assert profile(slack_api, cache) == first  # from the cache: Slack was not asked
    assert len(hooks.users.calls) == 1
    clock.now += 2
    assert profile(slack_api, cache).zone == ZoneInfo("Asia/Tokyo")
    assert len(hooks.users.calls) == 2


def test_without_users_read_the_configured_zone_answers_and_one_warning_says_why(
    slack_api: WebClient,
    hooks: FakeSlack,
    cache: ProfileCache,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hooks.users.scopes = ("commands", "chat:write")  # installed before users:read was added
    caplog.set_level(logging.WARNING, "emailstatus.slack_app.asker")
    fallback = AskerProfile(CONFIGURED, "en", from_slack=False)
    assert profile(slack_api, cache) == fallback
    assert profile(slack_api, cache, "U0SECOND") == fallback
    clock.now += FALLBACK_TTL_S + 1
    assert profile(slack_api, cache) == fallback  # asked again after a minute, still refused
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "users:read" in warnings[0].getMessage()
    assert getattr(warnings[0], "slack_error", None) == "missing_scope"


def test_an_unknown_user_gets_the_configured_zone(
    slack_api: WebClient, cache: ProfileCache
) -> None:
    assert profile(slack_api, cache, "U0NOBODY") == AskerProfile(CONFIGURED, "en", False)


def test_a_user_without_a_zone_keeps_their_locale(
    slack_api: WebClient, hooks: FakeSlack, cache: ProfileCache
) -> None:
    hooks.users.users[USER] = SlackUser(tz=None, locale="zh-CN")
    assert profile(slack_api, cache) == AskerProfile(CONFIGURED, "zh-CN", from_slack=False)


def test_when_slack_rate_limits_it_is_not_asked_again_before_retry_after(
    slack_api: WebClient, hooks: FakeSlack, cache: ProfileCache, clock: Clock
) -> None:
    hooks.users.users[USER] = SlackUser(tz="Asia/Tokyo")
    hooks.users.per_minute = 0  # every call is over Tier 4's limit: HTTP 429 + Retry-After: 60
    assert profile(slack_api, cache).from_slack is False
    assert hooks.users.limited == 1
    hooks.users.per_minute = 100
    clock.now += FALLBACK_TTL_S + 10  # past the usual fallback time, within Retry-After
    assert profile(slack_api, cache).from_slack is False
    assert hooks.users.limited == 1 and hooks.users.calls == []  # Slack was not asked
    clock.now += 60
    assert profile(slack_api, cache).zone == ZoneInfo("Asia/Tokyo")


def test_a_network_failure_falls_back_quietly(
    slack_api: WebClient, hooks: FakeSlack, cache: ProfileCache
) -> None:
    hooks.users.broken = True
    assert profile(slack_api, cache) == AskerProfile(CONFIGURED, "en", False)


def test_no_user_no_call(slack_api: WebClient, hooks: FakeSlack) -> None:
    fixed = timezone(timedelta(hours=8))
    assert asker_profile(slack_api, None, default_zone=fixed) == AskerProfile(fixed, None, False)
    assert hooks.users.calls == []
