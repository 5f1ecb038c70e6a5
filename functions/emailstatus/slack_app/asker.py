"""Who is asking, as Slack knows them: their time zone and locale, from ``users.info``.

"Today" is the asker's calendar day and answers are in the asker's language, so each lookup
needs the asker's Slack ``tz`` and ``locale`` (``users.info`` with ``include_locale``, scope
``users:read``). Only lazy listeners call ``asker_profile``, never an acknowledgement: the call
can take up to ``PROFILE_TIMEOUT_S`` and Slack's 3 seconds are not spent on it.

The answer is cached per user in the process (a warm Lambda container keeps it between
invocations) for ``PROFILE_TTL_S``: a person's zone changes when they travel, rarely within a
quarter of an hour, while a support agent often asks several times in a row and ``users.info``
(Tier 4, 100+ calls a minute per workspace) is then asked once. When Slack refuses
(``missing_scope`` before the app is reinstalled with ``users:read``, ``user_not_found``,
``ratelimited``, a network failure) the configured zone and locale stand in: the answer still
comes, saying which zone its days are in; the refusal is logged once per process and kind, and
remembered for ``FALLBACK_TTL_S`` (or Slack's ``Retry-After``) so a failing Slack is not asked
again on every lookup.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta, timezone, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)

#: How long one user's profile is trusted (see the module's docstring for why).
PROFILE_TTL_S: Final = 15 * 60.0
#: How long a refusal stands before Slack is asked again (unless Slack says how long).
FALLBACK_TTL_S: Final = 30.0
#: A lookup waits at most this long for ``users.info`` before answering in the configured zone.
PROFILE_TIMEOUT_S: Final = 2
#: Users remembered at most (the longest unasked dropped first): memory stays bounded.
MAX_USERS: Final = 5_000
#: Slack's ``tz_offset`` is within a day; anything else is not an offset.
_MAX_OFFSET_S: Final = 24 * 3600


@dataclass(frozen=True, slots=True)
class AskerProfile:
    """The asker's zone and locale, as Slack said them, or the configured ones.

    ``zone`` is always usable: the asker's IANA zone, a fixed offset when Slack's ``tz`` is a
    name this machine's tz database lacks, or the configured zone. ``locale`` is Slack's
    (``"zh-CN"``, ``"en-US"``), or None when Slack did not say: the caller's default applies.
    ``from_slack`` is False when the configured zone stands in for Slack's.
    """

    zone: tzinfo
    locale: str | None
    from_slack: bool


@dataclass(frozen=True, slots=True)
class _Cached:
    profile: AskerProfile
    until: float


class ProfileCache:
    """Profiles by user, each until its time runs out; thread-safe, bounded."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._profiles: OrderedDict[str, _Cached] = OrderedDict()
        self._warned: set[str] = set()

    def get(self, user: str) -> AskerProfile | None:
        with self._lock:
            cached = self._profiles.get(user)
            if cached is None or cached.until <= self._clock():
                return None
            self._profiles.move_to_end(user)
            return cached.profile

    def put(self, user: str, profile: AskerProfile, ttl_s: float) -> None:
        with self._lock:
            self._profiles[user] = _Cached(profile, self._clock() + ttl_s)
            self._profiles.move_to_end(user)
            while len(self._profiles) > MAX_USERS:
                self._profiles.popitem(last=False)

    def first_warning(self, kind: str) -> bool:
        """True the first time ``kind`` is seen by this process (a warning is logged once)."""
        with self._lock:
            first = kind not in self._warned
            self._warned.add(kind)
            return first

    def clear(self) -> None:
        with self._lock:
            self._profiles.clear()
            self._warned.clear()


_cache = ProfileCache()


def asker_profile(
    client: WebClient,
    user_id: str | None,
    *,
    default_zone: tzinfo,
    default_locale: str | None = None,
    cache: ProfileCache = _cache,
) -> AskerProfile:
    """``user_id``'s zone and locale from Slack (cached), else the defaults; never raises."""
    fallback = AskerProfile(default_zone, default_locale, from_slack=False)
    if not user_id:
        return fallback
    cached = cache.get(user_id)
    if cached is not None:
        return cached
    try:
        response = _users_info(client, user_id)
    except SlackApiError as error:
        kind = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        _warn(cache, kind, error.response.get("needed"))
        retry_after = _header(error.response.headers, "retry-after")
        ttl = float(retry_after) if kind == "ratelimited" and retry_after.isdigit() else None
        cache.put(user_id, fallback, ttl or FALLBACK_TTL_S)
        return fallback
    except (SlackClientError, OSError, ValueError) as error:  # network, timeout, not JSON
        _warn(cache, type(error).__name__, None)
        cache.put(user_id, fallback, FALLBACK_TTL_S)
        return fallback
    profile = _read_user(response.get("user") or {}, fallback)
    cache.put(user_id, profile, PROFILE_TTL_S if profile.from_slack else FALLBACK_TTL_S)
    return profile


def cached_profile(user_id: str | None, cache: ProfileCache = _cache) -> AskerProfile | None:
    """``user_id``'s profile if this process already holds it; never calls Slack (an
    acknowledgement's way to answer in the asker's language when it is known)."""
    return cache.get(user_id) if user_id else None


def forget_profiles() -> None:
    """Empty the process's cache and its warnings (tests)."""
    _cache.clear()


def _users_info(client: WebClient, user_id: str) -> dict[str, Any]:
    """``users.info`` with the locale, within ``PROFILE_TIMEOUT_S`` (the app's client waits
    longer: it also posts answers and views)."""
    quick = WebClient(token=client.token, base_url=client.base_url, timeout=PROFILE_TIMEOUT_S)
    data = quick.users_info(user=user_id, include_locale=True).data
    if not isinstance(data, dict):
        raise ValueError("users.info did not answer with a JSON object")
    return data


def _read_user(user: dict[str, Any], fallback: AskerProfile) -> AskerProfile:
    """The profile in a ``users.info`` user object; missing or unreadable parts fall back."""
    zone = _zone(user.get("tz"), user.get("tz_offset"))
    locale = user.get("locale")
    locale = locale if isinstance(locale, str) and locale.strip() else fallback.locale
    if zone is None:
        return AskerProfile(fallback.zone, locale, from_slack=False)
    return AskerProfile(zone, locale, from_slack=True)


def _zone(name: object, offset: object) -> tzinfo | None:
    """Slack's IANA ``tz``; its ``tz_offset`` (seconds east of UTC, today's) when the name is
    unknown here; None when neither can be read."""
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    if isinstance(offset, int) and not isinstance(offset, bool) and abs(offset) < _MAX_OFFSET_S:
        return timezone(timedelta(seconds=offset))
    return None


def _header(headers: dict[str, Any], name: str) -> str:
    """A response header by name, whatever its case."""
    return next((str(value) for key, value in headers.items() if key.lower() == name), "")


def _warn(cache: ProfileCache, kind: str, needed: object) -> None:
    if not cache.first_warning(kind):
        return
    hint = (
        " (reinstall the Slack app from infra/slack-app-manifest.yml to grant users:read)"
        if kind == "missing_scope"
        else ""
    )
    log.warning(
        "users.info refused; answering in the configured zone and language%s",
        hint,
        extra={"slack_error": kind, "needed": needed},
    )
