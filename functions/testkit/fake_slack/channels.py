"""Slack's channels as the Web API shows them to a bot: ``chat.postMessage``,
``conversations.history`` and the two steps of ``files_upload_v2``. Part of the fake Slack
(``testkit.fake_slack``).

Slack's rules kept here (docs.slack.dev: "Rate limits", the methods' pages):

- ``chat.postMessage`` takes one message per second per channel, with "short bursts >1
  allowed" but not guaranteed. The fake allows a burst of ``burst`` messages (2 by default:
  the smallest burst above one, as a summary and its thread reply are) and then one a second;
  past that, HTTP 429 ``ratelimited`` with ``Retry-After``, and the message is not posted.
  ``burst=1`` is the rate Slack guarantees.
- A channel that does not exist is ``channel_not_found``; one the app was not added to is
  ``not_in_channel``. Every other channel exists and has the app in it.
- A message needs ``text`` or ``blocks`` (``no_text``), and blocks Slack accepts
  (``invalid_blocks``, read with slack_sdk's models).
- ``conversations.history`` needs the ``channels:history`` scope (``missing_scope``), returns
  newest first after ``oldest``, top-level messages only, metadata only when asked for.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from testkit.block_kit import blocks_problem

#: A Web API answer: HTTP status, the JSON body, extra headers.
Answer = tuple[int, dict[str, Any], Mapping[str, str]]


class Channels:
    """What the bot's channels hold and how fast they take messages."""

    MESSAGES_PER_SECOND = 1.0

    def __init__(self, clock: Callable[[], float], *, burst: int = 2) -> None:
        #: What each channel holds, oldest first: what ``conversations.history`` reads back.
        self.history: dict[str, list[dict[str, Any]]] = {}
        #: Whether the app was granted channels:history.
        self.history_scope = True
        #: Channel IDs that do not exist (``channel_not_found``).
        self.missing: set[str] = set()
        #: Channels the app was not added to (``not_in_channel``).
        self.outside: set[str] = set()
        #: Messages one channel takes at once before the per-second rate applies.
        self.burst = burst
        self._clock = clock
        self._allowance: dict[str, tuple[float, float]] = {}  # channel → (messages, at)
        self._serial = itertools.count(1)
        self._lock = threading.Lock()

    def post_message(self, args: dict[str, Any]) -> Answer:
        """``chat.postMessage``: the message posted (with its ``ts``), or Slack's refusal."""
        channel = str(args.get("channel") or "")
        problem = self._refusal(channel)
        if problem:
            return 200, {"ok": False, "error": problem}, {}
        if not args.get("text") and not args.get("blocks"):
            return 200, {"ok": False, "error": "no_text"}, {}
        blocks = args.get("blocks")
        if blocks is not None:
            why = blocks_problem(json.loads(blocks) if isinstance(blocks, str) else blocks)
            if why:
                answer = {"ok": False, "error": "invalid_blocks", "errors": [why]}
                return 200, answer, {}
        with self._lock:
            wait = self._take_allowance(channel)
            if wait:
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
            ts = f"{int(time.time())}.{next(self._serial):06d}"
            self.history.setdefault(channel, []).append({**args, "ts": ts})
        return 200, {"ok": True, "channel": channel, "ts": ts}, {}

    def read_history(self, args: dict[str, Any]) -> Answer:
        """``conversations.history``: newest first, after ``oldest``, metadata when asked for."""
        channel = str(args.get("channel") or "")
        if not self.history_scope:
            return 200, {"ok": False, "error": "missing_scope", "needed": "channels:history"}, {}
        problem = self._refusal(channel)
        if problem:
            return 200, {"ok": False, "error": problem}, {}
        oldest = float(args.get("oldest") or 0)
        with_metadata = str(args.get("include_all_metadata")).lower() in ("1", "true")
        with self._lock:
            held = list(self.history.get(channel, []))
        messages = [
            {
                "type": "message",
                "ts": message["ts"],
                "text": message.get("text", ""),
                **(
                    {"metadata": message["metadata"]}
                    if with_metadata and "metadata" in message
                    else {}
                ),
            }
            for message in reversed(held)
            if float(message["ts"]) > oldest and "thread_ts" not in message
        ]
        return 200, {"ok": True, "messages": messages, "has_more": False}, {}

    def upload_url(self, base: str) -> Answer:
        """``files.getUploadURLExternal``: where the file's bytes go (``base`` + /upload/ID)."""
        file_id = f"F{next(self._serial):08d}"
        answer = {"ok": True, "upload_url": f"{base}/upload/{file_id}", "file_id": file_id}
        return 200, answer, {}

    def complete_upload(self, args: dict[str, Any]) -> Answer:
        """``files.completeUploadExternal``: the files shared in ``channel_id``."""
        problem = self._refusal(str(args.get("channel_id") or args.get("channels") or ""))
        if problem:
            return 200, {"ok": False, "error": problem}, {}
        return 200, {"ok": True, "files": json.loads(args.get("files") or "[]")}, {}

    def _refusal(self, channel: str) -> str | None:
        if not channel or channel in self.missing:
            return "channel_not_found"
        if channel in self.outside:
            return "not_in_channel"
        return None

    def _take_allowance(self, channel: str) -> int:
        """0 and one message of ``channel``'s allowance taken, or the seconds to wait."""
        now = self._clock()
        left, at = self._allowance.get(channel, (float(self.burst), now))
        left = min(float(self.burst), left + (now - at) * self.MESSAGES_PER_SECOND)
        if left < 1.0:
            self._allowance[channel] = (left, now)
            return max(1, math.ceil((1.0 - left) / self.MESSAGES_PER_SECOND))
        self._allowance[channel] = (left - 1.0, now)
        return 0
