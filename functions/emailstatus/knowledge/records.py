"""Typed, frozen records of what SES reports about one email.

The SDK hands back loosely typed models; everything past the ``tencent`` adapter works with these
instead, so a missing field or a renamed flag is dealt with once, here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final

#: The times a record may plausibly carry (2000-01-01 up to 2100-01-01, UTC). Anything else is
#: a corrupt value, most often a millisecond timestamp: kept as "time unknown", never a crash.
EARLIEST_TIME: Final = 946_684_800
LATEST_TIME: Final = 4_102_444_800

#: The engagement flags of an email, named as ``EmailRecord`` names them, in the order they are
#: shown; everything else (labels, counters, JSON) is derived from this one list.
ENGAGEMENT_FLAGS: Final = ("opened", "clicked", "unsubscribed", "complained")


@dataclass(frozen=True, slots=True)
class EmailRecord:
    """One row of ``GetSendEmailStatus``: one email to one recipient."""

    message_id: str
    to_address: str
    from_address: str
    send_status: int
    deliver_status: int
    deliver_message: str
    requested_at: datetime | None
    delivered_at: datetime | None
    opened: bool
    clicked: bool
    unsubscribed: bool
    complained: bool
    #: A RequestTime or DeliverTime was present but out of range (shown as unknown, counted).
    unreadable_time: bool = False

    @classmethod
    def from_api(cls, item: Mapping[str, Any]) -> EmailRecord:
        """Build a record from one ``SendEmailStatus`` as it appears on the wire.

        Reads the current ``UserComplained`` and the deprecated ``UserComplainted`` alike.
        """
        return cls(
            message_id=str(item.get("MessageId") or ""),
            to_address=str(item.get("ToEmailAddress") or ""),
            from_address=str(item.get("FromEmailAddress") or ""),
            send_status=_int(item.get("SendStatus")),
            deliver_status=_int(item.get("DeliverStatus")),
            deliver_message=str(item.get("DeliverMessage") or ""),
            requested_at=_time(item.get("RequestTime")),
            delivered_at=_time(item.get("DeliverTime")),
            opened=bool(item.get("UserOpened")),
            clicked=bool(item.get("UserClicked")),
            unsubscribed=bool(item.get("UserUnsubscribed")),
            complained=bool(item.get("UserComplained") or item.get("UserComplainted")),
            unreadable_time=any(
                _unreadable(item.get(name)) for name in ("RequestTime", "DeliverTime")
            ),
        )

    @property
    def engagement(self) -> dict[str, bool]:
        """Each of ``ENGAGEMENT_FLAGS`` and whether it is set."""
        return {flag: bool(getattr(self, flag)) for flag in ENGAGEMENT_FLAGS}

    @property
    def sort_key(self) -> float:
        """Newest-first ordering key: the request time, records without one last."""
        return self.requested_at.timestamp() if self.requested_at else float("-inf")


def _int(value: object) -> int:
    """An API integer, or -1 when the field is missing or not a number (shown as unknown)."""
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError, OverflowError):
        return -1


def _time(value: object) -> datetime | None:
    """Unix seconds to an aware UTC datetime; 0 and missing mean "not yet", and an
    out-of-range value is unknown (``_unreadable``)."""
    seconds = _int(value)
    if not EARLIEST_TIME <= seconds < LATEST_TIME:
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)


def _unreadable(value: object) -> bool:
    """A time field that holds something other than "not yet" or a plausible time."""
    if value in (None, 0, ""):
        return False
    seconds = _int(value)
    return not EARLIEST_TIME <= seconds < LATEST_TIME


BEIJING = timezone(timedelta(hours=8), "UTC+8")  # the zone of a MessageId's embedded send time
