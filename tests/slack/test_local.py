"""``emailstatus serve``: the same app off Lambda, lazy listeners in threads."""

from __future__ import annotations

import logging
import time

import pytest
from slack_bolt import BoltRequest

from emailstatus.cli import main
from emailstatus.config import get_settings
from emailstatus.slack_app import build_app
from ses_simulator import FIXTURES
from testkit.block_kit import assert_valid_message
from testkit.fake_slack import FakeSlack
from testkit.slack_requests import command_body, signed_event


def test_off_lambda_the_lazy_lookup_runs_in_a_thread(
    slack_env: pytest.MonkeyPatch, hooks: FakeSlack
) -> None:
    app = build_app(get_settings())
    body = command_body(FIXTURES["bounced"].address, hooks.response_url())
    event = signed_event(body)
    hooks.response_urls.posts.clear()
    response = app.dispatch(BoltRequest(body=body, headers=event["headers"]))
    assert response.status == 200
    assert response.body and "Looking up" in response.body
    deadline = time.monotonic() + 10
    while not hooks.response_urls.posts and time.monotonic() < deadline:
        time.sleep(0.02)
    (post,) = [payload for _, payload in hooks.response_urls.posts]
    assert_valid_message(post)
    assert post["text"].startswith(":x: Bounced")


def test_socket_mode_without_an_app_token_says_what_to_set(
    slack_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--socket-mode"]) == 1
    error = capsys.readouterr().err
    assert "SLACK_APP_TOKEN is not set" in error
    assert "connections:write" in error
    assert "Traceback" not in error


def test_the_app_leaves_the_package_loggers_alone(
    slack_env: pytest.MonkeyPatch, hooks: FakeSlack
) -> None:
    """Bolt names a logger after the app and sets its level: it must not be ours."""
    package = logging.getLogger("emailstatus")
    level = package.level
    package.setLevel(logging.NOTSET)
    try:
        app = build_app(get_settings())
        body = command_body("help", hooks.response_url())
        app.dispatch(BoltRequest(body=body, headers=signed_event(body)["headers"]))
        assert package.level == logging.NOTSET
    finally:
        package.setLevel(level)
    assert logging.getLogger("emailstatus.bolt").level == logging.WARNING
