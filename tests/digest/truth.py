"""Ground truth for a simulated day, counted straight from the simulator's wire dicts.

Nothing here goes through the client, the walk or the fold: the codes are read as
SES-REFERENCE.md defines them, so a digest that loses, repeats or misfiles an email disagrees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from emailstatus.digest import normalise_reason

_DELIVER = {0: "queued", 1: "delivered", 2: "dropped", 3: "bounced", 8: "deferred"}
_FAILED = {"bounced", "dropped", "refused"}


def ground_truth(wire: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What the digest JSON must say about these emails (the counts part)."""
    states: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    engagement: Counter[str] = Counter()
    domains: dict[str, list[int]] = {}
    senders: dict[str, list[int]] = {}
    reasons: Counter[str] = Counter()
    for item in wire:
        send_status = item["SendStatus"]
        if send_status != 0:
            state = "refused"
            refusals[str(send_status)] += 1
        else:
            state = _DELIVER.get(item["DeliverStatus"], "unknown")
        states[state] += 1
        failed = state in _FAILED
        for flag, key in (
            ("opened", "UserOpened"),
            ("clicked", "UserClicked"),
            ("unsubscribed", "UserUnsubscribed"),
        ):
            engagement[flag] += bool(item[key])
        engagement["complained"] += bool(item.get("UserComplained") or item.get("UserComplainted"))
        domain = item["ToEmailAddress"].rsplit("@", 1)[1].lower()
        for table, key in ((domains, domain), (senders, item["FromEmailAddress"].lower())):
            counts = table.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += failed
        if failed and item["DeliverMessage"]:
            reasons[normalise_reason(item["DeliverMessage"])] += 1
    return {
        "total": len(wire),
        "by_state": {
            name: states[name]
            for name in (
                "delivered",
                "bounced",
                "dropped",
                "deferred",
                "queued",
                "refused",
                "unknown",
            )
        },
        "refusals": dict(sorted(refusals.items())),
        "engagement": {
            name: engagement[name] for name in ("opened", "clicked", "unsubscribed", "complained")
        },
        "failed": sum(states[name] for name in _FAILED),
        "domains": domains,
        "senders": senders,
        "reasons": reasons,
    }


def assert_matches(document: dict[str, Any], truth: dict[str, Any]) -> None:
    """The digest's JSON agrees with the ground truth count for count."""
    for key in ("total", "by_state", "refusals", "engagement", "failed"):
        assert document[key] == truth[key], key
    for entry in document["top_domains"]:
        assert [entry["emails"], entry["failed"]] == truth["domains"][entry["domain"]]
    ranked = sorted(truth["domains"].items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
    assert [e["domain"] for e in document["top_domains"]] == [name for name, _ in ranked[:5]]
    for entry in document["senders"]:
        assert [entry["emails"], entry["failed"]] == truth["senders"][entry["sender"]]
    for entry in document["top_reasons"]:
        if "(SendStatus " not in entry["reason"]:  # refusals: read from codes, not replies
            assert entry["count"] == truth["reasons"][entry["reason"]], entry["reason"]
