"""Posting to a ``response_url``: only to Slack's own hosts, and never waiting long.

A ``response_url`` arrives inside a request body, so it is a URL someone else chose. Even from a
verified request it is opened only when it is ``https://`` on Slack's webhook hosts. For local
development and tests against a fake Slack, ``EMAILSTATUS_SLACK_API_URL`` names that fake; a
``response_url`` on the same scheme, host and port is then allowed too, and nothing else.
Bolt's own ``respond`` uses slack_sdk's 30-second default and opens any URL, so it is not used.
"""

from __future__ import annotations

import logging
from typing import Any, Final
from urllib.parse import SplitResult, urlsplit

from slack_sdk.webhook import WebhookClient, WebhookResponse

from emailstatus.config import SLACK_TIMEOUT_S, Settings

log = logging.getLogger(__name__)

#: Where Slack's response_urls live: commercial Slack (Enterprise Grid included) and GovSlack,
#: which runs on its own domain, slack-gov.com.
SLACK_HOOK_HOSTS: Final = frozenset({"hooks.slack.com", "hooks.slack-gov.com"})

#: Slack's Web API hosts: an ``EMAILSTATUS_SLACK_API_URL`` on one of them is not a local fake.
SLACK_API_HOSTS: Final = frozenset({"slack.com", "slack-gov.com"})


def may_post_to(url: str | None, slack_api_url: str) -> bool:
    """Whether ``url`` is Slack's (or, in development, the configured fake Slack's)."""
    target = _split(url or "")
    if target is None:
        return False
    if target.scheme == "https" and target.hostname in SLACK_HOOK_HOSTS:
        return _port(target) == 443
    fake = _split(slack_api_url)
    return (
        fake is not None
        and fake.hostname not in SLACK_API_HOSTS
        and (target.scheme, target.hostname, _port(target))
        == (fake.scheme, fake.hostname, _port(fake))
    )


def post(url: str | None, settings: Settings, payload: dict[str, Any]) -> WebhookResponse | None:
    """Post ``payload`` to ``url`` within ``SLACK_TIMEOUT_S``; None (logged) when not allowed.

    Network errors are raised, for the caller to log.
    """
    if url is None or not may_post_to(url, settings.slack_api_url):
        target = _split(url or "")
        log.warning(
            "Not posting to a response_url outside Slack",
            extra={"host": target.hostname if target else None},
        )
        return None
    return WebhookClient(url=url, timeout=SLACK_TIMEOUT_S).send_dict(payload)


def _split(url: str) -> SplitResult | None:
    """The URL's parts when it is a plain http(s) URL without credentials, else None."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username is not None:
        return None
    return parts


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)
