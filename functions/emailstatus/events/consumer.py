"""One SQS batch of callbacks into the event store, reporting exactly the messages that failed.

All the batch's events go to the store in one ``put`` (fewer, fuller DynamoDB transactions:
the counters of a whole batch are added once). Should that fail, each message is tried on its
own, so one bad message fails alone and the others are not redelivered. The messages that
still fail are returned for SQS's partial-batch response (``ReportBatchItemFailures``); after
the queue's ``maxReceiveCount`` they go to the dead-letter queue. Redelivery is harmless: the
store is idempotent.

Why not Powertools' ``BatchProcessor``: it hands the records to a handler one at a time, which
would make one transaction (and one set of counter updates) per callback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from emailstatus.errors import EmailStatusError
from emailstatus.events.model import Event
from emailstatus.events.queue import decode
from emailstatus.events.store import EventStore

log = logging.getLogger(__name__)


def consume(records: Iterable[Mapping[str, Any]], store: EventStore) -> list[str]:
    """Store every record's events; the ``messageId`` of each record that could not be stored."""
    batch: dict[str, list[Event]] = {}
    failed: list[str] = []
    for record in records:
        message_id = str(record.get("messageId", ""))
        try:
            batch[message_id] = decode(str(record.get("body", "")))
        except ValueError as error:
            log.error("Undecodable events message %s: %s", message_id, error)
            failed.append(message_id)
    try:
        store.put([event for events in batch.values() for event in events])
    except EmailStatusError as error:
        log.warning("Storing the batch failed (%s); storing its messages one by one", error)
        for message_id, events in batch.items():
            try:
                store.put(events)
            except EmailStatusError as single:
                log.error("Could not store message %s: %s", message_id, single)
                failed.append(message_id)
    return failed
