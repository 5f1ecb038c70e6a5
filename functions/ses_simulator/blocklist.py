"""The account's two blocklists and the four calls that read and clear them.

Tencent's own list holds every address whose email hard-bounced (seeded from the dataset's
bounces, plus fixtures); the custom list is the account's own, with or without an expiry date.
Deletes change the lists until ``reset``. Shapes and rules follow the SDK's ``models.py`` and
Tencent's API pages (``ListBlackEmailAddress``, ``DeleteBlackList``, ``ListCustomBlacklist``,
``DeleteCustomBlackList``); what those leave open (order, case of matching, deleting an
address that is not listed) is said where it is decided.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

from ses_simulator import replies
from ses_simulator.actions import (
    Action,
    _bad_value,
    _date,
    _integer,
    _known,
    _optional_text,
    _page,
    _required,
    _within_retention,
)
from ses_simulator.dataset import Dataset, generate_day
from ses_simulator.fixtures import fixture_rows
from ses_simulator.protocol import ApiError
from ses_simulator.wire import SHANGHAI

#: Replies of a bounce that says nothing against the address itself (a full mailbox, a spam
#: filter): Tencent does not blocklist for these.
SOFT_BOUNCES: Final = frozenset(
    {
        replies.OVER_QUOTA,
        "550 5.7.1 Service unavailable, Client host [203.0.113.25] blocked using Spamhaus.",
        "554 DT:SPM 163 mx12,x8CowAD3Xw0a5Vhn: please see http://mail.163.com/help/help_spam_16.htm",
    }
)
#: Fixtures whose email was refused (1007) or dropped by Tencent because of an earlier hard
#: bounce: (days before now, the reply of that bounce).
EARLIER_BOUNCES: Final[Mapping[str, tuple[int, str]]] = MappingProxyType(
    {
        "refused@example.com": (20, "550 5.1.1 <refused@example.com>: User unknown"),
        "dropped@example.com": (5, "550 5.1.1 <dropped@example.com>: inactive email address"),
    }
)


@dataclass(frozen=True, slots=True)
class BlockFixture:
    """A named blocklist case: which address, and what the lists say about it."""

    name: str
    address: str
    description: str


#: One address for each case a lookup can meet, present whatever the seed.
BLOCK_FIXTURES: Final[Mapping[str, BlockFixture]] = MappingProxyType(
    {
        fixture.name: fixture
        for fixture in (
            BlockFixture(
                "tencent", "bounced@example.com", "on Tencent's blocklist since yesterday's bounce"
            ),
            BlockFixture(
                "refused",
                "refused@example.com",
                "on Tencent's blocklist since a bounce 20 days ago",
            ),
            BlockFixture("held", "held@example.com", "on our custom blocklist for 30 more days"),
            BlockFixture("banned", "banned@example.com", "on our custom blocklist, no expiry"),
            BlockFixture("expired", "expired@example.com", "on our custom blocklist, expired"),
            BlockFixture("none", "delivered@example.com", "on no blocklist"),
        )
    }
)


@dataclass(frozen=True, slots=True)
class TencentEntry:
    """One ``BlackEmailAddress``."""

    address: str
    bounced_at: datetime
    isp_desc: str

    def to_wire(self) -> dict[str, Any]:
        return {
            "BounceTime": self.bounced_at.strftime("%Y-%m-%d %H:%M:%S"),
            "EmailAddress": self.address,
            "IspDesc": self.isp_desc,
        }


@dataclass(frozen=True, slots=True)
class CustomEntry:
    """One ``BlackAddressDetail``; ``expires`` None means it never does."""

    id: int
    address: str
    created_at: datetime
    expires: date | None

    def active(self, today: date) -> bool:
        """Status 1 until the expiry day has passed (the expiry day itself still blocks)."""
        return self.expires is None or self.expires >= today

    def to_wire(self, today: date) -> dict[str, Any]:
        # An entry without expiry: Tencent's pages show none, so "" is our assumption.
        return {
            "Id": self.id,
            "Email": self.address,
            "CreateTime": self.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            "ExpireDate": self.expires.isoformat() if self.expires else "",
            "Status": 1 if self.active(today) else 0,
        }


class Blocklists:
    """Both lists of one simulated account; thread-safe."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._lock = threading.Lock()
        #: Hard bounces by day, computed when a request first covers the day.
        self._bounces: dict[date, list[TencentEntry]] = {}
        #: Addresses deleted from Tencent's list (lower case).
        self._removed: set[str] = set()
        self._custom = _seed_custom(dataset)
        #: Addresses removed by each delete call, in order (what a test checks).
        self.deleted: list[tuple[str, str]] = []

    @property
    def actions(self) -> Mapping[str, Action]:
        """Action name -> handler, in ``simulator.actions``' signature."""
        return {
            "ListBlackEmailAddress": self.list_tencent,
            "DeleteBlackList": self.delete_tencent,
            "ListCustomBlacklist": self.list_custom,
            "DeleteCustomBlackList": self.delete_custom,
        }

    def reset(self) -> None:
        """Both lists back to their seeded state."""
        with self._lock:
            self._removed.clear()
            self._custom = _seed_custom(self._dataset)
            self.deleted.clear()

    def list_tencent(
        self, dataset: Dataset, params: Mapping[str, Any], retention_days: int
    ) -> dict[str, Any]:
        """Entries bounced StartDate..EndDate (Beijing days), newest first, [Offset:+Limit].

        ``StartDate`` obeys the same retention as every dated call: the widest range this
        simulator accepts is ``retention_days`` before today up to today.
        """
        _known(params, {"StartDate", "EndDate", "Limit", "Offset", "EmailAddress", "TaskID"})
        start, end = _date(params, "StartDate"), _date(params, "EndDate")
        offset, limit = _page(params)
        if end < start:
            raise ApiError(
                "InvalidParameterValue", "`EndDate` must not be earlier than `StartDate`."
            )
        address = _optional_text(params, "EmailAddress")
        _optional_text(params, "TaskID")  # deprecated (SDK: 已废弃): accepted, ignored
        _within_retention(dataset, start, retention_days)
        with self._lock:
            entries = list(self._listed(start, min(end, dataset.today)).values())
        wanted = address.lower() if address else None
        found = sorted(
            (
                entry
                for entry in entries
                if start <= entry.bounced_at.date() <= end
                and (wanted is None or entry.address.lower() == wanted)
            ),
            key=lambda entry: (entry.bounced_at, entry.address),
            reverse=True,
        )
        return {
            "BlackList": [entry.to_wire() for entry in found[offset : offset + limit]],
            "TotalCount": len(found),
        }

    def delete_tencent(
        self, dataset: Dataset, params: Mapping[str, Any], retention_days: int
    ) -> dict[str, Any]:
        """Removes each listed address; one not on the list is not an error (our assumption:
        Tencent documents no error for it)."""
        _known(params, {"EmailAddressList"})
        addresses = _addresses(params, "EmailAddressList")
        with self._lock:
            entries = self._listed(dataset.today - timedelta(days=retention_days), dataset.today)
            for address in addresses:
                if address.lower() in entries:
                    self._removed.add(address.lower())
                    self.deleted.append(("tencent", address.lower()))
        return {}

    def list_custom(
        self, dataset: Dataset, params: Mapping[str, Any], retention_days: int
    ) -> dict[str, Any]:
        """Entries by Status (0 expired, 1 active, 2 all) and Email, oldest Id first."""
        _known(params, {"Offset", "Limit", "Status", "Email"})
        offset, limit = _page(params)
        status = _integer(params, "Status")
        if status not in (0, 1, 2):
            raise _bad_value("Status", status)
        email = _optional_text(params, "Email")
        today = dataset.today
        with self._lock:
            entries = sorted(self._custom.values(), key=lambda entry: entry.id)
        found = [
            entry
            for entry in entries
            if (status == 2 or entry.active(today) == (status == 1))
            and (email is None or entry.address.lower() == email.lower())
        ]
        return {
            "Data": [entry.to_wire(today) for entry in found[offset : offset + limit]],
            "TotalCount": len(found),
        }

    def delete_custom(
        self, dataset: Dataset, params: Mapping[str, Any], retention_days: int
    ) -> dict[str, Any]:
        """Removes each address from the custom list (absent ones ignored, as above)."""
        _known(params, {"Emails"})
        if not params.get("Emails"):
            raise ApiError("MissingParameter.EmailsNecessary", "`Emails` must list an address.")
        addresses = _addresses(params, "Emails")
        with self._lock:
            for address in addresses:
                if self._custom.pop(address.lower(), None) is not None:
                    self.deleted.append(("custom", address.lower()))
        return {}

    def _listed(self, start: date, end: date) -> dict[str, TencentEntry]:
        """Tencent's list as bounces ``start``..``end`` fill it: lower-cased address -> its
        latest entry there, deleted ones left out. Call with the lock held.

        Days are generated on first use without the dataset's cache (a digest walking a day
        must not have it evicted).
        """
        entries: dict[str, TencentEntry] = {}
        day = start
        while day <= end:
            if day not in self._bounces:
                self._bounces[day] = _hard_bounces(self._dataset, day)
            for entry in self._bounces[day]:
                entries[entry.address.lower()] = entry
            day += timedelta(days=1)
        return {key: entry for key, entry in entries.items() if key not in self._removed}


def _hard_bounces(dataset: Dataset, day: date) -> list[TencentEntry]:
    """The day's hard bounces (oldest first), and the fixtures' earlier bounces on it."""
    rows = list(fixture_rows(dataset.now).get(day, ()))
    if dataset.first_day <= day <= dataset.today and dataset.days > 0:
        rows.extend(generate_day(dataset.seed, dataset.emails_per_day, day, dataset.now))
    entries = [
        TencentEntry(row.to_address, datetime.fromtimestamp(row.deliver_time, SHANGHAI), reply)
        for row in sorted(rows, key=lambda row: row.deliver_time)
        if row.send_status == 0
        and row.deliver_status == 3
        and (reply := row.deliver_message).startswith("5")
        and reply not in SOFT_BOUNCES
    ]
    for address, (days_ago, reply) in EARLIER_BOUNCES.items():
        at = dataset.now - timedelta(days=days_ago, hours=3)
        if at.date() == day:
            entries.append(TencentEntry(address, at, reply))
    return entries


def _seed_custom(dataset: Dataset) -> dict[str, CustomEntry]:
    created = dataset.now - timedelta(days=40)
    today = dataset.today
    cases: tuple[tuple[str, date | None], ...] = (
        (BLOCK_FIXTURES["held"].address, today + timedelta(days=30)),
        (BLOCK_FIXTURES["banned"].address, None),
        (BLOCK_FIXTURES["expired"].address, today - timedelta(days=3)),
    )
    return {
        address: CustomEntry(1001 + index, address, created, expires)
        for index, (address, expires) in enumerate(cases)
    }


def _addresses(params: Mapping[str, Any], name: str) -> list[str]:
    """A non-empty list of well-formed addresses (``DeleteBlackList``: 数组长度至少为1)."""
    value = _required(params, name)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ApiError("InvalidParameter", f"`{name}` must be an array of strings.")
    if not value:
        raise _bad_value(name, value)
    for address in value:
        local, at, domain = address.partition("@")
        if not (local and at and "." in domain) or " " in address:
            raise ApiError(
                "InvalidParameterValue.IllegalEmailAddress",
                f"`{address}` is not a valid email address.",
            )
    return value
