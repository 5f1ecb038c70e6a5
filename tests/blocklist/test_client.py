"""The blocklist calls of ``SesClient`` and ``check_blocklists`` over HTTP to the simulator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from emailstatus.blocklist import check_blocklists
from emailstatus.config import Settings, TencentCredentials
from emailstatus.errors import SesError
from emailstatus.results import CUSTOM_LIST, PAGE_SIZE, TENCENT_LIST
from emailstatus.tencent.client import SesClient
from emailstatus.tencent.retry import RetryPolicy
from ses_simulator import BLOCK_FIXTURES, Simulator

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02, total_seconds=5)


def client(sim: Simulator) -> SesClient:
    settings = Settings(
        credentials=TencentCredentials(sim.secret_id, sim.secret_key),
        ses_endpoint=sim.endpoint,
        ses_timeout=2.0,
        ses_rate=200,
    )
    return SesClient(settings, retry=FAST_RETRY)


def test_tencents_list_is_read_page_by_page(sim: Simulator) -> None:
    today = sim.dataset.today
    start = today - timedelta(days=30)
    total = sim.blocklists.list_tencent(
        sim.dataset,
        {"StartDate": start.isoformat(), "EndDate": today.isoformat(), "Offset": 0, "Limit": 1},
        30,
    )["TotalCount"]
    assert total > PAGE_SIZE  # the seeded bounces fill more than one page
    entries, request_id = client(sim).tencent_blocklist("", start, today)
    assert len({entry.address for entry in entries}) == total
    assert sim.stats().served["ListBlackEmailAddress"] == -(-total // PAGE_SIZE)
    assert request_id


def test_both_lists_are_asked_and_a_transient_fault_retried(sim: Simulator) -> None:
    sim.fail_next("InternalError", action="ListBlackEmailAddress")
    status = check_blocklists(client(sim), BLOCK_FIXTURES["tencent"].address, days=30)
    assert status.listed_on == (TENCENT_LIST,)
    assert status.searched_from == sim.dataset.today - timedelta(days=30)
    assert len(status.request_ids) == 2
    held = check_blocklists(client(sim), BLOCK_FIXTURES["held"].address, days=30)
    assert held.listed_on == (CUSTOM_LIST,)


def test_a_search_wider_than_tencent_keeps_is_refused(sim: Simulator) -> None:
    with pytest.raises(SesError) as caught:
        check_blocklists(client(sim), BLOCK_FIXTURES["tencent"].address, days=31)
    assert caught.value.code == "FailedOperation.NotSupportDate"
