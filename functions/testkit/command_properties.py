"""What ``emailstatus.command.parse`` promises for any text at all, as properties: the words
agents type (``WORDS``), any moment (``NOWS``) and the invariants every answer keeps
(``check_invariants``). Shared by the parser's tests, the fuzz tests and the atheris target.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from emailstatus.command import (
    GUARANTEED_DAYS,
    MAX_AGE_DAYS,
    MAX_RANGE_DAYS,
    USAGE,
    Help,
    Query,
    UsageError,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: An address and a MessageId (sent 2026-11-28 09:43 UTC+8) as agents paste them.
A = "alice@example.com"
MID = "qcloudses-30-4123414323-date-20261128094334-syNARhMTbKI1"

WORDS = st.sampled_from(
    [
        A,
        "<mailto:bob@example.com|bob@example.com>",
        MID,
        MID.replace("20261128", "20260101"),
        "today",
        "yesterday",
        "last",
        "days",
        "day",
        "ago",
        "..",
        "…",
        "help",
        "3d",
        "45d",
        "120d",
        "7",
        "2026-11-20",
        "2026-08-01",
        "2027-01-01",
        "11-28",
        "12-31",
        "02-29",
        "<@U1>",
        "&lt;",
        "&amp;",
        "\x00",
        "\u202e",
    ]
)
NOWS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(SHANGHAI)
)


def check_invariants(result: Query | Help | UsageError, now: datetime) -> None:
    """What every parse of any text at ``now`` must be: a clear usage error, help, or a query
    of at most a week of consecutive days, none in the future or past the retention."""
    if isinstance(result, UsageError):
        assert result.message.strip()
        assert result.usage == USAGE
    elif isinstance(result, Query):
        today = now.date()
        assert 1 <= len(result.dates) <= MAX_RANGE_DAYS
        assert all(day <= today for day in result.dates)
        assert all((today - day).days <= MAX_AGE_DAYS for day in result.dates)
        assert list(result.dates) == [
            result.dates[0] - timedelta(days=i) for i in range(len(result.dates))
        ]
        assert result.beyond_guarantee == ((today - result.dates[-1]).days > GUARANTEED_DAYS)
        assert result.describe()
    else:
        assert isinstance(result, Help)
