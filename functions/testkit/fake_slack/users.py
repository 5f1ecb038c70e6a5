"""Slack's ``users.info`` as Slack answers it: the part of the fake Slack (``testkit.fake_slack``)
that knows the workspace's members.

What the app relies on, and what Slack does that a lookup must survive:

- the bot token (``invalid_auth`` otherwise) and the ``users:read`` scope: without it Slack
  answers ``missing_scope`` with ``needed``/``provided``, as it does until the app is reinstalled
  with the new scope (``scopes`` says what the token was granted);
- ``user.tz`` (IANA), ``user.tz_label`` and ``user.tz_offset`` (seconds east of UTC *now*, so
  it moves with daylight saving), and ``user.locale`` only when ``include_locale`` is true;
- ``user_not_found`` for an unknown ID;
- Tier 4 rate limiting ("100+ per minute"): over ``per_minute`` calls in 60 s, HTTP 429 with
  ``Retry-After`` and ``{"ok": false, "error": "ratelimited"}``;
- ``broken``: the connection is dropped without an answer (a network failure).

``calls`` records every answered call (user, whether the locale was asked for) and ``limited``
counts the refused ones, so a test can see the cache at work and that no acknowledgement waited
for Slack.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

METHOD: Final = "users.info"
SCOPE: Final = "users:read"
#: Slack's own labels for the zones the tests use (``tz_label`` is display text).
_LABELS: Final = {
    "America/Los_Angeles": ("Pacific Standard Time", "Pacific Daylight Time"),
    "Asia/Tokyo": ("Japan Standard Time", "Japan Standard Time"),
    "Asia/Shanghai": ("China Standard Time", "China Standard Time"),
    "Europe/Berlin": ("Central European Time", "Central European Summer Time"),
}


@dataclass(frozen=True)
class SlackUser:
    """One member as ``users.info`` describes them; ``tz`` None for a user without one."""

    tz: str | None = "Asia/Shanghai"
    locale: str = "en-US"


@dataclass(frozen=True)
class Answer:
    """What the fake Web API sends back: HTTP status, JSON body, extra headers; or nothing."""

    status: int
    body: dict[str, Any] | None
    headers: dict[str, str]


class FakeUsers:
    """``users.info`` over a configurable workspace (``users``, ``scopes``, ``per_minute``)."""

    def __init__(
        self, token: str, scopes: tuple[str, ...], clock: Callable[[], float] = time.time
    ) -> None:
        self.token = token
        self.scopes = scopes
        self.users: dict[str, SlackUser] = {}
        self.per_minute = 100
        self.broken = False
        self.calls: list[tuple[str, bool]] = []
        self.limited = 0
        self._clock = clock
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()

    def call(self, authorization: str, params: dict[str, str]) -> Answer:
        """One ``users.info`` call with its form or query parameters."""
        with self._lock:
            now = self._clock()
            if self.broken:
                return Answer(0, None, {})
            while self._recent and self._recent[0] <= now - 60:
                self._recent.popleft()
            if len(self._recent) >= self.per_minute:
                self.limited += 1
                oldest = self._recent[0] if self._recent else now
                retry_after = max(math.ceil(oldest + 60 - now), 1)
                body = {"ok": False, "error": "ratelimited"}
                return Answer(429, body, {"Retry-After": str(retry_after)})
            self._recent.append(now)
            token = params.get("token") or authorization.removeprefix("Bearer ")
            if token != self.token:
                return _ok_false("invalid_auth")
            if SCOPE not in self.scopes:
                body = {
                    "ok": False,
                    "error": "missing_scope",
                    "needed": SCOPE,
                    "provided": ",".join(self.scopes),
                }
                return Answer(200, body, {})
            user_id = params.get("user", "")
            with_locale = params.get("include_locale", "").lower() in {"1", "true"}
            self.calls.append((user_id, with_locale))
            user = self.users.get(user_id)
            if user is None:
                return _ok_false("user_not_found")
            return Answer(200, {"ok": True, "user": _user_object(user_id, user, with_locale)}, {})


def _ok_false(error: str) -> Answer:
    return Answer(200, {"ok": False, "error": error}, {})


def _user_object(user_id: str, user: SlackUser, with_locale: bool) -> dict[str, Any]:
    """The parts of Slack's user object the app may read, shaped as Slack sends them."""
    found: dict[str, Any] = {
        "id": user_id,
        "team_id": "T0TESTTEAM",
        "name": user_id.lower(),
        "deleted": False,
        "is_bot": False,
    }
    if user.tz is not None:
        zone = ZoneInfo(user.tz)
        now = datetime.now(zone)
        offset = now.utcoffset()
        standard, summer = _LABELS.get(user.tz, (user.tz, user.tz))
        found["tz"] = user.tz
        found["tz_label"] = summer if now.dst() else standard
        found["tz_offset"] = int(offset.total_seconds()) if offset is not None else 0
    if with_locale:
        found["locale"] = user.locale
    return found
