"""``emailstatus params put``: SecureStrings written where the functions read them, never echoed."""

from __future__ import annotations

import boto3  # type: ignore[import-untyped]
import pytest
from botocore.stub import Stubber  # type: ignore[import-untyped]

from emailstatus import params
from emailstatus.cli import main
from emailstatus.config import load_settings
from emailstatus.errors import ConfigError

ENV = {
    "SLACK_SIGNING_SECRET": "put-signing-secret-31f0",
    "SLACK_BOT_TOKEN": "xoxb-put-bot-token-aa01",
    "TENCENTCLOUD_SECRET_ID": "AKIDputSecretId42",
    "TENCENTCLOUD_SECRET_KEY": "put-secret-key-c0ffee",
}


@pytest.fixture
def aws(mocked_aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The mocked account, with none of the secrets in the environment yet."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def test_put_from_environment_round_trips_through_load_settings(
    aws: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    assert main(["params", "put", "--stage", "prod"]) == 0
    out, err = capsys.readouterr()
    assert out.count("wrote /emailstatus/prod/") == 4
    assert not any(value in out + err for value in ENV.values())

    stored = boto3.client("ssm").get_parameter(Name="/emailstatus/prod/slack-bot-token")
    assert stored["Parameter"]["Type"] == "SecureString"
    for name in ENV:
        monkeypatch.delenv(name)
    settings = load_settings({"EMAILSTATUS_SSM_PATH": "/emailstatus/prod/"})
    assert settings.slack_bot_token == ENV["SLACK_BOT_TOKEN"]
    assert settings.require_credentials().secret_key == ENV["TENCENTCLOUD_SECRET_KEY"]


def test_rotation_overwrites_and_bumps_the_version(aws: None) -> None:
    params.run_put("prod", environ=ENV, interactive=False)
    rotated = {**ENV, "SLACK_SIGNING_SECRET": "rotated-signing-secret"}
    written = params.run_put("prod", environ=rotated, interactive=False)
    assert {item.version for item in written} == {2}


def test_prompts_for_what_the_environment_lacks(aws: None) -> None:
    asked: list[str] = []

    def prompt(question: str) -> str:
        asked.append(question)
        if "OPERATOR" in question:
            return ""  # Enter: no operator key
        return "AKIDtyped" if "SECRET_ID" in question else "typed-key"

    partial = {k: v for k, v in ENV.items() if k.startswith("SLACK")}
    written = params.run_put("dev", environ=partial, prompt=prompt, interactive=True)
    assert [q.split()[0] for q in asked] == [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_OPERATOR_SECRET_ID",
    ]
    assert not any("operator" in item.name for item in written)
    value = boto3.client("ssm").get_parameter(
        Name="/emailstatus/dev/tencent-secret-key", WithDecryption=True
    )["Parameter"]["Value"]
    assert value == "typed-key"


def test_no_terminal_and_missing_values_names_the_variables(aws: None) -> None:
    with pytest.raises(ConfigError, match="TENCENTCLOUD_SECRET_KEY"):
        params.run_put("dev", environ={"SLACK_BOT_TOKEN": "xoxb-1"}, interactive=False)


def test_a_value_in_the_wrong_place_is_refused_without_echo(aws: None) -> None:
    swapped = {**ENV, "SLACK_BOT_TOKEN": ENV["SLACK_SIGNING_SECRET"]}
    with pytest.raises(ConfigError) as raised:
        params.run_put("prod", environ=swapped, interactive=False)
    assert "SLACK_BOT_TOKEN" in str(raised.value)
    assert ENV["SLACK_SIGNING_SECRET"] not in f"{raised.value} {raised.value.next_step}"


def test_operator_key_is_written_and_read_only_where_asked_for(aws: None) -> None:
    operator = {
        "TENCENTCLOUD_OPERATOR_SECRET_ID": "AKIDoperator",
        "TENCENTCLOUD_OPERATOR_SECRET_KEY": "operator-key",
    }
    written = params.run_put("prod", environ={**ENV, **operator}, interactive=False)
    assert "/emailstatus/prod/tencent-operator-secret-key" in {item.name for item in written}
    lookup_only = load_settings({"EMAILSTATUS_SSM_PATH": "/emailstatus/prod/"})
    assert lookup_only.operator_credentials is None
    slack = load_settings(
        {"EMAILSTATUS_SSM_PATH": "/emailstatus/prod/", "EMAILSTATUS_OPERATOR_KEY": "ssm"}
    )
    assert slack.require_operator_credentials().secret_key == "operator-key"


def test_half_an_operator_key_is_refused(aws: None) -> None:
    half = {**ENV, "TENCENTCLOUD_OPERATOR_SECRET_ID": "AKIDoperator"}
    with pytest.raises(ConfigError, match="TENCENTCLOUD_OPERATOR_SECRET_KEY is empty"):
        params.run_put("prod", environ=half, interactive=False)


def test_a_refused_write_names_the_parameter_and_the_permission() -> None:
    """SSM refuses the write (a role without ssm:PutParameter; moto allows everything, so
    botocore's own Stubber plays SSM): the operator reads which parameter, SSM's code and what
    to check, never the value."""
    client = boto3.client("ssm", region_name="ap-southeast-1")
    with Stubber(client) as ssm:
        ssm.add_client_error("put_parameter", service_error_code="AccessDeniedException")
        with pytest.raises(ConfigError) as raised:
            params.put_parameters("prod", ENV, client=client)
    said = str(raised.value) + raised.value.next_step
    assert "/emailstatus/prod/" in said and "(AccessDeniedException)" in said
    assert "ssm:PutParameter" in raised.value.next_step
    assert not any(value in said for value in ENV.values())
