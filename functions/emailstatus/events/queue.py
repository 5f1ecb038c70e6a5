"""The SQS message between the receiver and the consumer: one callback's events as JSON.

The receiver has already validated the events, and only its role may send to the queue, so the
consumer reads them back with ``Event.from_json``; a message that does not decode (which only a
bug or a hand-sent message can cause) is reported as failed and ends in the dead-letter queue.
"""

from __future__ import annotations

import json

from emailstatus.events.model import Event


def encode(events: list[Event]) -> str:
    """The message body for one callback's events."""
    return json.dumps([event.to_json() for event in events], separators=(",", ":"))


def decode(body: str) -> list[Event]:
    """The events of one message; ``ValueError`` when it is not one ``encode`` wrote."""
    try:
        data = json.loads(body)
        if not isinstance(data, list) or not data:
            raise ValueError("not a non-empty list")
        return [Event.from_json(item) for item in data]
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"not an events message ({error.__class__.__name__})") from None
