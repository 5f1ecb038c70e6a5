"""Rotating the callback token without losing a callback: new and old both work until
``--finish``, and the receiver sees a rotation within its cache time."""

from __future__ import annotations

from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest

from emailstatus import secrets
from emailstatus.cli import main
from emailstatus.errors import ConfigError
from emailstatus.events.receiver import token_accepted
from emailstatus.params import finish_events_token_rotation, put_events_token


@pytest.fixture
def ssm(aws: None) -> Any:
    secrets.forget_events_tokens()
    yield boto3.client("ssm")
    secrets.forget_events_tokens()


def accepted(token: str) -> bool:
    secrets.forget_events_tokens()  # as a container would after EVENTS_TOKEN_TTL_S
    return token_accepted(token, secrets.fetch_events_tokens("/emailstatus/prod/"))


def test_a_rotation_keeps_the_old_token_until_it_is_finished(ssm: Any) -> None:
    first = put_events_token("prod", client=ssm)
    assert not first.kept_previous
    assert accepted(first.token)
    second = put_events_token("prod", client=ssm)
    assert second.kept_previous and second.token != first.token
    assert accepted(first.token) and accepted(second.token)
    assert finish_events_token_rotation("prod", client=ssm)
    assert accepted(second.token) and not accepted(first.token)
    assert not finish_events_token_rotation("prod", client=ssm)


def test_a_receiver_without_its_token_says_how_to_write_one(ssm: Any) -> None:
    with pytest.raises(ConfigError) as caught:
        secrets.fetch_events_tokens("/emailstatus/prod/")
    assert "emailstatus params put-events-token --stage prod" in caught.value.next_step


def test_the_cli_prints_the_path_to_register(ssm: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "put-events-token", "--stage", "prod"]) == 0
    printed = capsys.readouterr().out
    token = ssm.get_parameter(Name="/emailstatus/prod/events-token", WithDecryption=True)
    assert f"callback path: /tencent/events/{token['Parameter']['Value']}" in printed
    assert main(["params", "put-events-token", "--stage", "prod", "--finish"]) == 0
