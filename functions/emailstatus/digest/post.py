"""Putting a digest into Slack: the summary post, its thread reply, and the CSV of failures.

Kept apart from the job so that printing a digest (``emailstatus digest``) never loads Slack's
SDK: only posting does. ``RateLimitErrorRetryHandler`` waits out Slack's 429s (about one
message a second per channel) for the time Slack's ``Retry-After`` asks.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import IO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from emailstatus.config import SLACK_TIMEOUT_S, Settings
from emailstatus.digest.report import DigestReport
from emailstatus.digest.summary import FAILED_STATES
from emailstatus.errors import ConfigError, DigestPostError
from emailstatus.knowledge.records import EmailRecord
from emailstatus.privacy import quiet_request_dumpers
from emailstatus.render.slack_digest import (
    CSV_HEADER,
    csv_filename,
    csv_row,
    digest_message,
    thread_reply,
)
from emailstatus.verdict import record_state

log = logging.getLogger(__name__)

#: Times a 429 is waited out before the post counts as failed.
SLACK_RATE_RETRIES = 3


#: The metadata every summary carries, so a later run can find a post it cannot otherwise
#: be sure of (Slack timed out after taking it, or the run died before recording it).
METADATA_EVENT = "emailstatus_digest"
#: How far before the recorded start of posting the channel is searched (clock skew).
FIND_MARGIN_S = 120


@dataclass(frozen=True, slots=True)
class Posted:
    """Where the summary went: the channel's ID (for the thread) and the message ts."""

    channel_id: str
    ts: str


class FailedSheet:
    """Every failed email of the day as CSV in a temporary file, so memory stays flat."""

    def __init__(self, file: IO[str], settings: Settings) -> None:
        self._file = file
        self._writer = csv.writer(file)
        self._writer.writerow(CSV_HEADER)
        self._show = settings.digest_show_addresses
        self._zone = settings.zone

    def add_all(self, records: Iterable[EmailRecord]) -> None:
        for record in records:
            if record_state(record) in FAILED_STATES:
                self._writer.writerow(csv_row(record, show_addresses=self._show, zone=self._zone))

    def content(self) -> bytes:
        """The whole CSV (Slack's upload takes it in one piece)."""
        self._file.flush()
        self._file.seek(0)
        data = self._file.read().encode("utf-8")
        self._file.seek(0, 2)
        return data


@contextmanager
def failed_sheet(settings: Settings) -> Iterator[FailedSheet | None]:
    """A sheet to fill during the walk when ``EMAILSTATUS_DIGEST_CSV`` is on, else None."""
    if not settings.digest_csv:
        yield None
        return
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as file:
        yield FailedSheet(file, settings)


def slack_client(settings: Settings) -> WebClient:
    """A Web API client on ``EMAILSTATUS_SLACK_API_URL`` that waits out 429s (Retry-After)."""
    if not settings.slack_bot_token:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set: the digest cannot be posted.",
            next_step="Set SLACK_BOT_TOKEN to the app's bot token (xoxb-…).",
        )
    quiet_request_dumpers()  # before the first call that could log a request
    client = WebClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=SLACK_TIMEOUT_S
    )
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=SLACK_RATE_RETRIES))
    return client


def post_summary(slack: WebClient, channel: str, report: DigestReport) -> Posted:
    """The summary message; ``DigestPostError`` when Slack does not take it."""
    metadata = {
        "event_type": METADATA_EVENT,
        "event_payload": {"day": report.summary.day.isoformat()},
    }
    try:
        answer = slack.chat_postMessage(
            channel=channel, metadata=metadata, **digest_message(report).to_dict()
        )
    except (SlackClientError, OSError) as error:
        reason = _reason(error)
        raise DigestPostError(
            f"The digest could not be posted to {channel} ({reason}).",
            code=reason,
            refused=isinstance(error, SlackApiError),
        ) from None
    return Posted(str(answer.get("channel") or channel), str(answer["ts"]))


def find_posted(slack: WebClient, channel: str, day: date, since: float) -> str | None:
    """The ts of ``day``'s summary posted in ``channel`` after ``since``, or None.

    Reads the channel's recent history (scope ``channels:history``, or ``groups:history`` for
    a private channel) for a message carrying this digest's metadata. ``DigestPostError`` when
    the history cannot be read: then nobody can tell, and posting again could double it.
    """
    oldest = f"{max(since - FIND_MARGIN_S, 0):.6f}"
    try:
        for page in slack.conversations_history(
            channel=channel, oldest=oldest, include_all_metadata=True, limit=200
        ):
            for message in page.get("messages", []):
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and payload.get("day") == str(day):
                    return str(message["ts"])
    except (SlackClientError, OSError) as error:
        reason = _reason(error)
        raise DigestPostError(
            f"An earlier run may have posted the digest to {channel}, and the channel's "
            f"history could not be read to check ({reason}): not posting again.",
            code=reason,
            refused=False,
        ) from None
    return None


def post_thread(
    slack: WebClient,
    posted: Posted,
    report: DigestReport,
    *,
    show_addresses: bool,
    sheet: FailedSheet | None,
) -> str | None:
    """The failed emails (and the CSV) under the summary; a problem is returned, not raised.

    The summary is already posted and marked done, so a failure here must not lead to a
    second summary: it is logged and reported instead.
    """
    reply = thread_reply(report, show_addresses=show_addresses, csv_attached=sheet is not None)
    if reply is None:
        return None
    day = report.summary.day
    try:
        slack.chat_postMessage(channel=posted.channel_id, thread_ts=posted.ts, **reply.to_dict())
        if sheet is not None:
            slack.files_upload_v2(
                channel=posted.channel_id,
                thread_ts=posted.ts,
                content=sheet.content(),
                filename=csv_filename(day),
                title=f"Failed emails on {day.isoformat()}",
            )
    except (SlackClientError, OSError) as error:
        reason = _reason(error)
        log.error("The digest's thread reply failed", extra={"error": reason})
        return f"thread: {reason}"
    return None


def _reason(error: Exception) -> str:
    """Slack's error code (``channel_not_found``), or the kind of failure."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    return type(error).__name__
