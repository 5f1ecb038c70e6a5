"""The blocklist tests' environment: the simulator's keys and endpoint, settings re-read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emailstatus.cli import main as cli_main
from emailstatus.config import get_settings
from ses_simulator import Simulator
from tests.reliability.conftest import CliRun, RunCli  # one CLI runner shape


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, sim: Simulator) -> Iterator[pytest.MonkeyPatch]:
    """Lookup and operator key of the simulator; nothing from SSM."""
    monkeypatch.delenv("EMAILSTATUS_SSM_PATH", raising=False)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", sim.secret_id)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", sim.secret_key)
    monkeypatch.setenv("TENCENTCLOUD_OPERATOR_SECRET_ID", sim.config.operator_secret_id)
    monkeypatch.setenv("TENCENTCLOUD_OPERATOR_SECRET_KEY", sim.config.operator_secret_key)
    monkeypatch.setenv("EMAILSTATUS_SES_ENDPOINT", sim.endpoint)
    monkeypatch.setenv("EMAILSTATUS_TIMEZONE", "Asia/Shanghai")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def run_cli(cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> RunCli:
    """``emailstatus ...`` in this process; what it printed and returned."""

    def run(*argv: str) -> CliRun:
        get_settings.cache_clear()
        capsys.readouterr()
        code = cli_main(list(argv))
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run
