"""Posting the digest: one message per channel and day, its thread, the CSV, Slack's 429s.

Tencent is the simulator, Slack a local fake of its Web API, DynamoDB moto's.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import date, timedelta
from typing import Any

import pytest

from emailstatus.digest.run import ChannelStatus, DigestRun, run_digest
from emailstatus.digest.store import DigestStore
from emailstatus.digest.trends import DayFigures, Source
from emailstatus.errors import DigestPostError
from emailstatus.tencent.client import SesClient
from ses_simulator import Faults, Simulator
from testkit.block_kit import all_text, assert_valid_message
from testkit.fake_slack import FakeSlack
from tests.digest.conftest import CHANNEL, TABLE, digest_settings


def _run(
    sim: Simulator,
    day: date,
    slack: FakeSlack,
    store: DigestStore | None = None,
    **env: str,
) -> DigestRun:
    settings = digest_settings(sim, EMAILSTATUS_SLACK_API_URL=slack.api_url, **env)
    return run_digest(settings, day=day, client=SesClient(settings), store=store)


def _failed_addresses(sim: Simulator, day: date) -> list[str]:
    return [
        item["ToEmailAddress"]
        for item in sim.dataset.day_records(day)
        if item["SendStatus"] != 0 or item["DeliverStatus"] in (2, 3)
    ]


def test_digest_and_thread_are_posted_with_addresses_masked(
    dsim: Simulator, day: date, fake_slack: FakeSlack
) -> None:
    run = _run(dsim, day, fake_slack)

    [summary] = fake_slack.posts(thread=False)
    [reply] = fake_slack.posts(thread=True)
    assert run.channels[0].outcome is ChannelStatus.POSTED
    assert summary["channel"] == CHANNEL and reply["thread_ts"] == run.channels[0].ts
    assert_valid_message(summary)
    assert_valid_message(reply)
    assert f"Email digest for {day:%a} {day.day} {day:%b %Y}" in all_text(summary)
    failed = _failed_addresses(dsim, day)
    text = all_text(reply)
    assert not any(address in text for address in failed)
    assert "•••" in text and "`/emailstatus &lt;MessageId&gt;`" in text
    # operator notes (settings to change) go to the logs, never the channel
    assert "EMAILSTATUS_" not in all_text(summary) + text


def test_addresses_are_shown_when_configured(
    dsim: Simulator, day: date, fake_slack: FakeSlack
) -> None:
    _run(dsim, day, fake_slack, EMAILSTATUS_DIGEST_SHOW_ADDRESSES="true")

    [reply] = fake_slack.posts(thread=True)
    shown = [address for address in _failed_addresses(dsim, day) if address in all_text(reply)]
    assert len(shown) >= 10


def test_every_failed_email_goes_to_the_thread_as_csv(
    dsim: Simulator, day: date, fake_slack: FakeSlack
) -> None:
    run = _run(dsim, day, fake_slack, EMAILSTATUS_DIGEST_CSV="true")

    methods = [call.method for call in fake_slack.calls]
    assert methods == [
        "chat.postMessage",
        "chat.postMessage",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    complete = fake_slack.calls[-1].args
    assert complete["thread_ts"] == run.channels[0].ts and complete["channel_id"] == CHANNEL
    [content] = fake_slack.uploads()
    rows = list(csv.reader(io.StringIO(content.decode())))
    failed = _failed_addresses(dsim, day)
    assert rows[0][:3] == ["requested_at", "message_id", "to"]
    assert len(rows) - 1 == len(failed)
    assert not any(address in content.decode() for address in failed)


def test_a_429_is_waited_out_and_posts_once(
    dsim: Simulator, day: date, fake_slack: FakeSlack
) -> None:
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)

    run = _run(dsim, day, fake_slack)

    statuses = [call.status for call in fake_slack.calls if call.method == "chat.postMessage"]
    assert statuses == [429, 200, 200]  # summary refused, summary retried, thread
    assert len(fake_slack.posts(thread=False)) == 1
    assert run.channels[0].outcome is ChannelStatus.POSTED


def test_concurrent_invocations_and_a_retry_post_once(
    dsim: Simulator, day: date, fake_slack: FakeSlack, dynamodb: Any
) -> None:
    """The second invocation starts while the first is walking the day.

    It starts once the first one's claim is in the table rather than at the same instant:
    moto's conditional write is not atomic across threads (DynamoDB's is), so a same-instant
    start would test moto, not this code.
    """
    dsim.set_faults(Faults(latency=0.03))  # the first run is still walking when the second starts
    runs: list[DigestRun] = []

    def invocation() -> None:
        runs.append(_run(dsim, day, fake_slack, DigestStore(TABLE, client=dynamodb)))

    first = threading.Thread(target=invocation)
    first.start()
    _wait_for_claim(dynamodb)
    second = threading.Thread(target=invocation)
    second.start()
    first.join()
    second.join()
    retry = _run(dsim, day, fake_slack, DigestStore(TABLE, client=dynamodb))

    assert [run.channels[0].outcome for run in runs] == [ChannelStatus.BUSY, ChannelStatus.POSTED]
    assert runs[0].report is None  # the busy one did not even walk the day
    assert retry.channels[0].outcome is ChannelStatus.ALREADY_POSTED
    assert retry.channels[0].ts == runs[1].channels[0].ts
    assert len(fake_slack.posts(thread=False)) == 1


def _wait_for_claim(dynamodb: Any) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        items = dynamodb.scan(TableName=TABLE)["Items"]
        if any(item.get("status", {}).get("S") == "claimed" for item in items):
            return
        time.sleep(0.005)
    raise AssertionError("the first invocation never claimed the day")


def test_a_failed_post_is_released_for_the_retry(
    dsim: Simulator, day: date, fake_slack: FakeSlack, store: DigestStore
) -> None:
    fake_slack.fail_next("chat.postMessage", "not_in_channel")

    with pytest.raises(DigestPostError) as raised:
        _run(dsim, day, fake_slack, store)
    retry = _run(dsim, day, fake_slack, store)

    assert "not_in_channel" in raised.value.explanation
    assert retry.channels[0].outcome is ChannelStatus.POSTED
    assert len(fake_slack.posts(thread=False)) == 1


def test_history_gives_a_comparison_and_a_sparkline(
    dsim: Simulator, day: date, fake_slack: FakeSlack, store: DigestStore
) -> None:
    for back in range(1, 7):
        earlier = day - timedelta(days=back)
        store.save_figures(DayFigures(earlier, 2000, 1950, 1850, 40 + back, 2, Source.DIGEST))

    run = _run(dsim, day, fake_slack, store)

    assert run.report is not None and run.report.previous is not None
    assert run.report.previous.source is Source.DIGEST and len(run.report.history) == 7
    text = all_text(fake_slack.posts(thread=False)[0])
    assert "Bounce rate, last 7 days" in text and "vs day before" in text
    assert "(our digest)" in text
    assert day in store.load_figures([day])  # kept for tomorrow


def test_statistics_failure_still_posts(dsim: Simulator, day: date, fake_slack: FakeSlack) -> None:
    dsim.fail_next("AuthFailure.UnauthorizedOperation", action="GetStatisticsReport")

    run = _run(dsim, day, fake_slack)

    assert run.report is not None and run.report.day_totals is None
    assert "AuthFailure.UnauthorizedOperation" in all_text(fake_slack.posts(thread=False)[0])
    assert run.report.summary.total == len(dsim.dataset.day_records(day))


def test_several_channels_share_one_walk(dsim: Simulator, day: date, fake_slack: FakeSlack) -> None:
    run = _run(dsim, day, fake_slack, EMAILSTATUS_DIGEST_CHANNEL="C0DIGEST01,C0DIGEST02")

    assert [r.outcome for r in run.channels] == [ChannelStatus.POSTED, ChannelStatus.POSTED]
    assert len(fake_slack.posts(thread=False)) == 2
    pages = run.report.progress.pages if run.report else 0
    assert dsim.stats().served["GetSendEmailStatus"] < 2 * pages
