"""One event Tencent SES reported about one email, as every layer past the parser sees it.

Tencent documents no ordering and no retry policy, so the same event may arrive twice and a
``delivered`` may arrive after its ``open``. An event's *identity* is its MessageId, type,
time and link (two clicks on two links in the same second are two events); everything that
stores events keys them by ``Event.identity`` so a duplicate is stored once.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

#: Longest normalised subject used as an index key (longer ones are cut and hashed).
SUBJECT_KEY_LENGTH = 200


class EventType(StrEnum):
    """The ``event`` field. ``processed`` is only on an older page ("may not be called back")."""

    DELIVERED = "delivered"
    DROPPED = "dropped"
    BOUNCE = "bounce"
    DEFERRED = "deferred"
    OPEN = "open"
    CLICK = "click"
    SPAMREPORT = "spamreport"
    UNSUBSCRIBE = "unsubscribe"
    PROCESSED = "processed"

    @property
    def terminal(self) -> bool:
        """The email's delivery ended: accepted by the recipient's server, or given up."""
        return self in _TERMINAL

    @property
    def engagement(self) -> bool:
        """Something the recipient did with a delivered email."""
        return self in _ENGAGEMENT


_TERMINAL = frozenset({EventType.DELIVERED, EventType.DROPPED, EventType.BOUNCE})
_ENGAGEMENT = frozenset(
    {EventType.OPEN, EventType.CLICK, EventType.SPAMREPORT, EventType.UNSUBSCRIBE}
)

#: The 2025-10 page's ``eventid`` numbers (``processed`` has none).
EVENT_IDS: Mapping[int, EventType] = {
    1: EventType.DELIVERED,
    2: EventType.DROPPED,
    3: EventType.BOUNCE,
    4: EventType.OPEN,
    5: EventType.CLICK,
    6: EventType.SPAMREPORT,
    7: EventType.UNSUBSCRIBE,
    8: EventType.DEFERRED,
}


class BounceKind(StrEnum):
    """``bounceType``: ``hard_bounce``/``soft_bounce`` now, ``hard``/``soft`` on the older page."""

    HARD = "hard"
    SOFT = "soft"


@dataclass(frozen=True, slots=True)
class Event:
    """A validated callback event. Times are Unix seconds (what Tencent sends)."""

    type: EventType
    #: ``bulkId``: the ``qcloudses-…`` MessageId that SendEmail returned.
    message_id: str
    at: int
    recipient: str = ""
    link: str = ""
    reason: str = ""
    bounce: BounceKind | None = None
    #: ``username``: the Tencent Cloud AppId.
    app_id: str = ""
    sender: str = ""
    sender_domain: str = ""
    template_id: int | None = None
    user_agent: str = ""
    #: Decoded (Tencent MIME-encodes a subject that is not ASCII).
    subject: str = ""
    #: ``messageId``: the SMTP Message-ID header, not Tencent's MessageId.
    smtp_message_id: str = ""
    task_id: int | None = None
    sent_at: int | None = None
    #: ``X-Tencentcloudses-Cb-Custom``: whatever the sender attached.
    custom: str = ""

    @property
    def identity(self) -> str:
        """Unique per event within its email: time, type and a digest of the link."""
        link = hashlib.sha256(self.link.encode()).hexdigest()[:16] if self.link else "-"
        return f"{self.at:010d}#{self.type.value}#{link}"

    @property
    def time(self) -> datetime:
        return datetime.fromtimestamp(self.at, UTC)

    @property
    def recipient_domain(self) -> str:
        local, at, domain = self.recipient.rpartition("@")
        return domain.lower() if at and local and domain else "(no domain)"

    def to_json(self) -> dict[str, Any]:
        """Only the fields that are set, with their Python names (the stored form)."""
        data: dict[str, Any] = {"type": self.type.value, "message_id": self.message_id}
        data["at"] = self.at
        for name in _OPTIONAL:
            value = getattr(self, name)
            if value not in (None, ""):
                data[name] = value.value if isinstance(value, StrEnum) else value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Event:
        """The inverse of ``to_json`` (stored events only: they were validated on the way in)."""
        values = {name: data[name] for name in _OPTIONAL if name in data}
        if "bounce" in values:
            values["bounce"] = BounceKind(values["bounce"])
        return cls(
            type=EventType(data["type"]),
            message_id=str(data["message_id"]),
            at=int(data["at"]),
            **values,
        )


_OPTIONAL = tuple(
    name for name in Event.__dataclass_fields__ if name not in ("type", "message_id", "at")
)


def subject_key(subject: str) -> str:
    """The subject as searched: case, width and runs of spaces do not matter.

    A very long subject is cut and its full text hashed in, so two long subjects that share a
    beginning never collide.
    """
    text = " ".join(unicodedata.normalize("NFKC", subject).casefold().split())
    if len(text) <= SUBJECT_KEY_LENGTH:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{text[: SUBJECT_KEY_LENGTH - 17]}#{digest}"
