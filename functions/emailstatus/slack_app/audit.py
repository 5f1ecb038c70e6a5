"""One structured audit line per lookup and per blocklist removal: who asked, where, about
whom (masked), what, how fast.

Written with Powertools' JSON ``Logger`` so CloudWatch Logs Insights can query it. The target is
masked with ``privacy.mask_address``: no audit line ever holds a full address or a secret.
Powertools is imported with the first line, not with the module: acknowledging a command never
needs it, and every millisecond of a cold start counts against Slack's 3 seconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from emailstatus.command import Query, TargetKind
from emailstatus.days import zone_name
from emailstatus.events.model import subject_key
from emailstatus.privacy import mask_address

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

#: Its own service name (and logger), so its lines can be routed and kept on their own.
SERVICE = "emailstatus.audit"


@cache
def audit_logger() -> Logger:
    """The process's audit logger, created on first use."""
    from aws_lambda_powertools import Logger

    return Logger(service=SERVICE)


@dataclass(frozen=True, slots=True)
class Asker:
    """Who asked, where, and through which control (command or a button)."""

    action: str
    user: str | None
    channel: str | None


def record_lookup(
    asker: Asker,
    query: Query,
    *,
    seconds: float,
    verdict: str,
    emails: int = 0,
    error_code: str | None = None,
    request_id: str | None = None,
) -> None:
    """Log one lookup; ``verdict`` is the state, or "error" with ``error_code``."""
    audit_logger().info(
        "lookup",
        extra={
            "action": asker.action,
            "user": asker.user,
            "channel": asker.channel,
            "target": masked_target(query),
            "target_kind": query.kind.value,
            # Which filters narrowed it (names only: a subject is not logged).
            "filters": [
                name
                for name, value in (
                    ("subject", query.filters.subject),
                    ("template", query.filters.template_id),
                )
                if value is not None
            ],
            "dates": [day.isoformat() for day in query.dates],
            "zone": zone_name(query.zone),
            "verdict": verdict,
            "emails": emails,
            "latency_ms": round(seconds * 1000),
            "error_code": error_code,
            "request_id": request_id,
        },
    )


def record_refusal(user: str | None, channel: str | None, reason: str) -> None:
    """Log one refused request: who was turned away, where, and why (allow-list, rate limit)."""
    audit_logger().info("refused", extra={"user": user, "channel": channel, "reason": reason})


def masked_target(query: Query) -> str:
    """An address masked; a MessageId is an opaque ID, not personal data, and stays whole; a
    subject (which may name a person or an order) only as a fingerprint of its search key,
    so repeated searches for one subject can still be told apart."""
    if query.kind is TargetKind.MESSAGE_ID:
        return query.target
    if query.kind is TargetKind.SUBJECT:
        return "subject#" + hashlib.sha256(subject_key(query.target).encode()).hexdigest()[:12]
    return mask_address(query.target)


def record_removal(
    asker: Asker,
    address: str,
    *,
    outcome: str,
    reason: str = "",
    lists: tuple[str, ...] = (),
    request_ids: tuple[str, ...] = (),
    error_code: str | None = None,
) -> None:
    """Log one blocklist removal (or its refusal): who, which address (masked), why, what
    Tencent said. ``outcome``: removed, refused, not_listed or error."""
    audit_logger().info(
        "blocklist_removal",
        extra={
            "action": asker.action,
            "user": asker.user,
            "channel": asker.channel,
            "target": mask_address(address),
            "outcome": outcome,
            "reason": reason,
            "lists": list(lists),
            "request_ids": list(request_ids),
            "error_code": error_code,
        },
    )
