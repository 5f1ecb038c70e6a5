"""DynamoDB records of digest runs: each (channel, date) posted once, and the figures kept.

EventBridge delivers at least once and a failed Lambda is retried, but a channel must get one
digest a day. A run *claims* (channel, date) with a conditional write before it walks the day
and *marks it done* with the message ts after posting; any other invocation for the same key
posts nothing. A claim whose run died (timeout, crash) can be taken over after ``LEASE``. Each
day's figures are kept ``RETENTION`` for the next digests' comparison and sparkline.

Why Powertools' idempotency *persistence layer* and not its ``@idempotent_function``: the
decorator claims when the decorated function is entered and replays its stored result, which
fits one call per key. Here one walk of the day (minutes of the account's shared API budget)
serves several channels, each its own key, and must not start at all when every channel is
already done or taken: the claims come first, the shared work after, each mark-done on its own.
The decorator's in-progress expiry is also the Lambda's remaining time (none at all without a
Lambda context, as in ``emailstatus digest --post``) rather than a lease we choose. The layer's
record API (``save_inprogress`` with an explicit lease, ``save_success``, ``delete_record``)
is exactly claim / mark done / release, with Powertools' tested conditional write and record
format, so that is what is used.

Table (``EMAILSTATUS_TABLE``): partition key ``id`` (string), TTL attribute ``expiration``.
Run records are Powertools' (``digest#<hash of channel and date>``); figures are
``figures#YYYY-MM-DD`` items holding one JSON attribute.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyItemAlreadyExistsError,
    IdempotencyItemNotFoundError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import STATUS_CONSTANTS
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from emailstatus.errors import EmailStatusError
from emailstatus.trends import DayFigures

log = logging.getLogger(__name__)

#: A claim not marked done within this long is presumed dead and may be taken over. Longer
#: than any Lambda can run (15 minutes at most), so a live run is never overtaken.
LEASE = timedelta(minutes=15)
#: Run records and figures are kept this long (the comparison needs 1 day, the sparkline 7).
RETENTION = timedelta(days=35)
KEY_PREFIX = "digest"
FIGURES_PREFIX = "figures#"
#: BatchGetItem may leave keys unprocessed under load: ask again this many times at most.
BATCH_ATTEMPTS = 3


class StoreError(EmailStatusError):
    """The DynamoDB table could not be used."""


class ClaimState(StrEnum):
    """What a claim found."""

    #: This run owns (channel, date) now and must post, then ``mark_done`` or ``release``.
    CLAIMED = "claimed"
    #: Already posted; ``ts`` is the message.
    DONE = "done"
    #: Another run holds it (and its lease has not run out).
    BUSY = "busy"


@dataclass(frozen=True, slots=True)
class Claim:
    channel: str
    day: date
    state: ClaimState
    ts: str | None = None

    @property
    def mine(self) -> bool:
        """This run holds the claim and must post."""
        return self.state is ClaimState.CLAIMED

    @property
    def posted(self) -> bool:
        return self.state is ClaimState.DONE


class DigestStore:
    """Claims, marks and figures in one DynamoDB table."""

    def __init__(
        self,
        table_name: str,
        *,
        client: Any | None = None,
        lease: timedelta = LEASE,
        retention: timedelta = RETENTION,
    ) -> None:
        self.table_name = table_name
        self._lease_ms = int(lease.total_seconds() * 1000)
        self._retention = int(retention.total_seconds())
        self._runs = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=client)
        self._runs.configure(
            IdempotencyConfig(expires_after_seconds=self._retention), key_prefix=KEY_PREFIX
        )
        self._client = self._runs.client

    def claim(self, channel: str, day: date) -> Claim:
        """Take (channel, date) for this run, or say who has it."""
        key = _run_key(channel, day)
        with self._errors("claim the digest run"):
            try:
                self._runs.save_inprogress(key, remaining_time_in_millis=self._lease_ms)
            except IdempotencyItemAlreadyExistsError as taken:
                record = taken.old_data_record or self._existing(key)
                if record is not None and record.status == STATUS_CONSTANTS["COMPLETED"]:
                    ts = (record.response_json_as_dict() or {}).get("ts")
                    return Claim(channel, day, ClaimState.DONE, str(ts) if ts else None)
                return Claim(channel, day, ClaimState.BUSY)
        return Claim(channel, day, ClaimState.CLAIMED)

    def mark_done(self, channel: str, day: date, ts: str) -> None:
        """The digest was posted as message ``ts``: no run posts it again."""
        with self._errors("mark the digest run done"):
            self._runs.save_success(_run_key(channel, day), {"ts": ts})

    def release(self, channel: str, day: date, reason: Exception) -> None:
        """Posting failed: give the claim back so a retry can post."""
        with self._errors("release the digest run"):
            self._runs.delete_record(_run_key(channel, day), reason)

    def save_figures(self, figures: DayFigures) -> None:
        """Keep a day's figures for later digests."""
        item = {
            "id": {"S": FIGURES_PREFIX + figures.day.isoformat()},
            "expiration": {"N": str(int(time.time()) + self._retention)},
            "figures": {"S": json.dumps(figures.to_json(), sort_keys=True)},
        }
        with self._errors("save the day's figures"):
            self._client.put_item(TableName=self.table_name, Item=item)

    def load_figures(self, days: Iterable[date]) -> dict[date, DayFigures]:
        """The stored figures of those days that have some (unreadable items are skipped)."""
        keys: list[dict[str, Any]] = [
            {"id": {"S": FIGURES_PREFIX + day.isoformat()}} for day in sorted(set(days))
        ]
        items: list[dict[str, Any]] = []
        with self._errors("read earlier days' figures"):
            for _ in range(BATCH_ATTEMPTS):
                if not keys:
                    break
                answer = self._client.batch_get_item(
                    RequestItems={self.table_name: {"Keys": keys, "ConsistentRead": True}}
                )
                items.extend(answer.get("Responses", {}).get(self.table_name, []))
                keys = answer.get("UnprocessedKeys", {}).get(self.table_name, {}).get("Keys", [])
        found: dict[date, DayFigures] = {}
        for item in items:
            try:
                figures = DayFigures.from_json(json.loads(item["figures"]["S"]))
            except (KeyError, TypeError, ValueError):
                log.warning("Skipping an unreadable figures item", extra={"id": item.get("id")})
                continue
            found[figures.day] = figures
        return found

    def _existing(self, key: dict[str, str]) -> Any:
        try:
            return self._runs.get_record(key)
        except IdempotencyItemNotFoundError:  # released or expired just now: someone retries
            return None

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn boto3 failures into a ``StoreError`` naming the table and what was being done."""
        try:
            yield
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "ClientError")
            raise StoreError(
                f"Could not {doing} in DynamoDB table {self.table_name}: {code}.",
                next_step="Check that EMAILSTATUS_TABLE names an existing table with "
                "partition key id and that the function may read and write it.",
            ) from None
        except BotoCoreError as error:
            raise StoreError(
                f"Could not {doing}: DynamoDB could not be reached ({type(error).__name__}).",
                next_step="Check the network and the AWS region and credentials.",
            ) from None


def _run_key(channel: str, day: date) -> dict[str, str]:
    return {"channel": channel, "date": day.isoformat()}
