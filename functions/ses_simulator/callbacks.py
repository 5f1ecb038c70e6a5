"""Tencent's event callbacks for the simulated emails, posted to a URL like Tencent would.

Each accepted email yields what Tencent would push about it: ``delivered``, ``bounce``,
``dropped`` or ``deferred`` at its DeliverTime, then ``open``, ``click``, ``unsubscribe`` and
``spamreport`` shortly after for the user actions it has. A payload is written in the 2025-10
version (every field, ``soft_bounce``/``hard_bounce``, a MIME-encoded subject when not ASCII)
or the China site's older one (seven fields, ``soft``/``hard``); ``mixed`` picks per event.

Tencent documents no ordering and no retry policy, so the sender repeats a share of the
events, shuffles them, and can wait a random while before each post: whatever receives them
must cope with duplicates, disorder and delay. Refused emails (SendStatus ≠ 0) and emails still
queued get no callback, as at Tencent. Standard library only, like the rest of the simulator.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.header import Header
from typing import Any, Literal

from ses_simulator.wire import APP_ID

PayloadVersion = Literal["current", "older", "mixed"]

#: DeliverStatus → the event Tencent pushes when delivery ends (or is deferred).
_OUTCOMES: Mapping[int, str] = {1: "delivered", 2: "dropped", 3: "bounce", 8: "deferred"}
_EVENT_IDS: Mapping[str, int] = {
    "delivered": 1,
    "dropped": 2,
    "bounce": 3,
    "open": 4,
    "click": 5,
    "spamreport": 6,
    "unsubscribe": 7,
    "deferred": 8,
}
#: (template id, subject) by sender: what each simulated sender sends.
_TEMPLATES: Mapping[str, tuple[tuple[int, str], ...]] = {
    "noreply@notify.example.com": (
        (10001, "Reset your password"),
        (10002, "Verify your email address"),
        (10003, "欢迎加入 Example"),
    ),
    "billing@notify.example.com": ((10011, "Your receipt from Example"),),
    "hello@news.example.org": ((10021, "This week at Example: what's new"),),
}
_DEFAULT_TEMPLATE = (10001, "Reset your password")
_LINKS = (
    "https://example.com/reset?ref=mail",
    "https://example.com/account",
    "https://example.com/",
)
_USER_AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
)


def template_of(item: Mapping[str, Any]) -> tuple[int, str]:
    """The (template id, subject) a simulated email was sent with: fixed by its MessageId."""
    options = _TEMPLATES.get(str(item.get("FromEmailAddress", "")), (_DEFAULT_TEMPLATE,))
    return options[_hash(str(item["MessageId"])) % len(options)]


def callbacks_for(
    item: Mapping[str, Any], *, version: Literal["current", "older"], now: int
) -> list[dict[str, Any]]:
    """Every callback Tencent would push about one email (a GetSendEmailStatus wire dict),
    in the order they happened; none after ``now``."""
    outcome = _OUTCOMES.get(int(item.get("DeliverStatus", 0)))
    if int(item.get("SendStatus", -1)) != 0 or outcome is None:
        return []
    delivered_at = int(item.get("DeliverTime") or 0) or int(item["RequestTime"])
    seed = _hash(str(item["MessageId"]))
    happened = [(outcome, delivered_at, "")]
    if outcome == "delivered":
        opened_at = delivered_at + 30 + seed % 3600
        if item.get("UserOpened"):
            happened.append(("open", opened_at, ""))
        if item.get("UserClicked"):
            happened.append(("click", opened_at + 20, _LINKS[seed % len(_LINKS)]))
        if item.get("UserUnsubscribed"):
            happened.append(("unsubscribe", opened_at + 40, ""))
        if item.get("UserComplained") or item.get("UserComplainted"):
            happened.append(("spamreport", opened_at + 60, ""))
    return [
        _payload(item, event, at, link, version=version, seed=seed)
        for event, at, link in happened
        if at <= now
    ]


def _payload(
    item: Mapping[str, Any],
    event: str,
    at: int,
    link: str,
    *,
    version: Literal["current", "older"],
    seed: int,
) -> dict[str, Any]:
    reason = str(item.get("DeliverMessage") or "") if event != "delivered" else ""
    hard = not reason.startswith("4")
    payload: dict[str, Any] = {
        "event": event,
        "email": item["ToEmailAddress"],
        "link": link,
        "bulkId": item["MessageId"],
        "timestamp": at,
        "reason": reason if event in ("bounce", "dropped", "deferred") else "",
        "bounceType": "",
    }
    if version == "older":
        if event == "bounce":
            payload["bounceType"] = "hard" if hard else "soft"
        return payload
    if event == "bounce":
        payload["bounceType"] = "hard_bounce" if hard else "soft_bounce"
    sender = str(item["FromEmailAddress"])
    template_id, subject = template_of(item)
    payload.update(
        {
            "username": APP_ID,
            "from": sender,
            "fromDomain": sender.rpartition("@")[2],
            "templateId": template_id,
            "subject": subject if subject.isascii() else Header(subject, "utf-8").encode(),
            "messageId": f"{seed:016x}@{sender.rpartition('@')[2]}",
            "eventid": _EVENT_IDS[event],
            "sentTimestamp": int(item["RequestTime"]),
            "X-Tencentcloudses-Cb-Custom": "",
        }
    )
    if event in ("open", "click"):
        payload["useragent"] = _USER_AGENTS[seed % len(_USER_AGENTS)]
    return payload


@dataclass
class SendReport:
    """What a ``CallbackSender.send`` did: posts by HTTP status (0: no answer)."""

    events: int = 0
    posts: int = 0
    statuses: Counter[int] = field(default_factory=Counter)

    def describe(self) -> str:
        answers = ", ".join(
            f"{n}×{status or 'no answer'}" for status, n in sorted(self.statuses.items())
        )
        return f"{self.events} events in {self.posts} callbacks: {answers or 'none sent'}"


class CallbackSender:
    """Posts callbacks to ``url`` with duplicates, disorder and delays (all seeded)."""

    def __init__(
        self,
        url: str,
        *,
        version: PayloadVersion = "mixed",
        duplicates: float = 0.1,
        max_delay: float = 0.0,
        seed: int = 7,
        concurrency: int = 4,
        timeout: float = 5.0,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"callback URL must be http(s): {url!r}")
        if not 0 <= duplicates <= 1 or max_delay < 0 or concurrency < 1:
            raise ValueError("duplicates must be in [0, 1], max_delay >= 0, concurrency >= 1")
        self.url = url
        self.version = version
        self.duplicates = duplicates
        self.max_delay = max_delay
        self.concurrency = concurrency
        self.timeout = timeout
        self._rng = random.Random(f"emailstatus-simulator-callbacks:{seed}")
        self._lock = threading.Lock()

    def plan(self, items: Iterable[Mapping[str, Any]], *, now: int) -> list[dict[str, Any]]:
        """The bodies to post, in posting order: repeats included, order shuffled."""
        bodies: list[dict[str, Any]] = []
        for item in items:
            version = self.version
            if version == "mixed":
                version = "older" if self._rng.random() < 0.5 else "current"
            bodies.extend(callbacks_for(item, version=version, now=now))
        repeats = [body for body in bodies if self._rng.random() < self.duplicates]
        bodies.extend(repeats)
        self._rng.shuffle(bodies)
        return bodies

    def send(self, items: Iterable[Mapping[str, Any]], *, now: int | None = None) -> SendReport:
        """Post every callback of ``items`` (wire dicts) and report the answers."""
        bodies = self.plan(items, now=int(time.time()) if now is None else now)
        delays = [self._rng.uniform(0, self.max_delay) for _ in bodies]
        report = SendReport(events=len(bodies))
        with ThreadPoolExecutor(self.concurrency) as pool:
            for status in pool.map(self._post, bodies, delays):
                report.posts += 1
                report.statuses[status] += 1
        return report

    def _post(self, body: Mapping[str, Any], delay: float) -> int:
        if delay:
            time.sleep(delay)
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except (urllib.error.URLError, OSError):
            return 0


def day_items(dataset: Any, days: Sequence[Any]) -> list[Mapping[str, Any]]:
    """Every email of those days in ``dataset``, as wire dicts."""
    return [item for day in days for item in dataset.day_records(day)]


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest())
