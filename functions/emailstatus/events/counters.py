"""What one stored event adds to the counters the digest and the alerts read.

Counters are kept per day (in the configured zone) and per 5-minute window (UTC), as flat
``"dimension:value" → n`` pairs, so both backends store and add them the same way:

- ``events:<type>`` — every event stored (three opens are three);
- ``emails:<type>`` — emails with at least one such event. An email's first *terminal* event
  (delivered, bounce or dropped) decides its outcome: a late ``delivered`` after a ``bounce``
  (or the reverse, arriving out of order) is stored, but the email is counted once;
- ``bounce:<hard|soft>``, and for the outcome ``domain:``, ``sender:`` (emails) with
  ``domain_failed:``, ``sender_failed:`` and ``reason:`` (bounced or dropped emails, by the reply
  reader's reason, the way the digest groups them).

Pure code: the stores decide *whether* an event is new and the first of its kind for its email,
this module says what that adds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from typing import Final

from emailstatus.events.model import Event, EventType
from emailstatus.knowledge.replies import UNDEFINED, read_reply

#: Width of one 5-minute counter, in seconds (an alert reads several).
COUNTER_WINDOW_S: Final = 300
#: 5-minute counters serve the alerts' window and same-hour baseline (a week back): kept this
#: long, whatever the retention.
WINDOW_RETENTION_S: Final = 15 * 86_400
#: The per-email "first of its kind" marker all terminal events share.
TERMINAL_KIND: Final = "terminal"
FAILED_TYPES: Final = frozenset({EventType.BOUNCE, EventType.DROPPED})


def first_kind(event: Event) -> str | None:
    """Which per-email marker decides whether ``event`` counts as a new email (None: never)."""
    if event.type.terminal:
        return TERMINAL_KIND
    if event.type is EventType.PROCESSED:
        return None
    return event.type.value


def increments(event: Event, *, first: bool) -> Counter[str]:
    """The counter keys ``event`` adds one to; ``first``: it is its email's first of its kind."""
    keys: Counter[str] = Counter({f"events:{event.type.value}": 1})
    if not first or first_kind(event) is None:
        return keys
    keys[f"emails:{event.type.value}"] += 1
    if not event.type.terminal:
        return keys
    domain, sender = event.recipient_domain, event.sender.lower() or "(unknown)"
    keys[f"domain:{domain}"] += 1
    keys[f"sender:{sender}"] += 1
    if event.type in FAILED_TYPES:
        keys[f"domain_failed:{domain}"] += 1
        keys[f"sender_failed:{sender}"] += 1
        reading = read_reply(event.reason, final=True)
        keys[f"reason:{reading.reason if reading else UNDEFINED}"] += 1
    if event.bounce is not None:
        keys[f"bounce:{event.bounce.value}"] += 1
    return keys


def day_of(at: int, zone: tzinfo) -> date:
    """The day an event counts in: its date in the configured zone."""
    return datetime.fromtimestamp(at, zone).date()


def window_of(at: int) -> int:
    """The start (Unix seconds) of the 5-minute window an event counts in."""
    return at - at % COUNTER_WINDOW_S


def window_starts(start: int, end: int) -> range:
    """The starts of the 5-minute windows that begin in ``[start, end)``."""
    first = window_of(start) + (COUNTER_WINDOW_S if start % COUNTER_WINDOW_S else 0)
    return range(first, end, COUNTER_WINDOW_S)


def day_period(day: date) -> str:
    """A day's counters in storage: ``d:YYYY-MM-DD``."""
    return f"d:{day.isoformat()}"


def window_period(start: int) -> str:
    """A 5-minute window's counters in storage: ``5m:`` and its UTC start."""
    return "5m:" + datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%MZ")


def periods(event: Event, zone: tzinfo, retention_s: int) -> list[tuple[str, int]]:
    """The periods ``event`` counts in, each with when its counters may expire (Unix s)."""
    window = window_of(event.at)
    return [
        (day_period(day_of(event.at, zone)), event.at + retention_s),
        (window_period(window), window + WINDOW_RETENTION_S),
    ]


def dimension(counters: Mapping[str, int], name: str) -> dict[str, int]:
    """One dimension's values: ``dimension(c, "domain") == {"example.com": 12, ...}``."""
    prefix = name + ":"
    return {key[len(prefix) :]: n for key, n in counters.items() if key.startswith(prefix)}
