"""DynamoDB records of digest runs: each (channel, date) posted exactly once; figures kept.

EventBridge delivers at least once, a failed Lambda is retried, and a run can die or stall at
any step; still a channel must get one digest a day, never two. Each (channel, date) has one
run item whose ``status`` moves claimed → posting → posted → done:

- ``claim`` takes the item with a fresh *token* and a lease, when nobody holds it or the
  holder's lease ran out (and it is not done). It reports what the previous holder left behind.
- ``posting`` is written just before the summary goes to Slack, ``posted`` (with the message
  ``ts``) right after; a run that finds ``posting`` does not know whether Slack took the
  message, so it looks in the channel first (``digest_post.find_posted``); one that finds
  ``posted`` never posts the summary again.
- Every write after the claim is conditional on the token (fencing): a holder whose lease ran
  out and was taken over cannot post or mark anything any more.

Powertools' idempotency layer was used before; its ``save_success`` is unconditional (the last
writer wins) and it has no state between "in progress" and "done", so it cannot fence a slow
holder or remember a post that was made but not marked. The four conditional writes here are
plain boto3.

Table (``EMAILSTATUS_TABLE``): partition key ``id`` (string), TTL attribute ``expiration``.
Run items are ``run#<channel>#<YYYY-MM-DD>``; figures are ``figures#YYYY-MM-DD`` items holding
one JSON attribute.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from emailstatus.digest.trends import DayFigures
from emailstatus.errors import FencedOutError, StoreError

log = logging.getLogger(__name__)

#: A claim not finished within this long is presumed dead and may be taken over. Longer than
#: any Lambda can run (15 minutes at most), so a live run is never overtaken; renewed when the
#: holder starts posting.
LEASE = timedelta(minutes=15)
#: Run records and figures are kept this long (the comparison needs 1 day, the sparkline 7).
RETENTION = timedelta(days=35)
RUN_PREFIX = "run#"
FIGURES_PREFIX = "figures#"
#: BatchGetItem may leave keys unprocessed under load: ask again this many times at most.
BATCH_ATTEMPTS = 3
_CONDITION_FAILED = "ConditionalCheckFailedException"


class RunStatus(StrEnum):
    """Where a run item is; each step's write is conditional on the holder's token."""

    CLAIMED = "claimed"
    POSTING = "posting"
    POSTED = "posted"
    DONE = "done"


class ClaimState(StrEnum):
    """What a claim found."""

    #: This run holds (channel, date) now: see ``Claim.left`` for what an earlier run did.
    CLAIMED = "claimed"
    #: Already posted and finished; ``ts`` is the message.
    DONE = "done"
    #: Another run holds it (and its lease has not run out).
    BUSY = "busy"


@dataclass(frozen=True, slots=True)
class Claim:
    channel: str
    day: date
    state: ClaimState
    ts: str | None = None
    #: The holder's token (only when ``mine``): every later write must carry it.
    token: str | None = None
    #: What the previous holder of an expired claim left: None for a fresh claim.
    left: RunStatus | None = None
    #: When the previous holder started posting (``time.time()``), if it did.
    posting_since: float | None = None

    @property
    def mine(self) -> bool:
        """This run holds the claim."""
        return self.state is ClaimState.CLAIMED

    @property
    def posted(self) -> bool:
        return self.state is ClaimState.DONE


class DigestStore:
    """Run items, with their fenced steps, and figures in one DynamoDB table."""

    def __init__(
        self,
        table_name: str,
        *,
        client: Any | None = None,
        lease: timedelta = LEASE,
        retention: timedelta = RETENTION,
    ) -> None:
        self.table_name = table_name
        self._lease = lease.total_seconds()
        self._retention = int(retention.total_seconds())
        self._client = client or boto3.client("dynamodb")

    def claim(self, channel: str, day: date) -> Claim:
        """Take (channel, date) for this run, or say who has it."""
        now = time.time()
        token = uuid.uuid4().hex
        with self._errors("claim the digest run"):
            try:
                answer = self._client.update_item(
                    TableName=self.table_name,
                    Key=_run_key(channel, day),
                    UpdateExpression="SET #token = :token, lease_until = :lease, "
                    "#status = if_not_exists(#status, :claimed), expiration = :expiration",
                    ConditionExpression="attribute_not_exists(id) OR "
                    "(lease_until < :now AND #status <> :done)",
                    ExpressionAttributeNames={"#token": "token", "#status": "status"},
                    ExpressionAttributeValues={
                        ":token": {"S": token},
                        ":lease": {"N": str(now + self._lease)},
                        ":claimed": {"S": RunStatus.CLAIMED.value},
                        ":done": {"S": RunStatus.DONE.value},
                        ":now": {"N": str(now)},
                        ":expiration": {"N": str(int(now) + self._retention)},
                    },
                    ReturnValues="ALL_OLD",
                )
            except ClientError as error:
                if _code(error) != _CONDITION_FAILED:
                    raise
                return self._taken(channel, day)
        old = answer.get("Attributes") or {}
        left = RunStatus(old["status"]["S"]) if "status" in old else None
        since = float(old["posting_since"]["N"]) if "posting_since" in old else None
        ts = old.get("ts", {}).get("S")
        if left is not None:
            log.warning("Took over an expired digest claim", extra={"left": left.value})
        return Claim(channel, day, ClaimState.CLAIMED, ts, token, left, since)

    def posting(self, claim: Claim) -> None:
        """About to post the summary: recorded first, so a run that dies here is recognised.

        Renews the lease. ``FencedOutError`` when the claim is no longer this run's.
        """
        now = time.time()
        self._step(
            claim,
            "SET #status = :status, posting_since = :now, lease_until = :lease",
            {
                ":status": {"S": RunStatus.POSTING.value},
                ":now": {"N": str(now)},
                ":lease": {"N": str(now + self._lease)},
            },
            "record that the digest is being posted",
        )

    def posted(self, claim: Claim, ts: str) -> None:
        """The summary is in Slack as message ``ts``: no run posts it again."""
        self._step(
            claim,
            "SET #status = :status, ts = :ts",
            {":status": {"S": RunStatus.POSTED.value}, ":ts": {"S": ts}},
            "record the posted digest",
        )

    def mark_done(self, claim: Claim, ts: str) -> None:
        """Posted and finished (thread included): later runs only report it."""
        self._step(
            claim,
            "SET #status = :status, ts = :ts",
            {":status": {"S": RunStatus.DONE.value}, ":ts": {"S": ts}},
            "mark the digest run done",
        )

    def release(self, claim: Claim) -> None:
        """Nothing was posted (Slack said no): give the claim back so a retry can post."""
        with self._errors("release the digest run"):
            try:
                self._client.delete_item(
                    TableName=self.table_name,
                    Key=_run_key(claim.channel, claim.day),
                    ConditionExpression="#token = :token",
                    ExpressionAttributeNames={"#token": "token"},
                    ExpressionAttributeValues={":token": {"S": claim.token or ""}},
                )
            except ClientError as error:
                if _code(error) != _CONDITION_FAILED:
                    raise
                log.warning("A digest claim was taken over before it was released")

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

    def _taken(self, channel: str, day: date) -> Claim:
        """Who has (channel, date), after a claim was refused."""
        item = self._client.get_item(
            TableName=self.table_name, Key=_run_key(channel, day), ConsistentRead=True
        ).get("Item", {})
        if item.get("status", {}).get("S") == RunStatus.DONE:
            return Claim(channel, day, ClaimState.DONE, item.get("ts", {}).get("S"))
        return Claim(channel, day, ClaimState.BUSY)

    def _step(self, claim: Claim, update: str, values: dict[str, Any], doing: str) -> None:
        """One fenced write: applied only while ``claim``'s token is the item's."""
        with self._errors(doing):
            try:
                self._client.update_item(
                    TableName=self.table_name,
                    Key=_run_key(claim.channel, claim.day),
                    UpdateExpression=update,
                    ConditionExpression="#token = :token",
                    ExpressionAttributeNames={"#token": "token", "#status": "status"},
                    ExpressionAttributeValues={**values, ":token": {"S": claim.token or ""}},
                )
            except ClientError as error:
                if _code(error) != _CONDITION_FAILED:
                    raise
                raise FencedOutError(
                    f"Could not {doing}: another run took this digest over (the lease ran out).",
                    next_step="Nothing to do: that run posts the digest. If it happens often, "
                    "the digest runs longer than its lease.",
                ) from None

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn boto3 failures into a ``StoreError`` naming the table and what was being done."""
        try:
            yield
        except ClientError as error:
            code = _code(error)
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


def _run_key(channel: str, day: date) -> dict[str, Any]:
    return {"id": {"S": f"{RUN_PREFIX}{channel}#{day.isoformat()}"}}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "ClientError"))
