"""Secrets from SSM SecureString: one GetParameters call, environment wins, nothing leaks.

moto's ``mock_aws`` stands in for SSM (and KMS behind SecureString); every AWS call any client
makes is recorded by wrapping botocore's single dispatch point, so "one call" is counted, not
assumed.
"""

from __future__ import annotations

from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from botocore.client import BaseClient  # type: ignore[import-untyped]

from emailstatus import secrets
from emailstatus.config import load_settings
from emailstatus.errors import ConfigError
from tests.deploy.conftest import REGION

PATH = "/emailstatus/test/"
VALUES = {
    "slack-signing-secret": "ssm-signing-secret-5b1c",
    "slack-bot-token": "xoxb-ssm-bot-token-77aa",
    "tencent-secret-id": "AKIDssmSecretId0123456789",
    "tencent-secret-key": "ssm-secret-key-9f8e7d",
}
SECRET_VALUES = tuple(VALUES.values())


@pytest.fixture
def aws(mocked_aws: None, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """The mocked account holding the four SecureStrings; returns every API call made after."""
    ssm = boto3.client("ssm", region_name=REGION)
    for name, value in VALUES.items():
        ssm.put_parameter(Name=PATH + name, Value=value, Type="SecureString")
    calls: list[tuple[str, dict[str, Any]]] = []
    original = BaseClient._make_api_call

    def record(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        calls.append((operation, params))
        return original(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    return calls


def test_one_decrypted_get_parameters_call_fills_every_secret(aws: list[Any]) -> None:
    settings = load_settings({"EMAILSTATUS_SSM_PATH": PATH})

    assert [operation for operation, _ in aws] == ["GetParameters"]
    _, params = aws[0]
    assert params["WithDecryption"] is True
    assert sorted(params["Names"]) == sorted(PATH + name for name in VALUES)
    assert settings.slack_signing_secret == VALUES["slack-signing-secret"]
    assert settings.slack_bot_token == VALUES["slack-bot-token"]
    credentials = settings.require_credentials()
    assert credentials.secret_id == VALUES["tencent-secret-id"]
    assert credentials.secret_key == VALUES["tencent-secret-key"]


def test_cached_per_container(aws: list[Any]) -> None:
    for _ in range(3):
        load_settings({"EMAILSTATUS_SSM_PATH": PATH.rstrip("/")})
    assert len(aws) == 1


def test_environment_wins_and_only_the_rest_is_fetched(aws: list[Any]) -> None:
    settings = load_settings(
        {
            "EMAILSTATUS_SSM_PATH": PATH,
            "SLACK_BOT_TOKEN": "xoxb-from-env",
            "SLACK_SIGNING_SECRET": "",
        }
    )
    assert settings.slack_bot_token == "xoxb-from-env"
    assert settings.slack_signing_secret == VALUES["slack-signing-secret"]
    assert len(aws) == 1
    assert PATH + "slack-bot-token" not in aws[0][1]["Names"]


def test_nothing_fetched_when_the_environment_has_every_secret(aws: list[Any]) -> None:
    env = {
        "EMAILSTATUS_SSM_PATH": PATH,
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_BOT_TOKEN": "xoxb-t",
        "TENCENTCLOUD_SECRET_ID": "AKIDenv",
        "TENCENTCLOUD_SECRET_KEY": "k",
    }
    assert load_settings(env).slack_bot_token == "xoxb-t"
    assert aws == []


def test_no_path_no_aws(aws: list[Any]) -> None:
    assert load_settings({}).credentials is None
    assert aws == []


def test_missing_parameter_is_named_and_no_value_leaks(aws: list[Any]) -> None:
    boto3.client("ssm", region_name=REGION).delete_parameter(Name=PATH + "slack-bot-token")
    with pytest.raises(ConfigError) as raised:
        load_settings({"EMAILSTATUS_SSM_PATH": PATH})
    message = f"{raised.value} {raised.value.next_step} {raised.value!r}"
    assert PATH + "slack-bot-token" in message
    assert "emailstatus params put --stage test" in message
    assert not any(value in message for value in SECRET_VALUES)


def test_aws_errors_become_config_errors_without_values(
    aws: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(ConfigError) as raised:
        load_settings({"EMAILSTATUS_SSM_PATH": PATH})
    assert "Could not read the secrets under SSM path /emailstatus/test/" in str(raised.value)
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


def test_a_relative_path_is_refused(aws: list[Any]) -> None:
    with pytest.raises(ConfigError, match="EMAILSTATUS_SSM_PATH"):
        load_settings({"EMAILSTATUS_SSM_PATH": "emailstatus/test"})
    assert aws == []


def test_no_secret_in_any_repr(aws: list[Any]) -> None:
    env = secrets.with_secrets({"EMAILSTATUS_SSM_PATH": PATH}, PATH)
    settings = load_settings({"EMAILSTATUS_SSM_PATH": PATH})
    fetched = secrets.fetch_secrets(PATH, tuple(secrets.SECRET_PARAMETERS.values()))
    texts = [repr(env), str(env), repr(settings), str(settings), repr(fetched), str(fetched)]
    texts.append(repr(settings.credentials))
    for text in texts:
        assert not any(value in text for value in SECRET_VALUES), text
    assert dict(env)["SLACK_BOT_TOKEN"] == VALUES["slack-bot-token"]  # the values are there


def test_stage_path() -> None:
    assert secrets.stage_path("prod") == "/emailstatus/prod/"
    assert secrets.stage_path("/dev/") == "/emailstatus/dev/"


def test_a_function_reads_only_the_secrets_it_names(aws: list[Any]) -> None:
    """The digest's role may not read the signing secret, so it must not ask for it."""
    needed = "slack-bot-token,tencent-secret-id,tencent-secret-key"
    settings = load_settings({"EMAILSTATUS_SSM_PATH": PATH, "EMAILSTATUS_SSM_SECRETS": needed})
    [(operation, params)] = aws
    assert operation == "GetParameters"
    assert sorted(params["Names"]) == sorted(PATH + name for name in needed.split(","))
    assert settings.slack_signing_secret is None
    assert settings.slack_bot_token == VALUES["slack-bot-token"]


def test_an_unknown_secret_name_is_refused(aws: list[Any]) -> None:
    with pytest.raises(ConfigError, match="slack-signing-secrets"):
        load_settings(
            {"EMAILSTATUS_SSM_PATH": PATH, "EMAILSTATUS_SSM_SECRETS": "slack-signing-secrets"}
        )
    assert aws == []
