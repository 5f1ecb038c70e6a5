"""Seeded, deterministic emails: what the simulated account sent on each day.

A day is generated from ``(seed, day)`` alone on first use and cached, so any two datasets with
the same seed and clock agree, and a test can compute ground truth with ``day_records`` without
going through any client code. The clock is frozen when the dataset is made: "today" and "now"
never move, which keeps a run reproducible (a long-running simulator keeps serving the day it
started on).
"""

from __future__ import annotations

import random
import threading
from base64 import b64encode
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, TypeVar, overload

from ses_simulator import replies
from ses_simulator.fixtures import DEFAULT_NOW, fixture_rows, fixtures_for
from ses_simulator.wire import (
    APP_ID,
    CLICKED,
    COMPLAINED,
    OPENED,
    SHANGHAI,
    UNSUBSCRIBED,
    ComplaintSpelling,
    Row,
    day_start,
    to_wire,
    total_opens,
)

#: Recipient domains: reserved example domains only, never a real provider.
RECIPIENT_DOMAINS = (
    "example.com",
    "example.net",
    "example.org",
    "mail.example.com",
    "corp.example.net",
    "shop.example.org",
    "mx.example.com",
    "staff.example.com",
)
#: (sender, cumulative weight).
SENDERS = (
    ("noreply@notify.example.com", 0.70),
    ("billing@notify.example.com", 0.90),
    ("hello@news.example.org", 1.00),
)
_FIRST = (
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
    "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "wei",
    "li", "ming", "xiao", "yan", "jun", "hui", "ana", "jose", "maria", "yuki",
)  # fmt: skip
_LAST = (
    "smith", "jones", "chen", "wang", "zhang", "liu", "huang", "zhao", "wu", "zhou",
    "garcia", "tanaka", "kim", "nguyen", "silva", "muller", "rossi", "novak", "khan", "ali",
)  # fmt: skip
#: base64 without its two symbols, for the 12 random MessageId characters.
_ALPHANUMERIC = str.maketrans({"+": "x", "/": "Q"})
_T = TypeVar("_T")
#: SendStatus codes for "refused by Tencent" (~2%), and for the rare rest (~1%).
_REFUSED = (1007, 1007, 3014, 3030, 1006)
_OTHER = (1004, 1008, 1010, 1013, 3008, 3020, 3024, 3033)
#: An email of the "queued" share only stays queued this close to "now"; older ones arrived.
_QUEUE_WINDOW = 3600


class Counts(NamedTuple):
    """One ``Volume`` of GetStatisticsReport, without the date."""

    request: int = 0
    accepted: int = 0
    delivered: int = 0
    opened: int = 0
    clicked: int = 0
    bounced: int = 0
    unsubscribed: int = 0

    @staticmethod
    def total(counts: Iterable[Counts]) -> Counts:
        """Field-wise sum of several days."""
        return Counts(*(sum(column) for column in zip(Counts(), *counts, strict=True)))


class WireRecords(Sequence[dict[str, Any]]):
    """A read-only view of rows that turns each into its wire dict only when read."""

    def __init__(self, rows: Sequence[Row], spelling: ComplaintSpelling) -> None:
        self._rows = rows
        self._spelling = spelling

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> WireRecords: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | WireRecords:
        if isinstance(index, slice):
            return WireRecords(self._rows[index], self._spelling)
        return to_wire(self._rows[index], self._spelling)


@dataclass(frozen=True, slots=True)
class _Day:
    rows: list[Row]
    by_address: dict[str, list[int]]
    by_message_id: dict[str, int]


class Dataset:
    """Every email of the simulated account over the last ``days`` days (Beijing time).

    ``emails_per_day`` generated emails per full day (today: only those sent before "now") plus
    the fixed ``fixtures``. Days outside the window, and future days, are empty.
    """

    def __init__(
        self,
        seed: int = 7,
        emails_per_day: int = 200,
        days: int = 30,
        today: date | None = None,
        *,
        now: datetime | None = None,
        complaint_spelling: ComplaintSpelling = "both",
        max_cached_days: int = 8,
    ) -> None:
        if emails_per_day < 0 or days < 0 or max_cached_days < 1:
            raise ValueError("emails_per_day and days must be >= 0, max_cached_days >= 1")
        self.seed = seed
        self.emails_per_day = emails_per_day
        self.days = days
        self.now = _clock(today, now)
        self.today = self.now.date()
        #: Which complaint flag(s) the records carry; may be changed while serving.
        self.complaint_spelling: ComplaintSpelling = complaint_spelling
        self.fixtures = fixtures_for(self.now)
        self._fixture_rows = fixture_rows(self.now)
        self._max_cached = max_cached_days
        self._cache: OrderedDict[date, _Day] = OrderedDict()
        self._counts: dict[tuple[date, str | None, str | None], Counts] = {}
        self._lock = threading.Lock()

    @property
    def first_day(self) -> date:
        """The oldest day with generated emails."""
        return self.today - timedelta(days=max(self.days - 1, 0))

    def day_records(self, day: date) -> Sequence[dict[str, Any]]:
        """Every email of ``day`` as GetSendEmailStatus wire dicts, by RequestTime ascending."""
        return WireRecords(self._day(day).rows, self.complaint_spelling)

    def find(
        self, day: date, *, message_id: str | None = None, to_address: str | None = None
    ) -> Sequence[dict[str, Any]]:
        """The emails of ``day`` matching both filters (address compared case-insensitively)."""
        data = self._day(day)
        if message_id is None and to_address is None:
            return WireRecords(data.rows, self.complaint_spelling)
        candidates: Sequence[int]
        if message_id is not None:
            index = data.by_message_id.get(message_id)
            candidates = [] if index is None else [index]
        else:
            candidates = data.by_address.get((to_address or "").lower(), [])
        if message_id is not None and to_address is not None:
            wanted = to_address.lower()
            candidates = [i for i in candidates if data.rows[i].to_address.lower() == wanted]
        return WireRecords([data.rows[i] for i in candidates], self.complaint_spelling)

    def counts(
        self, day: date, *, sender_domain: str | None = None, mailbox_domain: str | None = None
    ) -> Counts:
        """The day's GetStatisticsReport volume, optionally for one sender/recipient domain.

        RequestCount: every email. AcceptedCount: SendStatus 0. DeliveredCount: accepted and
        DeliverStatus 1. BounceCount: accepted and DeliverStatus 3 (rejected by the provider)
        or 2 (dropped). OpenedCount: total opens (``total_opens``); Clicked/UnsubscribeCount:
        emails with that user flag.
        """
        key = (day, _lower(sender_domain), _lower(mailbox_domain))
        with self._lock:
            cached = self._counts.get(key)
        if cached is not None:
            return cached
        request = accepted = delivered = opened = clicked = bounced = unsubscribed = 0
        for row in self._day(day).rows:
            if key[1] is not None and _domain(row.from_address) != key[1]:
                continue
            if key[2] is not None and _domain(row.to_address) != key[2]:
                continue
            request += 1
            if row.send_status == 0:
                accepted += 1
                delivered += row.deliver_status == 1
                bounced += row.deliver_status in (2, 3)
            opened += total_opens(row.message_id, bool(row.flags & OPENED))
            clicked += bool(row.flags & CLICKED)
            unsubscribed += bool(row.flags & UNSUBSCRIBED)
        result = Counts(request, accepted, delivered, opened, clicked, bounced, unsubscribed)
        with self._lock:
            self._counts[key] = result
        return result

    def _day(self, day: date) -> _Day:
        with self._lock:
            cached = self._cache.get(day)
            if cached is not None:
                self._cache.move_to_end(day)
                return cached
            built = self._build(day)
            self._cache[day] = built
            while len(self._cache) > self._max_cached:
                self._cache.popitem(last=False)
            return built

    def _build(self, day: date) -> _Day:
        rows = list(self._fixture_rows.get(day, ()))
        if self.first_day <= day <= self.today and self.days > 0:
            rows.extend(generate_day(self.seed, self.emails_per_day, day, self.now))
        rows.sort(key=lambda row: (row.request_time, row.message_id))
        by_address: dict[str, list[int]] = {}
        by_message_id: dict[str, int] = {}
        for index, row in enumerate(rows):
            by_address.setdefault(row.to_address.lower(), []).append(index)
            by_message_id[row.message_id] = index
        return _Day(rows, by_address, by_message_id)


def generate_day(seed: int, emails_per_day: int, day: date, now: datetime) -> list[Row]:
    """The generated (non-fixture) emails of ``day``: a pure function of its arguments.

    Only emails sent up to ``now`` are kept; one whose delivery would lie after ``now`` is
    still queued. Tuned for 200,000 emails a day (about a second).
    """
    rng = random.Random(f"emailstatus-simulator:{seed}:{day.isoformat()}")
    start = day_start(day)
    cutoff = int(now.timestamp())
    prefix = f"qcloudses-30-{APP_ID}-date-{day:%Y%m%d}"
    offsets = sorted(int(rng.random() * 86400) for _ in range(emails_per_day))
    rows: list[Row] = []
    for offset in offsets:
        sent = start + offset
        if sent > cutoff:
            break
        hours, rest = divmod(offset, 3600)
        stamp = f"{prefix}{hours:02d}{rest // 60:02d}{rest % 60:02d}-"
        rows.append(_email(rng, sent, cutoff, stamp))
    return rows


def _pick(rng: random.Random, options: Sequence[_T]) -> _T:
    """``rng.choice`` at a third of the cost (one float draw)."""
    return options[int(rng.random() * len(options))]


def _email(rng: random.Random, sent: int, cutoff: int, stamp: str) -> Row:
    """One email: ~90% delivered, 3% bounced, 2% deferred, 1% dropped, 1% queued (near "now"
    only), 2% refused by Tencent, 1% other SendStatus codes."""
    to = (
        f"{_pick(rng, _FIRST)}.{_pick(rng, _LAST)}{10 + int(rng.random() * 90)}"
        f"@{_pick(rng, RECIPIENT_DOMAINS)}"
    )
    pick = rng.random()
    sender = next(address for address, weight in SENDERS if pick < weight)
    mid = stamp + b64encode(rng.randbytes(9)).decode().translate(_ALPHANUMERIC)
    outcome = rng.random()
    send_status, status, reply, done, flags = 0, 1, "", 0, 0
    if outcome < 0.90 or (0.96 <= outcome < 0.97 and cutoff - sent >= _QUEUE_WINDOW):
        reply = _pick(rng, replies.DELIVERED)
        done = sent + min(int(rng.expovariate(1 / 20)) + 1, 900)
        flags = _user_actions(rng)
    elif outcome < 0.93:
        status, reply = 3, replies.render(_pick(rng, replies.BOUNCED), to)
        done = sent + 1 + int(rng.random() * 120)
    elif outcome < 0.95:
        status, reply = 8, replies.render(_pick(rng, replies.DEFERRED), to)
        done = sent + 60 + int(rng.random() * 3540)
    elif outcome < 0.96:
        status, reply = 2, _pick(rng, replies.DROPPED)
        done = sent + 1 + int(rng.random() * 5)
    elif outcome < 0.97:
        status = 0
    elif outcome < 0.99:
        send_status, status = _pick(rng, _REFUSED), 0
    else:
        send_status, status = _pick(rng, _OTHER), 0
    if done > cutoff:
        status, reply, done, flags = 0, "", 0, 0
    return Row(sent, mid, to, sender, send_status, status, reply, done, flags)


def _user_actions(rng: random.Random) -> int:
    """Opens ~40% of delivered, clicks ~10%, unsubscribes ~1%, complaints ~0.2%."""
    flags = 0
    if rng.random() < 0.40:
        flags |= OPENED
        if rng.random() < 0.25:
            flags |= CLICKED
    if rng.random() < 0.01:
        flags |= UNSUBSCRIBED
    if rng.random() < 0.002:
        flags |= COMPLAINED | OPENED
    return flags


def _clock(today: date | None, now: datetime | None) -> datetime:
    """The dataset's frozen "now" in Beijing time.

    Default: the process-wide ``DEFAULT_NOW`` (so ``FIXTURES`` match). Given only ``today``: the
    default clock if it falls on that day, else noon of ``today``.
    """
    if now is not None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        clock = now.astimezone(SHANGHAI).replace(microsecond=0)
        if today is not None and clock.date() != today:
            raise ValueError("now must fall on today (Asia/Shanghai)")
        return clock
    if today is None or DEFAULT_NOW.date() == today:
        return DEFAULT_NOW
    return datetime(today.year, today.month, today.day, 12, tzinfo=SHANGHAI)


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None
