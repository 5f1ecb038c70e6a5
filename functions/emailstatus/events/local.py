"""``emailstatus serve``'s callback endpoint: ``POST /tencent/events/<token>`` into SQLite.

The same ``receive`` as the Lambda receiver, with the SQLite store in place of the queue (one
machine needs no queue). ``emailstatus.slack_app.local``'s server routes callback paths here.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence

from emailstatus.errors import EmailStatusError
from emailstatus.events.model import Event
from emailstatus.events.receiver import PATH_PREFIX, DeliveryError, Reception, receive
from emailstatus.events.store import EventStore

__all__ = ["PATH_PREFIX", "CallbackEndpoint"]


class CallbackEndpoint:
    """Callbacks into ``store``; ``outcomes`` counts what became of each one."""

    def __init__(self, store: EventStore, tokens: Sequence[str]) -> None:
        self.store = store
        self.tokens = tuple(tokens)
        self.outcomes: Counter[str] = Counter()
        self._lock = threading.Lock()

    def receive(self, path: str, body: bytes) -> Reception:
        """One callback: checked, parsed, stored; never raises."""
        reception = receive(
            path, body, tokens=self.tokens, now=int(time.time()), deliver=self._store
        )
        with self._lock:
            self.outcomes[reception.outcome.value] += 1
        return reception

    def _store(self, events: list[Event]) -> None:
        try:
            self.store.put(events)
        except (EmailStatusError, OSError) as error:
            raise DeliveryError(str(error)) from error
