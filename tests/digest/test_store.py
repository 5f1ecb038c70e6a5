"""Claims, leases and figures in moto's DynamoDB."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import pytest

from emailstatus.digest.store import ClaimState, DigestStore
from emailstatus.digest.trends import DayFigures, Source
from emailstatus.errors import StoreError
from tests.digest.conftest import TABLE

DAY = date(2026, 11, 28)


def test_a_key_is_claimed_once_and_then_reported_done(store: DigestStore) -> None:
    first = store.claim("C1", DAY)
    second = store.claim("C1", DAY)
    other_channel = store.claim("C2", DAY)
    store.mark_done(first, "1790000000.000100")
    after = store.claim("C1", DAY)

    assert first.state is ClaimState.CLAIMED and other_channel.state is ClaimState.CLAIMED
    assert second.state is ClaimState.BUSY
    assert after.state is ClaimState.DONE and after.ts == "1790000000.000100"


def test_a_dead_run_is_taken_over_after_the_lease(dynamodb: Any) -> None:
    store = DigestStore(TABLE, client=dynamodb, lease=timedelta(seconds=1))
    store.claim("C1", DAY)  # ... and the run dies without marking it done

    assert store.claim("C1", DAY).state is ClaimState.BUSY
    time.sleep(1.1)
    assert store.claim("C1", DAY).state is ClaimState.CLAIMED


def test_a_released_claim_can_be_claimed_again(store: DigestStore) -> None:
    store.release(store.claim("C1", DAY))

    assert store.claim("C1", DAY).state is ClaimState.CLAIMED


def test_figures_round_trip_with_a_ttl(store: DigestStore, dynamodb: Any) -> None:
    figures = DayFigures(DAY, 2000, 1950, 1800, 60, 3, Source.DIGEST)
    store.save_figures(figures)
    dynamodb.put_item(
        TableName=TABLE, Item={"id": {"S": "figures#2026-11-27"}, "figures": {"S": "{"}}
    )

    found = store.load_figures([DAY, DAY - timedelta(days=1), DAY - timedelta(days=2)])

    assert found == {DAY: figures}  # the unreadable item is skipped, the missing day absent
    item = dynamodb.get_item(TableName=TABLE, Key={"id": {"S": "figures#2026-11-28"}})["Item"]
    assert int(item["expiration"]["N"]) > time.time() + 34 * 86400


def test_a_missing_table_is_explained(dynamodb: Any) -> None:
    store = DigestStore("no-such-table", client=dynamodb)

    with pytest.raises(StoreError) as raised:
        store.claim("C1", DAY)

    assert "no-such-table" in raised.value.explanation
    assert "EMAILSTATUS_TABLE" in raised.value.next_step
