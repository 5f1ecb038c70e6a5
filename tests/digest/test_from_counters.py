"""The digest from the events' counters: the simulator's callbacks for a whole day in the
embedded store, then the digest reads the counters (no walk), agrees with the walk, and falls
back to the walk when the counters and Tencent's statistics disagree."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from emailstatus.digest.run import build_report
from emailstatus.events.payload import parse_body
from emailstatus.events.sqlite import SqliteEventStore
from emailstatus.tencent.client import SesClient
from emailstatus.verdict import State
from ses_simulator import Simulator
from ses_simulator.callbacks import CallbackSender
from tests.digest.conftest import digest_settings

SHANGHAI_ENV = {"EMAILSTATUS_TIMEZONE": "Asia/Shanghai"}


def _store_callbacks(sim: Simulator, day: date, database: Path, *, share: float = 1.0) -> None:
    """The callbacks of the first ``share`` of the day's emails (20% repeated, shuffled)."""
    records = list(sim.dataset.day_records(day))
    items = records[: int(len(records) * share)]
    now = int(sim.dataset.now.timestamp())
    sender = CallbackSender("http://callbacks.invalid/", version="current", duplicates=0.2, seed=9)
    store = SqliteEventStore(database, zone=digest_settings(sim, **SHANGHAI_ENV).zone)
    for body in sender.plan(items, now=now):
        store.put(parse_body(json.dumps(body).encode(), now=now))
    store.close()


def test_the_digest_reads_the_counters_and_says_what_the_walk_says(
    dsim: Simulator, day: date, tmp_path: Path
) -> None:
    database = tmp_path / "events.sqlite3"
    _store_callbacks(dsim, day, database)
    walked_settings = digest_settings(dsim, **SHANGHAI_ENV)
    walked = build_report(SesClient(walked_settings), walked_settings, day)
    settings = digest_settings(dsim, EMAILSTATUS_EVENTS_DB=str(database), **SHANGHAI_ENV)
    before = dsim.stats().served.get("GetSendEmailStatus", 0)
    counted = build_report(SesClient(settings), settings, day)

    assert dsim.stats().served.get("GetSendEmailStatus", 0) == before  # no walk
    assert counted.as_dict()["source"] == "events" and walked.as_dict()["source"] == "walk"
    assert any("Counted from Tencent's event callbacks" in note for note in counted.notes)
    ours, theirs = counted.summary, walked.summary
    for state in (State.DELIVERED, State.BOUNCED, State.DROPPED, State.REFUSED):
        assert ours.by_state[state] == theirs.by_state[state], state
    assert ours.total == theirs.total and ours.accepted == theirs.accepted
    # Counters count an open on the day it happens (a late-evening email's open may fall after
    # midnight, or after the simulator's now): close to the walk's flags, never above them.
    for field in ("opened", "clicked", "unsubscribed", "complained"):
        mine, walks = getattr(ours.engagement, field), getattr(theirs.engagement, field)
        assert walks - max(walks * 0.05, 3) <= mine <= walks, field
    assert ours.bounce_rate == theirs.bounce_rate
    # Tencent sends no event for an email it refused: domains and senders count the emails
    # that reached an outcome, and their bounces and drops.
    ended = [
        item
        for item in dsim.dataset.day_records(day)
        if item["SendStatus"] == 0 and item["DeliverStatus"] in (1, 2, 3)
    ]
    emails = Counter(item["ToEmailAddress"].rpartition("@")[2].lower() for item in ended)
    failed = Counter(
        item["ToEmailAddress"].rpartition("@")[2].lower()
        for item in ended
        if item["DeliverStatus"] in (2, 3)
    )
    expected = sorted(failed, key=lambda name: (-failed[name], -emails[name], name))[:5]
    assert [(s.name, s.emails, s.failed) for s in ours.top_domains] == [
        (name, emails[name], failed[name]) for name in expected
    ]
    senders = Counter(item["FromEmailAddress"].lower() for item in ended)
    assert [(s.name, s.emails) for s in ours.senders] == senders.most_common(5)
    assert [(r.reason, r.failed) for r in ours.top_reasons] == [
        (r.reason, r.failed) for r in theirs.top_reasons
    ]
    assert counted.complete and not counted.totals_disagree()


def test_counters_that_disagree_with_tencents_statistics_make_it_walk(
    dsim: Simulator, day: date, tmp_path: Path
) -> None:
    database = tmp_path / "events.sqlite3"
    _store_callbacks(dsim, day, database, share=0.5)  # callbacks switched on mid-day
    settings = digest_settings(dsim, EMAILSTATUS_EVENTS_DB=str(database), **SHANGHAI_ENV)
    report = build_report(SesClient(settings), settings, day)
    assert report.as_dict()["source"] == "walk"
    assert dsim.stats().served.get("GetSendEmailStatus", 0) > 0
    assert any("the day was read from the status API instead" in note for note in report.notes)
    assert report.summary.total == len(dsim.dataset.day_records(day))


def test_without_the_days_counters_it_walks_as_before(
    dsim: Simulator, day: date, tmp_path: Path
) -> None:
    database = tmp_path / "events.sqlite3"
    SqliteEventStore(database, zone=digest_settings(dsim).zone).close()
    settings = digest_settings(dsim, EMAILSTATUS_EVENTS_DB=str(database))
    report = build_report(SesClient(settings), settings, day)
    assert report.as_dict()["source"] == "walk" and report.complete
    assert report.summary.total == len(dsim.dataset.day_records(day))
