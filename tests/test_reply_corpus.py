"""The reply reader against real replies whose meaning their sources document
(``reply_corpus.toml``, each case citing its source), with per-reason accuracy printed.

Every case must read as documented: the reason, and who must act, whether delivery ended and
the provider where the source says so. The accuracy table shows how each reason fares (it is
all 100% while the suite is green; a regression shows where it hurts).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from emailstatus.knowledge.reasons import REASONS, Who
from emailstatus.knowledge.replies import Reading, read_reply

CORPUS = Path(__file__).with_name("reply_corpus.toml")
CASES: list[dict[str, Any]] = tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]


def _read(case: dict[str, Any]) -> Reading:
    reading = read_reply(case["reply"])
    assert reading is not None
    return reading


def _misread(case: dict[str, Any], reading: Reading) -> list[str]:
    """What the reading gets wrong against the case's documented meaning."""
    expected = {
        "reason": case["reason"],
        "who": case.get("who"),
        "final": case.get("final"),
        "provider": case.get("provider"),
    }
    got = {
        "reason": reading.reason,
        "who": reading.who.value,
        "final": reading.final,
        "provider": reading.provider,
    }
    return [
        f"{key}: {got[key]!r}, documented {value!r}"
        for key, value in expected.items()
        if value is not None and got[key] != value
    ]


def test_every_case_cites_a_source_and_uses_the_vocabulary() -> None:
    for case in CASES:
        assert case["source"].startswith(("http://", "https://")), case["reply"]
        assert case["reason"] in REASONS, case["reply"]
        assert case.get("who", "customer") in {who.value for who in Who}, case["reply"]


@pytest.mark.parametrize("case", CASES, ids=[case["reply"][:60] for case in CASES])
def test_a_documented_reply_reads_as_documented(case: dict[str, Any]) -> None:
    reading = _read(case)
    assert not _misread(case, reading), f"{case['reply']}\n  source: {case['source']}"


def test_no_sender_side_refusal_is_read_as_the_recipients_fault(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The issue's hard target: zero. Also prints the per-reason accuracy table."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    blamed_customer = []
    for case in CASES:
        reading = _read(case)
        total[case["reason"]] += 1
        right[case["reason"]] += reading.reason == case["reason"]
        if case.get("who") == "sender" and reading.who is Who.CUSTOMER:
            blamed_customer.append(case["reply"])
    with capsys.disabled():  # the table belongs in every test run's output
        print("\n" + "\n".join(accuracy_table(right, total)))
    assert blamed_customer == []


def accuracy_table(right: Counter[str], total: Counter[str]) -> list[str]:
    """Per-reason accuracy, most cases first, then the overall figure."""
    lines = [
        f"reply corpus: {len(CASES)} cases from documented sources",
        "reason          right / cases",
    ]
    for reason, cases in sorted(total.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"{reason:<15} {right[reason]:>5} / {cases:<5} {right[reason] / cases:7.1%}")
    overall = sum(right.values()) / sum(total.values())
    lines.append(f"{'all':<15} {sum(right.values()):>5} / {sum(total.values()):<5} {overall:7.1%}")
    return lines
