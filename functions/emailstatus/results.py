"""What asking Tencent found, as plain values: one lookup's ``Outcome`` (its ``Lookup`` and
the address's ``BlocklistStatus``), one ``Page``, how far a day's walk got (``WalkProgress``),
and the bounds a lookup keeps to.

The renderers and the digest's report read these without loading the Tencent SDK; only
``lookup``, ``blocklist`` and the ``tencent`` adapter fill them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Final

from emailstatus.command import Query
from emailstatus.days import zone_name
from emailstatus.errors import EmailStatusError
from emailstatus.i18n import N_, _, ngettext
from emailstatus.knowledge.blocklist_entries import CustomEntry, TencentEntry
from emailstatus.knowledge.records import EmailRecord
from emailstatus.knowledge.replies import Reading, read_reply
from emailstatus.verdict import EmailVerdict, Verdict

if TYPE_CHECKING:
    from emailstatus.events.model import Event
    from emailstatus.events.status import Disagreement

#: ``Lookup.cut_short`` values: why a lookup stopped before reading everything.
CUT_BY_DEADLINE = "deadline"
CUT_BY_PAGE_LIMIT = "page limit"

TENCENT_LIST = "tencent"
CUSTOM_LIST = "custom"
#: How each list is named to people.
LIST_NAMES = {TENCENT_LIST: N_("Tencent's blocklist"), CUSTOM_LIST: N_("our custom blocklist")}


@dataclass(frozen=True, slots=True)
class Lookup:
    """Every email found for one target over some dates, newest first."""

    records: tuple[EmailRecord, ...]
    request_ids: tuple[str, ...]
    unsupported_dates: tuple[date, ...] = ()
    #: Why the lookup stopped early (``CUT_BY_*``), or None when every date was read whole.
    cut_short: str | None = None
    #: The dates read to the end (all of them unless ``cut_short``).
    dates_read: tuple[date, ...] = ()
    #: Emails found on those (Beijing) dates but sent outside the asker's days: left out.
    outside: int = 0


@dataclass(frozen=True, slots=True)
class BlocklistStatus:
    """Where one address stands on both lists."""

    address: str
    #: Its entry on Tencent's list (bounced within the searched days), if any.
    tencent: TencentEntry | None
    #: Its entry on the custom list, active or expired, if any.
    custom: CustomEntry | None
    #: The oldest bounce day Tencent's list was searched from (``blocklist_days`` back).
    searched_from: date
    request_ids: tuple[str, ...] = ()

    @property
    def custom_active(self) -> bool:
        """Whether the custom list still blocks it (an expired entry does not)."""
        return self.custom is not None and self.custom.active

    @property
    def listed_on(self) -> tuple[str, ...]:
        """The lists that block sending to it now (``TENCENT_LIST``, ``CUSTOM_LIST``)."""
        lists = (TENCENT_LIST,) if self.tencent else ()
        return lists + ((CUSTOM_LIST,) if self.custom_active else ())

    @property
    def reason(self) -> Reading | None:
        """Tencent's IspDesc (the bounce reply that listed it), read like any reply."""
        return read_reply(self.tencent.isp_desc, final=True) if self.tencent else None


#: Seconds one lookup may spend on SES. The Slack function has 30 s: a cold start and the SSM
#: read take up to ~4 s before the lookup starts, and the answer's post to Slack up to 4 s to
#: connect plus 4 s to read after it, so 18 s leaves room to answer even in the worst case.
LOOKUP_SECONDS: Final = 18.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a lookup found, how it reads, and how long it took."""

    query: Query
    lookup: Lookup
    verdict: Verdict
    seconds: float
    #: Where the address stands on both blocklists; the error when that could not be checked;
    #: None when not asked (not a bounce, drop or refusal).
    blocklist: BlocklistStatus | EmailStatusError | None = None
    #: Each email's events (Tencent's callbacks) by MessageId, oldest first; empty without them.
    events: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)
    #: Emails of the asked dates known only from their events (e.g. older than Tencent's 30
    #: days), by MessageId.
    events_only: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)
    #: The status API had none of the emails: the verdict was read from their events alone.
    from_events: bool = False
    #: Why the events could not be read (the answer stands on the status API alone), or None.
    events_error: EmailStatusError | None = None
    #: What a ``subject:``/``template:`` search adds: nothing matched (and what did), or where
    #: it stopped; "" otherwise.
    events_note: str = ""
    #: The seconds the lookup was allowed (a note on a lookup cut short names them).
    time_limit: float = LOOKUP_SECONDS

    def disagreement(self, email: EmailVerdict) -> Disagreement | None:
        """Where this email's events and the status API tell different outcomes, if they do."""
        events = self.events.get(email.record.message_id)
        if self.from_events or not events:
            return None
        from emailstatus.events.status import disagreement

        return disagreement(email.state, events)


#: The API's maximum page size: the fewest calls against the rate limit.
PAGE_SIZE = 100


#: Pages one lookup reads at most (1,000 emails): one address rarely gets more in the dates a
#: lookup covers, and a server that never sends a short page must not be paged for ever.
LOOKUP_MAX_PAGES = 10


@dataclass(frozen=True, slots=True)
class Page:
    """One ``GetSendEmailStatus`` answer."""

    records: tuple[EmailRecord, ...]
    request_id: str

    @property
    def is_last(self) -> bool:
        """A short page means there is nothing after it."""
        return len(self.records) < PAGE_SIZE


#: ``stopped_by`` when the deadline ended the walk.
DEADLINE = "deadline"


#: ``stopped_by`` when a full page held nothing new: the server repeats itself (it ignores
#: ``Offset``), and walking on would only spend the budget until the deadline.
REPEATING = "repeating pages"


@dataclass(slots=True)
class WalkProgress:
    """How far a walk got; final once iteration has ended."""

    pages: int = 0
    records: int = 0
    #: Emails dropped because an earlier page of the walk had already counted them.
    duplicates: int = 0
    complete: bool = False
    #: ``DEADLINE`` or the SES error code that ended an incomplete walk.
    stopped_by: str | None = None
    seconds: float = 0.0


def days_note(outcome: Outcome) -> str | None:
    """How the asker's days were read from Tencent's Beijing dates, when those differ; else
    None."""
    query = outcome.query
    if query.window is None:
        return None
    note = _(
        "Your days are {zone} days and Tencent files emails by Beijing date: {dates} were read."
    ).format(
        zone=zone_name(query.zone),
        dates=", ".join(day.isoformat() for day in sorted(query.request_dates)),
    )
    outside = outcome.lookup.outside
    if outside:
        note += " " + ngettext(
            "{count} email sent outside your days is not shown.",
            "{count} emails sent outside your days are not shown.",
            outside,
        ).format(count=outside)
    return note


def cut_short_note(outcome: Outcome) -> str | None:
    """What a lookup that stopped early did and did not read, and how to narrow it; else None."""
    lookup = outcome.lookup
    if lookup.cut_short is None:
        return None
    whole = ", ".join(day.isoformat() for day in lookup.dates_read) or _("no date")
    unread = [day for day in outcome.query.request_dates if day not in lookup.dates_read]
    unread_text = ", ".join(
        day.isoformat() for day in unread if day not in lookup.unsupported_dates
    )
    count = len(lookup.records)
    found = ngettext("{count:,} email found", "{count:,} emails found", count).format(count=count)
    if lookup.cut_short == CUT_BY_DEADLINE:
        return _(
            "Stopped at the time limit ({seconds:g} s): {found}; read in full: {whole}; "
            "not read to the end: {unread}. Try again, or ask for one day at a time."
        ).format(seconds=outcome.time_limit, found=found, whole=whole, unread=unread_text)
    return _(
        "Stopped at the limit of {limit:,} emails per lookup: {found}; read in full: {whole}; "
        "not read to the end: {unread}. Narrow the search: one day, or a MessageId."
    ).format(limit=LOOKUP_MAX_PAGES * PAGE_SIZE, found=found, whole=whole, unread=unread_text)


@dataclass(frozen=True, slots=True)
class Removal:
    """What a removal did: the lists it was lifted from, and Tencent's RequestIds."""

    address: str
    lists: tuple[str, ...]
    request_ids: tuple[str, ...]
