"""Settings: defaults, validation, and messages that name the variable to fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from emailstatus.config import load_settings
from emailstatus.errors import ConfigError

KEYS = {"TENCENTCLOUD_SECRET_ID": "AKIDexample", "TENCENTCLOUD_SECRET_KEY": "key-example"}


def test_defaults() -> None:
    settings = load_settings(KEYS)
    assert settings.ses_region == "ap-singapore"
    assert settings.ses_endpoint == "https://ses.intl.tencentcloudapi.com"
    assert settings.ses_rate == 20.0
    assert settings.digest_rate == 16.0
    assert settings.timezone == "Asia/Shanghai"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.alert_refusals == {3030, 3033}
    assert settings.table_name is None


def test_the_defaults_the_readme_states_are_the_real_ones() -> None:
    """Setting a variable to the default its README row states changes nothing: the README
    cannot drift from ``Settings``, the one home of every default."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    stated = re.findall(r"^\| `((?:EMAILSTATUS|TENCENTCLOUD)_\w+)` \| `([^`]+)` \|", readme, re.M)
    assert ("EMAILSTATUS_SES_RATE", "20") in stated  # the pattern reads the table at all
    defaults = load_settings(KEYS)
    for variable, value in stated:
        assert load_settings({**KEYS, variable: value}) == defaults, (variable, value)


def test_missing_credentials_name_the_variables() -> None:
    settings = load_settings({})
    with pytest.raises(ConfigError) as raised:
        settings.require_credentials()
    assert "TENCENTCLOUD_SECRET_ID" in raised.value.next_step
    assert "TENCENTCLOUD_SECRET_KEY" in raised.value.next_step


def test_half_a_key_pair_is_refused() -> None:
    with pytest.raises(ConfigError, match="TENCENTCLOUD_SECRET_KEY"):
        load_settings({"TENCENTCLOUD_SECRET_ID": "AKIDexample"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EMAILSTATUS_SES_ENDPOINT", "ses.intl.tencentcloudapi.com"),
        ("EMAILSTATUS_SES_ENDPOINT", "ftp://127.0.0.1:21"),
        ("EMAILSTATUS_SES_TIMEOUT", "soon"),
        ("EMAILSTATUS_SES_RATE", "-3"),
        ("EMAILSTATUS_TIMEZONE", "Mars/Olympus"),
        ("EMAILSTATUS_DIGEST_SHOW_ADDRESSES", "maybe"),
        ("EMAILSTATUS_ALERT_REFUSALS", "3030,lots"),
        ("EMAILSTATUS_SLACK_API_URL", "slack.com/api"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({**KEYS, name: value})


def test_lists_flags_and_local_endpoint() -> None:
    settings = load_settings(
        {
            **KEYS,
            "EMAILSTATUS_SES_ENDPOINT": "http://127.0.0.1:8800/",
            "EMAILSTATUS_ALLOWED_USERS": "U1, U2,,",
            "EMAILSTATUS_DIGEST_CHANNEL": "C1,C2",
            "EMAILSTATUS_DIGEST_CSV": "true",
            "EMAILSTATUS_SLACK_API_URL": "http://127.0.0.1:8900/api",
        }
    )
    assert settings.ses_endpoint == "http://127.0.0.1:8800"
    assert settings.allowed_users == {"U1", "U2"}
    assert settings.digest_channels == ("C1", "C2")
    assert settings.digest_csv is True
    assert settings.slack_api_url == "http://127.0.0.1:8900/api/"


def test_secrets_stay_out_of_repr() -> None:
    settings = load_settings(
        {**KEYS, "SLACK_SIGNING_SECRET": "sign-secret-value", "SLACK_BOT_TOKEN": "xoxb-value"}
    )
    text = repr(settings)
    assert "key-example" not in text
    assert "sign-secret-value" not in text
    assert "xoxb-value" not in text
