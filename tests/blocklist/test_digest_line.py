"""The digest says how many addresses joined Tencent's blocklist that day."""

from __future__ import annotations

import json

from ses_simulator import FIXTURES, Simulator
from ses_simulator.blocklist import SOFT_BOUNCES
from tests.reliability.conftest import RunCli


def test_digest_counts_the_days_new_blocklist_entries(run_cli: RunCli, sim: Simulator) -> None:
    day = FIXTURES["bounced"].day
    hard = {
        email["ToEmailAddress"].lower()
        for email in sim.dataset.day_records(day)
        if email["DeliverStatus"] == 3
        and email["DeliverMessage"].startswith("5")
        and email["DeliverMessage"] not in SOFT_BOUNCES
    }
    assert FIXTURES["bounced"].address in hard
    result = run_cli("digest", "--date", day.isoformat(), "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["joined_blocklist"] == len(hard)
    text = run_cli("digest", "--date", day.isoformat())
    assert f"{len(hard):,} addresses joined Tencent's blocklist that day." in text.out


def test_an_unreadable_blocklist_is_a_note_not_a_failure(run_cli: RunCli, sim: Simulator) -> None:
    sim.fail_next("AuthFailure.UnauthorizedOperation", times=2, action="ListBlackEmailAddress")
    day = FIXTURES["bounced"].day
    result = run_cli("digest", "--date", day.isoformat())
    assert result.code == 0, result.err
    assert (
        "Note: Tencent's blocklist could not be read (AuthFailure.UnauthorizedOperation)."
        in result.out
    )
