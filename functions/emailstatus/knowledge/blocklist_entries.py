"""Blocklist entries as the two list calls return them, typed.

``ListBlackEmailAddress`` gives Tencent's list (addresses that hard-bounced, with when and the
receiving server's reply); ``ListCustomBlacklist`` the account's own list. Times come as
``YYYY-MM-DD hh:mm:ss`` without a zone: read as Beijing time, like every SES day (our
assumption; Tencent does not say).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from emailstatus.knowledge.records import BEIJING

#: The two list calls, the two deletes (the operator key's only permissions).
LIST_TENCENT: Final = "ListBlackEmailAddress"
LIST_CUSTOM: Final = "ListCustomBlacklist"
DELETE_TENCENT: Final = "DeleteBlackList"
DELETE_CUSTOM: Final = "DeleteCustomBlackList"
#: ``ListCustomBlacklist`` Status filter: every entry, expired or not.
CUSTOM_STATUS_ALL: Final = 2


@dataclass(frozen=True, slots=True)
class TencentEntry:
    """An address on Tencent's blocklist: since when, and the bounce reply that put it there."""

    address: str
    since: datetime | None
    isp_desc: str

    @classmethod
    def from_api(cls, item: Mapping[str, Any]) -> TencentEntry:
        return cls(
            str(item.get("EmailAddress") or ""),
            _time(item.get("BounceTime")),
            str(item.get("IspDesc") or ""),
        )


@dataclass(frozen=True, slots=True)
class CustomEntry:
    """An address on the account's own blocklist; ``expires`` None means never."""

    id: int | None
    address: str
    created: datetime | None
    expires: date | None
    active: bool

    @classmethod
    def from_api(cls, item: Mapping[str, Any]) -> CustomEntry:
        raw_id = item.get("Id")
        return cls(
            raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None,
            str(item.get("Email") or ""),
            _time(item.get("CreateTime")),
            _day(item.get("ExpireDate")),
            item.get("Status") == 1,
        )


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
    except ValueError:
        return None


def _day(value: object) -> date | None:
    """``2027-01-01`` (or a time on that day); empty or unreadable: no expiry."""
    if not isinstance(value, str) or len(value.strip()) < 10:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
