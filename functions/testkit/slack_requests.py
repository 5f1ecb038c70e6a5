"""Requests signed as Slack signs them, in the shape API Gateway hands them to Lambda.

The signature is Slack's v0 scheme (HMAC-SHA256 of ``v0:<timestamp>:<body>`` with the signing
secret), over the raw bytes, so a body that is not even UTF-8 can be signed too.

Example::

    event = signed_event(urlencode({"command": "/emailstatus", "text": "help"}), secret=SECRET)
    handlers.slack_events(event, context)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any


def signature(secret: str, timestamp: str, body: bytes | str) -> str:
    """``X-Slack-Signature`` for ``body`` sent at ``timestamp`` (seconds, as text)."""
    raw = body.encode() if isinstance(body, str) else body
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256)
    return "v0=" + digest.hexdigest()


def signed_event(
    body: bytes | str,
    *,
    secret: str,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
    function_url: bool = False,
    base64_body: bool = False,
) -> dict[str, Any]:
    """An API Gateway HTTP API v2 (or Function URL) event for a POST signed like Slack does.

    ``body`` as bytes may be any bytes at all when ``base64_body`` carries it.
    """
    raw = body.encode() if isinstance(body, str) else body
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    all_headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": signature(secret, stamp, raw),
        **(headers or {}),
    }
    context: dict[str, Any] = {
        "http": {"method": "POST", "path": "/slack/events", "sourceIp": "192.0.2.1"},
        "requestId": "test-request",
    }
    if function_url:
        context["domainName"] = "abc123.lambda-url.ap-southeast-1.on.aws"
    else:
        context["apiId"] = "abc123"
        context["stage"] = "$default"
    return {
        "version": "2.0",
        "routeKey": "$default" if function_url else "POST /slack/events",
        "rawPath": "/slack/events",
        "rawQueryString": "",
        "headers": all_headers,
        "requestContext": context,
        "body": base64.b64encode(raw).decode() if base64_body else raw.decode(),
        "isBase64Encoded": base64_body,
    }
