"""emailstatus.command: a table of what agents type, and properties for anything they might."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emailstatus.command import (
    GUARANTEED_DAYS,
    MAX_AGE_DAYS,
    MAX_RANGE_DAYS,
    USAGE,
    Help,
    Query,
    TargetKind,
    UsageError,
    parse,
)
from emailstatus.knowledge.records import BEIJING
from testkit.command_properties import MID, NOWS, SHANGHAI, WORDS, A, check_invariants

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
ADDRESS = TargetKind.ADDRESS
MESSAGE_ID = TargetKind.MESSAGE_ID


@dataclass(frozen=True)
class Err:
    """Expected: a UsageError whose message contains ``part``."""

    part: str


def d(day: str) -> date:
    return date.fromisoformat(day)


def days(newest: str, count: int) -> tuple[date, ...]:
    return tuple(d(newest) - timedelta(days=back) for back in range(count))


def q(
    target: str, dates: tuple[date, ...], *, kind: TargetKind = ADDRESS, old: bool = False
) -> Query:
    return Query(target, kind, dates, beyond_guarantee=old)


TODAY_AND_YESTERDAY = days("2026-11-29", 2)

CASES: list[tuple[str, object]] = [
    # targets
    (A, q(A, TODAY_AND_YESTERDAY)),
    ("  alice@example.com  ", q(A, TODAY_AND_YESTERDAY)),
    (
        "Alice.Smith+tag@Mail.EXAMPLE.COM",
        q("Alice.Smith+tag@mail.example.com", TODAY_AND_YESTERDAY),
    ),
    ("<mailto:alice@example.com|alice@example.com>", q(A, TODAY_AND_YESTERDAY)),
    ("<mailto:alice@example.com>", q(A, TODAY_AND_YESTERDAY)),
    ("<MAILTO:alice@Example.com|alice@Example.com> today", q(A, days("2026-11-29", 1))),
    ("a&amp;b@example.com", q("a&b@example.com", TODAY_AND_YESTERDAY)),
    ("yesterday alice@example.com", q(A, days("2026-11-28", 1))),
    ("<@U123ABC>", Err("is a Slack user")),
    ("<@U123ABC|alice> yesterday", Err("is a Slack user")),
    ("<#C0123|support>", Err("is a Slack channel")),
    ("<!here>", Err("is a Slack mention")),
    ("<https://example.com|example.com>", Err("is a link")),
    ("@alice", Err("looks like a Slack mention")),
    ("alice", Err("“alice” is not an address or a MessageId")),
    ("yesterday", Err("Whose email?")),
    ("2026-11-28", Err("Whose email?")),
    ("alice@@example.com", Err("exactly one @")),
    ("a@b@example.com", Err("exactly one @")),
    ("@example.com", Err("nothing before the @")),
    ("alice@localhost", Err("“localhost” is not a domain name")),
    ("alice@example..com", Err("is not a domain name")),
    ("alice@example.com.", Err("is not a domain name")),
    ("alice@192.168.0.1", Err("is not a domain name")),
    (".alice@example.com", Err("out of place")),
    ("al..ice@example.com", Err("out of place")),
    ("alice@example.com bob@example.com", Err("One address or MessageId at a time")),
    # when: single dates
    (f"{A} today", q(A, days("2026-11-29", 1))),
    (f"{A} TODAY", q(A, days("2026-11-29", 1))),
    (f"{A}\tYesterday", q(A, days("2026-11-28", 1))),
    (f"{A} 2026-11-20", q(A, days("2026-11-20", 1))),
    (f"{A} 2026-11-2", q(A, days("2026-11-02", 1))),
    (f"{A} 11-28", q(A, days("2026-11-28", 1))),
    (f"{A} 12-01", Err("2025-12-01 is 363 days ago")),  # would be future: last year
    (f"{A} 3d", q(A, days("2026-11-26", 1))),
    (f"{A} 0d", q(A, days("2026-11-29", 1))),
    (f"{A} 3 days ago", q(A, days("2026-11-26", 1))),
    (f"{A} 1 day ago", q(A, days("2026-11-28", 1))),
    (f"{A} 3days ago", q(A, days("2026-11-26", 1))),
    (f"{A} 3 days", Err("did you mean “3 days ago” or “last 3 days”?")),
    (f"{A} 2026-13-01", Err("“2026-13-01” is not a date I can read.")),
    (f"{A} 2026-02-30", Err("“2026-02-30” is not a date I can read.")),
    (f"{A} 13-01", Err("“13-01” is not a date I can read.")),
    (f"{A} 28/11", Err("“28/11” is not a date I can read.")),
    (f"{A} 02-29", Err("no 29 Feb in the past year")),
    (f"{A} tomorrow", Err("“tomorrow” is not a date I understand")),
    (f"{A} yesterday please", Err("I didn't expect “please” after “yesterday”")),
    (f"{A} today yesterday", Err("I didn't expect “yesterday”")),
    (f"{A} 2026-12-03", Err("2026-12-03 is in the future.")),
    # when: ranges
    (f"{A} last 3 days", q(A, days("2026-11-29", 3))),
    (f"{A} Last 1 Day", q(A, days("2026-11-29", 1))),
    (f"{A} last 7 days", q(A, days("2026-11-29", 7))),
    (f"{A} last 8 days", Err("Ranges can cover at most 7 days; “last 8 days” covers 8.")),
    (f"{A} last 0 days", Err("covers no days")),
    (f"{A} last week", Err("Write “last 3 days”")),
    (f"{A} 2026-11-26..2026-11-28", q(A, days("2026-11-28", 3))),
    (f"{A} 2026-11-28..2026-11-26", q(A, days("2026-11-28", 3))),
    (f"{A} 2026-11-26 .. 2026-11-28", q(A, days("2026-11-28", 3))),
    (f"{A} 11-26…11-28", q(A, days("2026-11-28", 3))),
    (f"{A} 3 days ago..today", q(A, days("2026-11-29", 4))),
    (f"{A} yesterday..yesterday", q(A, days("2026-11-28", 1))),
    (f"{A} 2026-11-23..2026-11-29", q(A, days("2026-11-29", 7))),
    (f"{A} 2026-11-22..2026-11-29", Err("at most 7 days; 2026-11-22..2026-11-29 covers 8.")),
    (
        f"{A} 2026-11-01..2026-11-20",
        Err("Ranges can cover at most 7 days; 2026-11-01..2026-11-20 covers 20."),
    ),
    (f"{A} today..2026-12-03", Err("2026-12-03 is in the future.")),
    (f"{A} 2026-11-26..", Err("needs a date on both sides")),
    (f"{A} ..2026-11-26", Err("needs a date on both sides")),
    # retention: 30 days guaranteed, 31..90 tried, beyond refused
    (f"{A} 30d", q(A, days("2026-10-30", 1))),
    (f"{A} 31d", q(A, days("2026-10-29", 1), old=True)),
    (f"{A} 90d", q(A, days("2026-08-31", 1), old=True)),
    (
        f"{A} 91d",
        Err("2026-08-30 is 91 days ago: Tencent keeps status for about 30 days, so it cannot"),
    ),
    (
        f"{A} 2026-07-01",
        Err("2026-07-01 is 151 days ago: Tencent keeps status for about 30 days"),
    ),
    (f"{A} 2026-10-27..2026-11-02", q(A, days("2026-11-02", 7), old=True)),
    (f"{A} 100000d", Err("is not a date I can read")),
    # MessageId
    (MID, q(MID, (d("2026-11-28"),), kind=MESSAGE_ID)),
    (f"{MID} yesterday", q(MID, (d("2026-11-28"),), kind=MESSAGE_ID)),
    (f"{MID} last 3 days", q(MID, (d("2026-11-28"),), kind=MESSAGE_ID)),
    (
        f"{MID} 2026-11-20",
        Err("was sent on 2026-11-28 (Beijing time), but you asked for 2026-11-20"),
    ),
    (MID.replace("20261128", "20261328"), Err("is not a real date and time")),
    (MID.replace("20261128", "20261203"), Err("in the future")),
    (MID.replace("20261128", "20260701"), Err("sent on 2026-07-01, which is 151 days ago")),
    (
        MID.replace("20261128", "20261001"),
        q(MID.replace("20261128", "20261001"), (d("2026-10-01"),), kind=MESSAGE_ID, old=True),
    ),
    ("qcloudses-30-4123414323-date-2026112809", Err("is not a whole SES MessageId")),
    # help
    ("", Help()),
    ("   \n\t ", Help()),
    ("help", Help()),
    ("HELP", Help()),
    ("-h", Help()),
    ("--help", Help()),
    ("—help", Help()),
    ("?", Help()),
    ("help Dates", Help("dates")),
    # hostile or odd text
    ("\u200balice@example.com\u200b", q(A, TODAY_AND_YESTERDAY)),
    ("alice@example.com\x00", Err("control character (U+0000)")),
    ("alice@example.com \x1b[31m", Err("control character (U+001B)")),
    ("alice@example.com \u202etoday", Err("control character (U+202E)")),
    ("x" * 501, Err("501 characters long")),
    ("alice@example.com \ud800", Err("control character (U+D800)")),
    ("<!channel> &lt;b&gt; &amp;", Err("is a Slack mention")),
    ("alice@exämple.com", q("alice@exämple.com", TODAY_AND_YESTERDAY)),
    ("用户@例子.中国", q("用户@例子.中国", TODAY_AND_YESTERDAY)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(t[:40]) for t, _ in CASES])
def test_table(text: str, expected: object) -> None:
    result = parse(text, NOW)
    if isinstance(expected, Err):
        assert isinstance(result, UsageError), result
        assert expected.part in result.message
        assert result.usage == USAGE
    else:
        assert result == expected


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # Just after midnight on New Year's Day: MM-DD that would be ahead means last year.
        (datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI), f"{A} 12-31", days("2025-12-31", 1)),
        (datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI), f"{A} 01-01", days("2026-01-01", 1)),
        (datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI), A, (d("2026-01-01"), d("2025-12-31"))),
        (datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI), f"{A} last 3 days", days("2026-01-01", 3)),
        (datetime(2026, 1, 2, 9, 0, tzinfo=SHANGHAI), f"{A} 12-30..01-01", days("2026-01-01", 3)),
        # Just before midnight: still the old day.
        (datetime(2026, 11, 29, 23, 59, 59, tzinfo=SHANGHAI), f"{A} today", days("2026-11-29", 1)),
        # "today" is the date in now's zone, whatever it is.
        (datetime(2026, 11, 29, 1, 0, tzinfo=ZoneInfo("UTC")), f"{A} today", days("2026-11-29", 1)),
        # 29 Feb is found in a leap year.
        (datetime(2028, 3, 1, 12, 0, tzinfo=SHANGHAI), f"{A} 02-29", days("2028-02-29", 1)),
        (datetime(2028, 1, 10, 12, 0, tzinfo=SHANGHAI), f"{A} 02-29", Err("no 29 Feb")),
        (
            datetime(2029, 1, 10, 12, 0, tzinfo=SHANGHAI),
            f"{A} 02-29",
            Err("2028-02-29 is 316 days"),
        ),
    ],
)
def test_dates_around_midnight_and_new_year(now: datetime, text: str, expected: object) -> None:
    result = parse(text, now)
    if isinstance(expected, Err):
        assert isinstance(result, UsageError)
        assert expected.part in result.message
    else:
        assert isinstance(result, Query)
        assert result.dates == expected


def test_message_id_is_asked_on_its_beijing_date_and_named_by_the_askers_day() -> None:
    # Sent 2026-11-29 00:10 in Beijing = 2026-11-28 11:10 in New York, where it is noon.
    mid = MID.replace("20261128094334", "20261129001000")
    now = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("America/New_York"))
    result = parse(mid, now)
    assert isinstance(result, Query)
    assert result.request_dates == (d("2026-11-29"),)  # Tencent files it under Beijing's date
    assert result.dates == (d("2026-11-28"),)
    assert result.describe() == f"{mid}, sent today (28 Nov, America/New_York)"
    assert isinstance(parse(f"{mid} today", now), Query)  # the asker's today confirms it
    wrong = parse(f"{mid} 2026-11-29", now)
    assert isinstance(wrong, UsageError)
    assert "2026-11-28 (America/New_York; 2026-11-29 (Beijing time))" in wrong.message


def test_message_id_keeps_its_case_and_needs_no_date() -> None:
    result = parse(f"  {MID}  ", NOW)
    assert isinstance(result, Query)
    assert (result.target, result.kind) == (MID, MESSAGE_ID)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (A, "alice@example.com, today and yesterday (28–29 Nov, Beijing time)"),
        (f"{A} today", "alice@example.com, today (29 Nov, Beijing time)"),
        (f"{A} yesterday", "alice@example.com, yesterday (28 Nov, Beijing time)"),
        (f"{A} 11-28", "alice@example.com, yesterday (28 Nov, Beijing time)"),
        (f"{A} 2026-11-20", "alice@example.com, 20 Nov (Beijing time)"),
        (f"{A} 2026-11-26..2026-11-28", "alice@example.com, 26–28 Nov (Beijing time)"),
        (f"{A} 2026-10-30..2026-11-02", "alice@example.com, 30 Oct – 2 Nov (Beijing time)"),
        (f"{A} last 3 days", "alice@example.com, the last 3 days (27–29 Nov, Beijing time)"),
        (MID, f"{MID}, sent yesterday (28 Nov, Beijing time)"),
    ],
)
def test_describe(text: str, phrase: str) -> None:
    result = parse(text, NOW)
    assert isinstance(result, Query)
    assert result.describe() == phrase


def test_describe_across_years_and_without_a_reference_day() -> None:
    now = datetime(2026, 1, 2, 9, 0, tzinfo=SHANGHAI)
    result = parse(f"{A} 12-30..01-01", now)
    assert isinstance(result, Query)
    assert result.describe() == "alice@example.com, 30 Dec 2025 – 1 Jan 2026 (Beijing time)"
    assert (
        Query(A, ADDRESS, (d("2026-11-28"),)).describe()
        == "alice@example.com, 28 Nov 2026 (Beijing time)"
    )
    assert Query(A, ADDRESS, ()).describe() == A


def test_echoed_text_is_cut_short() -> None:
    result = parse(f"{A} {'9' * 300}-1", NOW)
    assert isinstance(result, UsageError)
    assert len(result.message) < 120
    assert "…" in result.message


def test_limits_are_what_the_design_says() -> None:
    assert (MAX_RANGE_DAYS, MAX_AGE_DAYS, GUARANTEED_DAYS) == (7, 90, 30)
    assert UsageError("x").usage == USAGE


# --- properties -------------------------------------------------------------------------------

PHRASES = st.lists(WORDS | st.text(max_size=12), max_size=8).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=[]), max_size=600), NOWS)
def test_never_raises_on_any_text(text: str, now: datetime) -> None:
    check_invariants(parse(text, now), now)


@settings(max_examples=300, deadline=None)
@given(PHRASES, NOWS)
def test_invariants_on_plausible_phrases(text: str, now: datetime) -> None:
    check_invariants(parse(text, now), now)


def draw_command(data: st.DataObject) -> tuple[str, datetime]:
    """A target and a well-formed "when" near ``now``: reaches the date checks, not just errors."""
    draw = data.draw
    now = draw(NOWS)

    def single() -> str:
        back = draw(st.integers(-3, 120))
        day = now.date() - timedelta(days=back)
        forms = [day.isoformat(), f"{day:%m-%d}", f"{back}d", f"{back} days ago", "today"]
        return draw(st.sampled_from(forms[:-1] if back < 0 else forms))

    target = draw(st.sampled_from([A, "<mailto:bob@example.com>", MID]))
    kind = draw(st.sampled_from(["none", "single", "range", "last"]))
    if kind == "none":
        return target, now
    if kind == "single":
        return f"{target} {single()}", now
    if kind == "range":
        return f"{target} {single()}..{single()}", now
    return f"{target} last {draw(st.integers(0, 9))} days", now


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_invariants_on_well_formed_commands(data: st.DataObject) -> None:
    text, now = draw_command(data)
    check_invariants(parse(text, now), now)


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=1, max_size=20))
def test_ten_kilobytes_is_refused_politely(chunk: str) -> None:
    text = (chunk * (10_240 // len(chunk) + 1))[:10_240]
    result = parse(text, NOW)
    assert isinstance(result, UsageError | Help)


# --- the asker's day --------------------------------------------------------------------------

LA = ZoneInfo("America/Los_Angeles")


def test_today_in_los_angeles_is_read_from_two_beijing_dates() -> None:
    # 2026-12-03 20:00 in Los Angeles is 2026-12-04 12:00 in Beijing.
    result = parse("alice@example.com today", datetime(2026, 12, 3, 20, 0, tzinfo=LA))
    assert isinstance(result, Query)
    assert result.dates == (d("2026-12-03"),)
    assert result.request_dates == (d("2026-12-04"), d("2026-12-03"))
    assert result.window == (
        datetime(2026, 12, 3, 16, 0, tzinfo=BEIJING),
        datetime(2026, 12, 4, 16, 0, tzinfo=BEIJING),
    )
    assert result.describe() == "alice@example.com, today (3 Dec, America/Los_Angeles)"
    assert result.describe(exact=False) == "alice@example.com, today"


def test_a_beijing_date_that_has_not_begun_is_not_asked() -> None:
    # 07:00 in Los Angeles is 23:00 in Beijing: the LA day's second Beijing date is tomorrow.
    result = parse("alice@example.com today", datetime(2026, 12, 3, 7, 0, tzinfo=LA))
    assert isinstance(result, Query)
    assert result.request_dates == (d("2026-12-03"),)


def test_a_day_in_tokyo_begins_on_the_beijing_evening_before() -> None:
    now = datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    result = parse("alice@example.com yesterday", now)
    assert isinstance(result, Query)
    assert result.request_dates == (d("2026-12-03"), d("2026-12-02"))
    assert result.holds(datetime(2026, 12, 2, 23, 30, tzinfo=BEIJING))  # 00:30 in Tokyo
    assert not result.holds(datetime(2026, 12, 3, 23, 30, tzinfo=BEIJING))


def test_a_week_elsewhere_is_eight_beijing_dates_and_still_seven_days() -> None:
    now = datetime(2026, 12, 3, 20, 0, tzinfo=LA)
    week = parse("alice@example.com last 7 days", now)
    assert isinstance(week, Query)
    assert len(week.dates) == 7 and len(week.request_dates) == 8
    assert isinstance(parse("alice@example.com last 8 days", now), UsageError)


def test_the_short_day_of_a_clock_change_is_still_one_day() -> None:
    # 2026-03-08 in Los Angeles has 23 hours (clocks go forward at 02:00).
    result = parse("alice@example.com 2026-03-08", datetime(2026, 3, 9, 12, 0, tzinfo=LA))
    assert isinstance(result, Query) and result.window is not None
    start, end = result.window
    assert end.timestamp() - start.timestamp() == timedelta(hours=23).total_seconds()
    assert result.request_dates == (d("2026-03-09"), d("2026-03-08"))


def test_beijing_askers_read_beijing_dates_alone() -> None:
    result = parse("alice@example.com yesterday", NOW)
    assert isinstance(result, Query)
    assert result.request_dates == result.dates and result.window is None


def test_retention_counts_beijing_dates() -> None:
    # Tokyo's day 30 days back reaches into the Beijing date 31 days back: beyond the guarantee.
    now = datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    result = parse(f"alice@example.com {(now.date() - timedelta(days=30)).isoformat()}", now)
    assert isinstance(result, Query)
    assert result.beyond_guarantee
