"""Each asker's last lookups, for their App Home: kept in the event store's state items (SQLite
locally, DynamoDB on AWS) with a time to live, one item per Slack user, read only for that user.

An item holds the last ``KEEP`` lookups as JSON: the command text to look again (the only place
a full address is kept, for the one person who asked), the masked target shown, the verdict
word and when. Writing it never holds up or breaks an answer: a store failure is logged.
"""

from __future__ import annotations

import json
import logging
import time
from typing import TYPE_CHECKING, Final

from emailstatus.command import Query
from emailstatus.render.slack_home import Recent
from emailstatus.slack_app.audit import masked_target

if TYPE_CHECKING:
    from emailstatus.events.store import EventStore

log = logging.getLogger(__name__)

KEEP: Final = 10
#: Forgotten a week after the asker's last lookup.
TTL_S: Final = 7 * 24 * 3600


def key(user: str) -> str:
    return f"home#recent#{user}"


def remember(store: EventStore, user: str, query: Query, query_text: str, verdict: str) -> None:
    """Put this lookup first in ``user``'s list (the same question asked again moves up)."""
    entry = Recent(query_text, masked_target(query), verdict, int(time.time()))
    kept = [item for item in recent(store, user) if item.query_text != query_text]
    items = [entry, *kept][:KEEP]
    value = json.dumps([[i.query_text, i.shown, i.verdict, i.at] for i in items])
    store.put_state(key(user), value, ttl_s=TTL_S)


def recent(store: EventStore, user: str) -> list[Recent]:
    """``user``'s last lookups, newest first; an unreadable item reads as none."""
    try:
        rows = json.loads(store.get_state(key(user)) or "[]")
        return [Recent(str(q), str(s), str(v), int(a)) for q, s, v, a in rows]
    except (ValueError, TypeError):
        log.warning("Unreadable recent lookups ignored")
        return []
