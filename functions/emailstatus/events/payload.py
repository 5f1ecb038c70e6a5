"""A callback body → ``Event``s, or a ``PayloadError`` saying exactly what is wrong with it.

Anyone who learns the callback URL can post to it (Tencent documents no signature), so nothing
is trusted: the body, the number of events, every field's type and length are bounded, and an
event is either fully valid or the whole body is refused with the first reason found (the
receiver answers ``400`` with it and stores nothing).

Both documented payload versions are read: the 2025-10 page (``eventid``, ``bounceType``
``soft_bounce``/``hard_bounce``, ``subject`` MIME-encoded when not ASCII, ``username``,
``templateId``, ...) and the China site's older page (``event, email, link, bulkId,
timestamp, reason, bounceType`` with ``soft``/``hard``). A body is one event object, or a JSON
array of them. Unknown fields are ignored, so a field Tencent adds later breaks nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from typing import Any, Final

from emailstatus.events.model import EVENT_IDS, BounceKind, Event, EventType

#: Largest body accepted, in bytes. Tencent's events are well under 4 KiB.
MAX_BODY_BYTES: Final = 64 * 1024
#: Most events in one body (a JSON array).
MAX_EVENTS: Final = 100
#: Most fields in one event object.
MAX_FIELDS: Final = 64
#: Oldest event time accepted (2015-01-01, before Tencent SES existed) and how far in the
#: future a sender's clock may be.
MIN_TIMESTAMP: Final = 1_420_070_400
MAX_CLOCK_AHEAD_S: Final = 86_400

#: Longest value of each text field; a longer one means the body is not Tencent's.
_TEXT_LIMITS: Final[Mapping[str, tuple[str, int]]] = {
    # payload field: (Event field, longest)
    "email": ("recipient", 320),
    "link": ("link", 4096),
    "reason": ("reason", 4096),
    "from": ("sender", 320),
    "fromDomain": ("sender_domain", 255),
    "useragent": ("user_agent", 1024),
    "messageId": ("smtp_message_id", 998),
    "X-Tencentcloudses-Cb-Custom": ("custom", 1024),
}
_SUBJECT_LIMIT: Final = 2048
_MESSAGE_ID_LIMIT: Final = 128
_APP_ID_LIMIT: Final = 20
_BOUNCE_TYPES: Final[Mapping[str, BounceKind]] = {
    "hard_bounce": BounceKind.HARD,
    "hard": BounceKind.HARD,
    "soft_bounce": BounceKind.SOFT,
    "soft": BounceKind.SOFT,
}


class PayloadError(ValueError):
    """The body is not a valid Tencent event callback; ``reason`` says why (safe to echo)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_body(body: bytes, *, now: int) -> list[Event]:
    """Every event of one callback body (``now``: Unix seconds, to bound event times)."""
    if len(body) > MAX_BODY_BYTES:
        raise PayloadError(f"body is over {MAX_BODY_BYTES} bytes, the most accepted")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError(f"body is not UTF-8 JSON ({error.__class__.__name__})") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise PayloadError("body is an empty list")
    if len(items) > MAX_EVENTS:
        raise PayloadError(f"body holds {len(items)} events; at most {MAX_EVENTS} are accepted")
    events = []
    for index, item in enumerate(items):
        try:
            events.append(parse_event(item, now=now))
        except PayloadError as error:
            where = f"event {index + 1}: " if len(items) > 1 else ""
            raise PayloadError(where + error.reason) from None
    return events


def parse_event(item: object, *, now: int) -> Event:
    """One event object, validated field by field."""
    if not isinstance(item, dict):
        raise PayloadError(f"an event must be a JSON object, not {_json_type(item)}")
    if len(item) > MAX_FIELDS:
        raise PayloadError(f"an event has {len(item)} fields; at most {MAX_FIELDS}")
    kind = _event_type(item)
    message_id = _text(item, "bulkId", _MESSAGE_ID_LIMIT) or _text(
        item, "bulkid", _MESSAGE_ID_LIMIT
    )
    if not message_id:
        raise PayloadError("bulkId (the MessageId) is missing")
    if not message_id.isascii() or not message_id.isprintable() or " " in message_id:
        raise PayloadError("bulkId must be printable ASCII without spaces")
    at = _integer(item, "timestamp")
    if at is None:
        raise PayloadError("timestamp is missing")
    if not MIN_TIMESTAMP <= at <= now + MAX_CLOCK_AHEAD_S:
        raise PayloadError(f"timestamp {at} is not a plausible event time in Unix seconds")
    texts = {field: _text(item, key, limit) for key, (field, limit) in _TEXT_LIMITS.items()}
    recipient = texts.pop("recipient")
    if recipient and "@" not in recipient:
        raise PayloadError("email is not an address")
    return Event(
        type=kind,
        message_id=message_id,
        at=at,
        recipient=recipient.strip(),
        bounce=_bounce(item),
        app_id=_app_id(item),
        template_id=_integer(item, "templateId") or None,
        subject=_subject(item),
        task_id=_integer(item, "taskId") or None,
        sent_at=_integer(item, "sentTimestamp") or None,
        **texts,
    )


def _event_type(item: Mapping[str, Any]) -> EventType:
    """``event``, checked against ``eventid`` when both are present; ``eventid`` alone will do."""
    name = _text(item, "event", 32).strip().lower()
    number = _integer(item, "eventid")
    by_number = None
    if number is not None:
        by_number = EVENT_IDS.get(number)
        if by_number is None:
            raise PayloadError(f"eventid {number} is not one of Tencent's (1 to 8)")
    if not name:
        if by_number is None:
            raise PayloadError("event is missing")
        return by_number
    try:
        kind = EventType(name)
    except ValueError:
        raise PayloadError(f"event {name[:32]!r} is not a Tencent event type") from None
    if by_number is not None and by_number is not kind:
        raise PayloadError(f"event {name!r} disagrees with eventid {number} ({by_number})")
    return kind


def _bounce(item: Mapping[str, Any]) -> BounceKind | None:
    raw = _text(item, "bounceType", 32).strip().lower()
    if not raw:
        return None
    kind = _BOUNCE_TYPES.get(raw)
    if kind is None:
        raise PayloadError(f"bounceType {raw!r} is not soft_bounce, hard_bounce, soft or hard")
    return kind


def _app_id(item: Mapping[str, Any]) -> str:
    """``username`` (the AppId): documented as a string, a number in practice is accepted."""
    value = item.get("username")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _text({"username": value}, "username", _APP_ID_LIMIT)
    if text and not text.isdigit():
        raise PayloadError("username (the AppId) must be digits")
    return text


def _subject(item: Mapping[str, Any]) -> str:
    """The subject, its MIME encoded-words (``=?UTF-8?B?…?=``) decoded; undecodable stays raw."""
    raw = _text(item, "subject", _SUBJECT_LIMIT)
    if "=?" not in raw:
        return raw
    try:
        decoded = str(make_header(decode_header(raw)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return raw
    return decoded if decoded.isprintable() else raw


def _text(item: Mapping[str, Any], key: str, limit: int) -> str:
    """A string field ("" when absent or null), refused if too long or holding control bytes."""
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PayloadError(f"{key} must be a string, not {_json_type(value)}")
    if len(value) > limit:
        raise PayloadError(f"{key} is {len(value)} characters; at most {limit}")
    if any(ord(char) < 32 and char not in "\t\r\n" for char in value):
        raise PayloadError(f"{key} holds control characters")
    return value


def _integer(item: Mapping[str, Any], key: str) -> int | None:
    """An integer field (a string of digits is accepted too); None when absent, null or ""."""
    value = item.get(key)
    if value is None or value == "":
        return None
    digits = value.strip() if isinstance(value, str) else ""
    if digits.isascii() and digits.isdigit() and len(digits) <= 20:
        return int(digits)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
        return value
    raise PayloadError(f"{key} must be a non-negative integer, not {_json_type(value)}")


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)
