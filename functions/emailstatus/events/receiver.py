"""``POST /tencent/events/<token>``: the callback's whole answer, whatever carries it.

Tencent documents no signature, so the secret is the URL's last segment. It is compared with
every accepted token in constant time (``hmac.compare_digest``; two tokens while one is being
rotated), and a wrong one gets the same ``404`` an unknown URL would, with nothing read or
stored. A right one gets its body parsed and bounded (``emailstatus.events.payload``): a bad
body is answered ``400`` with the reason and never stored; a good one is handed to ``deliver``
(SQS on Lambda, the SQLite store locally) and answered ``200``. The Lambda handler, the ALB
listener and ``emailstatus serve`` all answer through ``receive``.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from emailstatus.events.model import Event
from emailstatus.events.payload import PayloadError, parse_body

log = logging.getLogger(__name__)

#: The callback path, before the token.
PATH_PREFIX: Final = "/tencent/events/"


class CallbackFate(StrEnum):
    """What became of one callback (also the metric's name)."""

    ACCEPTED = "accepted"
    WRONG_TOKEN = "wrong_token"
    BAD_PAYLOAD = "bad_payload"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class Reception:
    """The answer to one callback."""

    outcome: CallbackFate
    status: int
    body: dict[str, Any]
    events: int = 0

    def json(self) -> str:
        return json.dumps(self.body)


class DeliveryError(Exception):
    """The events could not be handed on (queue or store unavailable): answer ``503``."""


def token_in(path: str) -> str:
    """The token segment of a callback path ("" when the path is not a callback path)."""
    if not path.startswith(PATH_PREFIX):
        return ""
    token = path[len(PATH_PREFIX) :]
    return "" if "/" in token else token


def token_accepted(given: str, tokens: Sequence[str]) -> bool:
    """``given`` is one of ``tokens``; every token is compared, each in constant time."""
    matched = False
    for token in tokens:
        matched |= hmac.compare_digest(given.encode(), token.encode())
    return matched and bool(given)


def receive(
    path: str,
    body: bytes,
    *,
    tokens: Sequence[str],
    now: int,
    deliver: Callable[[list[Event]], None],
) -> Reception:
    """Check, parse and hand on one callback; never raises."""
    if not tokens or not token_accepted(token_in(path), tokens):
        return Reception(CallbackFate.WRONG_TOKEN, 404, {"message": "Not Found"})
    try:
        events = parse_body(body, now=now)
    except PayloadError as error:
        log.warning("Refused an event callback: %s", error.reason)
        return Reception(CallbackFate.BAD_PAYLOAD, 400, {"error": error.reason})
    try:
        deliver(events)
    except DeliveryError as error:
        log.error("Could not hand on %d events: %s", len(events), error)
        return Reception(CallbackFate.UNAVAILABLE, 503, {"error": "temporarily unavailable"})
    return Reception(CallbackFate.ACCEPTED, 200, {"ok": True, "events": len(events)}, len(events))
