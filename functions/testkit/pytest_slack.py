"""The fake Slack and the Slack function as pytest fixtures, for every suite (registered in
``tests/conftest.py`` with ``pytest_plugins``), so no suite imports another's conftest.

- ``fake_slack``: a fresh fake Slack for one test (the digest, alerts, secrets suites);
- ``hooks``: the session's fake Slack, reset for each test by ``slack``;
- ``slack_env`` and ``slack``: the Slack function's environment (pointed at the simulator,
  ``sim``, and at ``hooks``) and the harness that drives it;
- ``audit_log``: what the audit logger writes during the test.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from emailstatus.config import get_settings
from emailstatus.slack_app.asker import forget_profiles
from ses_simulator import Simulator
from testkit.fake_slack import BOT_TOKEN, FakeSlack
from testkit.slack_harness import SlackHarness
from testkit.slack_requests import SIGNING_SECRET


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fresh fake Slack; its ``api_url`` goes into EMAILSTATUS_SLACK_API_URL."""
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="session")
def hooks() -> Iterator[FakeSlack]:
    """The session's fake Slack (reset by ``slack`` for each test)."""
    with FakeSlack() as server:
        yield server


@pytest.fixture
def slack_env(
    monkeypatch: pytest.MonkeyPatch, sim: Simulator, hooks: FakeSlack
) -> Iterator[pytest.MonkeyPatch]:
    """The environment a deployed function has, pointed at the simulator; settings re-read."""
    for name in (
        "EMAILSTATUS_ALLOWED_USERS",
        "EMAILSTATUS_ALLOWED_CHANNELS",
        "EMAILSTATUS_SSM_PATH",
        "SLACK_APP_TOKEN",
        "TENCENTCLOUD_SESSION_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    # The fake Slack: its response_urls are allowed, and any Web API call is caught.
    monkeypatch.setenv("EMAILSTATUS_SLACK_API_URL", hooks.api_url)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", sim.secret_id)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", sim.secret_key)
    monkeypatch.setenv("EMAILSTATUS_SES_ENDPOINT", sim.endpoint)
    monkeypatch.setenv("EMAILSTATUS_TIMEZONE", "Asia/Shanghai")
    # Suites send hundreds of commands as one user; test_guard tests the limit itself.
    monkeypatch.setenv("EMAILSTATUS_USER_LOOKUPS_PER_MINUTE", "100000")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def slack(slack_env: pytest.MonkeyPatch, hooks: FakeSlack) -> SlackHarness:
    """The Lambda handler, rebuilt from this test's environment, invoking itself through the
    fake Slack's Lambda endpoint.

    Change the environment, then call ``slack.rebuild()`` to see it.
    """
    hooks.reset()
    forget_profiles()
    harness = SlackHarness(hooks)
    harness.rebuild()
    return harness


@pytest.fixture
def audit_log() -> Iterator[io.StringIO]:
    """Everything the audit logger writes during the test (its real JSON lines)."""
    from emailstatus.slack_app.audit import audit_logger

    stream = io.StringIO()
    handler = audit_logger().registered_handler
    assert hasattr(handler, "setStream")
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)
