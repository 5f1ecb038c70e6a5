"""One lookup, start to finish: a parsed ``Query`` → SES → a ``Verdict``.

The CLI, the Slack listener and the demo all answer the same question the same way, so the
steps live here once. SES errors are not caught: each caller explains them in its own medium.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from emailstatus.command import Query, TargetKind
from emailstatus.ses.client import Lookup, SesClient
from emailstatus.verdict import Verdict, judge


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a lookup found, how it reads, and how long it took."""

    query: Query
    lookup: Lookup
    verdict: Verdict
    seconds: float


def run_lookup(query: Query, client: SesClient, now: datetime | None = None) -> Outcome:
    """Ask SES about ``query`` on each of its dates and judge what came back."""
    started = time.monotonic()
    if query.kind is TargetKind.MESSAGE_ID:
        lookup = client.find(query.dates, message_id=query.target)
    else:
        lookup = client.find(query.dates, to_address=query.target)
    verdict = judge(lookup.records, now=now)
    return Outcome(query, lookup, verdict, time.monotonic() - started)
