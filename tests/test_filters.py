"""``subject:"…"`` and ``template:<id>`` as agents type them: what narrows, what is refused,
and that a button's command text reads back as the same query."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from emailstatus.command import USAGE, Query, TargetKind, UsageError, parse
from emailstatus.filters import Filters
from emailstatus.render.slack import query_text

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
MID = "qcloudses-30-4123414323-date-20261128094334-syNARhMTbKI1"


def query(text: str) -> Query:
    parsed = parse(text, NOW)
    assert isinstance(parsed, Query), parsed
    return parsed


def refusal(text: str) -> str:
    parsed = parse(text, NOW)
    assert isinstance(parsed, UsageError), parsed
    assert parsed.usage == USAGE
    return parsed.message


def test_the_issues_example_narrows_a_month() -> None:
    asked = query('alice@example.com subject:"Reset your password" last 30 days')
    assert (asked.target, asked.kind) == ("alice@example.com", TargetKind.ADDRESS)
    assert asked.filters == Filters("Reset your password")
    assert len(asked.dates) == 30 and asked.dates[0] == TODAY
    assert asked.describe().startswith("alice@example.com · subject “Reset your password”, ")


@pytest.mark.parametrize(
    ("text", "subject", "template"),
    [
        ("alice@example.com subject:“Reset your password”", "Reset your password", None),
        ("subject:Welcome alice@example.com yesterday", "Welcome", None),
        ("alice@example.com template:10001", None, 10001),
        ("alice@example.com SUBJECT:'Reset' template:7", "'Reset'", 7),
        ('alice@example.com subject:"Tom &amp; Jerry   news"', "Tom & Jerry news", None),
        ('alice@example.com subject:"He said “hi”"', "He said “hi”", None),
    ],
)
def test_filters_as_typed(text: str, subject: str | None, template: int | None) -> None:
    assert query(text).filters == Filters(subject, template)


def test_a_subject_alone_lists_that_days_emails() -> None:
    asked = query('subject:"Reset your password" yesterday')
    assert asked.kind is TargetKind.SUBJECT and asked.target == "Reset your password"
    assert asked.dates == (TODAY - timedelta(days=1),)
    assert "emails with the subject “Reset your password”" in asked.describe()
    assert query('template:10001 subject:"Reset"').filters == Filters("Reset", 10001)


def test_filters_reach_as_far_back_as_the_events() -> None:
    assert query("alice@example.com template:1 2025-11-01").beyond_guarantee
    assert "keeps Tencent's events for 400 days" in refusal(
        "alice@example.com template:1 2025-10-01"
    )
    assert "at most 7 days" in refusal("alice@example.com last 30 days")
    assert "at most 31 days" in refusal("alice@example.com template:1 last 40 days")
    assert "at most 7 days" in refusal('subject:"Reset" last 8 days')


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('alice@example.com subject:"Reset your password', "no closing quote"),
        ("alice@example.com subject:", "subject: needs a value"),
        ('alice@example.com subject:""', "subject: needs a value"),
        ("alice@example.com template:abc", "“abc” is not one"),
        ("alice@example.com template:-5", "template: takes Tencent's template ID"),
        ("template:10001", "give the recipient's address or a subject with it"),
        ('alice@example.com subject:"a" subject:"b"', "Give subject: once"),
        (f'{MID} subject:"Reset"', "A MessageId names one email already"),
        ("alice@example.com subject:" + '"' + "x" * 301 + '"', "give at most 300"),
        ('subject:"Reset" bob', "is not a date I understand"),
    ],
)
def test_bad_filters_get_a_specific_message_and_the_usage(text: str, said: str) -> None:
    assert said in refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        'alice@example.com subject:"Reset your password" last 30 days',
        'alice@example.com subject:“He said "hi"” template:3',
        "alice@example.com template:10001 2026-11-01..2026-11-20",
        'subject:"Reset your password" template:10001 yesterday',
    ],
)
def test_a_buttons_text_reads_back_as_the_same_query(text: str) -> None:
    asked = query(text)
    again = query(query_text(asked))
    assert again == asked
    assert again.filters == asked.filters and again.dates == asked.dates


def test_dates_only_in_the_past() -> None:
    future = (TODAY + timedelta(days=1)).isoformat()
    assert "in the future" in refusal(f'subject:"Reset" {future}')
    assert query('subject:"Reset"').dates == (TODAY, date.fromordinal(TODAY.toordinal() - 1))
