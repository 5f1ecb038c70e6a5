"""Slack's ``response_url``\\s and the conversation they write into: the part of the fake Slack
(``testkit.fake_slack``) that answers a slash command's, a button's or a shortcut's posts.

Slack's rules (docs.slack.dev, "Handling user interaction"; PLATFORM-NOTES.md):

- a response_url takes at most 5 posts within 30 minutes of the interaction that issued it
  (then 404 ``used_url`` / ``expired_url``);
- a slash command's response_url cannot replace or delete the command's acknowledgement:
  ``replace_original``/``delete_original`` are ignored there and every post is a new message
  (slackapi/bolt-python#1268, bolt-js#2287);
- a button's response_url belongs to the message holding the button: ``replace_original``
  replaces that message, ``delete_original`` removes it, anything else is a new message;
- in a conversation that does not take the app's messages every post gets 404
  ``channel_not_found``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class _ResponseUrl:
    """One response_url as Slack keeps it: what it belongs to and how often it was used."""

    message: int | None  # index in ``shown`` of the message with the button; None: a command
    issued: float | None = None  # None: not issued by the fake; counted from its first post
    posts: int = 0


class ResponseUrls:
    """Every response_url's posts and the conversation as the user sees it.

    ``shown``: the messages in order (``None`` where one was deleted), acks included;
    ``posts``: every post, accepted or refused, as ``(path, payload)``; ``status``: when not
    200, every post is refused with it (``expired_url``), as if Slack were down on that URL.
    """

    MAX_POSTS = 5
    LIFETIME_SECONDS = 30 * 60

    def __init__(self, clock: Callable[[], float]) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        self.shown: list[dict[str, Any] | None] = []
        self.status = 200
        self._clock = clock
        self._urls: dict[str, _ResponseUrl] = {}
        self._closed: set[str] = set()
        self._lock = threading.Lock()

    def issue(self, path: str, *, message: int | None = None, closed: bool = False) -> None:
        """A response_url at ``path``, issued now; ``message``: the message holding the button
        it came from; ``closed``: in a conversation that does not take the app's messages."""
        with self._lock:
            self._urls[path] = _ResponseUrl(message, issued=self._clock())
            if closed:
                self._closed.add(path)

    def holding(self, value: str) -> int | None:
        """The index in ``shown`` of the newest message with a button of this ``value``."""
        with self._lock:
            for index in range(len(self.shown) - 1, -1, -1):
                if f'"value": {json.dumps(value)}' in json.dumps(self.shown[index] or {}):
                    return index
        return None

    def show(self, payload: dict[str, Any]) -> None:
        """A message Slack displays without a response_url post (a command's ack body)."""
        with self._lock:
            self.shown.append(payload)

    def visible(self) -> list[dict[str, Any]]:
        """The messages the user sees now, oldest first."""
        with self._lock:
            return [message for message in self.shown if message is not None]

    def receive(self, path: str, payload: dict[str, Any]) -> tuple[int, str]:
        """One post to the response_url at ``path``: Slack's status and body."""
        with self._lock:
            self.posts.append((path, payload))
            if self.status != 200:
                return self.status, "expired_url"
            if path in self._closed:
                return 404, "channel_not_found"
            url = self._urls.setdefault(path, _ResponseUrl(None))
            now = self._clock()
            url.issued = now if url.issued is None else url.issued
            if now - url.issued > self.LIFETIME_SECONDS:
                return 404, "expired_url"
            if url.posts >= self.MAX_POSTS:
                return 404, "used_url"
            url.posts += 1
            index = url.message
            if (
                index is not None
                and self.shown[index] is not None
                and (payload.get("delete_original") or payload.get("replace_original"))
            ):
                self.shown[index] = None if payload.get("delete_original") else payload
            else:
                self.shown.append(payload)
            return 200, "ok"
