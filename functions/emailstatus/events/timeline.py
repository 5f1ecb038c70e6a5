"""An email's events as its timeline: for the lookup's text and JSON answers.

Labels are what happened ("delivered 09:20:14 → opened 10:02"), each time in the reader's zone;
the subject and template come from whichever event carried them (the older payload has none).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from emailstatus.events.model import Event, EventType
from emailstatus.i18n import N_

#: How each event reads in a timeline.
LABELS = {
    EventType.DELIVERED: N_("delivered"),
    EventType.DROPPED: N_("dropped"),
    EventType.BOUNCE: N_("bounced"),
    EventType.DEFERRED: N_("deferred"),
    EventType.OPEN: N_("opened"),
    EventType.CLICK: N_("clicked"),
    EventType.SPAMREPORT: N_("marked as spam"),
    EventType.UNSUBSCRIBE: N_("unsubscribed"),
    EventType.PROCESSED: N_("processed"),
}


def timeline_text(events: Sequence[Event], zone: tzinfo) -> str:
    """``delivered 2026-12-03 09:20:14 → opened 10:02:31``: the date only when it changes."""
    parts = []
    last_day = None
    for event in events:
        moment = datetime.fromtimestamp(event.at, zone)
        stamp = f"{moment:%H:%M:%S}" if moment.date() == last_day else f"{moment:%Y-%m-%d %H:%M:%S}"
        last_day = moment.date()
        parts.append(f"{LABELS[event.type]} {stamp}")
    return " → ".join(parts)


def timeline_json(events: Sequence[Event], zone: tzinfo) -> list[dict[str, Any]]:
    """Each event: type, ISO time, and the payload's reason, link, user agent where present."""
    items = []
    for event in events:
        item: dict[str, Any] = {
            "type": event.type.value,
            "time": datetime.fromtimestamp(event.at, zone).isoformat(),
        }
        for key, value in (
            ("reason", event.reason),
            ("bounce_type", event.bounce.value if event.bounce else ""),
            ("link", event.link),
            ("useragent", event.user_agent),
        ):
            if value:
                item[key] = value
        items.append(item)
    return items


def subject_of(events: Sequence[Event]) -> tuple[str, int | None]:
    """The email's subject and template id, from the first event that carries them."""
    subject = next((event.subject for event in events if event.subject), "")
    template = next((e.template_id for e in events if e.template_id is not None), None)
    return subject, template
