"""The asker's calendar days, and the Tencent dates that hold their emails.

Tencent's ``RequestDate`` is a Beijing-time calendar day, while "today" means the asker's day
in their own zone (their Slack ``tz``; ``EMAILSTATUS_TIMEZONE`` in the CLI). An asker's day is
24 hours (23 or 25 on a daylight-saving change) that usually straddle a Beijing midnight, so a
lookup asks Tencent for every Beijing date its days overlap and keeps only the emails sent
inside them. Pure: no I/O, no SDKs.

Example: a day in Los Angeles (UTC-8 in December) runs from 16:00 Beijing time to 16:00 the
next day::

    >>> los_angeles = ZoneInfo("America/Los_Angeles")
    >>> [day.isoformat() for day in request_dates((date(2026, 12, 3),), los_angeles)]
    ['2026-12-04', '2026-12-03']
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from emailstatus.i18n import N_, _
from emailstatus.knowledge.records import BEIJING

#: How Beijing's zone is named in answers (the zone of every Tencent date); say it with ``_``.
BEIJING_TIME = N_("Beijing time")
#: IANA names that keep Beijing's clock all year (UTC+8, no daylight saving since 1991).
_BEIJING_NAMES = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC"})


def bounds(days: Sequence[date], zone: tzinfo) -> tuple[datetime, datetime]:
    """From the start of the oldest of ``days`` to the start of the day after the newest, in
    ``zone`` (aware datetimes: a half-open interval)."""
    start = datetime.combine(min(days), time(), zone)
    end = datetime.combine(max(days) + timedelta(days=1), time(), zone)
    return start, end


def request_dates(
    days: Sequence[date], zone: tzinfo, *, until: date | None = None
) -> tuple[date, ...]:
    """The Beijing dates ``days`` (in ``zone``) overlap, newest first; none after ``until``
    (Beijing's today: a date that has not begun holds no email)."""
    start, end = bounds(days, zone)
    first = start.astimezone(BEIJING).date()
    last = (end - timedelta(microseconds=1)).astimezone(BEIJING).date()
    if until is not None:
        last = min(last, until)
    return tuple(last - timedelta(days=back) for back in range((last - first).days + 1))


def is_beijing(zone: tzinfo) -> bool:
    """Whether ``zone``'s days are Beijing's days (so no email needs to be left out)."""
    return zone is BEIJING or (isinstance(zone, ZoneInfo) and zone.key in _BEIJING_NAMES)


def zone_name(zone: tzinfo) -> str:
    """The zone as answers name it: "Beijing time" (translated), an IANA name, or "UTC+09:00"."""
    if is_beijing(zone):
        return _(BEIJING_TIME)
    if isinstance(zone, ZoneInfo):
        return zone.key
    offset = datetime.now(zone).utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    hours, minutes = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"
