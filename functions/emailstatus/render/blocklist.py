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

from emailstatus.errors import EmailStatusError
from emailstatus.i18n import N_, _
from emailstatus.results import LIST_NAMES, BlocklistStatus, Removal

Clock = Callable[[datetime], str]

#: What support does about a listed address (no API names: the operator's detail is elsewhere).
LISTED_STEP = N_(
    "Ask the customer to confirm the address works (or give a new one); then an operator can "
    "remove it from the blocklist so we can send to it again."
)


@dataclass(frozen=True, slots=True)
class Wording:
    """A check in words: the one line, the server reply that listed it (outside text, shown
    as written) and the notes for the small print."""

    line: str
    reply: str | None
    notes: tuple[str, ...]
    listed: bool

    @property
    def small_print(self) -> tuple[str, ...]:
        """Reply and notes as plain lines (the terminal's small print)."""
        reply = (
            (_("Reply that listed it: “{reply}”").format(reply=self.reply),) if self.reply else ()
        )
        return reply + self.notes


def wording(status: BlocklistStatus, when: Clock, text: Callable[[str], str] = str) -> Wording:
    """The line for ``status``: Tencent's list first (it is the one a hard bounce fills).

    ``when`` shows a time, ``text`` prepares our words for the medium (Slack escapes them).
    """
    lines: list[str] = []
    small: list[str] = []
    if status.tencent is not None:
        since = when(status.tencent.since) if status.tencent.since else text(_("an unknown time"))
        reading = status.reason
        line = text(_("On Tencent's blocklist since {time}")).format(time=since)
        lines.append(line + text(f" — {reading.headline}") if reading else line)
    custom = status.custom
    if custom is not None and custom.active:
        if custom.expires:
            said = _("On our custom blocklist until {day}").format(day=custom.expires.isoformat())
        else:
            said = _("On our custom blocklist with no end date")
        lines.append(text(said))
    if not lines:
        lines.append(text(_("Not on any blocklist")))
        if custom is not None and custom.expires:
            small.append(
                _("Its entry on our custom blocklist expired on {day}.").format(day=custom.expires)
            )
    small.append(
        _("Tencent's blocklist searched for bounces since {day}.").format(day=status.searched_from)
    )
    reply = status.tencent.isp_desc if status.tencent and status.tencent.isp_desc else None
    return Wording(" · ".join(lines), reply, tuple(small), bool(status.listed_on))


def failed_line(error: EmailStatusError) -> str:
    """The one line shown when the check itself failed: the verdict above it still stands."""
    return _("Blocklists could not be checked: {why}").format(why=_(error.explanation))


def removed_line(removal: Removal, who: str, when: str) -> str:
    """ "Removed from Tencent's blocklist by @ana at 10:02"."""
    return _("Removed from {lists} by {who} at {time}").format(
        lists=list_names(removal.lists), who=who, time=when
    )


def list_names(lists: tuple[str, ...]) -> str:
    """ "Tencent's blocklist and our custom blocklist", in the reader's language."""
    return _(" and ").join(_(LIST_NAMES[name]) for name in lists)


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
