"""A moto AWS account for the SSM tests: no real profile or endpoint can leak in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from emailstatus import secrets

REGION = "eu-west-1"


@pytest.fixture
def mocked_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto's in-process AWS with dummy credentials and an empty secrets cache around it."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SSM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    secrets.fetch_secrets.cache_clear()
    with mock_aws():
        yield
    secrets.fetch_secrets.cache_clear()
