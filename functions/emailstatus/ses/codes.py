"""What every SES status and error code means, as data: a headline, a plain explanation and a
next step a support agent can act on. (Skeleton: the tables are being filled in.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from emailstatus.errors import Actor


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """The plain-language reading of one status code."""

    headline: str
    explanation: str
    next_step: str


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """The plain-language reading of one API error code, and how to treat it."""

    headline: str
    explanation: str
    next_step: str
    actor: Actor
    retryable: bool


SEND_STATUS: Mapping[int, CodeInfo] = {}
DELIVER_STATUS: Mapping[int, CodeInfo] = {}
API_ERRORS: Mapping[str, ErrorInfo] = {
    "RequestLimitExceeded": ErrorInfo(
        "Tencent's rate limit was hit", "", "", Actor.TENCENT, retryable=True
    ),
    "InternalError": ErrorInfo("Tencent had an internal error", "", "", Actor.TENCENT, True),
    "ClientNetworkError": ErrorInfo("Tencent could not be reached", "", "", Actor.TENCENT, True),
    "ServerNetworkError": ErrorInfo("Tencent answered with an HTTP error", "", "", Actor.TENCENT, True),
}


def error_info(code: str) -> ErrorInfo:
    """The reading of an API error code: exact match, then its family (``AuthFailure.*``)."""
    if code in API_ERRORS:
        return API_ERRORS[code]
    family = code.split(".", 1)[0]
    if family in API_ERRORS:
        return API_ERRORS[family]
    return ErrorInfo(f"Tencent answered {code}", "", "", Actor.OPERATOR, retryable=False)
