"""Fixed demo emails, present whatever the seed, so demos and tests can name them.

Their MessageIds carry the send time, which depends on the dataset's "today"; ``fixtures_for``
computes them for any clock, and ``FIXTURES`` holds them for the process-wide default clock
that every default ``Dataset`` also uses, so the two always agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType

from ses_simulator import replies
from ses_simulator.wire import (
    CLICKED,
    COMPLAINED,
    OPENED,
    SHANGHAI,
    UNSUBSCRIBED,
    Row,
    day_start,
    message_id,
)

SENDER = "noreply@notify.example.com"
#: Addresses that never appear in any dataset.
ABSENT_ADDRESS = "nobody@example.com"
#: The simulator's "now" unless a Dataset is given another: fixed at import, so that
#: ``FIXTURES`` and every default dataset in this process describe the same days.
DEFAULT_NOW = datetime.now(SHANGHAI).replace(microsecond=0)

#: A receiving server's reply is untrusted text: this one tries Slack markup on the reader.
HOSTILE_REPLY = (
    "550 5.1.1 <!channel> <@U123> <https://x.example.com|click me> & <!here> "
    "<hostile@example.com>: user unknown"
)
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Fixture:
    """A named demo email: where to find it and what it shows."""

    name: str
    address: str
    message_id: str
    #: Days before "today" (Beijing time) of the newest email to this address.
    day_offset: int
    day: date
    request_time: int
    #: How many emails this address has in the dataset.
    count: int
    description: str


@dataclass(frozen=True, slots=True)
class _Spec:
    name: str
    send_status: int = 0
    deliver_status: int = 1
    deliver_message: str = "250 2.0.0 OK"
    flags: int = 0
    #: Seconds after 00:00 Beijing time on yesterday.
    at: int = 9 * 3600


_YESTERDAY: tuple[_Spec, ...] = (
    _Spec("delivered", flags=OPENED | CLICKED, at=33307),
    _Spec(
        "bounced",
        deliver_status=3,
        deliver_message="550-5.1.1 The email account that you tried to reach does not exist.",
        at=33611,
    ),
    _Spec(
        "dropped",
        deliver_status=2,
        deliver_message=replies.DROPPED[0],
        at=36165,
    ),
    _Spec(
        "deferred",
        deliver_status=8,
        deliver_message=replies.GREYLISTED,
        at=37800,
    ),
    _Spec(
        "refused",
        send_status=1007,
        deliver_status=0,
        deliver_message="",
        at=40271,
    ),
    _Spec("unknown", deliver_status=5, at=43200),
    _Spec(
        "complained",
        flags=OPENED | COMPLAINED | UNSUBSCRIBED,
        at=49520,
    ),
    _Spec(
        "hostile",
        deliver_status=3,
        deliver_message=HOSTILE_REPLY,
        at=52000,
    ),
)
_DESCRIPTIONS: Mapping[str, str] = {
    "delivered": "delivered yesterday, opened and clicked",
    "bounced": "rejected yesterday by the recipient's provider: no such mailbox",
    "dropped": "discarded by Tencent yesterday",
    "deferred": "delayed yesterday by greylisting",
    "queued": "sent today a few minutes ago, still in Tencent's queue",
    "refused": "refused by Tencent yesterday: the address is on the blocklist (1007)",
    "unknown": "a DeliverStatus nobody knows (5), yesterday",
    "multi": "one email on each of the last 4 days; the newest bounced (mailbox full)",
    "many": "250 emails yesterday, for paging past 100",
    "complained": "delivered yesterday, then marked as spam and unsubscribed",
    "hostile": "bounced yesterday with a reply that carries Slack markup (must come out inert)",
}
_MANY_COUNT = 250
_MULTI_DAYS = 4


def fixtures_for(now: datetime) -> Mapping[str, Fixture]:
    """The fixtures of a dataset whose clock reads ``now``, in demo order."""
    today = now.astimezone(SHANGHAI).date()
    found: dict[str, list[tuple[date, Row]]] = {}
    for day, rows in fixture_rows(now).items():
        for row in rows:
            found.setdefault(row.to_address.partition("@")[0], []).append((day, row))
    fixtures: dict[str, Fixture] = {}
    for name, description in _DESCRIPTIONS.items():
        emails = sorted(found[name], key=lambda email: email[1].request_time)
        # The newest email represents an address; "many" is represented by its first one.
        day, row = emails[0] if name == "many" else emails[-1]
        fixtures[name] = Fixture(
            name=name,
            address=row.to_address,
            message_id=row.message_id,
            day_offset=(today - day).days,
            day=day,
            request_time=row.request_time,
            count=len(emails),
            description=description,
        )
    return MappingProxyType(fixtures)


def fixture_rows(now: datetime) -> dict[date, list[Row]]:
    """Every fixture email, by Beijing-time day, for a dataset whose clock reads ``now``."""
    today = now.astimezone(SHANGHAI).date()
    yesterday = today - timedelta(days=1)
    base = day_start(yesterday)
    rows: dict[date, list[Row]] = {}
    for spec in _YESTERDAY:
        rows.setdefault(yesterday, []).append(
            _row(
                spec.name,
                0,
                base + spec.at,
                send_status=spec.send_status,
                deliver_status=spec.deliver_status,
                reply=spec.deliver_message,
                flags=spec.flags,
            )
        )
    for i in range(_MANY_COUNT):
        flags = OPENED if i % 3 == 0 else 0
        rows[yesterday].append(_row("many", i, base + 1800 + 300 * i, flags=flags))
    for offset in range(1, _MULTI_DAYS + 1):
        day = today - timedelta(days=offset)
        newest = offset == 1
        rows.setdefault(day, []).append(
            _row(
                "multi",
                offset,
                day_start(day) + 50700,
                deliver_status=3 if newest else 1,
                reply=replies.OVER_QUOTA if newest else "250 2.0.0 OK",
                flags=0 if newest else OPENED,
            )
        )
    queued_at = max(int(now.timestamp()) - 240, day_start(today))
    rows.setdefault(today, []).append(_row("queued", 0, queued_at, deliver_status=0, reply=""))
    return rows


def _row(
    name: str,
    index: int,
    at: int,
    *,
    send_status: int = 0,
    deliver_status: int = 1,
    reply: str = "250 2.0.0 OK",
    flags: int = 0,
) -> Row:
    delivered = send_status == 0 and deliver_status != 0
    return Row(
        request_time=at,
        message_id=message_id(at, _suffix(name, index)),
        to_address=f"{name}@example.com",
        from_address=SENDER,
        send_status=send_status,
        deliver_status=deliver_status,
        deliver_message=reply,
        deliver_time=at + 7 if delivered else 0,
        flags=flags,
    )


def _suffix(name: str, index: int) -> str:
    """A fixed random-looking 12-character MessageId tail for the ``index``-th email of ``name``."""
    number = int.from_bytes(hashlib.blake2b(f"{name}:{index}".encode(), digest_size=9).digest())
    chars = []
    for _ in range(12):
        number, digit = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return "".join(chars)
