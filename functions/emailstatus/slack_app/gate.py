"""The door every HTTP request passes before Bolt sees it: size, Slack's signature, then shape.

Bolt parses a body before it checks the signature, and ``slack_sdk``'s verifier raises instead
of answering "not verified" on a timestamp such as ``abc`` or ``1e9`` or a non-ASCII signature;
the exception then reached the app's error handler, which answered on the request's own
``response_url``. So an unsigned request could make the function post anywhere. Here nothing
from a request is parsed, logged or used until its signature is verified over the raw bytes;
anything else is refused with a status and a reason that holds none of its content.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from slack_bolt import BoltRequest

#: The largest body read at all. Slack's biggest request to this app is a button click, whose
#: ``block_actions`` payload may carry the message clicked: at most 50 blocks of 3,000
#: characters (~150 KB), up to three times that once JSON-escaped and form-encoded.
MAX_BODY_BYTES: Final = 512 * 1024

#: Slack's rule: a request more than five minutes from now may be a replay.
MAX_CLOCK_SKEW_S: Final = 5 * 60

#: Seconds since the epoch in ASCII digits (``str.isdigit`` would accept "²" or "٣").
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

#: Headers Bolt's Lambda adapter adds to its own self-invocation; never honoured from outside.
LAZY_HEADERS: Final = ("x-slack-bolt-lazy-only", "x-slack-bolt-lazy-function-name")


@dataclass(frozen=True)
class Refused:
    """Why a request was turned away: the HTTP status and a reason for the log (no content)."""

    status: int
    reason: str


def admit(
    body: bytes, headers: Mapping[str, str], signing_secret: str, *, now: float | None = None
) -> str | Refused:
    """``body`` as text when Slack signed it and Bolt can read it, else why not.

    ``headers`` must have lower-case names (API Gateway and ``http_headers`` give them so).
    Refusals: 413 too large, 401 not verified (malformed headers included), 400 signed but
    unreadable (not UTF-8, not a form or JSON object).
    """
    if len(body) > MAX_BODY_BYTES:
        return Refused(413, "body too large")
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return Refused(401, "signature headers missing or malformed")
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_CLOCK_SKEW_S:
        return Refused(401, "timestamp outside five minutes")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return Refused(401, "signature does not match")
    try:
        text = body.decode("utf-8")
        request = BoltRequest(body=text, headers=dict(headers))
    except Exception:  # any shape Bolt cannot read is the sender's error
        return Refused(400, "signed body unreadable")
    if not isinstance(request.body, dict):
        return Refused(400, "signed body is not an object")
    return text


def http_headers(pairs: Mapping[str, str], *, self_invocation: bool = False) -> dict[str, str]:
    """Header names in lower case, as API Gateway delivers them. Bolt's lazy-only headers are
    kept only on the function's own self-invocation: from outside they would make a replayed
    request skip its acknowledgement and run the lookup at once."""
    headers = {str(name).lower(): str(value) for name, value in pairs.items()}
    if not self_invocation:
        for name in LAZY_HEADERS:
            headers.pop(name, None)
    return headers
