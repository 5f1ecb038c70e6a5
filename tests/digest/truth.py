"""Ground truth for a simulated day, counted straight from the simulator's wire dicts.

Nothing here goes through the client, the walk or the fold: the codes are read as
SES-REFERENCE.md defines them, so a digest that loses, repeats or misfiles an email disagrees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from emailstatus.knowledge.replies import read_reply

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
    providers: dict[str, Counter[str]] = {}
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
        if state in ("bounced", "dropped"):
            reading = read_reply(item["DeliverMessage"])
            reason, provider = (
                (reading.reason, reading.provider) if reading else ("undefined", None)
            )
            reasons[reason] += 1
            providers.setdefault(reason, Counter())[provider or "other"] += 1
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
        "providers": providers,
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
    ranked_reasons = sorted(truth["reasons"].items(), key=lambda kv: (-kv[1], kv[0]))
    assert [e["reason"] for e in document["top_reasons"]] == [r for r, _ in ranked_reasons[:5]]
    for entry in document["top_reasons"]:
        assert entry["count"] == truth["reasons"][entry["reason"]], entry["reason"]
        assert sum(entry["providers"].values()) == entry["count"]
        for name, count in entry["providers"].items():
            if name != "other":
                assert count == truth["providers"][entry["reason"]][name], name
