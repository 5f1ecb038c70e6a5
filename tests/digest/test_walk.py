"""The day walk against the simulator: every email exactly once, whatever goes wrong on the way.

The summary is compared with a ground truth counted straight from the simulator's data.
"""

from __future__ import annotations

import time
from datetime import date

import pytest

from emailstatus.digest.report import DigestReport
from emailstatus.digest.run import build_report
from emailstatus.errors import SesError
from emailstatus.render.slack_digest import digest_message
from emailstatus.results import DEADLINE, PAGE_SIZE
from emailstatus.tencent.client import SesClient
from ses_simulator import Dataset, Faults, Simulator, SimulatorConfig
from tests.digest.conftest import digest_settings
from tests.digest.truth import assert_matches, ground_truth


def _report(sim: Simulator, day: date, deadline: float | None = None, **env: str) -> DigestReport:
    settings = digest_settings(sim, **env)
    return build_report(SesClient(settings), settings, day, deadline=deadline)


def test_summary_equals_ground_truth(dsim: Simulator, day: date) -> None:
    report = _report(dsim, day)

    wire = dsim.dataset.day_records(day)
    assert report.complete and report.progress.stopped_by is None
    assert_matches(report.as_dict(), ground_truth(wire))
    assert report.progress.pages == len(wire) // PAGE_SIZE + 1
    assert report.day_totals is not None
    assert report.day_totals.requests == len(wire)


def test_the_end_of_the_day_wastes_no_budget(dsim: Simulator, day: date) -> None:
    """At a realistic latency, workers waiting for a turn are stopped at the short page."""
    dsim.set_faults(Faults(latency=0.05))

    report = _report(dsim, day, EMAILSTATUS_DIGEST_RATE="40")

    served = dsim.stats().served["GetSendEmailStatus"]
    assert report.complete
    assert report.progress.pages <= served <= report.progress.pages + 3


@pytest.mark.parametrize(
    "faults",
    [
        pytest.param(Faults(error_rates={"InternalError": 0.05}, http_500_rate=0.05), id="10%"),
        pytest.param(Faults(drop_rate=0.05), id="dropped-connections"),
    ],
)
def test_transient_faults_lose_and_repeat_nothing(
    dsim: Simulator, day: date, faults: Faults
) -> None:
    dsim.set_faults(faults)
    dsim.fail_next("drop", times=2, action="GetSendEmailStatus")

    report = _report(dsim, day)

    assert report.complete
    assert_matches(report.as_dict(), ground_truth(dsim.dataset.day_records(day)))
    assert sum(dsim.stats().faults.values()) >= 3


def test_rate_limit_storm_is_ridden_out(dsim: Simulator, day: date) -> None:
    dsim.set_rate_limit(20, "sliding")
    dsim.set_faults(Faults(error_rates={"RequestLimitExceeded": 0.1}))

    report = _report(dsim, day, EMAILSTATUS_SES_RATE="60", EMAILSTATUS_DIGEST_RATE="60")

    assert report.complete
    assert_matches(report.as_dict(), ground_truth(dsim.dataset.day_records(day)))
    stats = dsim.stats()
    assert stats.errors.get("RequestLimitExceeded", 0) > 0
    assert stats.max_per_window["GetSendEmailStatus"] <= 20


def test_a_day_ending_on_a_page_boundary(day: date) -> None:
    """The last full page is followed by an empty one, which ends the walk."""
    fixtures = len(Dataset(seed=5, emails_per_day=0).day_records(day))
    emails = 1000 + (-fixtures) % PAGE_SIZE  # generated emails plus the fixed demo ones
    config = SimulatorConfig(seed=5, emails_per_day=emails, rate_limit=None)
    with Simulator(config) as sim:
        report = _report(sim, day)
        wire = sim.dataset.day_records(day)

    assert len(wire) % PAGE_SIZE == 0
    assert report.complete and report.progress.pages == len(wire) // PAGE_SIZE + 1
    assert_matches(report.as_dict(), ground_truth(wire))


def test_deadline_gives_an_honest_partial_digest(dsim: Simulator, day: date) -> None:
    dsim.set_faults(Faults(latency=0.05))

    report = _report(dsim, day, time.monotonic() + 0.6, EMAILSTATUS_DIGEST_RATE="10")

    wire = dsim.dataset.day_records(day)
    covered = report.progress.records
    assert not report.complete and report.progress.stopped_by == DEADLINE
    assert 0 < covered < len(wire) and covered == report.progress.pages * PAGE_SIZE
    assert_matches(report.as_dict(), ground_truth(wire[:covered]))
    assert report.day_totals is not None and report.day_totals.requests == len(wire)
    assert report.changes == ()  # a part of a day is not compared with a whole one
    payload = digest_message(report).to_dict()
    text = str(payload)
    assert "Incomplete" in text and f"the whole day:* {len(wire):,} requested" in text
    # Tencent's totals stand in for the walked part: no grid of partial figures, no alerts
    assert not [block for block in payload["blocks"] if "fields" in block]
    assert report.alerts == ()
    assert ":large_orange_circle: Watch: the day could not be read whole" in text


def test_lasting_auth_failure_is_raised_not_summarised(dsim: Simulator, day: date) -> None:
    dsim.fail_next("AuthFailure.SecretIdNotFound", times=50, action="GetSendEmailStatus")

    with pytest.raises(SesError) as raised:
        _report(dsim, day)

    assert raised.value.code == "AuthFailure.SecretIdNotFound"
