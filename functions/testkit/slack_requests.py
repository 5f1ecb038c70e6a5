"""Requests as Slack sends them: the bodies (a slash command, a button click, a shortcut, a
modal's submission, App Home opened), signed as Slack signs them, in the shape API Gateway
hands them to Lambda.

The signature is Slack's v0 scheme (HMAC-SHA256 of ``v0:<timestamp>:<body>`` with the signing
secret), over the raw bytes, so a body that is not even UTF-8 can be signed too. The IDs are a
test workspace's (``TEAM``, ``USER``, ``CHANNEL``).

Example::

    event = signed_event(command_body("help", fake_slack.response_url()))
    handlers.slack_events(event, context)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
USER = "U0TESTUSER"
CHANNEL = "C0TESTCHAN"
TEAM = "T0TESTTEAM"


def signature(secret: str, timestamp: str, body: bytes | str) -> str:
    """``X-Slack-Signature`` for ``body`` sent at ``timestamp`` (seconds, as text)."""
    raw = body.encode() if isinstance(body, str) else body
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256)
    return "v0=" + digest.hexdigest()


def signed_event(
    body: bytes | str,
    *,
    secret: str = SIGNING_SECRET,
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


def command_body(text: str, response_url: str, *, user: str = USER, channel: str = CHANNEL) -> str:
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": TEAM,
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "support",
            "user_id": user,
            "user_name": "agent",
            "command": "/emailstatus",
            "text": text,
            "api_app_id": "A0TESTAPP",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )


def action_body(
    action_id: str,
    value: str,
    response_url: str,
    *,
    user: str = USER,
    channel: str = CHANNEL,
    trigger_id: str = "1.2.3",
) -> str:
    payload = {
        **_interaction("block_actions", user),
        "container": {"type": "message", "is_ephemeral": True, "channel_id": channel},
        "trigger_id": trigger_id,
        "channel": {"id": channel, "name": "support"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "x"},
                "value": value,
                "action_ts": "1700000000.000001",
            }
        ],
    }
    return _form(payload)


def message_shortcut_body(
    message: dict[str, Any],
    response_url: str,
    *,
    user: str = USER,
    channel: str = CHANNEL,
    trigger_id: str = "1.2.3",
    callback_id: str = "check_email_status",
) -> str:
    """A message shortcut's request as Slack sends it: the whole message it was used on."""
    payload = {
        "callback_id": callback_id,
        "action_ts": "1700000000.000002",
        **_interaction("message_action", user),
        "channel": {"id": channel, "name": "support"},
        "is_enterprise_install": False,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message.get("ts", "1700000000.000100"),
        "message": {"type": "message", "ts": "1700000000.000100", "user": "U0CUSTOMER", **message},
    }
    return _form(payload)


def global_shortcut_body(callback_id: str, *, user: str = USER, trigger_id: str = "1.2.3") -> str:
    """A global shortcut's request: no conversation, no response_url, only a trigger."""
    payload = {
        **_interaction("shortcut", user),
        "callback_id": callback_id,
        "action_ts": "1700000000.000003",
        "is_enterprise_install": False,
        "trigger_id": trigger_id,
    }
    return _form(payload)


def view_submission_body(
    view: dict[str, Any],
    reason: str | None,
    *,
    user: str = USER,
    view_id: str = "V0TESTVIEW",
    values: dict[str, Any] | None = None,
    response_urls: list[dict[str, str]] | None = None,
) -> str:
    """A modal's submission as Slack sends it: the opened view with its state and ID.

    ``values``: the view's state (block → action → value); by default the removal's reason.
    ``response_urls``: one per conversation picked in a ``response_url_enabled`` menu.
    """
    value = {"type": "plain_text_input", "value": reason}
    payload = {
        **_interaction("view_submission", user, username="operator"),
        "trigger_id": "9.9.9",
        "view": {
            **view,
            "id": view_id,
            "team_id": TEAM,
            "state": {"values": values if values is not None else {"reason": {"reason": value}}},
            "hash": "1700000000.abc",
        },
        "response_urls": response_urls or [],
    }
    return _form(payload)


def _interaction(kind: str, user: str, *, username: str = "agent") -> dict[str, Any]:
    """What every interactive payload starts with: its type, the workspace, who acted, the app."""
    return {
        "type": kind,
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "username": username, "name": username, "team_id": TEAM},
        "api_app_id": "A0TESTAPP",
        "token": "deprecated-verification-token",
    }


def _form(payload: dict[str, Any]) -> str:
    """An interactive payload as Slack posts it: form-encoded, its JSON under ``payload``."""
    return urlencode({"payload": json.dumps(payload)})


def app_home_opened_body(user: str = USER, tab: str = "home") -> str:
    """The Events API's ``app_home_opened`` (JSON; send it with a JSON content-type)."""
    return json.dumps(
        {
            "token": "deprecated-verification-token",
            "team_id": TEAM,
            "api_app_id": "A0TESTAPP",
            "type": "event_callback",
            "event_id": f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": user,
                "channel": "D0APPHOME",
                "tab": tab,
                "event_ts": f"{time.time():.6f}",
            },
        }
    )
