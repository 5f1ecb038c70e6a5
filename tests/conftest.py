"""Shared fixtures: one simulated Tencent SES for the whole session, and the real SDK client.

The simulator is started once (starting is cheap, but a shared one keeps the suite fast); the
function-scoped ``sim`` resets its faults, rate limit and counters so tests cannot leak into
each other.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.ses.v20201002.ses_client import SesClient

from ses_simulator import Simulator, SimulatorConfig

#: The fake Slack and the Slack function, as fixtures for every suite.
pytest_plugins = ["testkit.pytest_slack"]

# How fast hypothesis draws examples depends on the machine's load (CI and the helpers share two
# cores), not on the code: a slow draw or a slow example is not a failure of the property.
settings.register_profile(
    "emailstatus", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("emailstatus")


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogs() -> None:
    """The translations as the app reads them: ``make catalogs`` compiles each changed ``.po``
    (a no-op under ``make test``, which has just run it; needed when pytest runs alone)."""
    root = Path(__file__).resolve().parents[1]
    subprocess.run(["make", "-s", "-C", str(root), "catalogs"], check=True)


@pytest.fixture(autouse=True)
def _own_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's own ``XDG_DATA_HOME``: the SQLite store the Slack app keeps App Home's state
    in (and lookups then read events from) never lands in, or is read from, the user's home."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture(scope="session")
def simulator() -> Iterator[Simulator]:
    """The session's running simulator: seed 7, 200 emails/day. Prefer ``sim`` in tests."""
    with Simulator(SimulatorConfig(seed=7, emails_per_day=200)) as running:
        yield running


@pytest.fixture
def sim(simulator: Simulator) -> Simulator:
    """The shared simulator, reset to its configuration before the test."""
    simulator.reset()
    return simulator


def make_sdk_client(
    sim: Simulator,
    *,
    secret_id: str | None = None,
    secret_key: str | None = None,
    region: str = "ap-singapore",
    timeout: float = 3,
) -> SesClient:
    """The official SDK client pointed at ``sim`` (other credentials/region/timeout on demand)."""
    profile = ClientProfile(
        httpProfile=HttpProfile(endpoint=sim.netloc, protocol="http", reqTimeout=timeout),
        language="en-US",
    )
    credential = Credential(secret_id or sim.secret_id, secret_key or sim.secret_key)
    return SesClient(credential, region, profile)


@pytest.fixture
def sdk_client(sim: Simulator) -> SesClient:
    """The real ``SesClient`` for the reset simulator (region ap-singapore, 3 s timeout)."""
    return make_sdk_client(sim)
