"""``emailstatus check`` with events: each email's timeline and subject, and emails older than
Tencent's 30 days answered from their events alone."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from emailstatus.cli import main
from emailstatus.config import get_settings
from emailstatus.events.payload import parse_body
from emailstatus.events.sqlite import SqliteEventStore
from ses_simulator import FIXTURES, Simulator
from ses_simulator.callbacks import callbacks_for, template_of
from ses_simulator.wire import message_id
from tests.events.conftest import ZONE

OLD_DAYS = 40


@pytest.fixture
def check(
    sim: Simulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Callable[..., str]]:
    """``emailstatus check`` against the simulator, with an event store holding the
    ``delivered`` fixture's callbacks and those of an email 40 days old to the same address."""
    database = tmp_path / "events.sqlite3"
    store = SqliteEventStore(database, zone=ZONE)
    fixture = FIXTURES["delivered"]
    (item,) = sim.dataset.find(fixture.day, message_id=fixture.message_id)
    now = fixture.request_time + 86400
    old_at = fixture.request_time - OLD_DAYS * 86400
    old = {
        **item,
        "MessageId": message_id(old_at, "OldOldOldOld"),
        "RequestTime": old_at,
        "DeliverTime": old_at + 5,
    }
    for email in (item, old):
        for callback in callbacks_for(email, version="current", now=now):
            store.put(parse_body(json.dumps(callback).encode(), now=now))
    store.close()
    for name, value in {
        "TENCENTCLOUD_SECRET_ID": sim.secret_id,
        "TENCENTCLOUD_SECRET_KEY": sim.secret_key,
        "EMAILSTATUS_SES_ENDPOINT": sim.endpoint,
        "EMAILSTATUS_EVENTS_DB": str(database),
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("EMAILSTATUS_EVENTS_TABLE", "EMAILSTATUS_SSM_PATH"):
        monkeypatch.delenv(name, raising=False)

    def run(*argv: str) -> str:
        get_settings.cache_clear()
        capsys.readouterr()
        assert main(["check", *argv]) == 0
        return capsys.readouterr().out

    yield run
    get_settings.cache_clear()


def test_json_has_each_emails_events_and_subject(check: Callable[..., str]) -> None:
    fixture = FIXTURES["delivered"]
    answer = json.loads(check(fixture.address, fixture.day.isoformat(), "--format", "json"))
    (email,) = [e for e in answer["emails"] if e["message_id"] == fixture.message_id]
    assert [event["type"] for event in email["events"]] == ["delivered", "open", "click"]
    assert email["events"][2]["link"].startswith("https://example.com/")
    assert "useragent" in email["events"][1]
    assert email["subject"] and email["template_id"]


def test_text_shows_the_timeline_with_labelled_times(check: Callable[..., str]) -> None:
    fixture = FIXTURES["delivered"]
    text = check(fixture.address, fixture.day.isoformat())
    assert "    events: delivered " in text
    assert " → opened " in text and " → clicked " in text


def test_an_email_older_than_tencents_30_days_is_answered_from_its_events(
    check: Callable[..., str],
) -> None:
    fixture = FIXTURES["delivered"]
    day = (fixture.day - timedelta(days=OLD_DAYS)).isoformat()
    answer = json.loads(check(fixture.address, day, "--format", "json"))
    assert answer["unsupported_dates"] == [day]
    (old,) = answer["emails_from_events_only"]
    assert old["to"] == fixture.address
    assert [event["type"] for event in old["events"]] == ["delivered", "open", "click"]
    assert answer["answered_from"] == "events"
    assert answer["verdict"]["state"] == "delivered"
    (email,) = answer["emails"]
    assert email["source"] == "events" and email["message_id"] == old["message_id"]
    assert email["opened"] and email["clicked"]
    text = check(fixture.address, day)
    assert text.startswith("DELIVERED: ")
    assert (
        f"Answered from Tencent's event callbacks alone: Tencent keeps status for about 30 "
        f"days and no longer has {day}." in text
    )


def test_where_the_status_api_and_the_events_disagree_both_are_named(
    check: Callable[..., str], tmp_path: Path
) -> None:
    fixture = FIXTURES["delivered"]
    later = fixture.request_time + 3600
    bounce = {
        "event": "bounce",
        "email": fixture.address,
        "link": "",
        "bulkId": fixture.message_id,
        "timestamp": later,
        "reason": "550 5.1.1 user unknown",
        "bounceType": "hard",
    }
    store = SqliteEventStore(tmp_path / "events.sqlite3", zone=ZONE)
    store.put(parse_body(json.dumps(bounce).encode(), now=later))
    store.close()
    answer = json.loads(check(fixture.address, fixture.day.isoformat(), "--format", "json"))
    (email,) = [e for e in answer["emails"] if e["message_id"] == fixture.message_id]
    assert email["state"] == "delivered" and email["source"] == "status_api"
    differs = email["disagreement"]
    assert (differs["status_api"], differs["events"]) == ("delivered", "bounced")
    assert differs["reason"] == "550 5.1.1 user unknown"
    text = check(fixture.address, fixture.day.isoformat())
    assert "Tencent's status API says delivered; its event callbacks say bounced (" in text
    assert ": “550 5.1.1 user unknown”). The answer above follows the status API." in text


def _subject_and_template(sim: Simulator) -> tuple[str, int]:
    fixture = FIXTURES["delivered"]
    (item,) = sim.dataset.find(fixture.day, message_id=fixture.message_id)
    template, subject = template_of(item)
    return subject, template


def test_a_subject_narrows_a_month_and_the_api_is_asked_only_about_its_day(
    check: Callable[..., str], sim: Simulator
) -> None:
    fixture = FIXTURES["delivered"]
    subject, template = _subject_and_template(sim)
    before = sim.stats().served.get("GetSendEmailStatus", 0)
    shouted = f'subject:"  {subject.upper()} "'  # case and spacing do not matter
    answer = json.loads(check(fixture.address, shouted, "last", "30", "days", "--format", "json"))
    assert sim.stats().served.get("GetSendEmailStatus", 0) - before == 1
    assert [email["message_id"] for email in answer["emails"]] == [fixture.message_id]
    assert answer["emails"][0]["source"] == "status_api"
    assert answer["query"]["subject"] == subject.upper()

    by_template = json.loads(
        check(fixture.address, f"template:{template}", "last", "30", "days", "--format", "json")
    )
    assert [email["message_id"] for email in by_template["emails"]] == [fixture.message_id]


def test_nothing_matching_says_what_the_emails_were_about(
    check: Callable[..., str], sim: Simulator
) -> None:
    fixture = FIXTURES["delivered"]
    subject, _ = _subject_and_template(sim)
    answer = json.loads(check(fixture.address, 'subject:"Your invoice"', "--format", "json"))
    assert answer["verdict"]["state"] == "not_found" and answer["emails"] == []
    assert "has subject “Your invoice” in Tencent's events; they have “" in answer["events_note"]
    assert f"“{subject}”" in answer["events_note"]
    text = check(fixture.address, "template:99999")
    assert "Search: No email to " in text and "has template 99999" in text


def test_a_subject_alone_lists_that_days_emails_from_the_index(
    check: Callable[..., str], sim: Simulator
) -> None:
    fixture = FIXTURES["delivered"]
    subject, _ = _subject_and_template(sim)
    before = sim.stats().served_total
    day = fixture.day.isoformat()
    answer = json.loads(check(f'subject:"{subject}"', day, "--format", "json"))
    assert sim.stats().served_total == before  # the status API cannot search by subject
    assert answer["query"]["kind"] == "subject" and answer["answered_from"] == "events"
    assert [email["message_id"] for email in answer["emails"]] == [fixture.message_id]
    assert answer["emails"][0]["to"] == fixture.address
    text = check(f'subject:"{subject}"', day)
    assert "Tencent's status API cannot search by subject" in text


def test_filters_without_events_say_what_they_need(
    check: Callable[..., str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("EMAILSTATUS_EVENTS_DB", str(tmp_path / "none" / "events.sqlite3"))
    get_settings.cache_clear()
    assert main(["check", "alice@example.com", "template:10001"]) == 1
    error = capsys.readouterr().err
    assert "subject: and template: are read from Tencent's event callbacks" in error
    assert "Look up the address without them" in error
    assert not (tmp_path / "none").exists()
