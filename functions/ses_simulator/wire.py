"""One simulated email as a compact tuple, and its ``SendEmailStatus`` wire form.

A day may hold 200,000 emails for memory benchmarks, so records are kept as tuples that share
their repeated strings, and only the rows a request returns become JSON-ready dicts.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal, NamedTuple

#: Beijing time. China has had no daylight saving since 1991, so a fixed offset is exact and
#: needs no tz database.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
#: The account number inside every simulated MessageId.
APP_ID = "1300000007"

#: Which complaint flag(s) to emit: Tencent deprecated ``UserComplainted`` for ``UserComplained``.
ComplaintSpelling = Literal["both", "old", "new"]

OPENED = 1
CLICKED = 2
UNSUBSCRIBED = 4
COMPLAINED = 8


class Row(NamedTuple):
    """One email to one recipient; ``flags`` packs the four user-action booleans."""

    request_time: int
    message_id: str
    to_address: str
    from_address: str
    send_status: int
    deliver_status: int
    deliver_message: str
    deliver_time: int
    flags: int = 0


def total_opens(message_id: str, opened: bool) -> int:
    """How often an opened email was opened: 1 to 3 times, fixed by its MessageId.

    GetStatisticsReport's ``OpenedCount`` is the total number of opens (the SDK model:
    打开邮件总次数), not the number of emails opened; ``UserOpened`` only says "at least once".
    """
    return 1 + zlib.crc32(message_id.encode()) % 3 if opened else 0


def to_wire(row: Row, spelling: ComplaintSpelling = "both") -> dict[str, Any]:
    """The ``SendEmailStatus`` dict exactly as GetSendEmailStatus returns it."""
    complained = bool(row.flags & COMPLAINED)
    item: dict[str, Any] = {
        "MessageId": row.message_id,
        "ToEmailAddress": row.to_address,
        "FromEmailAddress": row.from_address,
        "SendStatus": row.send_status,
        "DeliverStatus": row.deliver_status,
        "DeliverMessage": row.deliver_message,
        "RequestTime": row.request_time,
        "DeliverTime": row.deliver_time,
        "UserOpened": bool(row.flags & OPENED),
        "UserClicked": bool(row.flags & CLICKED),
        "UserUnsubscribed": bool(row.flags & UNSUBSCRIBED),
    }
    if spelling in ("both", "old"):
        item["UserComplainted"] = complained
    if spelling in ("both", "new"):
        item["UserComplained"] = complained
    return item


def message_id(request_time: int, suffix: str) -> str:
    """``qcloudses-30-<appId>-date-<YYYYMMDDhhmmss>-<suffix>``, the stamp in Beijing time."""
    stamp = datetime.fromtimestamp(request_time, SHANGHAI).strftime("%Y%m%d%H%M%S")
    return f"qcloudses-30-{APP_ID}-date-{stamp}-{suffix}"


def day_start(day: date) -> int:
    """Unix seconds of 00:00 Beijing time on ``day``."""
    return int(datetime.combine(day, time(), SHANGHAI).timestamp())
