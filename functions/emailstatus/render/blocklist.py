"""How a blocklist check and a removal read, in words: one wording for Slack and the terminal.

One line says where the address stands ("On Tencent's blocklist since 2 Dec 09:20 — The
mailbox does not exist"); the receiving server's own words and the searched range go to the
small print. Times are shown by ``when``: the terminal formats them in the configured zone,
Slack hands the reader a date token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from emailstatus.blocklist import LIST_NAMES, BlocklistStatus, Removal
from emailstatus.errors import EmailStatusError

Clock = Callable[[datetime], str]

#: What support does about a listed address (no API names: the operator's detail is elsewhere).
LISTED_STEP = (
    "Ask the customer to confirm the address works (or give a new one); then an operator can "
    "remove it from the blocklist so we can send to it again."
)


@dataclass(frozen=True, slots=True)
class Wording:
    """A check in words: the one line, and the small print under it."""

    line: str
    small_print: tuple[str, ...]
    listed: bool


def wording(status: BlocklistStatus, when: Clock) -> Wording:
    """The line for ``status``: Tencent's list first (it is the one a hard bounce fills)."""
    lines: list[str] = []
    small: list[str] = []
    if status.tencent is not None:
        since = when(status.tencent.since) if status.tencent.since else "an unknown time"
        reading = status.reason
        line = f"On Tencent's blocklist since {since}"
        lines.append(f"{line} — {reading.headline}" if reading else line)
        if status.tencent.isp_desc:
            small.append(f"Reply that listed it: “{status.tencent.isp_desc}”")
    custom = status.custom
    if custom is not None and custom.active:
        until = f"until {custom.expires.isoformat()}" if custom.expires else "with no end date"
        lines.append(f"On our custom blocklist {until}")
    if not lines:
        lines.append("Not on any blocklist")
        if custom is not None and custom.expires:
            small.append(f"Its entry on our custom blocklist expired on {custom.expires}.")
    small.append(f"Tencent's blocklist searched for bounces since {status.searched_from}.")
    return Wording(" · ".join(lines), tuple(small), bool(status.listed_on))


def failed_line(error: EmailStatusError) -> str:
    """The one line shown when the check itself failed: the verdict above it still stands."""
    return f"Blocklists could not be checked: {error.explanation}"


def removed_line(removal: Removal, who: str, when: str) -> str:
    """ "Removed from Tencent's blocklist by @ana at 10:02"."""
    names = " and ".join(LIST_NAMES[name] for name in removal.lists)
    return f"Removed from {names} by {who} at {when}"


def status_json(status: BlocklistStatus, zone: tzinfo) -> dict[str, Any]:
    """``{"address", "tencent": {"listed", "since", "reason"}, "custom": {"listed",
    "expires", "status"}}``, plus the reply and the range searched."""
    tencent, custom = status.tencent, status.custom
    reading = status.reason
    return {
        "address": status.address,
        "tencent": {
            "listed": tencent is not None,
            "since": tencent.since.astimezone(zone).isoformat()
            if tencent and tencent.since
            else None,
            "reason": reading.headline if reading else None,
            "reply": tencent.isp_desc if tencent else None,
            "searched_from": status.searched_from.isoformat(),
        },
        "custom": {
            "listed": status.custom_active,
            "expires": custom.expires.isoformat() if custom and custom.expires else None,
            "status": None if custom is None else ("active" if custom.active else "expired"),
        },
        "request_ids": list(status.request_ids),
    }


def local_time(zone: tzinfo) -> Clock:
    """ "2 Dec 09:20" in ``zone`` (the terminal's way of showing a time)."""

    def show(moment: datetime) -> str:
        local = moment.astimezone(zone)
        return f"{local.day} {local:%b %H:%M}"

    return show
